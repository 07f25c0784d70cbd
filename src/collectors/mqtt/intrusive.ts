/**
 * Intrusive collectors (only with --intrusive): credential guessing, the
 * login-attempt restriction test and client-ID takeover. Every loop is bounded
 * by a maximum number of attempts and a maximum duration, and paced.
 */
import { randomBytes } from 'node:crypto';
import type { IPingrespPacket } from 'mqtt-packet';
import type { CredentialGuess, LoginAttempt, LoginRestriction, Takeover } from '../../core/facts.js';
import type { Endpoint } from '../../core/types.js';
import { ProbeError, connackCodeName, isAuthRefusal, mqttConnect, refusalKind, type ProtocolVersion, type TransportOptions } from './channel.js';
import { randomClientId, summarize, type Credentials } from './probe.js';
import { MIN_LOGIN_ATTEMPTS, type IntrusiveLimits } from './limits.js';

export { DEFAULT_LIMITS, MIN_LOGIN_ATTEMPTS, type IntrusiveLimits } from './limits.js';

/** Small list of defaults seen in broker images, tutorials and devices. */
export const BUILTIN_CREDENTIALS: readonly Credentials[] = [
  { username: 'admin', password: 'public' },
  { username: 'admin', password: 'admin' },
  { username: 'admin', password: 'password' },
  { username: 'admin', password: '123456' },
  { username: 'guest', password: 'guest' },
  { username: 'test', password: 'test' },
  { username: 'mqtt', password: 'mqtt' },
  { username: 'user', password: 'user' },
  { username: 'root', password: 'root' },
  { username: 'mosquitto', password: 'mosquitto' },
  { username: 'emqx', password: 'public' },
  { username: 'iot', password: 'iot' },
];

/** Parses a wordlist: `username:password` per line (the first colon splits), # comments. */
export function parseWordlist(text: string, file: string): Credentials[] {
  const out: Credentials[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const at = line.indexOf(':');
    if (at <= 0) throw new Error(`${file}:${i + 1}: expected username:password`);
    out.push({ username: line.slice(0, at), password: line.slice(at + 1) });
  });
  return out;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

function randomIdentity(): Credentials {
  return { username: `mw-probe-${randomBytes(6).toString('hex')}`, password: randomBytes(12).toString('base64url') };
}

/** Paces attempts: at most `rate` per second, stops at maxAttempts or maxSeconds. */
class Budget {
  private readonly started = performance.now();
  attempts = 0;
  constructor(
    private readonly limits: IntrusiveLimits,
    private readonly signal?: AbortSignal,
  ) {}
  get elapsedMs() {
    return performance.now() - this.started;
  }
  exhausted(): 'max-attempts' | 'max-seconds' | 'deadline' | null {
    if (this.signal?.aborted) return 'deadline';
    if (this.attempts >= this.limits.maxAttempts) return 'max-attempts';
    if (this.elapsedMs >= this.limits.maxSeconds * 1000) return 'max-seconds';
    return null;
  }
  /** Waits for the next slot (pacing); false when the budget ran out meanwhile. */
  async next(): Promise<boolean> {
    if (this.attempts > 0) await sleep(1000 / Math.max(0.1, this.limits.rate), this.signal);
    if (this.attempts > 0 && this.exhausted()) return false;
    this.attempts++;
    return true;
  }
}

async function tryLogin(ep: Endpoint, version: ProtocolVersion, c: Credentials, clientId: string, opts: TransportOptions) {
  const r = await mqttConnect(ep, version, { clientId, username: c.username, ...(c.password !== undefined ? { password: c.password } : {}) }, opts);
  r.channel?.close();
  return r.outcome;
}

