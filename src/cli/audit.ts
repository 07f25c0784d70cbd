/**
 * The `audit` command: everything that runs after its options are parsed. Loaded by src/cli.ts only when
 * `audit` runs (it pulls in the whole check catalogue, the engine and the TLS/PKI libraries).
 */
import { statSync } from 'node:fs';
import { readBinaryFile } from '../io/read.js';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { CATALOGUE } from '../checks/index.js';
import { notConfigReason } from '../collectors/config.js';
import { parseWordlist } from '../collectors/mqtt/intrusive.js';
import type { Credentials } from '../collectors/mqtt/probe.js';
import { runAudit, type AuditOptions } from '../core/engine.js';
import { autoConcurrency } from '../core/concurrency.js';
import { parseTarget, parseTargetsFile, type ParsedTarget } from '../core/targets.js';
import type { CrlInput } from '../collectors/tls/revocation.js';
import { loadBundle } from '../advisories/db.js';
import { DEFAULT_FIREWALL_OPTIONS } from '../ports/firewall-options.js';
import { fsErrorText, readText, UsageError } from './common.js';
import { emitReport } from './emit.js';
import { historyPath } from './history-path.js';
import { requires, type JudgeFlags } from './options.js';
import type { Command } from 'commander';
import { disabledChecks, projectPolicy, type ProjectFlags } from './project.js';
import { loadPolicyFile } from './impl/lint.js';
import type { Policy } from '../config/policy.js';
import { planFrom } from './impl/ports.js';

function wordlistFrom(file: string) {
  try {
    return parseWordlist(readText(file, 'wordlist', 'wordlist'), file);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`bad wordlist: ${(e as Error).message}`);
  }
}

export interface AuditFlags extends JudgeFlags, ProjectFlags {
  targets?: string;
  username?: string;
  password?: string;
  passwordFile?: string;
  host: boolean;
  hostOnly?: boolean;
  intrusive?: boolean;
  wordlist?: string;
  maxAttempts: number;
  maxSeconds: number;
  rate: number;
  loginAttempts: number;
  timeout: number;
  targetTimeout: number;
  window: number;
  concurrency: number | 'auto';
  ports: number[];
  portScan: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  crl: string[];
  revocationOnline?: boolean;
  expiryWarnDays: number[];
  tlsConcurrency: number;
  showPayloads?: boolean;
  showSecrets?: boolean;
  canaryTopic?: string;
  policy?: string;
  portPlan?: string;
  portPlanFor?: string;
  root?: string;
  config: string[];
  emqxVersion?: string;
  lynisReport?: string;
  advisories?: string;
}

/** The policy: --policy, else the project file's, else (nothing here) the default one. */
function policyOption(flags: AuditFlags): { policy?: Policy } {
  const policy = projectPolicy(flags, () => (flags.policy ? loadPolicyFile(flags.policy) : undefined));
  return policy ? { policy } : {};
}

