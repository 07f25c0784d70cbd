/**
 * `mqtt-warden lab`: the implementation of start, status, stop, list, exercise and score, loaded by
 * ../lab.ts when a lab command runs. Every function returns the exit code.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { LAB_EXERCISES, LAB_SCENARIOS, LAB_WEAKNESSES, scenarioUrl } from '../../lab/catalogue.js';
import { portAnswers } from '../../lab/real.js';
import { LabUsageError, PortTakenError, loopbackBind, selectScenarios } from '../../lab/select.js';
import { parseAuditReport, scoreReport, type Score } from '../../lab/score.js';
import { isLabProcess, labDir, LabStateError, pidAlive, readState, removeState, writeState, type LabState } from '../../lab/state.js';
import { readText, UsageError } from '../common.js';
import { writeOutput } from '../emit.js';
import type { OutputFlags } from '../options.js';
import type { LabLayoutFlags, LabStartFlags } from '../lab.js';

/** How long `lab start --detach` waits for the background lab to report that it listens. */
const DETACH_TIMEOUT_MS = 60_000;
/** How long `lab stop` waits for the lab process to end after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A signal to a recorded pid; one that ended in the meantime is not an error. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw new UsageError(`cannot signal pid ${pid}: ${(e as Error).message}`, true);
  }
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LabUsageError || e instanceof LabStateError) throw new UsageError(e.message, true);
    throw e;
  }
}

function out(flags: OutputFlags, json: unknown, lines: string[], what: string): void {
  writeOutput(flags.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${lines.join('\n')}\n`, flags, `${flags.format} ${what}`);
}

function weaknessIds(scenario: string): string {
  return [...new Set(LAB_WEAKNESSES.filter((w) => w.scenario === scenario).map((w) => w.checkId))].join(' ');
}

function stateLines(state: LabState, flags: OutputFlags, answers?: Map<number, boolean>): string[] {
  const lines: string[] = [];
  const width = Math.max(...state.brokers.map((b) => b.url.length));
  for (const b of state.brokers) {
    const up = answers ? (answers.get(b.port) ? 'answers  ' : 'NO ANSWER') : '';
    lines.push(`  ${b.scenario.padEnd(11)} ${b.url.padEnd(width)}  ${up}${up ? ' ' : ''}${b.kind === 'mosquitto' ? `mosquitto pid ${b.pid}, config ${b.config}` : weaknessIds(b.scenario)}`);
    if (flags.verbose) for (const w of LAB_WEAKNESSES.filter((x) => x.scenario === b.scenario)) lines.push(`      ${w.checkId}${w.intrusive ? ' (--intrusive)' : ''}  ${w.title}`);
  }
  lines.push(`  log:   ${state.logFile} (Mosquitto 2.0 format: \`mqtt-warden guard test ${state.logFile} --no-allow-defaults\`)`);
  lines.push(`  state: ${state.dir}/state.json`);
  return lines;
}

function auditCommand(state: LabState): string {
  return `mqtt-warden audit ${state.brokers.map((b) => b.url).join(' ')} --no-host --intrusive`;
}

/** Refuses a second lab; a state file left by a lab that is gone is removed. */
function refuseRunning(dir: string): void {
  const old = usage(() => readState(dir));
  if (!old) return;
  if (isLabProcess(old.pid)) throw new UsageError(`a lab is already running (pid ${old.pid}, started ${old.startedAt}): \`mqtt-warden lab stop\` first`, true);
  removeState(dir, old.pid);
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const on = (s: NodeJS.Signals) => {
      for (const x of signals) process.off(x, on);
      resolve(s);
    };
    for (const s of signals) process.on(s, on);
  });
}

type ChildMessage = { ok: true; state: LabState } | { ok: false; message: string; usage: boolean };

