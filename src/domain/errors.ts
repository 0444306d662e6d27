/**
 * The one error catalog. Every error virtmon raises is a {@link VirtmonError} whose `code` is a stable
 * string from {@link ERROR_CATALOG}. Codes named `VIR_ERR_*` carry libvirt's number and wording
 * (src/util/virerror.c), so a message reads exactly as virsh would print it; `VIRTMON_ERR_*` codes are
 * ours. Codes are never reused or renumbered; a retired code stays in the catalog marked `retired`.
 */

/** One catalog row: libvirt's error number (0 for ours), message without and with detail, HTTP status. */
export interface ErrorCatalogEntry {
  readonly libvirtCode: number;
  /** Message used when there is no detail. */
  readonly bare: string;
  /** Message template when there is a detail; `%s` is replaced by it. */
  readonly withDetail: string;
  /** Status the control API answers with. */
  readonly http: number;
  /** One line for the docs. */
  readonly doc: string;
  readonly retired?: true;
}

const entry = (libvirtCode: number, bare: string, withDetail: string, http: number, doc: string): ErrorCatalogEntry =>
  ({ libvirtCode, bare, withDetail, http, doc });

/** Every error code virtmon can raise. */
export const ERROR_CATALOG = {
  VIR_ERR_INTERNAL_ERROR: entry(1, 'internal error', 'internal error: %s', 500, 'an internal failure, including a QMP command error'),
  VIR_ERR_NO_SUPPORT: entry(3, 'this function is not supported by the connection driver', 'this function is not supported by the connection driver: %s', 501, 'the driver has no entry for this operation'),
  VIR_ERR_NO_CONNECT: entry(5, 'no connection driver available', 'no connection driver available for %s', 400, 'no driver accepts the URI'),
  VIR_ERR_INVALID_ARG: entry(8, 'invalid argument', 'invalid argument: %s', 400, 'an argument is out of range or malformed'),
  VIR_ERR_OPERATION_FAILED: entry(9, 'operation failed', 'operation failed: %s', 409, 'the operation was tried and failed'),
  VIR_ERR_XML_ERROR: entry(27, 'XML description is invalid or not well formed', 'XML error: %s', 400, 'domain XML is malformed, hostile or invalid'),
  VIR_ERR_OPERATION_DENIED: entry(29, 'operation forbidden for read only access', 'operation forbidden: %s', 403, 'a read-only connection asked for a change'),
  VIR_ERR_SYSTEM_ERROR: entry(38, 'system call error', '%s', 500, 'a system call failed (file, process, socket)'),
  VIR_ERR_RPC: entry(39, 'RPC error', '%s', 502, 'the connection to a remote agent failed'),
  VIR_ERR_NO_DOMAIN: entry(42, 'Domain not found', 'Domain not found: %s', 404, 'no domain with that name, UUID or id'),
  VIR_ERR_AUTH_FAILED: entry(45, 'authentication failed', 'authentication failed: %s', 401, 'missing, wrong or expired credentials'),
  VIR_ERR_OPERATION_INVALID: entry(55, 'Requested operation is not valid', 'Requested operation is not valid: %s', 409, 'the domain is in a state that does not allow the operation'),
  VIR_ERR_CONFIG_UNSUPPORTED: entry(67, 'unsupported configuration', 'unsupported configuration: %s', 400, 'the configuration asks for something this host cannot do'),
  VIR_ERR_OPERATION_TIMEOUT: entry(68, 'Timed out during operation', 'Timed out during operation: %s', 504, 'a deadline passed (QMP command, job lock, guest)'),
  VIR_ERR_OVERFLOW: entry(70, 'numerical overflow', 'numerical overflow: %s', 400, 'a number is too large (scaled sizes such as `setmem 99999999T`)'),
  VIR_ERR_ARGUMENT_UNSUPPORTED: entry(74, 'argument unsupported', 'argument unsupported: %s', 400, 'a flag or argument is not supported'),
  VIR_ERR_OPERATION_ABORTED: entry(78, 'operation aborted', 'operation aborted: %s', 409, 'the operation was cancelled'),
  VIR_ERR_OPERATION_UNSUPPORTED: entry(84, 'Operation not supported', 'Operation not supported: %s', 501, 'the operation is not supported for this domain'),
  VIR_ERR_RESOURCE_BUSY: entry(87, 'resource busy', 'resource busy: %s', 409, 'the domain is busy with another job'),
  VIR_ERR_ACCESS_DENIED: entry(88, 'access denied', 'access denied: %s', 403, 'the credential lacks the role for the operation'),
  VIR_ERR_DEVICE_MISSING: entry(99, 'device not found', 'device not found: %s', 404, 'the device to detach or change is not in the domain'),
  VIRTMON_ERR_CONFIG: entry(0, 'invalid configuration', 'invalid configuration: %s', 400, 'the agent configuration file is invalid (names file, line and key)'),
  VIRTMON_ERR_QMP_PROTOCOL: entry(0, 'QEMU monitor protocol error', 'QEMU monitor protocol error: %s', 502, 'QEMU sent something that is not QMP'),
  VIRTMON_ERR_QMP_INTERRUPTED: entry(0, 'QEMU monitor connection closed', 'QEMU monitor connection closed: %s', 502, 'the monitor closed while a command was pending'),
  VIRTMON_ERR_RATE_LIMITED: entry(0, 'rate limit exceeded', 'rate limit exceeded: %s', 429, 'too many requests or actions in the window'),
  VIRTMON_ERR_REQUEST: entry(0, 'invalid request', 'invalid request: %s', 400, 'an API request body or parameter is invalid'),
  VIRTMON_ERR_ACTION_REFUSED: entry(0, 'action refused', 'action refused: %s', 409, 'a safety rule (protected domain, cooldown, global cap) refused an action'),
  VIRTMON_ERR_SNMP_DECODE: entry(0, 'malformed SNMP message', 'malformed SNMP message: %s', 400, 'an SNMP or AgentX packet could not be decoded'),
  VIRTMON_ERR_RULES: entry(0, 'invalid alert rules', 'invalid alert rules: %s', 400, 'an alert rule file is invalid (names file, line and key)'),
} as const satisfies Record<string, ErrorCatalogEntry>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Renders a message in libvirt's wording for a code and an optional detail. */
export function renderErrorMessage(code: ErrorCode, detail?: string): string {
  const row: ErrorCatalogEntry = ERROR_CATALOG[code];
  return detail === undefined || detail === '' ? row.bare : row.withDetail.replace('%s', detail);
}