/** Host-audit options; paths are checked here so that a typo is a usage error, not a SKIP. */
function systemOptions(flags: AuditFlags): NonNullable<AuditOptions['system']> {
  const root = flags.root ? resolve(flags.root) : '/';
  if (flags.root) {
    let st;
    try {
      st = statSync(root);
    } catch (e) {
      throw new UsageError(`--root ${flags.root}: ${fsErrorText(e)}`);
    }
    if (!st.isDirectory()) throw new UsageError(`--root ${flags.root}: not a directory`);
  }
  for (const f of flags.config) {
    const not = notConfigReason(readText(f, 'broker config', 'config'));
    if (not) throw new UsageError(`--config ${f}: not a Mosquitto or EMQX config (${not})`);
  }
  if (flags.lynisReport) readText(flags.lynisReport, 'Lynis report', 'report');
  if (flags.advisories) {
    readText(flags.advisories, 'advisory database', 'advisories');
    try {
      loadBundle(flags.advisories);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return {
    root,
    timeoutMs: flags.timeout,
    configs: flags.config.map((f) => resolve(f)),
    ...(flags.emqxVersion && { emqxVersion: flags.emqxVersion }),
    expiryWarnDays: flags.expiryWarnDays,
    ...(flags.lynisReport && { lynisReport: resolve(flags.lynisReport) }),
    ...(flags.advisories && { advisories: resolve(flags.advisories) }),
    // CFG-110 reads the drill runs of the history the drills are recorded in (never created by the audit).
    historyPath: historyPath(flags),
  };
}

/** CA, client certificate and key, checked once here so that bad material is a usage error, not N probe errors. */
function tlsMaterial(flags: AuditFlags): AuditOptions['tls'] {
  if (Boolean(flags.cert) !== Boolean(flags.key)) throw new UsageError('--cert and --key go together');
  const material = {
    ...(flags.ca ? { ca: readText(flags.ca, 'CA file', 'tls') } : {}),
    ...(flags.cert ? { cert: readText(flags.cert, 'certificate file', 'tls') } : {}),
    ...(flags.key ? { key: readText(flags.key, 'key file', 'tls') } : {}),
  };
  try {
    createSecureContext(material);
  } catch (e) {
    throw new UsageError(`unusable TLS material (--ca/--cert/--key): ${(e as Error).message}`);
  }
  return material;
}

/** CRL files, read and parsed once here: a file that is not a CRL is a usage error naming it. */
async function crlFiles(files: string[]): Promise<CrlInput[]> {
  if (!files.length) return [];
  // The PKI libraries are loaded only when there is a CRL to parse (see collectors/endpoint.ts).
  const { parseCrls } = await import('../collectors/tls/revocation.js');
  return files.map((file) => {
    let data: Buffer;
    try {
      data = readBinaryFile(file, 'tls', { label: 'CRL file' });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    try {
      parseCrls({ name: file, data });
    } catch (e) {
      throw new UsageError(`bad --crl: ${(e as Error).message}`);
    }
    return { name: file, data };
  });
}

/** The identity for every target, from the flags, the environment or a password file. */
function credentialsFrom(flags: AuditFlags): Credentials | undefined {
  const env = process.env;
  const username = flags.username ?? env.MQTT_WARDEN_USERNAME;
  let password = flags.password ?? env.MQTT_WARDEN_PASSWORD;
  if (flags.passwordFile) password = readText(flags.passwordFile, 'password file', 'settings').split(/\r?\n/)[0] ?? '';
  if (password !== undefined && username === undefined) throw new UsageError('a password was given without a username (--username or MQTT_WARDEN_USERNAME)');
  return username === undefined ? undefined : { username, ...(password !== undefined ? { password } : {}) };
}

/** Credentials written into a target URL belong to that endpoint alone, and yield to an explicit identity. */
function urlCredentials(parsed: ParsedTarget[], global: Credentials | undefined): Record<string, Credentials> {
  const own = parsed.filter((t) => t.username !== undefined);
  if (own.length && global) {
    process.stderr.write('mqtt-warden: credentials in target URLs are ignored: --username/MQTT_WARDEN_USERNAME is given\n');
    return {};
  }
  return Object.fromEntries(own.map((t) => [t.endpoint.uri, { username: t.username!, ...(t.password !== undefined ? { password: t.password } : {}) }]));
}

/**
 * The progress line on stderr (a terminal): targets done/total and the rate, and what
 * runs now; redrawn at most 10 times a second, cut to the terminal's width.
 */
function progress(enabled: boolean) {
  if (!enabled) return undefined;
  const t0 = performance.now();
  let drawn = 0;
  let message = '';
  let done = 0;
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    drawn = performance.now();
    const rate = done / Math.max((drawn - t0) / 1000, 0.001);
    const count = total ? `${done}/${total} targets, ${rate < 10 ? rate.toFixed(1) : rate.toFixed(0)}/s` : '';
    const line = `… ${[count, message].filter(Boolean).join(' · ')}`;
    process.stderr.write(`\x1b[2K\r${line.slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}`);
  };
  const update = (now = false) => {
    if (now || performance.now() - drawn >= 100) {
      if (timer) clearTimeout(timer);
      draw();
    } else timer ??= setTimeout(draw, 100).unref();
  };
  return {
    onProgress: (m: string) => {
      message = m;
      update();
    },
    onTarget: (d: number, t: number) => {
      done = d;
      total = t;
      update(d === t);
    },
    end: () => {
      if (timer) clearTimeout(timer);
      process.stderr.write('\x1b[2K\r');
    },
  };
}

/** Modifiers given without what they modify: usage errors (src/cli/options.ts `requires`). */
function auditModifiers(cmd: Command, flags: AuditFlags): void {
  const network = !flags.hostOnly;
  requires(cmd, [
    { modifier: ['maxAttempts', 'maxSeconds', 'rate', 'loginAttempts'], needs: Boolean(flags.intrusive), with: '--intrusive (they bound the intrusive probes)' },
    { modifier: ['lynisReport', 'advisories', 'config', 'emqxVersion'], needs: flags.host, with: 'the host checks: drop --no-host' },
    {
      modifier: ['username', 'password', 'passwordFile', 'targetTimeout', 'window', 'concurrency', 'canaryTopic', 'showPayloads', 'showSecrets', 'intrusive'],
      needs: network,
      with: 'the network probes: --host-only runs none',
    },
    {
      modifier: ['ca', 'cert', 'key', 'crl', 'revocationOnline', 'tlsConcurrency'],
      needs: network,
      with: 'the TLS probes of network targets: --host-only runs none',
    },
    { modifier: 'ports', needs: network && flags.portScan, with: 'the port scan: drop --no-port-scan (and --host-only)' },
    { modifier: 'portScan', needs: network, with: 'the network probes: --host-only scans nothing' },
  ]);
}

export async function audit(targetArgs: string[], flags: AuditFlags, cmd?: Command): Promise<number> {
  if (cmd) auditModifiers(cmd, flags);
  if (flags.hostOnly && !flags.host) throw new UsageError('--host-only and --no-host exclude each other');
  if (flags.root && !flags.host) throw new UsageError('--root is a host-audit option: it cannot go with --no-host');
  if (flags.root && !flags.hostOnly && !targetArgs.length && !flags.targets) {
    throw new UsageError('--root audits an offline filesystem: add --host-only (or give network targets to probe as well)');
  }
  const parsed: ParsedTarget[] = targetArgs.map((t, i) => parseTarget(t, `argument ${i + 1}`));
  if (flags.targets) parsed.push(...parseTargetsFile(readText(flags.targets, 'targets file', 'targets'), flags.targets));
  if (flags.hostOnly && parsed.length) throw new UsageError('--host-only takes no targets');
  const seen = new Set<string>();
  const endpoints = parsed.map((p) => p.endpoint).filter((e) => !seen.has(e.uri) && seen.add(e.uri));
  if (flags.wordlist && !flags.intrusive) throw new UsageError('--wordlist is only used with --intrusive');
  const wordlist = flags.wordlist ? wordlistFrom(flags.wordlist) : [];
  const credentials = credentialsFrom(flags);
  const endpointCredentials = urlCredentials(parsed, credentials);
  if (!flags.hostOnly && !flags.portScan && !endpoints.length) {
    throw new UsageError('nothing to audit: give targets, or let the audit scan the standard ports (drop --no-port-scan)');
  }
  if (flags.window >= flags.targetTimeout) throw new UsageError(`--window (${flags.window} ms) must be shorter than --target-timeout (${flags.targetTimeout} ms)`);
  if (flags.portPlanFor && !flags.portPlan) throw new UsageError('--port-plan-for goes with --port-plan');
  const portPlan = flags.portPlan ? planFrom({ cluster: flags.portPlan, ssh: true, sshPort: 22 }) : undefined;
  // The certificate-expiry warnings: --expiry-warn-days (command line or project file), else the policy's tls.expiryWarningDays.
  const policy = policyOption(flags).policy;
  const warnSource = cmd?.getOptionValueSource('expiryWarnDays');
  if (policy && warnSource === 'default') flags.expiryWarnDays = policy.tls.expiryWarningDays;
  const opts: AuditOptions = {
    endpoints,
    scanPorts: flags.portScan ? flags.ports : [],
    defaultHost: '127.0.0.1',
    network: !flags.hostOnly,
    host: flags.host,
    ...(policy && { policy }),
    ...(flags.host && {
      system: {
        ...systemOptions(flags),
        ...(policy && { policy }),
        ...(portPlan && {
          portPlan: { plan: portPlan.plan, source: portPlan.source, firewall: DEFAULT_FIREWALL_OPTIONS, ...(flags.portPlanFor && { for: flags.portPlanFor }) },
        }),
      },
    }),
    ...(portPlan && {
      distPorts: [...new Set(portPlan.plan.nodes.flatMap((n) => n.ports.filter((p) => p.service === 'erlang-dist').map((p) => p.port)))],
    }),
    ...(credentials ? { credentials } : {}),
    endpointCredentials,
    intrusive: Boolean(flags.intrusive),
    limits: { maxAttempts: flags.maxAttempts, maxSeconds: flags.maxSeconds, rate: flags.rate, loginAttempts: flags.loginAttempts },
    wordlist,
    timeoutMs: flags.timeout,
    targetTimeoutMs: flags.targetTimeout,
    windowMs: flags.window,
    concurrency:
      flags.concurrency === 'auto'
        ? autoConcurrency({ tls: endpoints.some((e) => e.scheme === 'mqtts' || e.scheme === 'wss') || !endpoints.length, tlsConcurrency: flags.tlsConcurrency, intrusive: Boolean(flags.intrusive) }).value
        : flags.concurrency,
    showPayloads: Boolean(flags.showPayloads),
    showSecrets: Boolean(flags.showSecrets),
    ...(flags.canaryTopic ? { canaryTopic: flags.canaryTopic } : {}),
    failOn: flags.failOn,
    disabled: disabledChecks(flags),
    tls: tlsMaterial(flags),
    tlsAudit: {
      concurrency: flags.tlsConcurrency,
      crlFiles: await crlFiles(flags.crl),
      revocationOnline: Boolean(flags.revocationOnline),
      expiryWarnDays: flags.expiryWarnDays,
    },
  };
  const shown = progress(Boolean(process.stderr.isTTY) && !flags.quiet);
  if (shown) {
    opts.onProgress = shown.onProgress;
    opts.onTarget = shown.onTarget;
  }
  const report = await runAudit(opts, CATALOGUE);
  shown?.end();
  return emitReport(report, flags, CATALOGUE.map((c) => c.meta));
}