export async function guessCredentials(
  ep: Endpoint,
  version: ProtocolVersion,
  list: readonly (Credentials & { source: 'built-in' | 'wordlist' })[],
  limits: IntrusiveLimits,
  opts: TransportOptions & { showSecrets: boolean; clientIdProven: boolean },
): Promise<CredentialGuess> {
  const budget = new Budget(limits, opts.signal);
  await budget.next();
  const controlOutcome = await tryLogin(ep, version, randomIdentity(), randomClientId(), opts).catch((e: Error) => e);
  if (controlOutcome instanceof ProbeError && controlOutcome.kind === 'aborted') throw controlOutcome;
  const control =
    controlOutcome instanceof Error
      ? { error: controlOutcome.message }
      : controlOutcome.kind === 'connack'
        ? summarize(controlOutcome)
        : { error: controlOutcome.error.message };
  const result: CredentialGuess = {
    control,
    attempts: 1,
    refusedAuth: 0,
    clientIdProven: opts.clientIdProven,
    refusedOther: 0,
    errors: 0,
    stoppedBy: 'list-exhausted',
    accepted: [],
  };
  // Guessing only means something where the control was refused as an authentication failure,
  // and "not authorized" is one only when random client IDs are known to be accepted.
  if (!('accepted' in control) || control.accepted) return result;
  if (control.refusal === 'other' || (control.refusal === 'not-authorized' && !opts.clientIdProven)) return result;
  let failedInARow = 0;
  for (const cred of list) {
    const stop = budget.exhausted();
    if (stop || !(await budget.next())) {
      result.stoppedBy = stop ?? budget.exhausted() ?? 'max-seconds';
      break;
    }
    const outcome = await tryLogin(ep, version, cred, randomClientId(), opts).catch((e: Error) => e);
    result.attempts = budget.attempts;
    if (outcome instanceof Error || outcome.kind !== 'connack') {
      if (outcome instanceof ProbeError && outcome.kind === 'aborted') {
        result.stoppedBy = 'deadline';
        break;
      }
      result.errors++;
      if (++failedInARow >= 3) {
        result.stoppedBy = 'refused-connections';
        break;
      }
      continue;
    }
    failedInARow = 0;
    if (outcome.accepted) {
      result.accepted.push({ username: cred.username, password: opts.showSecrets ? (cred.password ?? '') : '[redacted]', source: cred.source });
    } else if (isAuthRefusal(outcome.code, outcome.protocolVersion)) {
      result.refusedAuth++;
    } else {
      result.refusedOther++;
    }
  }
  return result;
}

/**
 * Sends failed logins with one random, non-existent username (so no real
 * account can be locked) and one client ID, and decides whether anything
 * restricts them: refused or dropped connections, "banned"/"busy"/"rate
 * exceeded" codes, or answers slowing down markedly.
 */
export async function testLoginRestriction(
  ep: Endpoint,
  version: ProtocolVersion,
  limits: IntrusiveLimits,
  opts: TransportOptions & { clientIdProven: boolean },
): Promise<LoginRestriction> {
  const ident = randomIdentity();
  const clientId = randomClientId('mw-login');
  const budget = new Budget({ ...limits, maxAttempts: Math.min(limits.maxAttempts, limits.loginAttempts) }, opts.signal);
  const attempts: LoginAttempt[] = [];
  const started = performance.now();
  while (!budget.exhausted()) {
    if (!(await budget.next())) break;
    const t0 = performance.now();
    const n = attempts.length + 1;
    let a: LoginAttempt;
    try {
      const o = await tryLogin(ep, version, ident, clientId, opts);
      const ms = Math.round(performance.now() - t0);
      if (o.kind === 'connack') {
        const v5 = o.protocolVersion === 5;
        const outcome: LoginAttempt['outcome'] = o.accepted
          ? 'accepted'
          : v5 && o.code === 0x8a
            ? 'banned'
            : (v5 ? [0x88, 0x89, 0x97, 0x9f].includes(o.code) : o.code === 3)
              ? 'throttled-code'
              : isAuthRefusal(o.code, o.protocolVersion)
                ? 'refused'
                : 'other-code';
        a = {
          n,
          outcome,
          code: o.code,
          codeName: connackCodeName(o.code, o.protocolVersion),
          ...(outcome === 'refused' && refusalKind(o.code, o.protocolVersion) === 'not-authorized' ? { notAuthorized: true as const } : {}),
          ms,
        };
      } else {
        a = { n, outcome: 'no-connack', detail: o.error.message, ms };
      }
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') break;
      a = { n, outcome: 'connect-failed', detail: (e as Error).message, ms: Math.round(performance.now() - t0) };
    }
    attempts.push(a);
    if (a.outcome === 'accepted' || a.outcome === 'banned' || a.outcome === 'throttled-code' || a.outcome === 'other-code') break;
    // "Not authorized" for a client ID not known to be acceptable may be about the ID (clientid_prefixes),
    // not the password: the series still shows whether repeated refused CONNECTs are restricted, and the
    // check says what it could not rule out (clientIdProven is in the fact).
    // Two failed connections in a row are a pattern, not a hiccup: stop there.
    const prev = attempts[attempts.length - 2];
    if (isDropped(a) && prev && isDropped(prev)) break;
  }
  const durationMs = Math.round(performance.now() - started);
  return { username: ident.username, clientIdProven: opts.clientIdProven, attempts, durationMs, ...judgeAttempts(attempts) };
}

