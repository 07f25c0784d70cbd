/** `drill list/show/validate/run` after their options are parsed; each returns its exit code. */
import { writeFileSync } from 'node:fs';
import { CATALOGUE } from '../../checks/index.js';
import { runChecks, selectChecks } from '../../core/engine.js';
import { formatIssues } from '../../config/located-yaml.js';
import { durationMs, MQTT5_DETECTIONS, type DrillJournal } from '../../drill/model.js';
import { builtinIds, DrillLoadError, loadDrill, parseDrill, type LoadedDrill } from '../../drill/load.js';
import { injectKind } from '../../drill/inject/index.js';
import { DrillRefused, parseDrillTarget } from '../../drill/safety.js';
import { gateRun } from '../../drill/run.js';
import { UsageError, readText } from '../common.js';
import { emitReport, writeOutput } from '../emit.js';
import { disabledChecks } from '../project.js';
import type { DrillRunFlags } from '../drill.js';
import type { OutputFlags } from '../options.js';

/** The checks that judge a drill run: chosen by their scope. */
export const DRILL_CHECKS = selectChecks(CATALOGUE, { scopes: ['drill'] });

const GUARD_TABLE = 'mqtt_warden_guard';

function load(name: string): LoadedDrill {
  try {
    return loadDrill(name);
  } catch (e) {
    if (e instanceof DrillLoadError) throw new UsageError(e.message, true);
    throw e;
  }
}

export function drillList(flags: OutputFlags): number {
  const drills = builtinIds().map((id) => load(id).drill);
  if (flags.format === 'json') {
    writeOutput(JSON.stringify(drills.map((d) => ({ id: d.id, title: d.title, strategies: d.strategies, mqtt5: d.mqtt5, checks: d.checks })), null, 2), flags, 'drill list');
    return 0;
  }
  const lines = drills.map((d) => `${d.id.padEnd(28)} ${d.title}\n${' '.repeat(29)}strategies: ${d.strategies.join(', ')}${d.mqtt5.length ? `; MQTT 5 detection: ${d.mqtt5.join(', ')}` : ''}`);
  const covered = new Set(drills.flatMap((d) => d.mqtt5));
  const missing = MQTT5_DETECTIONS.filter((m) => !covered.has(m.id));
  lines.push('', `${drills.length} built-in drill(s)${missing.length ? `; MQTT 5 detection items not rehearsed by a built-in drill: ${missing.map((m) => m.id).join(', ')}` : '; every MQTT 5 detection item (spec 5.4.8) is rehearsed'}`);
  writeOutput(lines.join('\n'), flags, 'drill list');
  return 0;
}

