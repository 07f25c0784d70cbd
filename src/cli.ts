#!/usr/bin/env node
/**
 * mqtt-warden command line. The only module that may end the process:
 * exit 0 = no finding at or above --fail-on, 1 = findings, 2 = usage/config/internal error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CATALOGUE } from './checks/index.js';
import { STANDARD_PORTS } from './collectors/ports.js';
import { DEFAULT_LIMITS, MIN_LOGIN_ATTEMPTS, parseWordlist } from './collectors/mqtt/intrusive.js';
import type { Credentials } from './collectors/mqtt/probe.js';
import { runAudit, type AuditOptions } from './core/engine.js';
import { createSecureContext } from 'node:tls';
import { parseTarget, parseTargetsFile, redactSecrets, TargetError, type ParsedTarget } from './core/targets.js';
import { SEVERITIES, STRATEGIES, severityRank, type Severity } from './core/types.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from './reporters/index.js';
import { renderCatalogue, CATALOGUE_FORMATS, type CatalogueFormat } from './reporters/catalogue.js';
import { VERSION } from './version.js';
import { int, num, readText, UsageError } from './cli/common.js';
import { COMMANDS } from './cli/commands.js';
import { parseCrls, type CrlInput } from './collectors/tls/revocation.js';
import { loadPolicyFile } from './cli/lint.js';
import { planFrom } from './cli/ports.js';
import { DEFAULT_FIREWALL_OPTIONS } from './ports/spec.js';

function portList(v: string): number[] {
  const ports = v.split(',').map((s) => s.trim()).filter(Boolean);
  return ports.map((p) => int('port', 1, 65535)(p));
}

function canaryTopic(v: string): string {
  if (!v || /[#+]/.test(v) || v.startsWith('$')) throw new InvalidArgumentError('--canary-topic must be a plain topic name (no wildcards, not $...)');
  return v;
}

function wordlistFrom(file: string) {
  try {
    return parseWordlist(readText(file, 'wordlist'), file);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`bad wordlist: ${(e as Error).message}`);
  }
}

interface AuditFlags {
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
  concurrency: number;
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
  format: ReportFormat;
  output?: string;
  failOn: Severity | 'none';
  color: boolean;
  verbose?: boolean;
  policy?: string;
  portPlan?: string;
  portPlanFor?: string;
}

/** CA, client certificate and key, checked once here so that bad material is a usage error, not N probe errors. */
function tlsMaterial(flags: AuditFlags): AuditOptions['tls'] {
  if (Boolean(flags.cert) !== Boolean(flags.key)) throw new UsageError('--cert and --key go together');
  const material = {
    ...(flags.ca ? { ca: readText(flags.ca, 'CA file') } : {}),
    ...(flags.cert ? { cert: readText(flags.cert, 'certificate file') } : {}),
    ...(flags.key ? { key: readText(flags.key, 'key file') } : {}),
  };
  try {
    createSecureContext(material);
  } catch (e) {
    throw new UsageError(`unusable TLS material (--ca/--cert/--key): ${(e as Error).message}`);
  }
  return material;
}

