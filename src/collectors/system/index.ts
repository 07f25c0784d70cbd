/**
 * Host ("system") collectors: facts about the machine the broker runs on, read
 * from its files, package databases and /proc. With `root` set, paths are resolved
 * under that directory (an offline image or container root) and live-process
 * facts are skipped with the reason. Read-only: nothing is changed on the host.
 */
import { hostname } from 'node:os';
import { posix } from 'node:path';
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
import { collectSoftware } from './software.js';
import { collectAccounts, collectSsh } from './ssh.js';
import { accounts, existsSys, makeRoot } from './sysroot.js';
import type { BrokerProduct, FirewallState } from './types.js';
import { collectReboot, collectUpdates } from './updates.js';
import type { Policy } from '../../config/policy.js';
import { collectConfigFacts } from '../config.js';
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
  /** Lynis report to import instead of /var/log/lynis-report.dat of the root. */
  lynisReport?: string;
  /** Certificates expiring within this many days are reported (default 30). */
  expiryWarnDays?: number[];
  /** Advisory database file (default: the user's updated copy, else the shipped snapshot). */
  advisories?: string;
  /** Thresholds for the config checks (the default policy otherwise). */
  policy?: Policy;
  onProgress?: (message: string) => void;
  /** The port plan to compare with this host's sockets and firewall (`audit --port-plan`, `ports --check`). */
  portPlan?: Omit<PortCheckOptions, 'root'>;
}

export interface SystemFacts {
  /** Subject name of the system checks: the host name, or the root directory when offline. */
  name: string;
  facts: FactMap;
  notes: string[];
}

/** A collector that may decline: `{ skipped }` becomes a skipped fact with its reason. */
async function maybe<T extends object>(fn: () => Promise<T | { skipped: string }>): Promise<Fact<T>> {
  const f = await collect(fn);
  if (f.state === 'ok' && 'skipped' in f.value && typeof f.value.skipped === 'string' && Object.keys(f.value).length === 1) return { state: 'skipped', reason: f.value.skipped };
  return f as Fact<T>;
}