export function drillShow(name: string): number {
  const { drill, file, params, builtin } = load(name);
  const s = drill.safety;
  const out = [
    `${drill.id}: ${drill.title}${builtin ? ' (built-in)' : ` (${file})`}`,
    '',
    drill.description.trim(),
    '',
    `strategies: ${drill.strategies.join(', ')}`,
    ...(drill.checks.length ? [`checks exercised: ${drill.checks.join(', ')}`] : []),
    ...(drill.mqtt5.length ? [`MQTT 5 detection items: ${drill.mqtt5.join(', ')}`] : []),
    ...(drill.requires.length ? [`requires: ${drill.requires.join('; ')}`] : []),
    `safety: targets ${s.targets.join(', ')}; at most ${s.maxRate} connections/s, ${s.maxConnections} connections, ${s.maxFailedLogins} failed logins, ${String(s.maxDuration)}`,
    `steady state (before and after): ${drill.steady.map((p) => p.kind).join(', ') || 'none'}`,
    'steps:',
    ...drill.steps.flatMap((st, i) => [
      `  ${i + 1}. ${st.name}: ${injectKind(st.inject.kind)!.describe(params[i] as never)}`,
      ...st.expect.map((e) => `     expect ${e.kind}${'in' in e ? ` in ${e.in}` : ''}${'pattern' in e ? ` /${e.pattern}/` : ''} within ${durationMs(e.within) / 1000} s`),
    ]),
    `rollback: ${drill.rollback.map((r) => r.kind).join(', ') || 'none'}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export function drillValidate(files: string[]): number {
  let bad = 0;
  for (const f of files) {
    const { loaded, issues } = parseDrill(readText(f, 'drill file', 'settings'), f);
    if (loaded) process.stdout.write(`${f}: ok (${loaded.drill.id}, ${loaded.drill.steps.length} step(s))\n`);
    else {
      bad++;
      process.stderr.write(`${formatIssues(issues)}\n`);
    }
  }
  return bad ? 2 : 0;
}

/** The short journal the terminal report starts with: each step, each expectation with its time or its failure. */
export function journalText(j: DrillJournal): string {
  const sec = (ms?: number) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
  const lines = [`Drill ${j.drill.id} against ${j.target} (${(j.durationMs / 1000).toFixed(1)} s; ${j.safety.used.connections} connections, ${j.safety.used.failedLogins} failed logins)`];
  for (const s of j.steady.filter((x) => x.phase === 'before')) lines.push(`  steady before: ${s.probe.kind}: ${s.skipped ? `not run (${s.skipped})` : s.ok ? 'ok' : `FAILED: ${s.detail}`}`);
  for (const st of j.steps) {
    lines.push(`  step ${st.name}: ${st.description}; ${st.outcome.connections} connection(s), resisted: ${st.resistance.resisted} (${st.resistance.detail}); time to detect ${sec(st.timeToDetectMs)}, time to block ${sec(st.timeToBlockMs)}`);
    for (const e of st.expectations) lines.push(`    ${e.status === 'met' ? 'met    ' : e.status === 'failed' ? 'FAILED ' : 'not verified'} ${e.message}`);
  }
  for (const s of j.steady.filter((x) => x.phase === 'after')) lines.push(`  steady after: ${s.probe.kind}: ${s.skipped ? `not run (${s.skipped})` : s.ok ? 'ok' : `FAILED: ${s.detail}`}`);
  for (const r of j.rollback) lines.push(`  rollback ${r.kind}: ${r.ok ? 'ok' : 'FAILED'}: ${r.detail}`);
  if (j.aborted) lines.push(`  aborted: ${j.aborted}`);
  return `${lines.join('\n')}\n\n`;
}

export async function drillRun(name: string, flags: DrillRunFlags): Promise<number> {
  const loaded = load(name);
  let target;
  try {
    target = parseDrillTarget(flags.target);
  } catch (e) {
    if (e instanceof DrillRefused) throw new UsageError(e.message, true);
    throw e;
  }
  if (flags.emqxApi && !flags.emqxKeyEnv) throw new UsageError('--emqx-api needs --emqx-key-env VAR (a variable holding KEY:SECRET)');
  if (flags.emqxKeyEnv && !flags.emqxApi) throw new UsageError('--emqx-key-env goes with --emqx-api');
  if (flags.passwordEnv && !flags.user) throw new UsageError('--password-env goes with -u/--user');
  let password: string | undefined;
  if (flags.passwordEnv) {
    password = process.env[flags.passwordEnv];
    if (password === undefined) throw new UsageError(`--password-env ${flags.passwordEnv}: the variable is not set`, true);
  }
  const emqxKey = flags.emqxKeyEnv ? process.env[flags.emqxKeyEnv] : undefined;
  if (flags.emqxKeyEnv && emqxKey === undefined) throw new UsageError(`--emqx-key-env ${flags.emqxKeyEnv}: the variable is not set`, true);
  const emqx = emqxKey !== undefined ? /^([^:]+):(.+)$/.exec(emqxKey) : undefined;
  if (emqxKey !== undefined && !emqx) throw new UsageError(`--emqx-key-env ${flags.emqxKeyEnv!}: expected KEY:SECRET in the variable`, true);
  const opts = {
    loaded,
    target,
    ...(flags.authorized !== undefined && { authorized: flags.authorized }),
    sources: flags.source ?? [],
    ...(flags.user !== undefined && { client: { username: flags.user, ...(password !== undefined && { password }) } }),
    places: {
      ...(flags.guardState && { guardState: flags.guardState }),
      ...(flags.nftTable && { nftTable: flags.nftTable === true ? GUARD_TABLE : flags.nftTable }),
      ...(flags.redis && { redis: { url: flags.redis, prefix: flags.redisPrefix } }),
      ...(flags.brokerLog && { brokerLog: flags.brokerLog }),
      ...(emqx && flags.emqxApi && { emqx: { url: flags.emqxApi, key: emqx[1]!, secret: emqx[2]! } }),
    },
    ...(flags.webhookPort !== undefined && { webhookPort: flags.webhookPort }),
    timeoutMs: flags.timeout,
    ...(flags.verbose && !flags.quiet && { log: (t: string) => process.stderr.write(`mqtt-warden: drill: ${t}\n`) }),
  };
  // The safety gate, before anything is sent: a refusal is exit 2.
  try {
    gateRun(opts);
  } catch (e) {
    if (e instanceof DrillRefused) throw new UsageError(`drill refused: ${e.message}`, true);
    throw e;
  }
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let journal: DrillJournal | undefined;
  try {
    const report = await runChecks({
      command: 'drill',
      checks: DRILL_CHECKS,
      drill: { ...opts, signal: interrupt.signal, onJournal: (j) => (journal = j) },
      options: { intrusive: true, host: false, network: true, failOn: flags.failOn, identity: flags.user ?? 'anonymous' },
      disabled: disabledChecks(flags),
    });
    if (journal && flags.journal) writeFileSync(flags.journal, `${JSON.stringify(journal, null, 2)}\n`);
    if (journal && flags.format === 'terminal' && !flags.output && !flags.quiet) process.stdout.write(journalText(journal));
    return await emitReport(report, flags, DRILL_CHECKS.map((c) => c.meta));
  } finally {
    process.off('SIGINT', onSigint);
  }
}
