/**
 * Run a real Mosquitto broker on loopback for integration tests.
 *
 * Every call gets a fresh temp dir (config, password file, ACL file, PKI, log)
 * and fresh ports. The broker is a non-detached child process; `stop()` ends
 * it and removes the temp dir.
 *
 * Mosquitto 2.0.x quirks this helper works around (verified on Debian's
 * 2.0.11, libwebsockets linked statically):
 *  - A config whose only listeners are websockets listeners does not start
 *    ("Unable to start any listening sockets", upstream issues #2284, #2578).
 *    When every requested listener is ws/wss, an extra plain MQTT listener on
 *    127.0.0.1 is added (`auxPort`). With perListenerSettings it gets no
 *    settings, so it refuses every client (2.0 default allow_anonymous false).
 *  - `listener PORT 127.0.0.1` + `protocol websockets` ignores the address and
 *    listens on all interfaces (`*:PORT`, upstream #3045): libwebsockets wants
 *    an interface name. For ws/wss listeners bound to 127.0.0.1 the helper
 *    writes the loopback interface name (e.g. `lo`) instead, which really
 *    binds to loopback only.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makePki, type Pki, type PkiKeyType } from './pki.js';
import { reservePorts, waitForPort } from './ports.js';

export type ListenerKind = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface ListenerSpec {
  kind: ListenerKind;
  /** Address to bind (default 127.0.0.1). For ws/wss, 127.0.0.1 is written as the loopback interface name. */
  bind?: string;
  /** Extra config lines placed right after this listener's settings (listener-scoped options). */
  extra?: string;
  /**
   * TLS files of this listener instead of the broker-wide PKI (mqtts/wss only):
   * Mosquitto refuses a repeated `certfile`, so per-listener certificates go here, not in `extra`.
   */
  tlsFiles?: { certfile: string; keyfile: string; cafile?: string; requireCertificate?: boolean };
}

export interface MosquittoTlsOptions {
  /** Key type for the generated PKI (default 'ec'). Ignored when `pki` is given. */
  keyType?: PkiKeyType;
  /** Use an existing PKI instead of generating one in the temp dir. */
  pki?: Pki;
  /** `require_certificate true` on TLS listeners. */
  requireCertificate?: boolean;
  /** `use_identity_as_username true` on TLS listeners. */
  useIdentityAsUsername?: boolean;
}

export interface MosquittoOptions {
  listeners: ListenerSpec[];
  allowAnonymous: boolean;
  /** username -> password; written with `mosquitto_passwd -b`. */
  users?: Record<string, string>;
  /** ACL file contents. */
  acl?: string;
  /** Emit `per_listener_settings true` and repeat the auth settings under every listener. */
  perListenerSettings?: boolean;
  /** Appended verbatim to the global section (before any listener). */
  extraConfig?: string;
  /** TLS settings for mqtts/wss listeners; a PKI is generated automatically when needed. */
  tls?: MosquittoTlsOptions;
  /** Set false to reproduce the ws-only startup failure instead of adding an aux MQTT listener. */
  auxListenerForWebsockets?: boolean;
  /** Timeout for all listener ports to accept connections (default 5000 ms). */
  startTimeoutMs?: number;
}

export interface ListenerInfo {
  kind: ListenerKind;
  port: number;
  /** Host to connect to (127.0.0.1 unless bound to another concrete IPv4 address). */
  host: string;
  /** The value written after `listener PORT` in the config. */
  bind: string;
  /** e.g. mqtt://127.0.0.1:PORT, ws://127.0.0.1:PORT/mqtt */
  url: string;
}

