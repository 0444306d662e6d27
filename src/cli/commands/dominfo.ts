/** `dominfo DOMAIN` (cmdDominfo): every piece is asked for separately and missing ones are skipped. */
import type { DomainRef } from '../../domain/domain-ref.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { CommandDef } from '../command-def.ts';
import { formatDominfo, type DominfoData } from '../format/dominfo.ts';
import { lookupDomain } from '../lookup.ts';
import type { Session } from '../session.ts';
import { DOMAIN_OPT } from './common.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const isNoSupport = (err: unknown): boolean => err instanceof VirtmonError && err.code === 'VIR_ERR_NO_SUPPORT';

async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Gathers dominfo's data; `failure` is the error that makes the command fail after printing. */
async function gather(session: Session, dom: DomainRef): Promise<{ data: DominfoData; failure?: unknown }> {
  const conn = session.conn;
  const data: Mutable<DominfoData> = { id: dom.id, name: dom.name, uuid: dom.uuid, persistent: undefined, managedSave: undefined };
  let failure: unknown;
  const os = await attempt(() => conn.getOSType(dom));
  if (os.ok) data.osType = os.value;
  const info = await attempt(() => conn.getInfo(dom));
  if (info.ok) data.info = info.value;
  else failure = info.error;
  const persistent = await attempt(() => conn.isPersistent(dom));
  if (persistent.ok) data.persistent = persistent.value;
  const autostart = await attempt(() => conn.getAutostart(dom));
  if (autostart.ok) data.autostart = autostart.value;
  const saved = await attempt(() => conn.hasManagedSaveImage(dom));
  if (saved.ok) data.managedSave = saved.value;
  const model = await attempt(() => conn.nodeGetSecurityModel());
  if (!model.ok) {
    // virsh stops here on any error but "not supported", which just means no security driver.
    if (!isNoSupport(model.error)) return { data, failure: model.error };
  } else if (model.value.model !== '') {
    const label = await attempt(() => conn.getSecurityLabel(dom));
    if (!label.ok) {
      data.security = { model: model.value.model, doi: model.value.doi };
      return { data, failure: label.error };
    }
    data.security = { model: model.value.model, doi: model.value.doi, label: label.value };
  }
  return failure === undefined ? { data } : { data, failure };
}

/** Prints basic information about a domain. */
export const dominfo: CommandDef = {
  name: 'dominfo',
  group: 'monitor',
  help: 'domain information',
  desc: 'Returns basic information about the domain.',
  options: [DOMAIN_OPT],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    const { data, failure } = await gather(session, dom);
    session.out.print(formatDominfo(data));
    if (failure !== undefined) {
      session.report(failure);
      return false;
    }
    return true;
  },
};