export async function labStart(flags: LabStartFlags): Promise<number> {
  const t0 = performance.now();
  const bind = usage(() => loopbackBind(flags.bind));
  const scenarios = usage(() => selectScenarios(flags.scenario, Boolean(flags.real)));
  const dir = labDir();
  if (!flags.child) refuseRunning(dir);
  if (flags.detach && !flags.child) return detach(flags, bind, scenarios.map((s) => s.name), t0);

  let lab;
  try {
    // The brokers, TLS and PKI libraries load only in the process that runs them, not in the one that detaches.
    const { startLab } = await import('../../lab/run.js');
    lab = await startLab({ scenarios, bind, portBase: flags.portBase, dir, detached: Boolean(flags.child), real: Boolean(flags.real) });
  } catch (e) {
    const isUsage = e instanceof LabUsageError || e instanceof PortTakenError;
    if (flags.child) {
      process.send?.({ ok: false, message: (e as Error).message, usage: isUsage } satisfies ChildMessage);
      return 2;
    }
    throw new UsageError(`lab not started: ${(e as Error).message}`, true);
  }
  writeState(dir, lab.state);
  const stopped = waitForSignal();
  if (flags.child) {
    process.send?.({ ok: true, state: lab.state } satisfies ChildMessage);
    process.disconnect?.();
  } else {
    printStarted(lab.state, flags, performance.now() - t0, 'in the foreground: Ctrl-C stops it');
  }
  await stopped;
  await lab.close();
  removeState(dir, process.pid);
  return 0;
}

function printStarted(state: LabState, flags: OutputFlags, ms: number, how: string): void {
  const startMs = Math.round(ms);
  if (flags.format === 'json') {
    out(flags, { ...state, startMs }, [], 'lab state');
    return;
  }
  const summary = `mqtt-warden lab: ${state.brokers.length} deliberately weak broker(s) on ${state.bind} (TRAINING ONLY), started in ${startMs} ms, pid ${state.pid}, ${how}`;
  if (flags.quiet) {
    out(flags, null, [summary], 'lab state');
    return;
  }
  out(flags, null, [summary, ...stateLines(state, flags), `  audit: ${auditCommand(state)}`, '  stop:  mqtt-warden lab stop'], 'lab state');
}

/** Starts this command again as a detached background process and waits for it to report. */
async function detach(flags: LabStartFlags, bind: string, scenarios: string[], t0: number): Promise<number> {
  const args = [...process.execArgv, process.argv[1]!, 'lab', 'start', '--child', '--bind', bind, '--port-base', String(flags.portBase), '--scenario', scenarios.join(',')];
  if (flags.real) args.push('--real');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const msg = await new Promise<ChildMessage>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, message: `the background lab did not report within ${DETACH_TIMEOUT_MS / 1000} s`, usage: false }), DETACH_TIMEOUT_MS);
    child.once('message', (m: ChildMessage) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `cannot start the background lab: ${e.message}`, usage: false });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `the background lab ended (${signal ?? `exit code ${code}`}) before it listened`, usage: false });
    });
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  if (!msg.ok) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw new UsageError(`lab not started: ${msg.message}`, true);
  }
  child.unref();
  printStarted(msg.state, flags, performance.now() - t0, 'in the background');
  return 0;
}

async function answering(state: LabState): Promise<Map<number, boolean>> {
  const results = await Promise.all(state.brokers.map(async (b) => [b.port, await portAnswers(state.bind, b.port, 1000)] as const));
  return new Map(results);
}

