/**
 * The brokers installed on the audited system: their config files, what the
 * configs declare (listeners, TLS files, run-as user, logging), and the running
 * broker processes (live host only).
 */
import { readdir, readlink } from 'node:fs/promises';
import { readProcText } from '../../io/read.js';
import type { FileLocation } from '../../core/types.js';
import type { MosquittoListener } from '../../config/mosquitto.js';
import { emqxGet, type EmqxConfigData } from '../../config/emqx.js';
import { distPort, isOutgoingOnly, rpcPort } from '../../ports/rules.js';
import { hostConfigIO, parseMosquittoFile, type HostConfigs, type HostEmqxConfig, type HostMosquittoConfig } from '../config.js';
import { accounts, at, existsSys, type SysRoot } from './sysroot.js';
import type { BrokerProcess, BrokerProduct, BrokerSetup, DeclaredListener } from './types.js';

export interface Directive {
  key: string;
  args: string[];
  /** The rest of the line after the key (paths may hold blanks). */
  value: string;
  file: string;
  line: number;
  column: number;
}

export interface MosquittoConfigRead {
  /** Path inside the audited system (or as given with --config). */
  path: string;
  /** Real path read. */
  file: string;
  directives: Directive[];
  problems: string[];
  /** Listeners as the parser resolves them (default and implicit local listener included). */
  listeners: MosquittoListener[];
}

/** What the host checks read of a Mosquitto config parsed once per run (`readHostConfigs`). */
export function mosquittoConfigRead(h: HostMosquittoConfig): MosquittoConfigRead {
  const out: MosquittoConfigRead = { path: h.path, file: h.file, directives: [], problems: [], listeners: [] };
  if (!h.config) {
    out.problems.push(`cannot read ${h.path}: ${h.error ?? 'not parsed'}`);
    return out;
  }
  out.directives = h.config.directives.map((d) => ({ key: d.key, args: d.args, value: d.value, file: d.file, line: d.line, column: d.column }));
  out.listeners = h.config.listeners;
  out.problems = h.config.issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
  return out;
}

/**
 * Read one Mosquitto config with the project's parser (src/config/mosquitto.ts):
 * include_dir, listener scoping, issues with their place. An unreadable file or
 * binary data is a problem naming the file, never an exception. (A run reads its
 * configs once, with `readHostConfigs`.)
 */
export async function readMosquittoConfig(r: SysRoot, path: string, given = false): Promise<MosquittoConfigRead> {
  const io = hostConfigIO(r.live ? '/' : r.root, given ? [path] : []);
  return mosquittoConfigRead({ ...parseMosquittoFile(io, path, false), file: given ? path : at(r, path), given });
}

export function loc(d: Directive): FileLocation {
  return { file: d.file, line: d.line, column: d.column };
}

/** Listeners a Mosquitto config declares, as the parser resolves them (2.0: no listener = loopback 1883). */
export function mosquittoListeners(listeners: readonly MosquittoListener[]): DeclaredListener[] {
  return listeners.map((l) => {
    const ws = l.protocol === 'websockets';
    const bind = l.bindInterface ?? l.bind;
    return {
      product: 'mosquitto',
      port: l.port,
      ...(bind && { bind }),
      // Mosquitto 2.1's HTTP API (`protocol http_api`) is a management port, like a dashboard.
      kind: l.protocol === 'http_api' ? 'dashboard' : ws ? (l.tls ? 'wss' : 'ws') : l.tls ? 'mqtts' : 'mqtt',
      location: { file: l.location.file, line: l.location.line, column: l.location.column },
    };
  });
}

export interface EmqxConfigRead {
  path: string;
  file: string;
  /** Directory ${EMQX_ETC_DIR} expands to. */
  etcDir: string;
  config?: EmqxConfigData;
  problems: string[];
}

/** What the host checks read of an EMQX node's config parsed once per run (`readHostConfigs`). */
export function emqxConfigRead(h: HostEmqxConfig): EmqxConfigRead {
  const out: EmqxConfigRead = { path: h.path, file: h.file, etcDir: h.etcDir, problems: [] };
  if (!h.config) out.problems.push(`${h.file}: ${h.error ?? 'not loaded'}`);
  else {
    out.config = h.config;
    out.problems = h.config.issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
  }
  return out;
}

/** Listeners (MQTT, dashboard, cluster) an EMQX config declares. */
export function emqxListeners(c: EmqxConfigData): DeclaredListener[] {
  const where = (l?: { file: string; line: number; column: number }) => ({ location: l ?? c.anchor });
  const out: DeclaredListener[] = [];
  const KIND = { tcp: 'mqtt', ssl: 'mqtts', ws: 'ws', wss: 'wss', quic: 'other' } as const;
  for (const l of c.listeners.filter((x) => x.enabled)) {
    out.push({ product: 'emqx', port: l.bind.port, ...(l.bind.address && { bind: l.bind.address }), kind: KIND[l.type], ...where(l.location) });
  }
  for (const d of c.dashboard.listeners.filter((x) => x.enabled)) {
    out.push({ product: 'emqx', port: d.bind.port, ...(d.bind.address && { bind: d.bind.address }), kind: 'dashboard', ...where(d.location) });
  }
  // Protocol gateways (MQTT-SN, STOMP, CoAP, LwM2M, ExProto) listen on their own ports.
  for (const g of (c.gateways ?? []).filter((x) => x.enabled)) {
    out.push({ product: 'emqx', port: g.bind.port, ...(g.bind.address && { bind: g.bind.address }), kind: 'other', ...where(g.location) });
  }
  // The port planner's rules (src/ports/rules.ts): 4370 + N, 5370 + N or rpc.server_port; remsh nodes listen on none.
  if (!isOutgoingOnly(c.nodeName)) {
    out.push({ product: 'emqx', port: distPort(c.nodeName), kind: 'erlang-dist', ...where(emqxGet(c, 'node.name')?.location) });
    const rpc = rpcPort(c.nodeName, c.rpc.portDiscovery === 'manual' ? 'manual' : 'stateless', c.rpc.serverPort);
    out.push({ product: 'emqx', port: rpc, kind: 'cluster-rpc', ...where(emqxGet(c, 'rpc.port_discovery')?.location) });
  }
  return out;
}

