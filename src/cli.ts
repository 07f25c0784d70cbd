#!/usr/bin/env node
/**
 * mqtt-warden command line. The only module that may end the process:
 * exit 0 = no finding at or above --fail-on, 1 = findings, 2 = usage/config/internal error.
 */
// Start-up stays cheap: this module and what it imports statically only define the commands and their
// options (commander, constants, option parsers). Each command loads its implementation with `await import()`
// in its action, so `--version`, `--help` and light commands never load the check catalogue, the engine or
// the TLS/PKI libraries.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { STANDARD_PORTS } from './collectors/ports.js';
import { DEFAULT_LIMITS, MIN_LOGIN_ATTEMPTS } from './collectors/mqtt/limits.js';
import { redactSecrets, TargetError } from './core/targets.js';
import { STRATEGIES } from './core/types.js';
import { REPORT_FORMATS } from './reporters/formats.js';
import { CATALOGUE_FORMATS, renderCatalogue, type CatalogueFormat } from './reporters/catalogue.js';
import { VERSION } from './version.js';
import { int, num, UsageError } from './cli/common.js';
import { emqxVersionOption, judgeOptions, outputOptions, type OutputFlags } from './cli/options.js';
import { COMMANDS } from './cli/commands.js';
import type { AuditFlags } from './cli/audit.js';

function concurrencyOption(v: string): number | 'auto' {
  return v === 'auto' ? 'auto' : int('--concurrency', 1, 100_000)(v);
}

function portList(v: string): number[] {
  const ports = v.split(',').map((s) => s.trim()).filter(Boolean);
  return ports.map((p) => int('port', 1, 65535)(p));
}