export async function labStatus(flags: OutputFlags): Promise<number> {
  const dir = labDir();
  const state = usage(() => readState(dir));
  if (!state || !isLabProcess(state.pid)) {
    const why = state ? `the recorded lab (pid ${state.pid}) is not running; \`mqtt-warden lab stop\` removes its state` : 'no lab is running';
    out(flags, { running: false, stateDir: dir, ...(state ? { stale: state } : {}) }, [`mqtt-warden lab: ${why} (state dir ${dir})`], 'lab status');
    return 1;
  }
  const answers = await answering(state);
  const dead = state.brokers.filter((b) => !answers.get(b.port));
  if (flags.format === 'json') {
    out(flags, { running: true, ...state, brokers: state.brokers.map((b) => ({ ...b, answers: answers.get(b.port) })) }, [], 'lab status');
  } else {
    const head = `mqtt-warden lab: running, pid ${state.pid}${state.detached ? ' (background)' : ''}, since ${state.startedAt}; ${state.brokers.length - dead.length} of ${state.brokers.length} ports answer`;
    out(flags, null, flags.quiet ? [head] : [head, ...stateLines(state, flags, answers)], 'lab status');
  }
  return dead.length ? 1 : 0;
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    await sleep(50);
  }
  return !pidAlive(pid);
}

export async function labStop(flags: OutputFlags): Promise<number> {
  const dir = labDir();
  const state = usage(() => readState(dir));
  if (!state) {
    out(flags, { stopped: false, running: false }, ['mqtt-warden lab: no lab is running'], 'lab stop');
    return 0;
  }
  const notes: string[] = [];
  if (isLabProcess(state.pid)) {
    signal(state.pid, 'SIGTERM');
    if (!(await waitGone(state.pid, STOP_TIMEOUT_MS))) {
      notes.push(`pid ${state.pid} did not end within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: killed`);
      signal(state.pid, 'SIGKILL');
      await waitGone(state.pid, 2000);
    }
  } else {
    notes.push(`the recorded lab (pid ${state.pid}) was not running`);
  }
  // A real Mosquitto the lab started is its child; a lab that was killed may have left it behind.
  for (const b of state.brokers) {
    if (b.pid && pidAlive(b.pid) && isOurMosquitto(b.pid, b.config)) {
      signal(b.pid, 'SIGTERM');
      if (!(await waitGone(b.pid, 3000))) signal(b.pid, 'SIGKILL');
      notes.push(`mosquitto pid ${b.pid} left behind: stopped`);
    }
  }
  // Every port must be free again before we say so.
  let open: number[] = [];
  for (let i = 0; i < 40; i++) {
    const answers = await answering(state);
    open = state.brokers.filter((b) => answers.get(b.port)).map((b) => b.port);
    if (!open.length) break;
    await sleep(50);
  }
  removeState(dir, state.pid);
  const ports = state.brokers.map((b) => b.port);
  if (open.length) {
    throw new UsageError(`lab stopped (pid ${state.pid}), but port(s) ${open.join(', ')} on ${state.bind} still answer: another process holds them`, true);
  }
  out(flags, { stopped: true, pid: state.pid, ports, notes }, [`mqtt-warden lab: stopped (pid ${state.pid}); ports ${ports.join(', ')} on ${state.bind} are closed`, ...notes.map((n) => `  note: ${n}`)], 'lab stop');
  return 0;
}

function isOurMosquitto(pid: number, config: string | undefined): boolean {
  try {
    const cmdline = readText(`/proc/${pid}/cmdline`, 'process command line', 'system', { truncate: true, maxBytes: 64 * 1024 });
    return cmdline.includes('mosquitto') && (!config || cmdline.includes(config));
  } catch {
    return false;
  }
}

