/**
 * The brokers installed on the audited system: their config files, what the
 * configs declare (listeners, TLS files, run-as user, logging), and the running
 * broker processes (live host only).
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import type { FileLocation } from '../../core/types.js';
import { accounts, at, existsSys, listSys, readSys, type SysRoot } from './sysroot.js';
import type { BrokerProcess, BrokerProduct, BrokerSetup, DeclaredListener } from './types.js';

export interface Directive {
  key: string;
  args: string[];
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
}

/** Where packages put broker configs. */
export const MOSQUITTO_CONFIGS = ['/etc/mosquitto/mosquitto.conf'];
export const EMQX_CONFIGS = ['/etc/emqx/emqx.conf', '/opt/emqx/etc/emqx.conf', '/usr/lib/emqx/etc/emqx.conf'];

/**
 * Minimal reader of Mosquitto's line format (`key args…`, `#` comments,
 * `include_dir`) used for the host checks until the full config parser
 * (src/config/mosquitto.ts) is merged. Binary data and unreadable files are
 * reported as problems naming the file and line, never thrown.
 */
export async function readMosquittoConfig(r: SysRoot, path: string, given = false, depth = 0): Promise<MosquittoConfigRead> {
  const file = given ? path : at(r, path);
  const out: MosquittoConfigRead = { path, file, directives: [], problems: [] };
  const res = given ? await readGiven(file) : await readSys(r, path, 4 * 1024 * 1024);
  if (!res.ok) {
    out.problems.push(`cannot read ${res.error}`);
    return out;
  }
  const lines = res.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1f]/.test(raw)) {
      out.problems.push(`${file}:${i + 1}: binary data, line ignored`);
      continue;
    }
    const text = raw.trim();
    if (!text || text.startsWith('#')) continue;
    const parts = text.split(/\s+/);
    const d: Directive = { key: parts[0]!, args: parts.slice(1), file, line: i + 1, column: raw.indexOf(parts[0]!) + 1 };
    if (d.key === 'include_dir' && d.args[0] && depth < 3) {
      const dir = d.args[0];
      const names = given ? await readdir(dir).catch(() => [] as string[]) : await listSys(r, dir);
      for (const n of names.filter((x) => x.endsWith('.conf')).sort()) {
        const sub = await readMosquittoConfig(r, posix.join(dir, n), given, depth + 1);
        out.directives.push(...sub.directives);
        out.problems.push(...sub.problems);
      }
      continue;
    }
    out.directives.push(d);
  }
  return out;
}

