/**
 * Drills: the shared model. A drill is a YAML file (validated by `DrillFileSchema`, published as
 * schema/drill.schema.json) that rehearses an attack within a safety block and states what the
 * defences must do about it and by when:
 *
 *   steady-state probes  → inject steps, each with expectations (deadlines) → steady-state again → rollback
 *
 * Three parts meet here, and each owns one side:
 * - src/drill/inject/: the attacks (`InjectKind`), each a bounded side-effect layer that reports what it
 *   sent and what the broker answered, and a pure `resisted` judge of that outcome;
 * - src/drill/expect/: the observers of expectations (guard state, nft set, Redis key, broker log,
 *   refused-after-ban, EMQX banned API, webhook) that poll until their deadline;
 * - src/drill/run.ts: safety gate, budget, sequencing, the journal (the `drill.journal` fact), rollback.
 *
 * Nothing here has side effects: `drill list/show/validate` and the checks that judge a journal load only this.
 */
import { z } from 'zod';

/** `250ms`, `10s`, `2m`, or a number of seconds. */
export const DurationSchema = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'a duration like 500ms, 10s or 2m')]);
export type Duration = z.infer<typeof DurationSchema>;

/** Milliseconds of a duration. */
export function durationMs(d: Duration): number {
  if (typeof d === 'number') return Math.round(d * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d)!;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/**
 * The detection list of the MQTT 5.0 specification, section 5.4.8 "Detecting abnormal behaviors":
 * what a server implementation might monitor. Every item is rehearsed by at least one built-in drill
 * (the catalogue test asserts it).
 */
export const MQTT5_DETECTIONS = [
  { id: 'repeated-connection-attempts', title: 'Repeated connection attempts' },
  { id: 'repeated-authentication-attempts', title: 'Repeated authentication attempts' },
  { id: 'abnormal-termination', title: 'Abnormal termination of connections' },
  { id: 'topic-scanning', title: 'Topic scanning (attempts to send or subscribe to many topics)' },
  { id: 'undeliverable-messages', title: 'Sending undeliverable messages (no subscribers)' },
  { id: 'connect-no-data', title: 'Clients that connect but do not send data' },
] as const;
export type Mqtt5Detection = (typeof MQTT5_DETECTIONS)[number]['id'];

/**
 * The safety block. Defaults are the built-in caps; a drill file may lower them, and may raise them
 * only up to the hard ceilings below (the schema refuses more).
 */
export const SAFETY_CEILING = { maxRate: 50, maxDurationMs: 300_000, maxFailedLogins: 500, maxConnections: 1000 } as const;

export const SafetySchema = z
  .object({
    /**
     * Where the drill may go: `loopback` (127.0.0.0/8, ::1), `lab` (the `mqtt-warden lab` ports on loopback),
     * or exact `host:port` / `host` entries. Whatever the file lists, a target that is not on loopback also
     * needs `--authorized TARGET` naming it exactly on the command line.
     */
    targets: z.array(z.string().min(1)).min(1).default(['loopback', 'lab']),
    /** Connection attempts per second, at most. */
    maxRate: z.number().positive().max(SAFETY_CEILING.maxRate).default(20),
    /** Wall time of the whole drill (steady state, steps, waiting, rollback), at most. */
    maxDuration: DurationSchema.default('60s'),
    /** Failed logins the whole drill may cause, at most (every inject draws from this budget). */
    maxFailedLogins: z.number().int().nonnegative().max(SAFETY_CEILING.maxFailedLogins).default(50),
    /** Connections the whole drill may open, at most. */
    maxConnections: z.number().int().positive().max(SAFETY_CEILING.maxConnections).default(200),
  })
  .strict();
export type Safety = z.infer<typeof SafetySchema>;

/** Probes run before the first step and after the last: the system still works for a legitimate client. */
export const SteadyProbeSchema = z.discriminatedUnion('kind', [
  /** A CONNECT from a fresh client ID is answered with a CONNACK (accepted or refused: the broker is alive). */
  z.object({ kind: z.literal('broker-answers'), timeout: DurationSchema.default('5s') }).strict(),
  /** The known client (`--user/--password` or the drill's `client`) connects and gets a PUBACK for a QoS 1 message. */
  z.object({ kind: z.literal('known-client-publishes'), topic: z.string().min(1).default('mqtt-warden/drill/steady'), timeout: DurationSchema.default('5s') }).strict(),
]);
export type SteadyProbe = z.infer<typeof SteadyProbeSchema>;

/**
 * Expectations: what the defences must do, within a deadline counted from the start of the step's inject.
 * `resisted` is judged by the inject itself (its pure `resisted` function); the others are observers in
 * src/drill/expect/ that poll a place until the deadline.
 */
export const ExpectationSchema = z.discriminatedUnion('kind', [
  /** The inject's own outcome shows the broker resisted (sweep refused, `$SYS` publish not delivered, takeover refused…). */
  z.object({ kind: z.literal('resisted'), within: DurationSchema.default('5s') }).strict(),
  /**
   * guard banned the inject's source address. `in`: its SQLite state (`--guard-state`), the nft set
   * (`--nft-table`, guard's own `inet mqtt_warden_guard` by default), or the Redis key (`--redis`); `any` = each given place.
   */
  z.object({ kind: z.literal('guard-ban'), in: z.enum(['state', 'nft', 'redis', 'any']).default('any'), within: DurationSchema.default('10s') }).strict(),
  /** A new connection from the banned source is refused (no TCP handshake, or no CONNACK) after the ban. */
  z.object({ kind: z.literal('refused-after-ban'), within: DurationSchema.default('10s') }).strict(),
  /** The broker log (`--broker-log FILE`) gained a line matching `pattern` (a regular expression) after the step began. */
  z.object({ kind: z.literal('broker-log'), pattern: z.string().min(1), count: z.number().int().positive().default(1), within: DurationSchema.default('5s') }).strict(),
  /** EMQX lists the source in its banned table (`GET /api/v5/banned`, `--emqx-api URL` with an API key). */
  z.object({ kind: z.literal('emqx-banned'), within: DurationSchema.default('10s') }).strict(),
  /** A webhook listener the drill starts on loopback (`--webhook-port`) received an alert naming the source. */
  z.object({ kind: z.literal('webhook'), within: DurationSchema.default('10s') }).strict(),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

/** Undo what the drill did. Always attempted, also after a failed or aborted step. */
export const RollbackSchema = z.discriminatedUnion('kind', [
  /** Remove the drill's source addresses from guard's state / nft set / Redis (only entries the drill caused). */
  z.object({ kind: z.literal('unban') }).strict(),
  /** Clear retained messages the drill published (empty retained message on each of its topics). */
  z.object({ kind: z.literal('clear-retained') }).strict(),
  /** Remove the persistent sessions of the drill's client IDs (connect with clean start, disconnect). */
  z.object({ kind: z.literal('clear-sessions') }).strict(),
]);
export type Rollback = z.infer<typeof RollbackSchema>;

/**
 * An inject step in the file: `kind` names an `InjectKind` of the registry (src/drill/inject/index.ts), the
 * other keys are its parameters, validated by the kind's own schema when the drill is loaded.
 */
export const InjectSpecSchema = z.object({ kind: z.string().min(1) }).passthrough();

export const StepSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
    inject: InjectSpecSchema,
    expect: z.array(ExpectationSchema).default([]),
  })
  .strict();

export const DrillFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
    title: z.string().min(1),
    description: z.string().min(1),
    /** The hardening strategies the drill rehearses (ids of STRATEGIES). */
    strategies: z.array(z.enum(['updates', 'tls', 'services', 'access', 'awareness'])).min(1),
    /** The checks whose subject the drill exercises (the audit says the defence is configured; the drill that it reacts). */
    checks: z.array(z.string().regex(/^[A-Z]{3}-\d{3}$/)).default([]),
    /** Items of the MQTT 5 specification's detection list (section 5.4.8) this drill rehearses. */
    mqtt5: z.array(z.enum(MQTT5_DETECTIONS.map((d) => d.id) as [Mqtt5Detection, ...Mqtt5Detection[]])).default([]),
    /** What the target must run for the drill to mean something, e.g. "guard watching the broker log". */
    requires: z.array(z.string()).default([]),
    safety: SafetySchema.default(SafetySchema.parse({})),
    steady: z.array(SteadyProbeSchema).default([{ kind: 'broker-answers', timeout: '5s' }]),
    steps: z.array(StepSchema).min(1),
    rollback: z.array(RollbackSchema).default([]),
  })
  .strict();