export async function collectSystemFacts(opts: SystemAuditOptions): Promise<SystemFacts> {
  const r = makeRoot(opts.root, opts.timeoutMs, opts.slowTimeoutMs);
  const notes: string[] = [];
  opts.onProgress?.(r.live ? 'host checks of this machine' : `host checks of the offline root ${r.root}`);
  const names = await accounts(r);
  const brokers = await discoverBrokers(r, opts.configs ?? []);
  const setup = brokers.setup;
  notes.push(...setup.notes);
  for (const c of setup.configs) for (const p of c.problems) notes.push(`Broker config ${c.file}: ${p}`);
  const products = [...new Set<BrokerProduct>([...setup.configs.map((c) => c.product), ...(setup.processes ?? []).map((p) => p.product)])];
  if (!r.live) notes.push(`Offline root ${r.root}: running processes, loaded firewall rules and binaries are not inspected; those checks say so.`);

  // Key material referenced by the configs.
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
  const brokerUsers = [...new Set(setup.runAs.map((x) => x.user).filter(Boolean))];

  // Directories whose encryption matters.
  const dirs: { path: string; purpose: 'data' | 'log'; product: BrokerProduct }[] = [];
  for (const c of brokers.mosquitto) {
    if (!c.directives.length) continue;
    const persistence = c.directives.filter((d) => d.key === 'persistence_location').pop()?.args[0] ?? '/var/lib/mosquitto';
    dirs.push({ path: persistence, purpose: 'data', product: 'mosquitto' });
    const logFile = c.directives.find((d) => d.key === 'log_dest' && d.args[0] === 'file' && d.args[1]);
    dirs.push({ path: logFile ? posix.dirname(logFile.args[1]!) : '/var/log/mosquitto', purpose: 'log', product: 'mosquitto' });
  }
  if (products.includes('emqx')) dirs.push({ path: '/var/lib/emqx', purpose: 'data', product: 'emqx' }, { path: '/var/log/emqx', purpose: 'log', product: 'emqx' });

  // Ports the firewall must not open to everyone.
  const fwPorts: FirewallState['ports'] = [];
  for (const l of setup.declared) {
    if (['mqtt', 'ws', 'dashboard', 'erlang-dist', 'cluster-rpc'].includes(l.kind) && !(l.bind && /^(127\.|::1$|localhost$|lo$)/.test(l.bind))) fwPorts.push({ port: l.port, kind: l.kind, product: l.product });
  }
  if (products.includes('emqx') && !brokers.emqx.some((c) => c.config)) {
    fwPorts.push({ port: 1883, kind: 'mqtt', product: 'emqx' }, { port: 8083, kind: 'ws', product: 'emqx' }, { port: 18083, kind: 'dashboard', product: 'emqx' });
    fwPorts.push({ port: 4370, kind: 'erlang-dist', product: 'emqx' }, { port: 5370, kind: 'cluster-rpc', product: 'emqx' });
  }
  if (!products.length) fwPorts.push({ port: 1883, kind: 'mqtt' });
  const uniquePorts = fwPorts.filter((p, i) => fwPorts.findIndex((q) => q.port === p.port) === i);

  const pkgDb = await readPackageDb(r).catch((e: Error) => ({ error: e.message }));
  const db = pkgDb && 'packages' in pkgDb ? pkgDb : undefined;
  if (pkgDb && 'error' in pkgDb) notes.push(`Package database unreadable: ${pkgDb.error}`);

  const facts: FactMap = {};
  facts['sys.brokers'] = { state: 'ok', value: setup, ms: 0 };
  const jobs: Promise<void>[] = [
    maybe(() => collectUpdates(r)).then((f) => void (facts['sys.updates'] = f)),
    collect(() => collectReboot(r)).then((f) => void (facts['sys.reboot'] = f)),
    collect(() => collectSoftware(r, db, brokers, opts.advisories)).then((f) => void (facts['sys.software'] = f)),
    collect(() => collectKeys(r, refs, brokerUsers, opts.expiryWarnDays ?? [30, 60], names)).then((f) => void (facts['sys.keys'] = f)),
    maybe(async () =>
      !r.live && !(await existsSys(r, '/proc/net'))
        ? { skipped: `offline root ${r.root}: no /proc/net socket tables (an image has no live sockets; copy them from the running system to judge its listeners)` }
        : { ...(await readListeningSockets(r.root)), live: r.live },
    ).then((f) => void (facts['sys.listeners'] = f)),
    collect(() => collectFirewall(r, uniquePorts)).then((f) => void (facts['sys.firewall'] = f)),
    collect(() => collectMac(r, products, setup.processes)).then((f) => void (facts['sys.mac'] = f)),
    maybe(async () =>
      !r.live && !(await existsSys(r, '/proc/mounts'))
        ? { skipped: `offline root ${r.root}: no /proc/mounts (the mount table of the running system decides which disk holds the broker's data)` }
        : collectDisk(r, dirs),
    ).then((f) => void (facts['sys.disk'] = f)),
    collect(() => collectLogging(r, brokers.mosquitto)).then((f) => void (facts['sys.logging'] = f)),
    collect(() => collectHardening(r, opts.lynisReport)).then((f) => void (facts['sys.hardening'] = f)),
    maybe(() => collectSsh(r)).then((f) => void (facts['sys.ssh'] = f)),
    maybe(() => collectAccounts(r)).then((f) => void (facts['sys.accounts'] = f)),
  ];
  // The config checks' facts (config.mosquitto, config.emqx, config.passwords, policy), from the lint collector.
  jobs.push(
    collectConfigFacts({ root: opts.root, ...(opts.configs?.length && { files: opts.configs }), ...(opts.policy ? { policy: opts.policy } : {}) }).then(
      (f) => void Object.assign(facts, f),
    ),
  );
  if (opts.portPlan) opts.onProgress?.('comparing the port plan with the listening sockets and the firewall');
  jobs.push(collectPortCheckFacts(opts.portPlan && { ...opts.portPlan, root: opts.root }).then((f) => void Object.assign(facts, f)));
  await Promise.all(jobs);
  const l = facts['sys.listeners'];
  if (l?.state === 'ok') for (const p of l.value.problems) notes.push(`Socket table ${p.file}: ${p.message}`);
  return { name: r.live ? hostname() : opts.root, facts, notes };
}