export function labList(flags: OutputFlags): number {
  const scenarios = LAB_SCENARIOS.map((s) => ({
    ...s,
    port: scenarioUrl(s).replace(/^.*:(\d+).*$/, '$1'),
    url: scenarioUrl(s),
    weaknesses: LAB_WEAKNESSES.filter((w) => w.scenario === s.name),
  }));
  const lines: string[] = [];
  for (const s of scenarios) {
    lines.push(`${s.name}  ${s.url}${s.real ? '  (with --real: needs mosquitto)' : ''}`);
    lines.push(`  ${s.title}. ${s.description}`);
    for (const w of s.weaknesses) lines.push(`    ${w.checkId.padEnd(8)}${w.title}${w.intrusive ? ' (found with --intrusive)' : ''}`);
    lines.push('');
  }
  if (!flags.quiet) lines.push(`${LAB_WEAKNESSES.length} planted weaknesses in ${LAB_SCENARIOS.length} scenarios; docs/lab.md has the full table, \`mqtt-warden lab exercise\` the training.`);
  out(flags, { portBase: scenarios[0] ? Number(scenarios[0].port) : undefined, scenarios: scenarios.map((s) => ({ name: s.name, title: s.title, url: s.url, real: Boolean(s.real), description: s.description, weaknesses: s.weaknesses.map(({ id, checkId, title, intrusive }) => ({ id, checkId, title, intrusive })) })) }, lines, 'lab list');
  return 0;
}

export function labExercise(name: string | undefined, flags: OutputFlags): number {
  const list = name ? LAB_EXERCISES.filter((e) => e.name === name) : LAB_EXERCISES;
  if (name && !list.length) throw new UsageError(`lab exercise ${name}: unknown; the exercises are ${LAB_EXERCISES.map((e) => e.name).join(', ')}`, true);
  const lines: string[] = [];
  for (const e of list) {
    lines.push(`${e.name}: ${e.title}`);
    e.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
    lines.push('');
  }
  out(flags, { exercises: list }, lines, 'lab exercises');
  return 0;
}

export function labScore(file: string, flags: LabLayoutFlags, cmd: Command): number {
  const text = readText(file, 'audit report', 'baseline');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message}); give the report of \`mqtt-warden audit -f json -o FILE\``, true);
  }
  let report;
  try {
    report = parseAuditReport(data, file);
  } catch (e) {
    throw new UsageError((e as Error).message, true);
  }
  // The running lab's layout, unless --bind/--port-base name another; else the default layout.
  const state = (() => {
    try {
      return readState(labDir());
    } catch {
      return undefined;
    }
  })();
  const given = (o: string) => cmd.getOptionValueSource(o) === 'cli';
  const bind = usage(() => loopbackBind(given('bind') || !state ? flags.bind : state.bind));
  const portBase = given('portBase') || !state ? flags.portBase : state.portBase;
  const scenarios = state && !given('portBase') && !given('bind') ? state.brokers.map((b) => b.scenario) : LAB_SCENARIOS.filter((s) => !s.real).map((s) => s.name);
  const score = scoreReport(report, { bind, portBase, scenarios });
  if (flags.format === 'json') out(flags, scoreJson(score), [], 'lab score');
  else out(flags, null, scoreLines(score, flags, file), 'lab score');
  return score.found === score.total ? 0 : 1;
}

function scoreJson(s: Score) {
  return {
    found: s.found,
    total: s.total,
    weaknesses: s.results.map((r) => ({ id: r.weakness.id, checkId: r.weakness.checkId, title: r.weakness.title, url: r.url, status: r.status, ...(r.verdict && { verdict: r.verdict }), ...(r.hint && { hint: r.hint }) })),
  };
}

function scoreLines(s: Score, flags: OutputFlags, file: string): string[] {
  const lines = [`mqtt-warden lab score of ${file}: ${s.found} of ${s.total} planted weaknesses found`];
  for (const r of s.results) {
    if (r.status === 'found' && flags.quiet) continue;
    const mark = r.status === 'found' ? 'FOUND ' : r.status === 'missed' ? 'MISSED' : 'NOT AUDITED';
    lines.push(`  ${mark} ${r.weakness.checkId.padEnd(8)}${r.weakness.title} [${r.url}]`);
    if (r.status === 'found' && flags.verbose && r.verdict) lines.push(`         ${r.verdict.message}`);
    if (r.status !== 'found') {
      if (r.verdict) lines.push(`         the check said ${r.verdict.status}: ${r.verdict.message}`);
      if (r.hint) lines.push(`         hint: ${r.hint}`);
    }
  }
  return lines;
}