export type DrillFile = z.infer<typeof DrillFileSchema>;
export type DrillStep = DrillFile['steps'][number];

// ---------------------------------------------------------------------------------------------
// Inject kinds (implemented in src/drill/inject/, one file each, registered in inject/index.ts)
// ---------------------------------------------------------------------------------------------

/** The target of a run, parsed from `--target URL` (mqtt://, mqtts://, ws://, wss://). */
export interface DrillTarget {
  url: string;
  scheme: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  host: string;
  port: number;
  /** WebSocket path. */
  path?: string;
  /** Loopback or one of the lab's ports: no `--authorized` needed. */
  loopback: boolean;
}

/** The shared caps of one run: every connection and failed login is drawn from here before it is attempted. */
export interface DrillBudget {
  /** Take one connection (waits for the rate limit); false when the cap or the deadline is reached: do not connect. */
  connection(): Promise<boolean>;
  /**
   * Take one failed-login attempt: a connection (rate-limited, counted against maxConnections) and a failed
   * login (maxFailedLogins) together; do not also call connection() for it. false: do not attempt.
   */
  failedLogin(): Promise<boolean>;
  readonly used: { connections: number; failedLogins: number };
}

/** What an inject may use. Everything network-facing goes to `target` only, from `sources` only. */
export interface InjectContext {
  target: DrillTarget;
  /**
   * Local addresses to connect from (`--source ADDR`, repeatable; default: the OS's choice, reported as
   * `undefined`). Distributed guessing spreads its attempts over these; the expectations look for these.
   */
  sources: readonly (string | undefined)[];
  /** Credentials of the known client (steady state, takeover's victim); the inject never prints the password. */
  client?: { username?: string; password?: string; clientId?: string };
  /** TLS material for mqtts/wss targets (CA to trust; a client certificate where the inject needs one). */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized?: boolean };
  budget: DrillBudget;
  /** Aborted when the drill's maxDuration is reached or the user interrupts: stop promptly, report what happened. */
  signal: AbortSignal;
  /** Monotonic milliseconds since the drill started (performance.now based). */
  now(): number;
  /** A journal line (shown with -v, kept in the JSON journal). Never pass secrets or payloads. */
  log(text: string): void;
  /** Per-network-operation timeout, ms. */
  timeoutMs: number;
}

