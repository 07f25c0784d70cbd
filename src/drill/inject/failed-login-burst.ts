/**
 * failed-login-burst: N CONNECTs with one random, non-existent username and a wrong password from one
 * source address, at a rate. No real account can be locked out (the username exists nowhere). What a
 * defence does shows in the answers: a CONNACK "banned"/"busy", a connection that is no longer accepted
 * (reset, or the SYN dropped so it times out), or no CONNACK any more, after earlier answers.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { InjectKind, InjectOutcome } from '../model.js';
import { connectOnce, isBlockingCode } from '../net.js';
import { sleep } from '../budget.js';

export const FailedLoginBurstParams = z
  .object({
    /** Failed logins to send (each drawn from the drill's maxFailedLogins and maxConnections). */
    count: z.number().int().positive().max(500).default(20),
    /** Attempts per second (the drill's safety.maxRate caps it further). */
    rate: z.number().positive().max(50).default(5),
    /** MQTT protocol level of the CONNECTs: 4 (3.1.1) or 5. */
    protocol: z.union([z.literal(4), z.literal(5)]).default(4),
    /** Keep going after the first block (to count how the defence answers); default: stop at once. */
    continueWhenBlocked: z.boolean().default(false),
  })
  .strict();
export type FailedLoginBurstParams = z.infer<typeof FailedLoginBurstParams>;

type Attempt = { n: number; at: number; answer: string; code?: number };

export const failedLoginBurst: InjectKind<FailedLoginBurstParams> = {
  kind: 'failed-login-burst',
  title: 'Failed-login burst from one address',
  mqtt5: ['repeated-connection-attempts', 'repeated-authentication-attempts'],
  params: FailedLoginBurstParams as z.ZodType<FailedLoginBurstParams>,
  describe: (p) => `${p.count} failed logins (random unknown username, wrong password) at ${p.rate}/s from one address`,
  demand: (p) => ({ connections: p.count, failedLogins: p.count }),

  async run(p, ctx) {
    const source = ctx.sources[0];
    const username = `mw-drill-${randomBytes(6).toString('hex')}`;
    const startedAt = ctx.now();
    const out: InjectOutcome = { startedAt, endedAt: startedAt, sources: [source], connections: 0, failedLogins: 0, detail: {} };
    const attempts: Attempt[] = [];
    const codes: Record<string, number> = {};
    let answered = 0;
    const spacing = 1000 / p.rate;
    ctx.log(`failed-login-burst: ${p.count} attempts as ${username} from ${source ?? 'the default address'}`);
    for (let n = 1; n <= p.count; n++) {
      if (n > 1 && !(await sleep(spacing, ctx.signal))) {
        out.stoppedBy = 'abort';
        break;
      }
      if (!(await ctx.budget.failedLogin())) {
        out.stoppedBy = ctx.signal.aborted ? 'deadline' : 'budget';
        break;
      }
      const at = ctx.now();
      out.firstAttackAt ??= at;
      out.connections++;
      const r = await connectOnce(ctx, source, { username, password: randomBytes(9).toString('base64url') }, p.protocol);
      if (r.kind === 'aborted') {
        out.stoppedBy = 'abort';
        break;
      }
      let blocked = false;
      let answer: string;
      if (r.kind === 'connack') {
        answered++;
        answer = `CONNACK ${r.code} (${r.name})`;
        codes[answer] = (codes[answer] ?? 0) + 1;
        if (r.accepted) {
          r.channel?.close();
          attempts.push({ n, at, answer, code: r.code });
          out.detail.accepted = true;
          out.stoppedBy = 'error';
          out.error = 'the broker accepted a random unknown username with a random password: it does not authenticate, nothing to rehearse';
          break;
        }
        out.failedLogins++;
        blocked = isBlockingCode(r.code, r.version);
      } else {
        // A refused, dropped or unanswered connection is a block once the broker had answered before;
        // on the first attempt it only says the target is not there (or already blocks us).
        answer = r.kind === 'no-connack' ? `no CONNACK: ${r.detail}` : `no connection: ${r.detail}`;
        codes[r.kind] = (codes[r.kind] ?? 0) + 1;
        blocked = answered > 0;
      }
      attempts.push({ n, at, answer, ...(r.kind === 'connack' && { code: r.code }) });
      if (blocked) {
        out.firstBlockedAt ??= at;
        if (!p.continueWhenBlocked) {
          out.stoppedBy = 'blocked';
          break;
        }
      }
      if (!answered && r.kind !== 'connack' && n === 1) {
        out.stoppedBy = 'error';
        out.error = `the first attempt got no answer (${answer}): the target is not reachable from ${source ?? 'this host'}`;
        break;
      }
    }
    out.endedAt = ctx.now();
    out.detail = { ...out.detail, username, attempts: attempts.length, answers: codes, planned: p.count, log: attempts.slice(0, 50) };
    return out;
  },

  resisted(p, o) {
    if (o.detail.accepted) return { resisted: 'no', detail: 'the broker accepted a random unknown username: no authentication to defend' };
    if (o.firstBlockedAt !== undefined && o.firstAttackAt !== undefined) {
      return { resisted: 'yes', detail: `blocked after ${o.failedLogins} failed login(s), ${Math.round(o.firstBlockedAt - o.firstAttackAt)} ms after the first` };
    }
    if (o.stoppedBy === 'budget' || o.stoppedBy === 'deadline' || o.stoppedBy === 'abort' || o.stoppedBy === 'error') {
      return { resisted: 'unknown', detail: `the burst stopped early (${o.stoppedBy}${o.error ? `: ${o.error}` : ''}) after ${o.failedLogins} of ${p.count} attempts without a block` };
    }
    return { resisted: 'no', detail: `all ${o.failedLogins} failed logins were answered; nothing blocked the burst` };
  },
};