function isDropped(a: LoginAttempt): boolean {
  return a.outcome === 'no-connack' || a.outcome === 'connect-failed';
}


/**
 * Decides from the attempt series; exported for unit tests. Whether a "not authorized"
 * refusal was about the password or the client ID is not decided here: the fact keeps
 * clientIdProven and the per-attempt notAuthorized flag, and ACC-008 reports the doubt.
 */
export function judgeAttempts(attempts: readonly LoginAttempt[]): Pick<LoginRestriction, 'verdict' | 'reason'> {
  if (attempts.length === 0) return { verdict: 'inconclusive', reason: 'no attempt could be made within the time budget' };
  const first = attempts[0]!;
  if (first.outcome === 'accepted') {
    return { verdict: 'no-authentication', reason: 'a random username and password were accepted: there is no authentication to restrict' };
  }
  if (first.outcome !== 'refused') {
    return { verdict: 'inconclusive', reason: `the first attempt already ended with ${first.outcome}${first.codeName ? ` (${first.codeName})` : ''}${first.detail ? `: ${first.detail}` : ''}` };
  }
  const describe = (a: LoginAttempt) => `attempt ${a.n} ended with ${a.outcome}${a.codeName ? ` (${a.codeName})` : ''}${a.detail ? `: ${a.detail}` : ''}`;
  const limit = attempts.find((a) => a.outcome === 'banned' || a.outcome === 'throttled-code');
  if (limit) return { verdict: 'restricted', reason: describe(limit) };
  const other = attempts.find((a) => a.outcome === 'other-code' || a.outcome === 'accepted');
  if (other) return { verdict: 'inconclusive', reason: `${describe(other)}, which is neither an authentication refusal nor a limit` };
  const last = attempts[attempts.length - 1]!;
  const prev = attempts[attempts.length - 2];
  if (isDropped(last) && prev && isDropped(prev)) {
    return { verdict: 'restricted', reason: `${describe(prev)}; ${describe(last)}: the broker stopped answering after ${prev.n - 1} failed logins` };
  }
  // A single dropped connection among refusals is a hiccup, not a limit: judge the refusals.
  const refused = attempts.filter((a) => a.outcome === 'refused');
  const early = refused.slice(0, 3).map((a) => a.ms).sort((x, y) => x - y);
  const base = early[Math.floor(early.length / 2)] ?? 0;
  const late = refused.slice(-3);
  if (refused.length >= MIN_LOGIN_ATTEMPTS && late.every((a) => a.ms > Math.max(base * 4, base + 500))) {
    return { verdict: 'restricted', reason: `answers slowed from ~${base} ms to ${late.map((a) => a.ms).join('/')} ms (throttling)` };
  }
  if (refused.length < MIN_LOGIN_ATTEMPTS) {
    return { verdict: 'inconclusive', reason: `only ${refused.length} refused attempts fitted in the budget (${MIN_LOGIN_ATTEMPTS} needed); raise --max-seconds or --login-attempts` };
  }
  const ms = refused.map((a) => a.ms).sort((x, y) => x - y);
  const hiccups = attempts.length - refused.length;
  return {
    verdict: 'unrestricted',
    reason: `${refused.length} failed logins were all refused promptly (median ${ms[Math.floor(ms.length / 2)]} ms)${hiccups ? `, ${hiccups} isolated dropped connection${hiccups > 1 ? 's' : ''} aside` : ''}; nothing slowed, refused or banned them`,
  };
}