/** What an inject did and saw: facts only, no verdicts. */
export interface InjectOutcome {
  /** ms since drill start. */
  startedAt: number;
  endedAt: number;
  /** The source addresses actually used (what the expectations look for). */
  sources: (string | undefined)[];
  /** When the first hostile packet (CONNECT with bad credentials, SUBSCRIBE, PUBLISH…) was sent, ms since drill start. */
  firstAttackAt?: number;
  /**
   * When the target first refused this inject's traffic in a way a defence causes (TCP reset/timeout after
   * earlier successes, CONNACK "banned"/"not authorized"/"quota"), ms since drill start: the time-to-block source.
   */
  firstBlockedAt?: number;
  connections: number;
  failedLogins: number;
  /** Kind-specific counts and observations (SUBACK codes per filter, deliveries, CONNACK codes, TLS alerts…). */
  detail: Record<string, unknown>;
  /** The inject stopped early: budget, deadline, abort, or the target went away. */
  stoppedBy?: 'budget' | 'deadline' | 'abort' | 'blocked' | 'error';
  /** Topics the inject left retained messages on, client IDs it left sessions for (rollback reads these). */
  leftovers?: { retainedTopics?: string[]; clientIds?: string[] };
  error?: string;
}

/** The inject's judge of its own outcome: did the broker resist? `unknown` when the outcome cannot tell. */
export interface Resistance {
  resisted: 'yes' | 'no' | 'unknown';
  detail: string;
}

export interface InjectKind<P = Record<string, unknown>> {
  kind: string;
  title: string;
  /** Items of MQTT5_DETECTIONS this attack produces. */
  mqtt5: readonly Mqtt5Detection[];
  /** The parameters (the step's `inject` keys other than `kind`); JSON-Schema-able (no transforms). */
  params: z.ZodType<P>;
  /** One line for `drill show` and the journal, e.g. "20 failed logins at 10/s from one address". */
  describe(params: P): string;
  /** Worst case this inject may draw from the budget with these parameters (the gate refuses a drill over its caps before it starts). */
  demand(params: P): { connections: number; failedLogins: number };
  run(params: P, ctx: InjectContext): Promise<InjectOutcome>;
  /** Pure. */
  resisted(params: P, outcome: InjectOutcome): Resistance;
}

// ---------------------------------------------------------------------------------------------
// The journal: the `drill.journal` fact the drill checks judge
// ---------------------------------------------------------------------------------------------

export type ExpectationStatus = 'met' | 'failed' | 'not-verified';

export interface ExpectationResult {
  expectation: Expectation;
  status: ExpectationStatus;
  /** What was expected, where it looked, how long it waited; for `failed`: "not detected within 10 s (looked in nft set inet mqtt_warden_guard banned_v4)". */
  message: string;
  /** ms from the inject's first attack to the observation (met only). */
  afterMs?: number;
  /** How long the observer waited, ms. */
  waitedMs: number;
}

export interface JournalStep {
  name: string;
  kind: string;
  description: string;
  outcome: InjectOutcome;
  resistance: Resistance;
  expectations: ExpectationResult[];
  /** First guard-ban / broker-log / emqx-banned / webhook observation after the first attack, ms. */
  timeToDetectMs?: number;
  /** First refused-after-ban observation (or the inject's firstBlockedAt) after the first attack, ms. */
  timeToBlockMs?: number;
}

export interface SteadyResult {
  probe: SteadyProbe;
  phase: 'before' | 'after';
  ok: boolean;
  /** The probe could not run (no known client given, the drill was stopped): why. `ok` is false then, and means nothing. */
  skipped?: string;
  detail: string;
  ms: number;
}

export interface DrillJournal {
  drill: { id: string; title: string; file?: string; strategies: DrillFile['strategies']; checks: string[]; mqtt5: Mqtt5Detection[] };
  target: string;
  authorized: boolean;
  startedAt: string;
  durationMs: number;
  safety: Safety & { used: { connections: number; failedLogins: number } };
  steady: SteadyResult[];
  steps: JournalStep[];
  rollback: { kind: Rollback['kind']; ok: boolean; detail: string }[];
  /** The run stopped early (maxDuration, interrupt, a step that could not run) and why. */
  aborted?: string;
}