export interface MosquittoBroker {
  ports: ListenerInfo[];
  /** Port of the auxiliary plain MQTT listener added for ws-only configs, if any. */
  auxPort?: number;
  dir: string;
  confPath: string;
  config: string;
  logPath: string;
  pki?: Pki;
  pid: number;
  readLog(): string;
  /** Captured stdout+stderr of the mosquitto process. */
  output(): string;
  /** Poll the log file (every 25 ms) until it matches; resolves with the full log. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', '/opt/homebrew/sbin', '/sbin'];

function findExecutable(name: string, envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  const candidates = fromEnv
    ? [fromEnv]
    : [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_DIRS].map((d) => path.join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, fsConstants.X_OK);
      return c;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Path of the mosquitto binary (env MOSQUITTO_BIN overrides), or undefined. */
export function mosquittoPath(): string | undefined {
  return findExecutable('mosquitto', 'MOSQUITTO_BIN');
}

/** Path of mosquitto_passwd (env MOSQUITTO_PASSWD_BIN overrides), or undefined. */
export function mosquittoPasswdPath(): string | undefined {
  return findExecutable('mosquitto_passwd', 'MOSQUITTO_PASSWD_BIN');
}

/**
 * True when mosquitto and mosquitto_passwd are installed. When they are missing
 * and env CI is set (CI=true), this throws instead, so CI never silently skips.
 */
export function mosquittoAvailable(): boolean {
  const ok = mosquittoPath() !== undefined && mosquittoPasswdPath() !== undefined;
  if (!ok && isCi()) {
    throw new Error('mosquitto / mosquitto_passwd not found but CI is set: install mosquitto (apt-get install mosquitto) instead of skipping');
  }
  return ok;
}

/** For node:test `{ skip }`: false when mosquitto is usable, otherwise the reason. Throws in CI (see mosquittoAvailable). */
export function mosquittoSkipReason(): string | false {
  return mosquittoAvailable() ? false : 'mosquitto not installed (set MOSQUITTO_BIN or install the mosquitto package)';
}

/** e.g. '2.0.11', parsed from `mosquitto -h`. */
export function mosquittoVersion(): string | undefined {
  const bin = mosquittoPath();
  if (!bin) return undefined;
  let out = '';
  try {
    out = execFileSync(bin, ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  } catch (err) {
    // older versions exit non-zero for -h; the text is still on stdout
    const e = err as { stdout?: string | Buffer };
    out = e.stdout ? e.stdout.toString() : '';
  }
  return /mosquitto version (\S+)/.exec(out)?.[1];
}

function loopbackInterfaceName(): string {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (addrs?.some((a) => a.address === '127.0.0.1')) return name;
  }
  return 'lo';
}

function connectHost(bind: string): string {
  return net.isIPv4(bind) && bind !== '0.0.0.0' ? bind : '127.0.0.1';
}

function urlFor(kind: ListenerKind, host: string, port: number): string {
  switch (kind) {
    case 'mqtt':
      return `mqtt://${host}:${port}`;
    case 'mqtts':
      return `mqtts://${host}:${port}`;
    case 'ws':
      return `ws://${host}:${port}/mqtt`;
    case 'wss':
      return `wss://${host}:${port}/mqtt`;
  }
}

function writeUsers(file: string, users: Record<string, string>): void {
  const bin = mosquittoPasswdPath();
  if (!bin) throw new Error('mosquitto_passwd not found');
  let first = true;
  for (const [user, pass] of Object.entries(users)) {
    const args = first ? ['-c', '-b', file, user, pass] : ['-b', file, user, pass];
    try {
      execFileSync(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    } catch (err) {
      const e = err as Error & { stderr?: Buffer };
      throw new Error(`mosquitto_passwd failed for user ${user}: ${e.message}\n${e.stderr?.toString() ?? ''}`);
    }
    first = false;
  }
  if (first) writeFileSync(file, ''); // no users: empty password file
}

interface Layout {
  listeners: ListenerInfo[];
  auxPort?: number;
}

function buildConfig(opts: MosquittoOptions, logPath: string, layout: Layout, files: {
  passwordFile?: string;
  aclFile?: string;
  pki?: Pki;
}): string {
  const auth: string[] = [`allow_anonymous ${opts.allowAnonymous ? 'true' : 'false'}`];
  if (files.passwordFile) auth.push(`password_file ${files.passwordFile}`);
  if (files.aclFile) auth.push(`acl_file ${files.aclFile}`);
  const perListener = opts.perListenerSettings === true;

  const lines: string[] = [
    '# generated by mqtt-warden test harness (test/helpers/mosquitto.ts)',
    // Running as root, mosquitto 2 would switch to user "mosquitto", which cannot
    // read our 0700 temp dir. Ignored when not started as root.
    'user root',
    'persistence false',
    // pid_file is only written when daemonised (-d), which we never do.
    `log_dest file ${logPath}`,
    'log_type all',
    'log_timestamp true',
    'connection_messages true',
    `per_listener_settings ${perListener ? 'true' : 'false'}`,
  ];
  if (!perListener) lines.push(...auth);
  if (opts.extraConfig) lines.push('', '# extraConfig', opts.extraConfig);

  const specs = opts.listeners;
  layout.listeners.forEach((l, i) => {
    const spec = specs[i];
    lines.push('', `listener ${l.port} ${l.bind}`);
    lines.push(`protocol ${l.kind === 'ws' || l.kind === 'wss' ? 'websockets' : 'mqtt'}`);
    if ((l.kind === 'mqtts' || l.kind === 'wss') && spec?.tlsFiles) {
      const t = spec.tlsFiles;
      lines.push(...(t.cafile ? [`cafile ${t.cafile}`] : []), `certfile ${t.certfile}`, `keyfile ${t.keyfile}`);
      if (t.requireCertificate ?? opts.tls?.requireCertificate) lines.push('require_certificate true');
      if (opts.tls?.useIdentityAsUsername) lines.push('use_identity_as_username true');
    } else if (l.kind === 'mqtts' || l.kind === 'wss') {
      if (!files.pki) throw new Error('internal: TLS listener without PKI');
      lines.push(`cafile ${files.pki.caCert}`, `certfile ${files.pki.serverCert}`, `keyfile ${files.pki.serverKey}`);
      if (opts.tls?.requireCertificate) lines.push('require_certificate true');
      if (opts.tls?.useIdentityAsUsername) lines.push('use_identity_as_username true');
    }
    if (perListener) lines.push(...auth);
    if (spec?.extra) lines.push(spec.extra);
  });
  if (layout.auxPort !== undefined) {
    lines.push('', '# auxiliary listener: mosquitto 2.0.x will not start with websockets listeners only',
      `listener ${layout.auxPort} 127.0.0.1`, 'protocol mqtt');
  }
  return `${lines.join('\n')}\n`;
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// Last-resort cleanup for brokers a test forgot to stop.
const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const entry of live) {
      try {
        entry.child.kill('SIGKILL');
      } catch {
        // already gone
      }
      rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}

/** The listeners' ports stay reserved (bound by us) until `release()`, just before Mosquitto starts. */
async function layoutFor(opts: MosquittoOptions): Promise<Layout & { release(): Promise<void> }> {
  const loIf = loopbackInterfaceName();
  const listeners: ListenerInfo[] = [];
  const wsOnly = opts.listeners.length > 0 && opts.listeners.every((l) => l.kind === 'ws' || l.kind === 'wss');
  const aux = wsOnly && opts.auxListenerForWebsockets !== false;
  const reserved = await reservePorts(opts.listeners.length + (aux ? 1 : 0));
  opts.listeners.forEach((spec, i) => {
    const port = reserved.ports[i]!;
    const requested = spec.bind ?? '127.0.0.1';
    const isWs = spec.kind === 'ws' || spec.kind === 'wss';
    const bind = isWs && requested === '127.0.0.1' ? loIf : requested;
    const host = connectHost(requested);
    listeners.push({ kind: spec.kind, port, host, bind, url: urlFor(spec.kind, host, port) });
  });
  const layout: Layout & { release(): Promise<void> } = { listeners, release: reserved.release };
  if (aux) layout.auxPort = reserved.ports[opts.listeners.length]!;
  return layout;
}

async function startOnce(opts: MosquittoOptions): Promise<MosquittoBroker> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto binary not found (set MOSQUITTO_BIN)');
  if (opts.listeners.length === 0) throw new Error('startMosquitto: at least one listener is required');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'mqtt-warden-test-'));
  try {
    const logPath = path.join(dir, 'mosquitto.log');
    const confPath = path.join(dir, 'mosquitto.conf');
    const files: { passwordFile?: string; aclFile?: string; pki?: Pki } = {};
    if (opts.users) {
      files.passwordFile = path.join(dir, 'passwd');
      writeUsers(files.passwordFile, opts.users);
    }
    if (opts.acl !== undefined) {
      files.aclFile = path.join(dir, 'acl');
      writeFileSync(files.aclFile, opts.acl.endsWith('\n') ? opts.acl : `${opts.acl}\n`);
    }
    if (opts.listeners.some((l) => (l.kind === 'mqtts' || l.kind === 'wss') && !l.tlsFiles)) {
      files.pki = opts.tls?.pki ?? makePki(path.join(dir, 'pki'), { keyType: opts.tls?.keyType ?? 'ec' });
    }
    const layout = await layoutFor(opts);
    let config: string;
    try {
      config = buildConfig(opts, logPath, layout, files);
      writeFileSync(confPath, config);
    } finally {
      await layout.release();
    }

    installExitHook();
    const child = spawn(bin, ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    const entry = { child, dir };
    live.add(entry);
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < 256 * 1024) output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // A forgotten broker must not keep the test process alive; the exit hook kills it.
    child.unref();
    (child.stdout as net.Socket | null)?.unref?.();
    (child.stderr as net.Socket | null)?.unref?.();

    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exited = { code, signal };
        live.delete(entry);
        resolve();
      });
      child.once('error', (err) => {
        output += `\n[spawn error] ${err.message}`;
        exited = { code: null, signal: null };
        live.delete(entry);
        resolve();
      });
    });

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        if (!exited) {
          child.kill('SIGTERM');
          const killTimer = setTimeout(() => {
            if (!exited) child.kill('SIGKILL');
          }, 2000);
          await exitPromise;
          clearTimeout(killTimer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    };

    const timeoutMs = opts.startTimeoutMs ?? 5000;
    const ac = new AbortController();
    const targets = [
      ...layout.listeners.map((l) => ({ host: l.host, port: l.port })),
      ...(layout.auxPort !== undefined ? [{ host: '127.0.0.1', port: layout.auxPort }] : []),
    ];
    try {
      await Promise.race([
        Promise.all(targets.map((t) => waitForPort(t.host, t.port, timeoutMs, ac.signal))),
        exitPromise.then(() => {
          throw new Error(`mosquitto exited during startup (code ${exited?.code ?? 'null'}, signal ${exited?.signal ?? 'null'})`);
        }),
      ]);
    } catch (err) {
      ac.abort();
      const log = readIfExists(logPath);
      const out = output;
      await stop();
      const e = new Error(
        `startMosquitto failed: ${(err as Error).message}\n--- mosquitto.conf ---\n${config}--- mosquitto.log ---\n${log}\n--- stdout/stderr ---\n${out}`,
      );
      (e as Error & { mosquittoLog?: string }).mosquittoLog = log + out;
      throw e;
    }

    const readLog = (): string => readIfExists(logPath);
    // A listener option written before any `listener` line makes Mosquitto open its default
    // listener (1883, all interfaces) too: a test must never listen where it did not ask to.
    const wanted = new Set(targets.map((t) => t.port));
    const stray = [...readLog().matchAll(/Opening ipv[46] listen socket on port (\d+)\./g)].map((m) => Number(m[1])).filter((p) => !wanted.has(p));
    if (stray.length) {
      await stop();
      throw new Error(`startMosquitto: the config opened unrequested listeners on ports ${stray.join(', ')} (a listener option before any listener line?)\n${config}`);
    }
    const broker: MosquittoBroker = {
      ports: layout.listeners,
      dir,
      confPath,
      config,
      logPath,
      pid: child.pid ?? -1,
      readLog,
      output: () => output,
      waitForLog: async (pattern, waitMs = 2000) => {
        const deadline = Date.now() + waitMs;
        const matches = (s: string): boolean => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
        for (;;) {
          const log = readLog();
          if (matches(log)) return log;
          if (Date.now() > deadline) {
            throw new Error(`waitForLog: ${String(pattern)} not found within ${waitMs} ms. Log:\n${log}`);
          }
          await new Promise((r) => setTimeout(r, 25));
        }
      },
      stop,
    };
    if (layout.auxPort !== undefined) broker.auxPort = layout.auxPort;
    if (files.pki) broker.pki = files.pki;
    return broker;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Start mosquitto with the given listeners and auth settings, wait until every
 * listener accepts TCP connections, and return ports/urls and a stop() handle.
 * Retries (up to 3 attempts) when a freshly allocated port was taken meanwhile.
 */
export async function startMosquitto(opts: MosquittoOptions): Promise<MosquittoBroker> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastErr = err;
      const log = (err as { mosquittoLog?: string }).mosquittoLog ?? '';
      if (!/Address already in use|Unable to create websockets listener/i.test(log)) throw err;
    }
  }
  throw lastErr;
}
