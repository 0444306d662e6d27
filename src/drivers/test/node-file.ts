/**
 * libvirt's test-driver node file (`test:///ABS/PATH.xml`, docs/drvtest.rst): a `<node>` holding the
 * host's `<cpu>` and `<memory>` and any number of `<domain>` elements, inline or as `<domain file='F'/>`
 * relative to the node file. Per domain, elements of the namespace
 * `http://libvirt.org/schemas/domain/test/1.0` set its runtime: `<test:runstate>N</test:runstate>`
 * (default 1, running), `<test:transient/>`, `<test:hasmanagedsave/>`. Networks, pools, interfaces,
 * node devices and `<auth>` are libvirt features virtmon does not model; they are ignored.
 * Every error names the node file and, when it concerns one, the domain.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { DomainDef, XmlElement } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { isDomainState } from '../../domain/states.ts';
import type { DomainStateCode } from '../../domain/states.ts';
import { formatXmlElement, parseXmlDocument } from '../../domain/xml-tree.ts';
import type { NodeInfo } from '../driver.ts';
import { DEFAULT_NODE_INFO } from './default-host.ts';
import { MAX_DOMAIN_XML_BYTES, parseTestDomainXml } from './definitions.ts';

/** The test driver's XML namespace. */
export const TEST_NAMESPACE = 'http://libvirt.org/schemas/domain/test/1.0';

/** Largest node file read. */
export const MAX_NODE_FILE_BYTES = 16 * 1024 * 1024;

/** One domain of a node file with its runtime settings. */
export interface NodeDomain {
  readonly def: DomainDef;
  /** `<test:runstate>`; RUNNING when absent. */
  readonly runstate: DomainStateCode;
  readonly transient: boolean;
  readonly hasManagedSave: boolean;
}

/** A parsed node file. */
export interface NodeSpec {
  /** `node file 'PATH'`, or `(test driver)` for the built-in default; error messages start with it. */
  readonly origin: string;
  readonly nodeInfo: NodeInfo;
  readonly domains: readonly NodeDomain[];
}

/** Reads a domain file named by `<domain file=…>`, given its absolute path. */
export type DomainFileReader = (path: string) => Promise<string>;

/** Reads and parses a node file from disk. */
export async function loadNodeFile(path: string): Promise<NodeSpec> {
  const text = await readText(path, `cannot read node file '${path}'`, path);
  return parseNodeXml(text, { file: path, readDomainFile: (p) => readText(p, `cannot read domain file '${p}'`, path) });
}

async function readText(path: string, what: string, nodeFile: string): Promise<string> {
  try {
    // Refuse oversize files before reading them into memory; the XML parser checks the exact size again.
    if ((await stat(path)).size > MAX_NODE_FILE_BYTES) {
      throw new VirtmonError('VIR_ERR_XML_ERROR', `${what}: larger than ${MAX_NODE_FILE_BYTES} bytes`, { file: nodeFile });
    }
    return await readFile(path, 'utf8');
  } catch (cause) {
    if (cause instanceof VirtmonError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `${what}: ${reason}`, { cause, file: nodeFile });
  }
}

/** Where a node document came from: its path (for `file=` and error messages) and how to read domain files. */
export interface NodeSource {
  /** Absolute path of the node file; undefined for the built-in default node. */
  readonly file?: string;
  readonly readDomainFile?: DomainFileReader;
}

/** Parses a node document. Throws XML_ERROR (or the domain parser's error) naming file and domain. */
export async function parseNodeXml(xml: string, source: NodeSource = {}): Promise<NodeSpec> {
  const where = source.file === undefined ? '(test driver)' : `node file '${source.file}'`;
  const fail = (detail: string, cause?: unknown): VirtmonError => new VirtmonError('VIR_ERR_XML_ERROR',
    `${where}: ${detail}`, { ...(cause === undefined ? {} : { cause }), ...(source.file === undefined ? {} : { file: source.file }) });
  let root: XmlElement;
  try {
    root = parseXmlDocument(xml, { maxBytes: MAX_NODE_FILE_BYTES });
  } catch (e) {
    throw wrap(e, where, source.file, true);
  }
  if (root.name !== 'node') throw fail("Root element is not 'node'");
  const nodeInfo = parseNodeInfo(root, fail);
  const domains: NodeDomain[] = [];
  let index = 0;
  for (const child of elements(root)) {
    if (child.name !== 'domain') continue;
    index++;
    let el = child;
    const ref = child.attrs.file;
    if (ref !== undefined) {
      if (source.file === undefined || source.readDomainFile === undefined) throw fail(`domain ${index}: file='${ref}' needs a node file`);
      const path = isAbsolute(ref) ? ref : join(dirname(source.file), ref);
      const text = await source.readDomainFile(path);
      try {
        el = parseXmlDocument(text, { maxBytes: MAX_DOMAIN_XML_BYTES });
      } catch (e) {
        throw wrap(e, `${where}: domain file '${path}'`, path, true);
      }
      if (el.name !== 'domain') throw fail(`domain file '${path}': root element is not 'domain'`);
    }
    domains.push(parseNodeDomain(el, root, index, where, source.file));
  }
  return { origin: where, nodeInfo, domains };
}

