/**
 * Random hostile requests for the control API, from a seeded generator (a failing seed replays).
 * Every request is one no well-behaved client would send with power to change anything: a change
 * route is only ever paired with no/wrong/expired/read-only tokens, a domain that does not exist,
 * or a body that must be refused (hostile XML, unknown fields, wrong types, junk). So after any
 * number of them every domain must be exactly as it was.
 */

/** A request in light-my-request's terms. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
}

/** Secrets the generator may use. */
export interface FuzzTokens {
  readonly readOnly: string;
  readonly operator: string;
  readonly admin: string;
  readonly expired: string;
}

/** mulberry32: small, fast, good enough to shuffle requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_XML = [
  '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><domain>&b;</domain>',
  '<!DOCTYPE domain [<!ENTITY xxe SYSTEM "file:///etc/shadow">]><domain type="test"><name>&xxe;</name></domain>',
  '<domain type="test"><name>x</name><memory>1</memory><devices><disk type="file" device="disk"><source file="/etc/shadow"/><target dev="vda"/></disk></devices></domain>',
  '<domain type="kvm"><name>x</name><memory>65536</memory><os><type>hvm</type><kernel>/boot/vmlinuz</kernel></os></domain>',
  '<domain type="kvm"><name>x</name><memory>65536</memory><devices><emulator>/bin/sh</emulator></devices></domain>',
  '<domain type="test"><name>x</name><memory>not-a-number</memory></domain>',
  '<domain type="test"><name>x</name><memory>1</memory>',
  '<domain type="test"><name>x</name><unknown:el xmlns:unknown="u"/><memory unit="parsecs">1</memory></domain>',
  '<domain>&#0;</domain>',
  '<a>\u0000</a>',
];

/** Where the API lives: its prefix (`/api/v1` for the stand-in, `/v1` for the agent) and more actions. */
export interface FuzzApi {
  readonly base: string;
  readonly actions?: readonly string[];
}

/** One generator of hostile requests. */
export function fuzzRequests(seed: number, tokens: FuzzTokens, realDomains: readonly string[], api: FuzzApi = { base: '/api/v1' }): () => FuzzRequest {
  const { base } = api;
  const actions = ['start', 'destroy', 'suspend', 'resume', 'shutdown', 'reboot', 'reset', 'explode', ...(api.actions ?? [])];
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const int = (n: number): number => Math.floor(r() * n);
  const junk = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(1 + int(0x2ff))).join('');
  const ghost = (): string => pick(['vmt-nope', 'ghost', '0', '-1', '99999', '00000000-0000-0000-0000-000000000000', '%2e%2e', '..%2f..%2fetc%2fshadow', encodeURIComponent(junk(8)), 'a'.repeat(300)]);
  const jsonJunk = (depth: number): unknown => {
    switch (int(depth > 6 ? 5 : 8)) {
      case 0: return int(2) === 0 ? r() * 1e308 : -int(1e9);
      case 1: return junk(int(40));
      case 2: return null;
      case 3: return int(2) === 0;
      case 4: return 'x'.repeat(int(200_000));
      case 5: return Array.from({ length: int(5) }, () => jsonJunk(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['xml', 'reason', 'dryRun', '__proto__', 'constructor', junk(6)]), jsonJunk(depth + 1)]));
    }
  };
  const body = (): { payload?: string | Buffer; type?: string } => {
    switch (int(9)) {
      case 0: return {};
      case 1: return { payload: JSON.stringify(jsonJunk(0)), type: 'application/json' };
      case 2: return { payload: JSON.stringify({ xml: pick(HOSTILE_XML) }), type: 'application/json' };
      case 3: return { payload: pick(HOSTILE_XML), type: pick(['application/xml', 'text/xml']) };
      case 4: return { payload: JSON.stringify({ xml: `${'<a>'.repeat(100 + int(5000))}` }), type: 'application/json' };
      case 5: return { payload: `${'['.repeat(1 + int(20000))}`, type: 'application/json' };
      case 6: return { payload: Buffer.from(Array.from({ length: int(2048) }, () => int(256))), type: pick(['application/octet-stream', 'application/json', 'text/plain']) };
      case 7: return { payload: JSON.stringify({ reason: int(5), dryRun: 'yes', extra: 1 }), type: 'application/json' };
      default: return { payload: '{"xml": "<domain', type: 'application/json' };
    }
  };
  return () => {
    const method = pick(['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const);
    // Who asks: only tokens without the power to change, unless the target or the body is bad.
    const who = pick(['none', 'garbage', 'wrong', 'expired', 'read', 'read', 'read', 'operator', 'admin'] as const);
    const powerful = who === 'operator' || who === 'admin';
    const domain = !powerful && int(2) === 0 ? pick(realDomains) : ghost();
    const paths = [
      `${base}/domains`, `${base}/domains/${domain}`, `${base}/domains/${domain}/${pick([...actions, junk(4)])}`, `${base}/domains/create`, `${base}/restore`,
      '/metrics', '/healthz', `/${encodeURIComponent(junk(12))}`, `${base}/../../etc/shadow`, `${base}/domains?${junk(20)}`,
    ];
    const url = pick(paths);
    let b = body();
    // A powerful token only ever meets a domain that does not exist, or (on routes without a domain:
    // define, create, restore) a body that must be refused.
    if (powerful && !url.startsWith(`${base}/domains/${domain}`)) b = { payload: JSON.stringify({ xml: pick(HOSTILE_XML) }), type: 'application/json' };
    const headers: Record<string, string> = {};
    if (who === 'garbage') headers.authorization = pick(['Bearer', 'Basic Zm9vOmJhcg==', `Bearer ${junk(30).replace(/[^\x21-\x7e]/g, 'x')}`, 'bearer  ', `Bearer ${'A'.repeat(5000)}`]);
    if (who === 'wrong') headers.authorization = `Bearer wrong-${int(1e9)}`;
    if (who === 'expired') headers.authorization = `Bearer ${tokens.expired}`;
    if (who === 'read') headers.authorization = `Bearer ${tokens.readOnly}`;
    if (who === 'operator') headers.authorization = `Bearer ${tokens.operator}`;
    if (who === 'admin') headers.authorization = `Bearer ${tokens.admin}`;
    if (b.type !== undefined) headers['content-type'] = b.type;
    return { method, url, headers, ...(b.payload === undefined || method === 'GET' || method === 'HEAD' ? {} : { payload: b.payload }) };
  };
}