function canaryTopic(v: string): string {
  if (!v || /[#+]/.test(v) || v.startsWith('$')) throw new InvalidArgumentError('--canary-topic must be a plain topic name (no wildcards, not $...)');
  return v;
}

function collectList(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function dayList(v: string): number[] {
  const days = v.split(',').map((s) => s.trim()).filter(Boolean).map((d) => int('--expiry-warn-days', 1, 3650)(d));
  if (!days.length) throw new InvalidArgumentError('--expiry-warn-days needs at least one number of days, e.g. 30,60');
  return [...new Set(days)].sort((a, b) => a - b);
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('mqtt-warden')
    .description('Audit and harden MQTT brokers along the five hardening strategies.')
    .version(VERSION)
    .showHelpAfterError()
    // Commander echoes offending arguments: a mistyped target may hold a password.
    .configureOutput({ writeErr: (text) => process.stderr.write(redactSecrets(text)) })
    .exitOverride();

  const audit = program
    .command('audit')
    .description(
      'Audit MQTT endpoints and the host they run on (host checks: --no-host skips them, --host-only runs them alone).\n' +
        'Without targets: the standard ports of this host on loopback (127.0.0.1).\n' +
        'Targets: mqtt://, mqtts://, ws://, wss:// URLs or host[:port] (port 8883 → mqtts, 8083 → ws, 8084 → wss).',
    )
    .argument('[targets...]', 'endpoints to audit')
    .option('--targets <file>', 'read targets from a file, one per line (# comments)')
    .option('-u, --username <name>', 'identity for the probes (env MQTT_WARDEN_USERNAME)')
    .option('--password <password>', 'password (visible in the process list: prefer env MQTT_WARDEN_PASSWORD or --password-file)')
    .option('--password-file <file>', 'read the password from the first line of a file')
    .option('--no-host', 'skip the host checks (updates, advisories, key files, listeners, firewall, MAC, disk, logging, SSH)')
    .option('--host-only', 'host checks only, no network probes')
    .option('--root <dir>', 'host checks of an offline filesystem (image or container root) instead of this machine: its files only, no running processes')
    .option('--config <file>', 'broker config file to audit besides the standard paths (repeatable)', collectList, [] as string[])
    .option('--lynis-report <file>', 'Lynis report to import (default: /var/log/lynis-report.dat of the audited system)')
    .option('--advisories <file>', 'advisory database to use (default: the updated copy from `advisories update`, else the shipped snapshot)')
    .option('--intrusive', 'enable intrusive probes: credential guessing, login-attempt restriction, client-ID takeover, the Erlang default cookie, one default-password login per management interface')
    .option('--wordlist <file>', 'extra username:password pairs for credential guessing (with --intrusive)')
    .option('--max-attempts <n>', 'intrusive: connection attempts per probe at most', int('--max-attempts', MIN_LOGIN_ATTEMPTS, 1000), DEFAULT_LIMITS.maxAttempts)
    .option('--max-seconds <s>', 'intrusive: seconds per probe at most', int('--max-seconds', 1, 600), DEFAULT_LIMITS.maxSeconds)
    .option('--rate <n>', 'intrusive: attempts per second at most', num('--rate', 0.1, 50), DEFAULT_LIMITS.rate)
    .option('--login-attempts <n>', 'intrusive: failed logins sent by the restriction test', int('--login-attempts', MIN_LOGIN_ATTEMPTS, 1000), DEFAULT_LIMITS.loginAttempts)
    .option('--timeout <ms>', 'timeout of each network operation', int('--timeout', 100, 120000), 3000)
    .option('--target-timeout <ms>', 'deadline for the probes of one target (with --intrusive it grows by 3 × (--max-seconds + --timeout))', int('--target-timeout', 500, 600000), 20000)
    .option('--window <ms>', 'the longest subscriptions listen for messages: they end once the canary echo, the $SYS answer and the retained messages are in', int('--window', 0, 60000), 1000)
    .option('--concurrency <n|auto>', 'endpoints probed at once: a number, or auto (what the open-file limit, memory and cores allow; 4 with --intrusive)', concurrencyOption, 'auto')
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
    .option('--policy <file>', 'security policy (YAML or JSON): thresholds for the config, host and intrusive login checks')
    .option('--port-plan <file>', 'cluster file of `mqtt-warden ports`: check this host against it (SVC-052…055) and probe its Erlang distribution ports')
    .option('--port-plan-for <node|address>', 'this host in the port plan (default: the node with one of its addresses)');
  emqxVersionOption(audit);
  judgeOptions(audit, { formats: REPORT_FORMATS, what: 'report' })
    .action(async (targets: string[], flags: AuditFlags, cmd: Command) => {
      const { audit } = await import('./cli/audit.js');
      setExit(await audit(targets, flags, cmd));
    });

  const checks = program
    .command('checks')
    .description('List the check catalogue; with --framework, the controls of a compliance framework and the checks that give evidence for each')
    .option('--framework <name>', 'nist-800-53, iec-62443-3-3 or etsi-en-303-645 (or nist, iec, etsi)');
  outputOptions(checks, { formats: CATALOGUE_FORMATS }).action(async (flags: OutputFlags & { format: CatalogueFormat; framework?: string }) => {
    const { CATALOGUE } = await import('./checks/index.js');
    const { writeOutput } = await import('./cli/emit.js');
    if (flags.framework) {
      const { complianceData, coverage, findFramework } = await import('./compliance/index.js');
      const { renderCoverage } = await import('./reporters/catalogue.js');
      const fw = findFramework(flags.framework);
      if (!fw) throw new UsageError(`--framework ${flags.framework}: unknown (${complianceData().frameworks.map((f) => f.id).join(', ')})`);
      writeOutput(renderCoverage(coverage(fw, CATALOGUE.map((c) => c.meta.id)), flags.format), flags, `${fw.id} coverage`);
    } else writeOutput(renderCatalogue(CATALOGUE.map((c) => c.meta), STRATEGIES, flags.format), flags, `${flags.format} catalogue`);
    setExit(0);
  });
  for (const register of COMMANDS) register(program, setExit);
  // The project file (mqtt-warden.yaml) gives the judging commands their defaults, policy, checks and waivers.
  program.hook('preAction', async (_program, action) => {
    if (action.options.some((o) => o.long === '--config-file')) {
      const { applyProjectFile } = await import('./cli/project.js');
      await applyProjectFile(program, action);
      if (action.parent?.name() !== 'history') {
        const { checkHistoryOptions } = await import('./cli/history.js');
        await checkHistoryOptions(action);
      }
    }
  });
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