/** /node/cpu/{nodes,sockets,cores,threads,active,mhz,model} and /node/memory over the defaults (testParseNodeInfo). */
function parseNodeInfo(root: XmlElement, fail: (d: string) => VirtmonError): NodeInfo {
  const cpu = elements(root).find((e) => e.name === 'cpu');
  const num = (parent: XmlElement | undefined, name: string, what: string): number | undefined => {
    const el = parent === undefined ? undefined : elements(parent).find((e) => e.name === name);
    if (el === undefined) return undefined;
    const text = textOf(el).trim();
    if (!/^\d+$/.test(text)) throw fail(`invalid node ${what} value`);
    return Number(text);
  };
  const d = DEFAULT_NODE_INFO;
  const nodes = num(cpu, 'nodes', 'cpu nodes') ?? d.nodes;
  const sockets = num(cpu, 'sockets', 'cpu sockets') ?? d.sockets;
  const cores = num(cpu, 'cores', 'cpu cores') ?? d.cores;
  const threads = num(cpu, 'threads', 'cpu threads') ?? d.threads;
  const all = nodes * sockets * cores * threads;
  const active = num(cpu, 'active', 'cpu active');
  const modelEl = cpu === undefined ? undefined : elements(cpu).find((e) => e.name === 'model');
  return {
    model: modelEl === undefined ? d.model : textOf(modelEl).trim(),
    memoryKiB: num(root, 'memory', 'memory') ?? d.memoryKiB,
    cpus: active !== undefined && active < all ? active : all,
    mhz: num(cpu, 'mhz', 'cpu mhz') ?? d.mhz,
    nodes, sockets, cores, threads,
  };
}

/** Splits the test-namespace elements off a `<domain>` and parses the rest as domain XML. */
function parseNodeDomain(el: XmlElement, root: XmlElement, index: number, where: string, file: string | undefined): NodeDomain {
  const nameEl = elements(el).find((e) => e.name === 'name');
  const label = nameEl === undefined ? `domain ${index}` : `domain '${textOf(nameEl).trim()}'`;
  const fail = (detail: string, cause?: unknown): VirtmonError => new VirtmonError('VIR_ERR_XML_ERROR',
    `${where}: ${label}: ${detail}`, { ...(cause === undefined ? {} : { cause }), ...(file === undefined ? {} : { file }) });

  const prefix = testPrefix(el, root);
  const isTest = (child: XmlElement): boolean => child.name.startsWith(`${prefix}:`);
  const testEls = elements(el).filter(isTest);
  const local = (child: XmlElement): string => child.name.slice(prefix.length + 1);

  let runstate: DomainStateCode = 1;
  const runEl = testEls.find((c) => local(c) === 'runstate');
  if (runEl !== undefined) {
    const text = textOf(runEl).trim();
    if (!/^\d+$/.test(text)) throw fail('invalid runstate');
    const n = Number(text);
    if (!isDomainState(n)) throw fail(`runstate '${n}' out of range`);
    runstate = n;
  }
  const transient = testEls.some((c) => local(c) === 'transient');
  const hasManagedSave = testEls.some((c) => local(c) === 'hasmanagedsave');
  if (transient && runstate === 5) throw fail("transient domain cannot have runstate 'shutoff'");
  if (hasManagedSave && runstate !== 5) throw fail("domain with managedsave data can only have runstate 'shutoff'");

  // Namespace declarations of <node> that the domain relies on travel with it; the test one does not.
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(root.attrs)) if (k.startsWith('xmlns:') && v !== TEST_NAMESPACE) attrs[k] = v;
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === 'file' || v === TEST_NAMESPACE && k.startsWith('xmlns:')) continue;
    attrs[k] = v;
  }
  const domainEl: XmlElement = {
    name: 'domain',
    attrs,
    children: el.children.filter((c) => typeof c === 'string' || !isTest(c)),
  };
  let def: DomainDef;
  try {
    def = parseTestDomainXml(formatXmlElement(domainEl));
  } catch (e) {
    throw wrap(e, `${where}: ${label}`, file, false);
  }
  return { def, runstate, transient, hasManagedSave };
}

/** The prefix bound to the test namespace on the domain or the node; `test` when none is declared. */
function testPrefix(el: XmlElement, root: XmlElement): string {
  for (const attrs of [el.attrs, root.attrs]) {
    for (const [k, v] of Object.entries(attrs)) if (k.startsWith('xmlns:') && v === TEST_NAMESPACE) return k.slice(6);
  }
  return 'test';
}

/**
 * Re-raises an error with the node file (and domain) in front of its message, keeping its code. The
 * line is kept only when it refers to `file` itself (an inline domain is re-serialised before parsing).
 */
function wrap(e: unknown, where: string, file: string | undefined, keepLine: boolean): VirtmonError {
  if (!(e instanceof VirtmonError)) throw e;
  const fields = {
    cause: e,
    ...(file === undefined ? {} : { file }),
    ...(keepLine && e.line !== undefined ? { line: e.line } : {}),
    ...(e.key === undefined ? {} : { key: e.key }),
  };
  return new VirtmonError(e.code, `${where}: ${e.detail ?? e.message}`, fields);
}

function elements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}