/** Running broker processes of this host, from /proc. */
export async function brokerProcesses(): Promise<BrokerProcess[]> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  const found: BrokerProcess[] = [];
  const { users } = await accounts({ root: '/', live: true, timeoutMs: 1000, slowTimeoutMs: 1000 });
  await Promise.all(
    pids.map(async (pid) => {
      const comm = (await readProcText(`/proc/${pid}/comm`)).trim();
      let product: BrokerProduct | undefined;
      if (comm === 'mosquitto') product = 'mosquitto';
      else if (comm === 'beam.smp') {
        const cmdline = await readProcText(`/proc/${pid}/cmdline`);
        if (/emqx/i.test(cmdline)) product = 'emqx';
      }
      if (!product) return;
      const status = await readProcText(`/proc/${pid}/status`);
      const uidMatch = /^Uid:\s+(\d+)/m.exec(status);
      const uid = uidMatch ? Number(uidMatch[1]) : undefined;
      const label = (await readProcText(`/proc/${pid}/attr/current`)).replace(/\0/g, '').trim();
      const maps = await readProcText(`/proc/${pid}/maps`, 16 * 1024 * 1024);
      // Every live process maps at least its executable: an empty read means no permission (or it just exited).
      const mapsUnreadable = maps.trim() ? undefined : `/proc/${pid}/maps could not be read (run as root to inspect another user's process)`;
      const libs = new Map<string, { deleted: boolean; range: string }>();
      for (const line of maps.split('\n')) {
        const m = /^([0-9a-f]+-[0-9a-f]+)\s.*\s(\/\S*lib(?:ssl|crypto)[^\s/]*\.so[^\s]*)(\s+\(deleted\))?$/.exec(line);
        if (m && !libs.has(m[2]!)) libs.set(m[2]!, { deleted: Boolean(m[3]), range: m[1]! });
      }
      found.push({
        product,
        pid: Number(pid),
        name: comm,
        ...(uid !== undefined && { uid, ...(users.has(uid) && { user: users.get(uid)! }) }),
        ...(label && { label }),
        ...(mapsUnreadable && { mapsUnreadable }),
        libs: [...libs].map(([path, l]) => ({ path, ...l })),
      });
    }),
  );
  return found.sort((a, b) => a.pid - b.pid);
}

export interface BrokerDiscovery {
  setup: BrokerSetup;
  mosquitto: MosquittoConfigRead[];
  emqx: EmqxConfigRead[];
  /** EMQX install directories found (for release files). */
  emqxHomes: string[];
}

/** The process executable, for the versions of brokers running from outside the package paths. */
export async function exeOf(pid: number): Promise<string | undefined> {
  return readlink(`/proc/${pid}/exe`).catch(() => undefined);
}

/**
 * The brokers of the audited system, from its configs parsed once per run
 * (`readHostConfigs`: the standard paths under the root and the --config files),
 * the EMQX install directories and, on a live host, the running processes.
 */
export async function discoverBrokers(r: SysRoot, configs: HostConfigs): Promise<BrokerDiscovery> {
  const mosquitto = configs.mosquitto.map(mosquittoConfigRead);
  const emqx = configs.emqx.map(emqxConfigRead);
  const emqxHomes: string[] = [];
  for (const h of ['/opt/emqx', '/usr/lib/emqx']) if (await existsSys(r, `${h}/releases`)) emqxHomes.push(h);

  const declared: DeclaredListener[] = [];
  const runAs: BrokerSetup['runAs'] = [];
  for (const c of mosquitto) {
    if (!c.directives.length && c.problems.length) continue;
    declared.push(...mosquittoListeners(c.listeners));
    const user = c.directives.filter((d) => d.key === 'user').pop();
    runAs.push(user ? { product: 'mosquitto', user: user.args[0] ?? '', location: loc(user), source: `user directive in ${c.path}` } : { product: 'mosquitto', user: 'mosquitto', source: `default of mosquitto (no user directive in ${c.path})` });
  }
  for (const c of emqx) if (c.config) declared.push(...emqxListeners(c.config));
  const notes: string[] = [];
  if (emqx.length || emqxHomes.length) {
    runAs.push({ product: 'emqx', user: 'emqx', source: 'user of the EMQX packages' });
    if (!emqx.some((c) => c.config)) notes.push('EMQX is installed but no readable emqx.conf was found: its standard ports are judged.');
    else notes.push('EMQX environment overrides (EMQX_*) of the running node are not read: the config files are judged as written.');
  }
  const live = r.live;
  const setup: BrokerSetup = {
    configs: [
      ...mosquitto.map((c) => ({ product: 'mosquitto' as const, file: c.file, problems: c.problems })),
      ...emqx.map((c) => ({ product: 'emqx' as const, file: c.file, problems: c.problems })),
      ...(!emqx.length ? emqxHomes.map((h) => ({ product: 'emqx' as const, file: at(r, `${h}/releases`), problems: ['installed, but no emqx.conf found'] })) : []),
    ],
    declared,
    runAs,
    live,
    notes,
    ...(live ? { processes: await brokerProcesses() } : { processesSkipped: `offline root ${r.root}: no running processes to inspect` }),
  };
  return { setup, mosquitto, emqx, emqxHomes };
}
