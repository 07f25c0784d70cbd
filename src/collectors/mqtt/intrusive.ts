/**
 * Intrusive collectors (only with --intrusive): credential guessing, the
 * login-attempt restriction test and client-ID takeover. Every loop is bounded
 * by a maximum number of attempts and a maximum duration, and paced.
 */
import { randomBytes } from 'node:crypto';
import type { IDisconnectPacket } from 'mqtt-packet';
import type { CredentialGuess, LoginAttempt, LoginRestriction, Takeover } from '../../core/facts.js';
import type { Endpoint } from '../../core/types.js';
import { ProbeError, connackCodeName, isAuthRefusal, mqttConnect, type ProtocolVersion, type TransportOptions } from './channel.js';
import { randomClientId, summarize, type Credentials } from './probe.js';

export interface IntrusiveLimits {
  /** Upper bound of connection attempts per probe. */
  maxAttempts: number;
  /** Upper bound of seconds per probe. */
  maxSeconds: number;
  /** Attempts per second at most. */
  rate: number;
  /** Failed logins sent by the login-attempt restriction test. */
  loginAttempts: number;
}

export const DEFAULT_LIMITS: IntrusiveLimits = { maxAttempts: 30, maxSeconds: 20, rate: 5, loginAttempts: 12 };

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
  exhausted(): 'max-attempts' | 'max-seconds' | null {
    if (this.attempts >= this.limits.maxAttempts) return 'max-attempts';
    if (this.elapsedMs >= this.limits.maxSeconds * 1000 || this.signal?.aborted) return 'max-seconds';
    return null;
  }
  async next(): Promise<void> {
    if (this.attempts > 0) await sleep(1000 / Math.max(0.1, this.limits.rate), this.signal);
    this.attempts++;
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
  opts: TransportOptions & { showSecrets: boolean },
): Promise<CredentialGuess> {
  const budget = new Budget(limits, opts.signal);
  await budget.next();
  const controlOutcome = await tryLogin(ep, version, randomIdentity(), randomClientId(), opts).catch((e: Error) => e);
  const control =
    controlOutcome instanceof Error
      ? { error: controlOutcome.message }
      : controlOutcome.kind === 'connack'
        ? summarize(controlOutcome)
        : { error: controlOutcome.error.message };
  const result: CredentialGuess = { control, attempts: 1, stoppedBy: 'list-exhausted', accepted: [] };
  if (!('accepted' in control) || control.accepted) return result;
  let refusedInARow = 0;
  for (const cred of list) {
    const stop = budget.exhausted();
    if (stop) {
      result.stoppedBy = stop;
      break;
    }
    await budget.next();
    const outcome = await tryLogin(ep, version, cred, randomClientId(), opts).catch((e: Error) => e);
    result.attempts = budget.attempts;
    if (outcome instanceof Error || outcome.kind !== 'connack') {
      if (outcome instanceof ProbeError && outcome.kind === 'aborted') {
        result.stoppedBy = 'max-seconds';
        break;
      }
      if (++refusedInARow >= 3) {
        result.stoppedBy = 'refused-connections';
        break;
      }
      continue;
    }
    refusedInARow = 0;
    if (outcome.accepted) {
      result.accepted.push({ username: cred.username, password: opts.showSecrets ? (cred.password ?? '') : '[redacted]', source: cred.source });
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
  opts: TransportOptions,
): Promise<LoginRestriction> {
  const ident = randomIdentity();
  const clientId = randomClientId('mw-login');
  const budget = new Budget({ ...limits, maxAttempts: Math.min(limits.maxAttempts, limits.loginAttempts) }, opts.signal);
  const attempts: LoginAttempt[] = [];
  const started = performance.now();
  while (!budget.exhausted()) {
    await budget.next();
    const t0 = performance.now();
    let a: LoginAttempt;
    try {
      const o = await tryLogin(ep, version, ident, clientId, opts);
      const ms = Math.round(performance.now() - t0);
      if (o.kind === 'connack') {
        const codeName = connackCodeName(o.code, o.protocolVersion);
        const banned = o.protocolVersion === 5 && o.code === 0x8a;
        const throttled = o.protocolVersion === 5 ? [0x88, 0x89, 0x97, 0x9f].includes(o.code) : o.code === 3;
        a = {
          n: attempts.length + 1,
          outcome: o.accepted ? 'accepted' : banned ? 'banned' : throttled ? 'throttled-code' : 'refused',
          code: o.code,
          codeName,
          ms,
        };
        if (!o.accepted && !banned && !throttled && !isAuthRefusal(o.code, o.protocolVersion)) a.detail = 'unexpected CONNACK code';
      } else {
        a = { n: attempts.length + 1, outcome: 'no-connack', detail: o.error.message, ms };
      }
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') break;
      a = { n: attempts.length + 1, outcome: 'connect-failed', detail: (e as Error).message, ms: Math.round(performance.now() - t0) };
    }
    attempts.push(a);
    if (a.outcome === 'accepted' || a.outcome === 'banned' || a.outcome === 'connect-failed') break;
  }
  const durationMs = Math.round(performance.now() - started);
  return { username: ident.username, attempts, durationMs, ...judgeAttempts(attempts) };
}

/** Decides from the attempt series; exported for unit tests. */
export function judgeAttempts(attempts: readonly LoginAttempt[]): Pick<LoginRestriction, 'verdict' | 'reason'> {
  if (attempts.length === 0) return { verdict: 'inconclusive', reason: 'no attempt could be made within the time budget' };
  if (attempts[0]!.outcome === 'accepted') {
    return { verdict: 'no-authentication', reason: 'a random username and password were accepted: there is no authentication to restrict' };
  }
  if (attempts[0]!.outcome !== 'refused') {
    return { verdict: 'inconclusive', reason: `the first attempt already ended with ${attempts[0]!.outcome}${attempts[0]!.detail ? `: ${attempts[0]!.detail}` : ''}` };
  }
  const stopper = attempts.find((a) => a.outcome !== 'refused');
  if (stopper) {
    return { verdict: 'restricted', reason: `attempt ${stopper.n} ended with ${stopper.outcome}${stopper.codeName ? ` (${stopper.codeName})` : ''}${stopper.detail ? `: ${stopper.detail}` : ''}` };
  }
  const early = attempts.slice(0, 3).map((a) => a.ms).sort((x, y) => x - y);
  const base = early[Math.floor(early.length / 2)] ?? 0;
  const late = attempts.slice(-3);
  if (attempts.length >= 6 && late.every((a) => a.ms > Math.max(base * 4, base + 500))) {
    return { verdict: 'restricted', reason: `answers slowed from ~${base} ms to ${late.map((a) => a.ms).join('/')} ms (throttling)` };
  }
  if (attempts.length < 5) {
    return { verdict: 'inconclusive', reason: `only ${attempts.length} attempts fitted in the budget; raise --max-seconds or --login-attempts` };
  }
  const ms = attempts.map((a) => a.ms).sort((x, y) => x - y);
  return {
    verdict: 'unrestricted',
    reason: `${attempts.length} failed logins were all refused promptly (median ${ms[Math.floor(ms.length / 2)]} ms); nothing slowed, refused or banned them`,
  };
}

/** A second connection with the same client ID: does it disconnect the first? */
export async function testTakeover(
  ep: Endpoint,
  version: ProtocolVersion,
  first: Credentials | undefined,
  second: Credentials | undefined,
  opts: TransportOptions,
): Promise<Takeover> {
  const clientId = randomClientId('mw-takeover');
  const name = (c?: Credentials) => (c ? c.username : 'anonymous');
  const params = (c?: Credentials) => ({ clientId, ...(c ? { username: c.username, ...(c.password !== undefined ? { password: c.password } : {}) } : {}) });
  const a = await mqttConnect(ep, version, params(first), opts);
  if (!a.channel) {
    throw new ProbeError('transport', `the first session (${name(first)}) was not accepted, takeover cannot be tested`);
  }
  const chanA = a.channel;
  const base = { firstIdentity: name(first), secondIdentity: name(second) };
  try {
    const dropped = chanA
      .waitFor((p): p is IDisconnectPacket => p.cmd === 'disconnect', 'DISCONNECT')
      .then((p) => `the first session received DISCONNECT${p.reasonCode !== undefined ? ` (reason 0x${p.reasonCode.toString(16)})` : ''}`)
      .catch((e: ProbeError) => (e.kind === 'closed' ? 'the broker closed the first session' : null));
    const b = await mqttConnect(ep, version, params(second), opts);
    if (!b.channel) {
      const why = b.outcome.kind === 'connack' ? connackCodeName(b.outcome.code, b.outcome.protocolVersion) : b.outcome.error.message;
      return { ...base, tookOver: false, secondAccepted: false, detail: `the second connection was refused: ${why}` };
    }
    b.channel.close();
    const how = await dropped;
    return how
      ? { ...base, tookOver: true, secondAccepted: true, detail: how }
      : { ...base, tookOver: false, secondAccepted: true, detail: 'the second connection was accepted but the first session stayed connected' };
  } finally {
    chanA.close();
  }
}
