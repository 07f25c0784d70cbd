/**
 * Host ("system") collectors: facts about the machine the broker runs on, read
 * from its files, package databases and /proc. With `root` set, paths are resolved
 * under that directory (an offline image or container root) and live-process
 * facts are skipped with the reason. Read-only: nothing is changed on the host.
 */
import { hostname } from 'node:os';
import { posix } from 'node:path';
import { DEFAULT_POLICY } from '../../config/policy.js';
import { collect } from '../../core/collect.js';
import type { FactMap } from '../../core/facts.js';
import type { Fact } from '../../core/types.js';
import { emqxGet } from '../../config/emqx.js';
import { discoverBrokers } from './brokers.js';
import { collectDisk } from './disk.js';
import { collectFirewall } from './firewall.js';
import { collectHardening } from './hardening.js';
import { collectKeys, MOSQUITTO_KEY_DIRECTIVES, type KeyRef } from './keys.js';
import { collectLogging } from './logging.js';
import { collectMac } from './mac.js';
import { readPackageDb } from './packages.js';
import { readListeningSockets } from './sockets.js';
import { collectSoftware, releaseOf } from './software.js';
import type { MosquittoTarget } from '../../config/mosquitto.js';
import { collectAccounts, collectSsh } from './ssh.js';
import { accounts, existsSys, makeRoot, type SysRoot } from './sysroot.js';
import type { BrokerProduct, FirewallState } from './types.js';
import { collectReboot, collectUpdates } from './updates.js';
import type { Policy } from '../../config/policy.js';
import type { ConfigIO } from '../../config/io.js';
import { hostConfigFacts, loadConfigFacts, readHostConfigs, type ConfigInput, type HostConfigs, type LoadConfigOptions } from '../config.js';
import { crackTest, type CrackLimits } from '../../credentials/crack.js';
import { collectFacts, type Provider, type ProviderContext } from '../../core/providers.js';
import { FACT_KEYS, type FactKey } from '../../core/types.js';
import { collectPortCheckFacts, type PortCheckOptions } from '../port-check.js';

export interface SystemAuditOptions {
  /** Filesystem root to inspect; '/' for this host. */
  root: string;
  /** Timeout of each command or file read. */
  timeoutMs: number;
  /** Timeout of package-manager simulations (default max(timeoutMs, 60 s)). */
  slowTimeoutMs?: number;
  /** Broker config files given with --config (real paths, not under the root). */
  configs?: string[];
  /** The EMQX release whose defaults the config checks assume when the files do not say (--emqx-version). */
  emqxVersion?: string;
  /** Lynis report to import instead of /var/log/lynis-report.dat of the root. */
  lynisReport?: string;
  /** Certificates expiring within this many days are reported (default 30). */
  expiryWarnDays?: number[];
  /** Advisory database file (default: the user's updated copy, else the shipped snapshot). */
  advisories?: string;
  /** Thresholds for the config checks (the default policy otherwise). */
  policy?: Policy;
  onProgress?: (message: string) => void;
  /** The history database whose drill runs the drill-cadence check reads (`--history DB`, the project's, else the default). */
  historyPath?: string;
  /** The port plan to compare with this host's sockets and firewall (`audit --port-plan`, `ports --check`). */
  portPlan?: Omit<PortCheckOptions, 'root'>;
  /** Judge these files instead of the configs found under the root (`lint`, `passwd audit`). */
  inputs?: {
    files: readonly ConfigInput[];
    load: Omit<LoadConfigOptions, 'policy'>;
    /** `passwd audit --crack-test`: try every hash against these words, bounded. */
    crack?: { name: string; words: readonly string[]; limits: CrackLimits };
  };
}

export interface SystemFacts {
  /** Subject name of the system checks: the host name, or the root directory when offline. */
  name: string;
  facts: FactMap;
  notes: string[];
}

/** The facts the system providers produce. */
export const SYSTEM_FACT_KEYS: readonly FactKey[] = FACT_KEYS.filter((k) => k.startsWith('sys.') || k.startsWith('config.') || k === 'policy' || k === 'ports.check' || k === 'drill.history');

/** The audited system: where it is, and the run's settings for it. */
export interface SystemSubject {
  options: SystemAuditOptions;
  r: SysRoot;
  /** How the broker configs are read (default `hostConfigIO`: under the root, --config files where they are). */
  configIO?: ConfigIO;
}

/** A collector that may decline: `{ skipped }` becomes a skipped fact with its reason. */
async function maybe<T extends object>(fn: () => Promise<T | { skipped: string }>): Promise<Fact<T>> {
  const f = await collect(fn);
  if (f.state === 'ok' && 'skipped' in f.value && typeof f.value.skipped === 'string' && Object.keys(f.value).length === 1) return { state: 'skipped', reason: f.value.skipped };
  return f as Fact<T>;
}