/** Extra fields some errors carry (location of a config error, QMP class, …). */
export interface ErrorFields {
  readonly cause?: unknown;
  /** File the error refers to (config file, XML file). */
  readonly file?: string;
  /** 1-based line in that file. */
  readonly line?: number;
  /** 1-based column on that line (XML parse errors). */
  readonly column?: number;
  /** Config key path (`collectors.cpu.interval`) or XML element path (`domain/devices/disk[1]/target`). */
  readonly key?: string;
  /** QMP error class (`GenericError`, `CommandNotFound`, …). */
  readonly qmpClass?: string;
}

/** The only error type virtmon throws across room boundaries. */
export class VirtmonError extends Error {
  override readonly name = 'VirtmonError';
  readonly code: ErrorCode;
  readonly libvirtCode: number;
  readonly detail: string | undefined;
  readonly httpStatus: number;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly key: string | undefined;
  readonly qmpClass: string | undefined;

  constructor(code: ErrorCode, detail?: string, fields: ErrorFields = {}) {
    super(renderErrorMessage(code, detail), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = code;
    this.libvirtCode = ERROR_CATALOG[code].libvirtCode;
    this.detail = detail;
    this.httpStatus = ERROR_CATALOG[code].http;
    this.file = fields.file;
    this.line = fields.line;
    this.column = fields.column;
    this.key = fields.key;
    this.qmpClass = fields.qmpClass;
  }

  /** Plain JSON form used by the control API and the remote driver. */
  toJSON(): SerializedError {
    const out: SerializedError = { code: this.code, libvirtCode: this.libvirtCode, message: this.message };
    if (this.detail !== undefined) out.detail = this.detail;
    if (this.file !== undefined) out.file = this.file;
    if (this.line !== undefined) out.line = this.line;
    if (this.column !== undefined) out.column = this.column;
    if (this.key !== undefined) out.key = this.key;
    if (this.qmpClass !== undefined) out.qmpClass = this.qmpClass;
    return out;
  }
}

/** Wire form of a {@link VirtmonError}. */
export interface SerializedError {
  code: ErrorCode;
  libvirtCode: number;
  message: string;
  detail?: string;
  file?: string;
  line?: number;
  column?: number;
  key?: string;
  qmpClass?: string;
}

/** True when `value` is a code of the catalog. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

/** Rebuilds an error received over the wire; an unknown code becomes an internal error. */
export function deserializeError(wire: SerializedError): VirtmonError {
  const code = isErrorCode(wire.code) ? wire.code : 'VIR_ERR_INTERNAL_ERROR';
  const fields: { -readonly [K in keyof ErrorFields]: ErrorFields[K] } = {};
  if (wire.file !== undefined) fields.file = wire.file;
  if (wire.line !== undefined) fields.line = wire.line;
  if (wire.column !== undefined) fields.column = wire.column;
  if (wire.key !== undefined) fields.key = wire.key;
  if (wire.qmpClass !== undefined) fields.qmpClass = wire.qmpClass;
  return new VirtmonError(code, wire.detail, fields);
}

// Shorthands for the errors every driver raises; the texts follow libvirt's (see libvirt-semantics.md §3).

/** `Requested operation is not valid: <detail>` (55). */
export const operationInvalid = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_OPERATION_INVALID', detail);
/** `Requested operation is not valid: domain is not running`. */
export const domainNotRunning = (): VirtmonError => operationInvalid('domain is not running');
/** `Domain not found: no domain with matching name 'X'` (42). */
export const noDomainWithName = (name: string): VirtmonError =>
  new VirtmonError('VIR_ERR_NO_DOMAIN', `no domain with matching name '${name}'`);
/** `Domain not found: no domain with matching uuid 'U'` (42). */
export const noDomainWithUuid = (uuid: string): VirtmonError =>
  new VirtmonError('VIR_ERR_NO_DOMAIN', `no domain with matching uuid '${uuid}'`);
/** `Domain not found: no domain with matching id N` (42). */
export const noDomainWithId = (id: number): VirtmonError =>
  new VirtmonError('VIR_ERR_NO_DOMAIN', `no domain with matching id ${id}`);
/** `this function is not supported by the connection driver: virDomainX` (3). */
export const unsupported = (apiName: string): VirtmonError => new VirtmonError('VIR_ERR_NO_SUPPORT', apiName);
/** `invalid argument: <detail>` (8). */
export const invalidArg = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_INVALID_ARG', detail);
/** `internal error: <detail>` (1). */
export const internalError = (detail: string, cause?: unknown): VirtmonError =>
  new VirtmonError('VIR_ERR_INTERNAL_ERROR', detail, cause === undefined ? {} : { cause });
/** `XML error: <detail>` (27), optionally naming the element path. */
export const xmlError = (detail: string, key?: string): VirtmonError =>
  new VirtmonError('VIR_ERR_XML_ERROR', detail, key === undefined ? {} : { key });

/** Wraps anything thrown into a VirtmonError (an existing one passes through). */
export function toVirtmonError(err: unknown): VirtmonError {
  if (err instanceof VirtmonError) return err;
  if (err instanceof Error) {
    const sys = err as NodeJS.ErrnoException;
    if (typeof sys.code === 'string' && typeof sys.syscall === 'string') {
      return new VirtmonError('VIR_ERR_SYSTEM_ERROR', err.message, { cause: err });
    }
    return internalError(err.message, err);
  }
  return internalError(String(err));
}