async function readGiven(file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (e) {
    return { ok: false, error: `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

export function loc(d: Directive): FileLocation {
  return { file: d.file, line: d.line, column: d.column };
}

/** Listeners a Mosquitto config declares (2.0 rules: no listener at all = 1883 on loopback). */
export function mosquittoListeners(directives: readonly Directive[]): DeclaredListener[] {
  const out: (DeclaredListener & { tlsSeen: boolean; ws: boolean })[] = [];
  let current: (typeof out)[number] | undefined;
  let globalPort: Directive | undefined;
  let bindAddress: string | undefined;
  for (const d of directives) {
    if (d.key === 'listener' && /^\d+$/.test(d.args[0] ?? '')) {
      current = { product: 'mosquitto', port: Number(d.args[0]), ...(d.args[1] && { bind: d.args[1] }), kind: 'mqtt', location: loc(d), tlsSeen: false, ws: false };
      out.push(current);
    } else if (d.key === 'port' && /^\d+$/.test(d.args[0] ?? '')) {
      globalPort = d;
    } else if (d.key === 'bind_address') {
      bindAddress = d.args[0];
    } else if (current && d.key === 'protocol') {
      current.ws = d.args[0] === 'websockets';
    } else if (current && (d.key === 'certfile' || d.key === 'psk_hint')) {
      current.tlsSeen = true;
    }
  }
  const listeners: DeclaredListener[] = out.map(({ tlsSeen, ws, ...l }) => ({ ...l, kind: ws ? (tlsSeen ? 'wss' : 'ws') : tlsSeen ? 'mqtts' : 'mqtt' }));
  if (globalPort) listeners.unshift({ product: 'mosquitto', port: Number(globalPort.args[0]), ...(bindAddress && { bind: bindAddress }), kind: 'mqtt', location: loc(globalPort) });
  if (!listeners.length) listeners.push({ product: 'mosquitto', port: 1883, bind: '127.0.0.1', kind: 'mqtt' });
  return listeners;
}

/** Running broker processes of this host, from /proc. */
export async function brokerProcesses(): Promise<BrokerProcess[]> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  const found: BrokerProcess[] = [];
  const { users } = await accounts({ root: '/', live: true, timeoutMs: 1000, slowTimeoutMs: 1000 });
  await Promise.all(
    pids.map(async (pid) => {
      const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
      let product: BrokerProduct | undefined;
      if (comm === 'mosquitto') product = 'mosquitto';
      else if (comm === 'beam.smp') {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (/emqx/i.test(cmdline)) product = 'emqx';
      }
      if (!product) return;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const uidMatch = /^Uid:\s+(\d+)/m.exec(status);
      const uid = uidMatch ? Number(uidMatch[1]) : undefined;
      const label = (await readFile(`/proc/${pid}/attr/current`, 'utf8').catch(() => '')).replace(/\0/g, '').trim();
      const maps = await readFile(`/proc/${pid}/maps`, 'utf8').catch(() => '');
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
        libs: [...libs].map(([path, l]) => ({ path, ...l })),
      });
    }),
  );
  return found.sort((a, b) => a.pid - b.pid);
}

export interface BrokerDiscovery {
  setup: BrokerSetup;
  mosquitto: MosquittoConfigRead[];
  emqx: { path: string; file: string }[];
  /** EMQX install directories found (for release files). */
  emqxHomes: string[];
}

/** The process executable, for the versions of brokers running from outside the package paths. */
export async function exeOf(pid: number): Promise<string | undefined> {
  return readlink(`/proc/${pid}/exe`).catch(() => undefined);
}

export async function discoverBrokers(r: SysRoot, extraConfigs: readonly string[]): Promise<BrokerDiscovery> {
  const mosquitto: MosquittoConfigRead[] = [];
  const emqx: { path: string; file: string }[] = [];
  for (const p of MOSQUITTO_CONFIGS) if (await existsSys(r, p)) mosquitto.push(await readMosquittoConfig(r, p));
  for (const p of EMQX_CONFIGS) if (await existsSys(r, p)) emqx.push({ path: p, file: at(r, p) });
  for (const f of extraConfigs) {
    if (/\.(conf|hocon)$/.test(f) && /emqx|\.hocon$/.test(posix.basename(f))) emqx.push({ path: f, file: f });
    else mosquitto.push(await readMosquittoConfig(r, f, true));
  }
  const emqxHomes: string[] = [];
  for (const h of ['/opt/emqx', '/usr/lib/emqx']) if (await existsSys(r, `${h}/releases`)) emqxHomes.push(h);

  const declared: DeclaredListener[] = [];
  const runAs: BrokerSetup['runAs'] = [];
  for (const c of mosquitto) {
    if (!c.directives.length && c.problems.length) continue;
    declared.push(...mosquittoListeners(c.directives));
    const user = c.directives.filter((d) => d.key === 'user').pop();
    runAs.push(user ? { product: 'mosquitto', user: user.args[0] ?? '', location: loc(user), source: `user directive in ${c.path}` } : { product: 'mosquitto', user: 'mosquitto', source: `default of mosquitto (no user directive in ${c.path})` });
  }
  const notes: string[] = [];
  if (emqx.length || emqxHomes.length) {
    runAs.push({ product: 'emqx', user: 'emqx', source: 'user of the EMQX packages' });
    // TODO(issue 6): EMQX distribution/RPC ports from node.name (4370+N, 5370+N) come from the port planner (src/ports/).
    notes.push('EMQX listeners and cluster ports are not derived from emqx.conf in this version: only the standard ports are judged.');
  }
  const live = r.live;
  const setup: BrokerSetup = {
    configs: [
      ...mosquitto.map((c) => ({ product: 'mosquitto' as const, file: c.file, problems: c.problems })),
      ...emqx.map((c) => ({ product: 'emqx' as const, file: c.file, problems: [] })),
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
