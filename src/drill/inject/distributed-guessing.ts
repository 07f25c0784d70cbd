/**
 * distributed-guessing: slow password guessing spread over several source addresses, each CONNECT with
 * a random user name that does not exist and a random password, at a low rate per address. The pattern
 * a per-address threshold ("5 failures from one IP in a minute") misses: a defence has to count failures
 * across addresses (per listener, per user-name pattern, globally) to notice it.
 *
 * Every attempt is one failed login drawn from the budget (which also counts its connection).
 */
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { DRILL_CLIENT_PREFIX, attemptConnect, common, count, drillClientId, finish, isDefenceCode, pause, randomSecret, sourceAt, startOutcome, useSource, versionRefused } from './common.js';

const Params = z
  .object({
    /** Login attempts in all (each a failed login). */
    attempts: z.number().int().positive().max(500).default(20),
    /**
     * At most this many attempts from one source address (e.g. 4 under guard's default `maxretry: 5`), so that
     * no single address crosses a per-address threshold: the attempts are then min(attempts, maxPerSource × sources).
     */
    maxPerSource: z.number().int().positive().max(500).optional(),
    /** Time between two attempts from the same source address: the per-address rate stays below thresholds. */
    perSourceInterval: common.duration.default('3s'),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  /** CONNACK codes (by name) and other answers, counted. */
  answers: Record<string, number>;
  /** Attempts per source address ("default" = the OS's choice). */
  perSource: Record<string, number>;
  /** Attempts whose random user was accepted: the broker lets anybody in. */
  accepted: number;
  /** Attempts refused the way a defence refuses (ban, busy, quota, rate, or the connection cut after earlier answers). */
  blocked: number;
  /** Attempts answered with an ordinary credentials refusal. */
  credentialRefusals: number;
  /** The spacing between two attempts of the whole inject, ms. */
  spacingMs: number;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const sources = ctx.sources.length ? ctx.sources : [undefined];
  const spacingMs = Math.max(1, Math.round(durationMs(p.perSourceInterval) / sources.length));
  const d: Detail = { answers: {}, perSource: {}, accepted: 0, blocked: 0, credentialRefusals: 0, spacingMs };
  o.detail = d as unknown as Record<string, unknown>;
  let version = p.mqttVersion;
  let answered = 0;
  /** Blocked attempts in a row: after three the block is established and more attempts only burn budget. */
  let blockedRun = 0;
  const attempts = p.maxPerSource ? Math.min(p.attempts, p.maxPerSource * sources.length) : p.attempts;
  ctx.log(`distributed guessing: ${attempts} attempts with random user names from ${sources.length} source(s), one every ${spacingMs} ms`);
  for (let i = 0; i < attempts; i++) {
    if (ctx.signal.aborted) break;
    if (i > 0 && !(await pause(spacingMs, ctx.signal))) break;
    if (!(await ctx.budget.failedLogin())) {
      o.stoppedBy = ctx.signal.aborted ? 'abort' : 'budget';
      break;
    }
    const source = sourceAt(ctx, i);
    useSource(o, source);
    o.connections++;
    o.failedLogins++;
    o.firstAttackAt ??= ctx.now();
    const key = source ?? 'default';
    d.perSource[key] = (d.perSource[key] ?? 0) + 1;
    const a = await attemptConnect(ctx, source, {
      clientId: drillClientId('guess'),
      version,
      username: `${DRILL_CLIENT_PREFIX}nouser-${randomSecret().slice(0, 8)}`,
      password: randomSecret(),
    });
    if (a.kind === 'aborted') break;
    if (versionRefused(a) && version === 5) {
      // A 3.1.1-only broker: this attempt told us so; the rest speak 3.1.1.
      version = 4;
      count(d.answers, 'unacceptable protocol version (switched to 3.1.1)');
      continue;
    }
    if (a.kind === 'accepted') {
      a.channel.close();
      d.accepted++;
      blockedRun = 0;
      count(d.answers, 'accepted');
      answered++;
      continue;
    }
    if (a.kind === 'refused') {
      count(d.answers, `CONNACK ${a.codeName}`);
      answered++;
      if (isDefenceCode(a.code, a.version)) {
        d.blocked++;
        o.firstBlockedAt ??= ctx.now();
        if (++blockedRun >= 3) {
          o.stoppedBy = 'blocked';
          break;
        }
      } else {
        d.credentialRefusals++;
        blockedRun = 0;
      }
      continue;
    }
    count(d.answers, a.kind === 'dropped' ? 'closed without CONNACK' : 'no connection');
    // A target that answered before and now cuts us off is blocking; one that never answered is just not there.
    if (answered > 0) {
      d.blocked++;
      o.firstBlockedAt ??= ctx.now();
      if (++blockedRun >= 3) {
        o.stoppedBy = 'blocked';
        break;
      }
    }
  }
  if (answered === 0 && d.blocked === 0 && o.connections > 0) o.error = `no attempt got an answer from ${ctx.target.url} (${Object.keys(d.answers).join(', ')})`;
  return finish(ctx, o);
}

/**
 * yes: the target started refusing the guesser (a ban/busy/quota/rate CONNACK, or connections cut after
 *      earlier answers) before the attempts ran out, and no random user was accepted;
 * no: a random, non-existent user was accepted, or every attempt was answered with an ordinary
 *     credentials refusal: the guessing could go on like this for ever;
 * unknown: nothing was answered (target away, aborted before the first answer).
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if ((d.accepted ?? 0) > 0) return { resisted: 'no', detail: `${d.accepted} CONNECT(s) with a random, non-existent user name were accepted` };
  if ((d.blocked ?? 0) > 0) {
    const when = o.firstBlockedAt !== undefined && o.firstAttackAt !== undefined ? ` ${Math.round(o.firstBlockedAt - o.firstAttackAt)} ms after the first attempt` : '';
    return { resisted: 'yes', detail: `the target began refusing the guesser${when}: ${d.blocked} of ${o.failedLogins} attempts blocked from ${o.sources.length} source(s)` };
  }
  if ((d.credentialRefusals ?? 0) > 0) {
    return { resisted: 'no', detail: `all ${d.credentialRefusals} answered attempts from ${o.sources.length} source(s) got an ordinary credentials refusal; nothing slowed or blocked the guessing` };
  }
  return { resisted: 'unknown', detail: o.error ?? 'no attempt was answered' };
}

export const distributedGuessing: InjectKind<Params> = {
  kind: 'distributed-guessing',
  title: 'Slow password guessing spread over several source addresses',
  mqtt5: ['repeated-authentication-attempts', 'repeated-connection-attempts'],
  params: Params,
  describe: (p) => `${p.attempts} failed logins${p.maxPerSource ? ` (at most ${p.maxPerSource} per source)` : ''} with random user names, one per source every ${typeof p.perSourceInterval === 'number' ? `${p.perSourceInterval}s` : p.perSourceInterval}, spread over the drill's source addresses`,
  demand: (p) => ({ connections: p.attempts, failedLogins: p.attempts }),
  run,
  resisted,
};