type Ctx = ProviderContext<SystemSubject>;

/** Shared by several providers of one system, computed once per run. */
const shared = {
  names: (c: Ctx) => c.memo('accounts', () => accounts(c.subject.r)),
  /** The broker configs (under the root and --config), parsed once for both the host checks and the config checks. */
  configs: (c: Ctx) =>
    c.memo('host-configs', () => {
      const o = c.subject.options;
      return new Promise<HostConfigs>((resolve) => resolve(readHostConfigs({ root: o.root, ...(o.configs?.length && { files: o.configs }), ...(o.emqxVersion && { emqxVersion: o.emqxVersion }), ...(c.subject.configIO && { io: c.subject.configIO }) })));
    }),
  brokers: (c: Ctx) =>
    c.memo('brokers', async () => {
      const b = await discoverBrokers(c.subject.r, await shared.configs(c));
      for (const n of b.setup.notes) c.note(n);
      for (const cfg of b.setup.configs) for (const p of cfg.problems) c.note(`Broker config ${cfg.file}: ${p}`);
      return b;
    }),
  products: async (c: Ctx) => {
    const { setup } = await shared.brokers(c);
    return [...new Set<BrokerProduct>([...setup.configs.map((x) => x.product), ...(setup.processes ?? []).map((p) => p.product)])];
  },
  packageDb: (c: Ctx) =>
    c.memo('packages', async () => {
      const pkgDb = await readPackageDb(c.subject.r).catch((e: Error) => ({ error: e.message }));
      if (pkgDb && 'error' in pkgDb) c.note(`Package database unreadable: ${pkgDb.error}`);
      return pkgDb && 'packages' in pkgDb ? pkgDb : undefined;
    }),
};

/**
 * The installed Mosquitto release, from the package database the software inventory reads too
 * (no command is run for it): the version-dependent defaults of the config checks follow it.
 */
async function installedMosquitto(c: Ctx): Promise<MosquittoTarget | undefined> {
  const db = await shared.packageDb(c);
  const p = db?.packages.get('mosquitto');
  const release = p ? releaseOf(p.version) : undefined;
  return p && release ? { version: release, source: `${db!.manager} package mosquitto ${p.version}` } : undefined;
}

/** Key material referenced by the broker configs. */
function keyRefs(brokers: Awaited<ReturnType<typeof discoverBrokers>>): KeyRef[] {
  const refs: KeyRef[] = [];
  for (const c of brokers.mosquitto) {
    for (const d of c.directives) {
      const role = MOSQUITTO_KEY_DIRECTIVES[d.key];
      if (role && d.value) refs.push({ path: d.value, role, product: 'mosquitto', location: { file: d.file, line: d.line, column: d.column } });
    }
  }
  // EMQX: ssl_options of the enabled TLS listeners and of the HTTPS dashboard.
  for (const c of brokers.emqx) {
    const cfg = c.config;
    if (!cfg) continue;
    const tlsListeners = [
      ...cfg.listeners.filter((l) => l.enabled && (l.type === 'ssl' || l.type === 'wss')),
      ...cfg.dashboard.listeners.filter((l) => l.enabled && l.name === 'https'),
    ];
    for (const l of tlsListeners) {
      const ssl = (l.settings.ssl_options ?? {}) as Record<string, unknown>;
      const password = typeof ssl.password === 'string' && ssl.password !== '';
      for (const [key, role] of [['keyfile', 'key'], ['certfile', 'cert'], ['cacertfile', 'ca']] as const) {
        const raw = ssl[key];
        // Built-in defaults keep ${EMQX_ETC_DIR}: it is the directory of emqx.conf.
        const path = typeof raw === 'string' ? raw.replaceAll('${EMQX_ETC_DIR}', c.etcDir) : '';
        if (!path || path.includes('${')) continue;
        const where = emqxGet(cfg, `${l.path}.ssl_options.${key}`)?.location ?? l.location ?? cfg.anchor;
        refs.push({ path, role, product: 'emqx', location: where, ...(role === 'key' && password && { passphraseConfigured: true }) });
      }
    }
  }
  return refs;
}

