/** Pieces the command files share: the `<domain>` option, virsh's action pattern, file reading. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { OptionDef, ParsedOptions } from '../command-def.ts';
import { lookupDomain, type LookupBy } from '../lookup.ts';
import type { Session } from '../session.ts';

/** VIRSH_COMMON_OPT_DOMAIN_FULL. */
export const DOMAIN_OPT: OptionDef = { name: 'domain', type: 'data', help: 'domain name, id or uuid' };

/** Checks VSH_EXCLUSIVE_OPTIONS; prints virsh's error and returns false on a clash. */
export function exclusive(session: Session, opts: ParsedOptions, a: string, b: string): boolean {
  if (opts.bool(a) && opts.bool(b)) {
    session.out.error(`Options --${a} and --${b} are mutually exclusive`);
    return false;
  }
  return true;
}

/**
 * The shape of most domain commands: look the domain up, call the driver, and on failure print
 * `Failed to VERB domain 'X'` followed by the driver's error; on success print the message (dropped by -q).
 */
export async function domainAction(
  session: Session,
  arg: string,
  verb: string,
  call: (dom: DomainRef) => Promise<unknown>,
  success: (name: string) => string,
  by?: LookupBy,
): Promise<boolean> {
  const dom = await lookupDomain(session, arg, by);
  if (dom === undefined) return false;
  try {
    await call(dom);
  } catch (err) {
    session.out.error(`Failed to ${verb} domain '${dom.name}'`);
    session.report(err);
    return false;
  }
  session.out.extra(success(dom.name));
  return true;
}

// strerror() texts for the errno codes reading a file can meet.
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
};

/** Largest XML file virsh reads (VSH_MAX_XML_FILE). */
const MAX_XML_FILE = 10 * 1024 * 1024;

/**
 * Reads an XML file on the client side as virsh does (virFileReadAll), relative to the CLI's cwd;
 * throws the system error virsh would print (`Failed to open file 'F': No such file or directory`).
 */
export async function readXmlFile(session: Session, file: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(resolve(session.deps.cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = STRERROR[code] ?? (err as Error).message;
    const what = code === 'EISDIR' ? 'read' : 'open';
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `Failed to ${what} file '${file}': ${reason}`, { file, cause: err });
  }
  if (data.length > MAX_XML_FILE) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `File '${file}' is too large`, { file });
  }
  return data.toString('utf8');
}