function collectList(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function dayList(v: string): number[] {
  const days = v.split(',').map((s) => s.trim()).filter(Boolean).map((d) => int('--expiry-warn-days', 1, 3650)(d));
  if (!days.length) throw new InvalidArgumentError('--expiry-warn-days needs at least one number of days, e.g. 30,60');
  return [...new Set(days)].sort((a, b) => a - b);
}

/** CRL files, read and parsed once here: a file that is not a CRL is a usage error naming it. */
function crlFiles(files: string[]): CrlInput[] {
  return files.map((file) => {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      throw new UsageError(`cannot read CRL file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
  if (flags.passwordFile) password = readText(flags.passwordFile, 'password file').split(/\r?\n/)[0] ?? '';
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

function progress(enabled: boolean) {
  if (!enabled) return undefined;
  return (message: string) => process.stderr.write(`\x1b[2K\r… ${message}`);
}

async function audit(targetArgs: string[], flags: AuditFlags): Promise<number> {
  if (flags.hostOnly && !flags.host) throw new UsageError('--host-only and --no-host exclude each other');
  const parsed: ParsedTarget[] = targetArgs.map((t, i) => parseTarget(t, `argument ${i + 1}`));
  if (flags.targets) parsed.push(...parseTargetsFile(readText(flags.targets, 'targets file'), flags.targets));
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
  const tty = Boolean(process.stdout.isTTY);
  if (flags.portPlanFor && !flags.portPlan) throw new UsageError('--port-plan-for goes with --port-plan');
  const portPlan = flags.portPlan ? planFrom({ cluster: flags.portPlan, ssh: true, sshPort: 22 }) : undefined;
  const opts: AuditOptions = {
    endpoints,
    scanPorts: flags.portScan ? flags.ports : [],
    defaultHost: '127.0.0.1',
    network: !flags.hostOnly,
    host: flags.host,
    system: {
      root: '/',
      timeoutMs: flags.timeout,
      ...(flags.policy ? { policy: loadPolicyFile(flags.policy) } : {}),
      ...(portPlan && {
        portPlan: { plan: portPlan.plan, source: portPlan.source, firewall: DEFAULT_FIREWALL_OPTIONS, ...(flags.portPlanFor && { for: flags.portPlanFor }) },
      }),
    },
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
    concurrency: flags.concurrency,
    showPayloads: Boolean(flags.showPayloads),
    showSecrets: Boolean(flags.showSecrets),
    ...(flags.canaryTopic ? { canaryTopic: flags.canaryTopic } : {}),
    failOn: flags.failOn,
    tls: tlsMaterial(flags),
    tlsAudit: {
      concurrency: flags.tlsConcurrency,
      crlFiles: crlFiles(flags.crl),
      revocationOnline: Boolean(flags.revocationOnline),
      expiryWarnDays: flags.expiryWarnDays,
    },
  };
  const onProgress = progress(tty && !flags.output);
  if (onProgress) opts.onProgress = onProgress;
  const report = await runAudit(opts, CATALOGUE);
  if (onProgress) process.stderr.write('\x1b[2K\r');
  const color = flags.color && tty && !flags.output && flags.format === 'terminal' && !process.env.NO_COLOR;
  const text = renderReport(flags.format, report, { color, verbose: Boolean(flags.verbose), catalogue: CATALOGUE.map((c) => c.meta) });
  if (flags.output) {
    writeFileSync(flags.output, text.endsWith('\n') ? text : `${text}\n`);
    const s = report.summary;
    process.stderr.write(`mqtt-warden: wrote ${flags.format} report to ${flags.output} (${s.FAIL} failed, ${s.ERROR} errors, ${s.SKIP} skipped, ${s.PASS} passed)\n`);
  } else {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (flags.failOn === 'none') return 0;
  const threshold = severityRank(flags.failOn);
  return report.results.some((r) => r.status === 'FAIL' && severityRank(r.severity) >= threshold) ? 1 : 0;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('mqtt-warden')
    .description('Audit and harden MQTT brokers along the five hardening strategies.')
    .version(VERSION)
    .showHelpAfterError()
    // Commander echoes offending arguments: a mistyped target may hold a password.
    .configureOutput({ writeErr: (text) => process.stderr.write(redactSecrets(text)) })
    .exitOverride();

  program
    .command('audit')
    .description(
      'Audit MQTT endpoints. Without targets: the standard ports of this host on loopback (127.0.0.1).\n' +
        'Targets: mqtt://, mqtts://, ws://, wss:// URLs or host[:port] (port 8883 → mqtts, 8083 → ws, 8084 → wss).',
    )
    .argument('[targets...]', 'endpoints to audit')
    .option('--targets <file>', 'read targets from a file, one per line (# comments)')
    .option('-u, --username <name>', 'identity for the probes (env MQTT_WARDEN_USERNAME)')
    .option('--password <password>', 'password (visible in the process list: prefer env MQTT_WARDEN_PASSWORD or --password-file)')
    .option('--password-file <file>', 'read the password from the first line of a file')
    .option('--no-host', 'skip host checks (this version has none yet)')
    .option('--host-only', 'host checks only, no network probes (this version has no host checks yet)')
    .option('--intrusive', 'enable intrusive probes: credential guessing, login-attempt restriction, client-ID takeover')
    .option('--wordlist <file>', 'extra username:password pairs for credential guessing (with --intrusive)')
    .option('--max-attempts <n>', 'intrusive: connection attempts per probe at most', int('--max-attempts', MIN_LOGIN_ATTEMPTS, 1000), DEFAULT_LIMITS.maxAttempts)
    .option('--max-seconds <s>', 'intrusive: seconds per probe at most', int('--max-seconds', 1, 600), DEFAULT_LIMITS.maxSeconds)
    .option('--rate <n>', 'intrusive: attempts per second at most', num('--rate', 0.1, 50), DEFAULT_LIMITS.rate)
    .option('--login-attempts <n>', 'intrusive: failed logins sent by the restriction test', int('--login-attempts', MIN_LOGIN_ATTEMPTS, 1000), DEFAULT_LIMITS.loginAttempts)
    .option('--timeout <ms>', 'timeout of each network operation', int('--timeout', 100, 120000), 3000)
    .option('--target-timeout <ms>', 'deadline for the probes of one target (with --intrusive it grows by 3 × (--max-seconds + --timeout))', int('--target-timeout', 500, 600000), 20000)
    .option('--window <ms>', 'how long subscriptions listen for messages', int('--window', 0, 60000), 1000)
    .option('--concurrency <n>', 'endpoints probed at once', int('--concurrency', 1, 64), 4)
    .option('--ports <list>', 'ports to scan on each audited host', portList, STANDARD_PORTS.map((p) => p.port))
    .option('--no-port-scan', 'do not scan the standard ports')
    .option('--ca <file>', 'extra CA certificates (PEM) for TLS endpoints')
    .option('--cert <file>', 'client certificate (PEM) for mutual TLS')
    .option('--key <file>', 'client private key (PEM) for mutual TLS')
    .option('--crl <file>', 'CRL (PEM or DER) to check the served certificates against; repeatable', collectList, [])
    .option('--revocation-online', 'also ask the CRL distribution points and OCSP responders named in the certificate (contacts third parties)')
    .option('--expiry-warn-days <list>', 'warn this many days before a certificate expires', dayList, [30, 60])
    .option('--tls-concurrency <n>', 'TLS handshakes in flight at once per target (cipher enumeration)', int('--tls-concurrency', 1, 32), 4)
    .option('--show-payloads', 'include topic names and payload samples in reports')
    .option('--show-secrets', 'include guessed passwords in reports')
    .option('--canary-topic <topic>', 'topic the identity may write but must not read, for the # filtering canary (default: a random topic)', canaryTopic)
    .addOption(new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a FAIL at or above this severity exists').choices([...SEVERITIES, 'none']).default('medium'))
    .option('--no-color', 'no colours in the terminal report')
    .option('-v, --verbose', 'show evidence and full remediation in the terminal report')
    .option('--policy <file>', 'security policy (YAML or JSON): thresholds for the config checks')
    .option('--port-plan <file>', 'cluster file of `mqtt-warden ports`: check this host against it (SVC-052…055) and probe its Erlang distribution ports')
    .option('--port-plan-for <node|address>', 'this host in the port plan (default: the node with one of its addresses)')
    .action(async (targets: string[], flags: AuditFlags) => setExit(await audit(targets, flags)));

  program
    .command('checks')
    .description('List the check catalogue')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...CATALOGUE_FORMATS]).default('table'))
    .action((flags: { format: CatalogueFormat }) => {
      process.stdout.write(renderCatalogue(CATALOGUE.map((c) => c.meta), STRATEGIES, flags.format));
      setExit(0);
    });
  for (const register of COMMANDS) register(program, setExit);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with code 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof TargetError) {
      process.stderr.write(`mqtt-warden: ${e instanceof UsageError && e.secretFree ? e.message : redactSecrets(e.message)}\n`);
      return 2;
    }
    return internalError(e);
  }
}

function internalError(e: unknown): number {
  process.stderr.write(`mqtt-warden: internal error: ${redactSecrets((e as Error)?.stack ?? String(e))}\n`);
  return 2;
}

// A reader that went away (| head) is not an error: stop writing, keep the exit code.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});
// A crash must never look like "findings" (exit 1): it is an internal error (exit 2).
process.on('uncaughtException', (e) => process.exit(internalError(e)));
process.on('unhandledRejection', (e) => process.exit(internalError(e)));

process.exitCode = await main(process.argv);