/** Directories whose encryption matters. */
function brokerDirs(brokers: Awaited<ReturnType<typeof discoverBrokers>>, products: BrokerProduct[]) {
  const dirs: { path: string; purpose: 'data' | 'log'; product: BrokerProduct }[] = [];
  for (const c of brokers.mosquitto) {
    if (!c.directives.length) continue;
    const persistence = c.directives.filter((d) => d.key === 'persistence_location').pop()?.args[0] ?? '/var/lib/mosquitto';
    dirs.push({ path: persistence, purpose: 'data', product: 'mosquitto' });
    const logFile = c.directives.find((d) => d.key === 'log_dest' && d.args[0] === 'file' && d.args[1]);
    dirs.push({ path: logFile ? posix.dirname(logFile.args[1]!) : '/var/log/mosquitto', purpose: 'log', product: 'mosquitto' });
  }
  if (products.includes('emqx')) dirs.push({ path: '/var/lib/emqx', purpose: 'data', product: 'emqx' }, { path: '/var/log/emqx', purpose: 'log', product: 'emqx' });
  return dirs;
}

/** Ports the firewall must not open to everyone. */
function firewallPorts(brokers: Awaited<ReturnType<typeof discoverBrokers>>, products: BrokerProduct[]): FirewallState['ports'] {
  const fwPorts: FirewallState['ports'] = [];
  for (const l of brokers.setup.declared) {
    if (['mqtt', 'ws', 'dashboard', 'erlang-dist', 'cluster-rpc'].includes(l.kind) && !(l.bind && /^(127\.|::1$|localhost$|lo$)/.test(l.bind))) fwPorts.push({ port: l.port, kind: l.kind, product: l.product });
  }
  if (products.includes('emqx') && !brokers.emqx.some((c) => c.config)) {
    fwPorts.push({ port: 1883, kind: 'mqtt', product: 'emqx' }, { port: 8083, kind: 'ws', product: 'emqx' }, { port: 18083, kind: 'dashboard', product: 'emqx' });
    fwPorts.push({ port: 4370, kind: 'erlang-dist', product: 'emqx' }, { port: 5370, kind: 'cluster-rpc', product: 'emqx' });
  }
  if (!products.length) fwPorts.push({ port: 1883, kind: 'mqtt' });
  return fwPorts.filter((p, i) => fwPorts.findIndex((q) => q.port === p.port) === i);
}

/** One provider producing one fact. */
function one<K extends FactKey>(name: string, key: K, fn: (c: Ctx) => Promise<Fact<NonNullable<FactMap[K]> extends Fact<infer T> ? T : never>>): Provider<SystemSubject> {
  return { name, scope: 'system', provides: [key], collect: async (c) => ({ [key]: await fn(c) }) as FactMap };
}

/**
 * The system providers. Each runs only when a selected check needs its fact:
 * `ports --check` reads sockets and the firewall, never the package manager.
 */
