/**
 * `domstats [DOMAIN...]` (cmdDomstats): samples the requested groups once (all of them when none is
 * named) and prints virsh's records. `--list-*` filter the domains as virConnectGetAllDomainStats
 * does; `--raw` and `--nowait` are accepted as in virsh (neither changes anything here: the CLI's
 * pass never waits on a busy domain).
 */
import { sampleOnce } from '../../collectors/sample-once.ts';
import { STATS_GROUPS, type StatsGroup } from '../../domain/sample.ts';
import { DomainState, isActiveState } from '../../domain/states.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import type { CommandDef, OptionDef, ParsedOptions } from '../command-def.ts';
import { formatDomstats } from '../format/domstats.ts';
import { lookupDomain } from '../lookup.ts';

const GROUP_HELP: Readonly<Record<StatsGroup, string>> = {
  'state': 'report domain state',
  'cpu-total': 'report domain physical cpu usage',
  'balloon': 'report domain balloon statistics',
  'vcpu': 'report domain virtual cpu information',
  'interface': 'report domain network interface information',
  'block': 'report domain block device statistics',
  'perf': 'report domain perf event statistics',
  'iothread': 'report domain IOThread information',
  'memory': 'report domain memory usage',
  'dirtyrate': 'report domain dirty rate information',
  'vm': 'report hypervisor-specific statistics',
};

const LIST_FLAGS = [
  ['list-active', 'list only active domains'],
  ['list-inactive', 'list only inactive domains'],
  ['list-persistent', 'list only persistent domains'],
  ['list-transient', 'list only transient domains'],
  ['list-running', 'list only running domains'],
  ['list-paused', 'list only paused domains'],
  ['list-shutoff', 'list only shutoff domains'],
  ['list-other', 'list only domains in other states'],
] as const;

const OPTIONS: OptionDef[] = [
  ...STATS_GROUPS.map((g): OptionDef => ({ name: g, type: 'bool', help: GROUP_HELP[g] })),
  ...LIST_FLAGS.map(([name, help]): OptionDef => ({ name, type: 'bool', help })),
  { name: 'raw', type: 'bool', help: 'do not pretty-print the fields' },
  { name: 'nowait', type: 'bool', help: 'report only stats that are accessible instantly' },
  { name: 'domain', type: 'argv', help: 'list of domains to get stats for' },
];

/** Applies the VIR_CONNECT_GET_ALL_DOMAINS_STATS_* list filters. */
export function filterTargets(targets: readonly StatsTarget[], opts: ParsedOptions): StatsTarget[] {
  const pair = (yes: boolean, no: boolean, value: boolean): boolean => (!yes && !no) || (yes && value) || (no && !value);
  const running = opts.bool('list-running');
  const paused = opts.bool('list-paused');
  const shutoff = opts.bool('list-shutoff');
  const other = opts.bool('list-other');
  return targets.filter((t) => {
    const s = t.state().state;
    if (!pair(opts.bool('list-active'), opts.bool('list-inactive'), isActiveState(s))) return false;
    if (!pair(opts.bool('list-persistent'), opts.bool('list-transient'), t.persistent)) return false;
    if (running || paused || shutoff || other) {
      const isOther = s !== DomainState.RUNNING && s !== DomainState.PAUSED && s !== DomainState.SHUTOFF;
      return (running && s === DomainState.RUNNING) || (paused && s === DomainState.PAUSED) ||
        (shutoff && s === DomainState.SHUTOFF) || (other && isOther);
    }
    return true;
  });
}

/** Prints bulk statistics of some or all domains. */
export const domstats: CommandDef = {
  name: 'domstats',
  group: 'monitor',
  help: 'get statistics about one or multiple domains',
  desc: 'Gets statistics about one or more (or all) domains',
  options: OPTIONS,
  async run({ session }, opts) {
    const requested = STATS_GROUPS.filter((g) => opts.bool(g));
    const groups = requested.length === 0 ? STATS_GROUPS : requested;
    let chosen: StatsTarget[];
    const names = opts.list('domain');
    if (names.length > 0) {
      const uuids: string[] = [];
      for (const name of names) {
        const dom = await lookupDomain(session, name);
        if (dom === undefined) return false;
        uuids.push(dom.uuid);
      }
      const targets = await session.conn.statsTargets();
      chosen = uuids.flatMap((u) => targets.filter((t) => t.ref.uuid === u));
    } else {
      chosen = await session.conn.statsTargets();
    }
    const samples = sampleOnce(filterTargets(chosen, opts), groups, session.deps.clock());
    session.out.print(formatDomstats(samples));
    return true;
  },
};