/**
 * A second connection with the same client ID: does it end the first session?
 * The first session's end is watched from the moment it is open; after the
 * second CONNACK it gets its own timeout, and a PINGREQ proves it still alive.
 */
export interface TakeoverParty {
  /** As reported: the probe's identity name, or "anonymous". */
  name: string;
  /** No credentials and no client certificate. */
  anonymous: boolean;
  credentials?: Credentials;
  /** With or without the client certificate. */
  transport: TransportOptions;
}

export async function testTakeover(ep: Endpoint, version: ProtocolVersion, first: TakeoverParty, second: TakeoverParty): Promise<Takeover> {
  const clientId = randomClientId('mw-takeover');
  const params = (p: TakeoverParty) => {
    const c = p.credentials;
    return { clientId, ...(c ? { username: c.username, ...(c.password !== undefined ? { password: c.password } : {}) } : {}) };
  };
  const opts = first.transport;
  const a = await mqttConnect(ep, version, params(first), first.transport);
  if (!a.channel) {
    throw new ProbeError('transport', `the first session (${first.name}) was not accepted, takeover cannot be tested`);
  }
  const chanA = a.channel;
  const base = { firstIdentity: first.name, secondIdentity: second.name, firstAnonymous: first.anonymous, secondAnonymous: second.anonymous };
  try {
    const b = await mqttConnect(ep, version, params(second), second.transport);
    if (b.outcome.kind !== 'connack') throw new ProbeError('transport', `the second connection got no CONNACK: ${b.outcome.error.message}`);
    if (!b.channel) {
      const { code, protocolVersion: v } = b.outcome;
      const secondRefusal = isAuthRefusal(code, v) ? 'auth' : (v === 4 && code === 2) || (v === 5 && code === 0x85) ? 'identifier' : 'other';
      return { ...base, tookOver: false, secondAccepted: false, secondRefusal, detail: `the second connection was refused: ${connackCodeName(code, v)}` };
    }
    b.channel.close();
    // The broker ends the first session when it accepts the second: wait for that, then prove liveness.
    const ended = await Promise.race([chanA.ended, new Promise<null>((resolve) => setTimeout(resolve, opts.timeoutMs, null).unref())]);
    let alive = false;
    if (!ended) {
      chanA.send({ cmd: 'pingreq' });
      alive = await chanA.waitFor((p): p is IPingrespPacket => p.cmd === 'pingresp', 'PINGRESP').then(
        () => true,
        () => false,
      );
    }
    if (alive) return { ...base, tookOver: false, secondAccepted: true, detail: 'the second connection was accepted and the first session still answered PINGREQ' };
    const end = chanA.failure;
    if (!end) throw new ProbeError('timeout', 'the first session neither ended nor answered PINGREQ');
    if (end.kind === 'aborted' || end.kind === 'malformed') throw end;
    const reason = chanA.disconnectReason();
    return { ...base, tookOver: true, secondAccepted: true, detail: `the first session ended${reason !== undefined ? ` (DISCONNECT reason 0x${reason.toString(16)})` : ''}: ${end.message}` };
  } finally {
    chanA.close();
  }
}