export const SYSTEM_PROVIDERS: readonly Provider<SystemSubject>[] = [
  one('brokers', 'sys.brokers', async (c) => ({ state: 'ok', value: (await shared.brokers(c)).setup, ms: 0 })),
  one('updates', 'sys.updates', (c) => maybe(() => collectUpdates(c.subject.r))),
  one('reboot', 'sys.reboot', (c) => collect(() => collectReboot(c.subject.r))),
  one('software', 'sys.software', async (c) => {
    const [brokers, db] = await Promise.all([shared.brokers(c), shared.packageDb(c)]);
    return collect(() => collectSoftware(c.subject.r, db, brokers, c.subject.options.advisories));
  }),
  one('keys', 'sys.keys', async (c) => {
    const [brokers, names] = await Promise.all([shared.brokers(c), shared.names(c)]);
    const users = [...new Set(brokers.setup.runAs.map((x) => x.user).filter(Boolean))];
    return collect(() => collectKeys(c.subject.r, keyRefs(brokers), users, c.subject.options.expiryWarnDays ?? [30, 60], names));
  }),
  one('listeners', 'sys.listeners', (c) => {
    const r = c.subject.r;
    return maybe(async () =>
      !r.live && !(await existsSys(r, '/proc/net'))
        ? { skipped: `offline root ${r.root}: no /proc/net socket tables (an image has no live sockets; copy them from the running system to judge its listeners)` }
        : { ...(await readListeningSockets(r.root)), live: r.live },
    ).then((f) => {
      if (f.state === 'ok') for (const p of f.value.problems) c.note(`Socket table ${p.file}: ${p.message}`);
      return f;
    });
  }),
  one('firewall', 'sys.firewall', async (c) => {
    const [brokers, products] = await Promise.all([shared.brokers(c), shared.products(c)]);
    return collect(() => collectFirewall(c.subject.r, firewallPorts(brokers, products)));
  }),
  one('mac', 'sys.mac', async (c) => {
    const [brokers, products] = await Promise.all([shared.brokers(c), shared.products(c)]);
    return collect(() => collectMac(c.subject.r, products, brokers.setup.processes));
  }),
  one('disk', 'sys.disk', async (c) => {
    const r = c.subject.r;
    const [brokers, products] = await Promise.all([shared.brokers(c), shared.products(c)]);
    return maybe(async () =>
      !r.live && !(await existsSys(r, '/proc/mounts'))
        ? { skipped: `offline root ${r.root}: no /proc/mounts (the mount table of the running system decides which disk holds the broker's data)` }
        : collectDisk(r, brokerDirs(brokers, products)),
    );
  }),
  one('logging', 'sys.logging', async (c) => {
    const brokers = await shared.brokers(c);
    return collect(() => collectLogging(c.subject.r, brokers.mosquitto));
  }),
  one('hardening', 'sys.hardening', (c) => collect(() => collectHardening(c.subject.r, c.subject.options.lynisReport))),
  one('ssh', 'sys.ssh', (c) => maybe(() => collectSsh(c.subject.r))),
  one('accounts', 'sys.accounts', (c) => maybe(() => collectAccounts(c.subject.r))),
  {
    // The config checks' facts: the files given (lint, passwd audit), else the configs found under the root.
    name: 'configs',
    scope: 'system',
    provides: ['config.mosquitto', 'config.emqx', 'config.passwords', 'config.dynsec', 'config.nanomq'],
    async collect(c) {
      const o = c.subject.options;
      if (o.inputs) {
        const { facts, notes } = loadConfigFacts(o.inputs.files, { ...o.inputs.load, ...(o.policy ? { policy: o.policy } : {}) });
        for (const n of notes) c.note(n);
        const pw = facts['config.passwords'];
        const crack = o.inputs.crack;
        if (crack && pw?.state === 'ok') {
          const parsed = pw.value.mosquitto.flatMap((f) => (f.parsed ? [f.parsed] : []));
          pw.value.crackTest = crackTest(parsed, crack.name, crack.words, crack.limits);
        }
        return facts;
      }
      const target = await installedMosquitto(c);
      return hostConfigFacts(await shared.configs(c), { ...(o.policy ? { policy: o.policy } : {}), ...(target ? { mosquittoTarget: target } : {}) });
    },
  },
  {
    // The security policy's thresholds: its own provider, so that a check that needs only the policy and another
    // fact (SVC-090 with the port plan) does not make the run read every broker config.
    name: 'policy',
    scope: 'system',
    provides: ['policy'],
    collect(c) {
      return Promise.resolve({ policy: { state: 'ok', value: c.subject.options.policy ?? DEFAULT_POLICY, ms: 0 } });
    },
  },
  {
    // The drill runs recorded with `drill run --history`: read-only, never created here.
    name: 'drill-history',
    scope: 'system',
    provides: ['drill.history'],
    async collect(c) {
      const o = c.subject.options;
      const { collectDrillHistory } = await import('../../history/drills.js');
      return { 'drill.history': collectDrillHistory(o.root === '/' ? o.historyPath : undefined, o.root) };
    },
  },
  {
    name: 'port-plan',
    scope: 'system',
    provides: ['ports.check'],
    async collect(c) {
      const o = c.subject.options;
      if (o.portPlan) o.onProgress?.('comparing the port plan with the listening sockets and the firewall');
      return collectPortCheckFacts(o.portPlan && { ...o.portPlan, root: o.root });
    },
  },
];

/** The name the system checks report against: this host's name, the offline root, or the first linted file. */
export function systemName(opts: SystemAuditOptions): string {
  if (opts.inputs) return opts.inputs.files[0]?.path ?? 'files';
  return opts.root === '/' ? hostname() : opts.root;
}

/** Collect the system facts a run wants (default: all of them); those in `base` (collected earlier in the run) are kept, not collected again. */
export async function collectSystemFacts(opts: SystemAuditOptions, wanted: ReadonlySet<FactKey> = new Set(SYSTEM_FACT_KEYS), extra: { base?: FactMap } = {}): Promise<SystemFacts> {
  const r = makeRoot(opts.root, opts.timeoutMs, opts.slowTimeoutMs);
  const notes: string[] = [];
  if (!opts.inputs) {
    opts.onProgress?.(r.live ? 'host checks of this machine' : `host checks of the offline root ${r.root}`);
    if (!r.live) notes.push(`Offline root ${r.root}: running processes, loaded firewall rules and binaries are not inspected; those checks say so.`);
  }
  const facts = await collectFacts(SYSTEM_PROVIDERS, { options: opts, r }, wanted, { notes, ...(extra.base && { base: extra.base }) });
  return { name: systemName(opts), facts, notes };
}
