/**
 * tls-downgrade: TLS handshakes that offer only legacy protocol versions (TLS 1.0, TLS 1.1) with every
 * cipher the local OpenSSL has at security level 0: what a client stuck on an old stack, or an attacker
 * forcing a downgrade, would offer. A listener that completes one of them talks to clients over a
 * protocol with known attacks (TLS-002, TLS-030, TLS-040).
 *
 * The handshake is the TLS collector's (src/collectors/tls/handshake.ts: deadline, abort, and the
 * refused/unsupported/error classification); a completed handshake is closed at once with close_notify.
 */
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { ALL_CIPHERS } from '../../collectors/tls/ciphers.js';
import { closeSocket, handshake } from '../../collectors/tls/handshake.js';
import { finish, handshakeTargetFor, pause, sourceAt, startOutcome, useSource } from './common.js';

const LEGACY = ['TLSv1', 'TLSv1.1'] as const;

const Params = z
  .object({
    /** The legacy versions to offer, each alone (minVersion = maxVersion). */
    versions: z.array(z.enum(LEGACY)).min(1).default(['TLSv1', 'TLSv1.1']),
    /** Handshakes per version. */
    attempts: z.number().int().positive().max(20).default(1),
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Handshake {
  version: (typeof LEGACY)[number];
  result: 'accepted' | 'refused' | 'unsupported' | 'error';
  /** Negotiated protocol and cipher (accepted), or the server's answer (refused, e.g. "alert protocol version"). */
  detail: string;
  ms: number;
}

interface Detail {
  handshakes: Handshake[];
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const d: Detail = { handshakes: [] };
  o.detail = d as unknown as Record<string, unknown>;
  if (ctx.target.scheme !== 'mqtts' && ctx.target.scheme !== 'wss') {
    o.error = `${ctx.target.url} is not a TLS listener (mqtts:// or wss://): there is no TLS to downgrade`;
    return finish(ctx, o);
  }
  let i = 0;
  outer: for (const version of p.versions) {
    for (let k = 0; k < p.attempts; k++) {
      if (ctx.signal.aborted) break outer;
      if (i > 0 && !(await pause(50, ctx.signal))) break outer;
      if (!(await ctx.budget.connection())) {
        o.stoppedBy = ctx.signal.aborted ? 'abort' : 'budget';
        break outer;
      }
      const source = sourceAt(ctx, i++);
      useSource(o, source);
      o.connections++;
      o.firstAttackAt ??= ctx.now();
      const r = await handshake(
        handshakeTargetFor(ctx, source),
        { minVersion: version, maxVersion: version, ciphers: ALL_CIPHERS, ...(ctx.tls?.ca ? { ca: [ctx.tls.ca] } : {}) },
      );
      if (r.kind === 'ok') {
        closeSocket(r.socket);
        d.handshakes.push({ version, result: 'accepted', detail: `${r.protocol} ${r.cipher.name}`, ms: r.ms });
        ctx.log(`${version} handshake accepted (${r.protocol}, ${r.cipher.name})`);
      } else if (r.kind === 'refused') {
        o.firstBlockedAt ??= ctx.now();
        d.handshakes.push({ version, result: 'refused', detail: r.reason, ms: r.ms });
      } else {
        if (r.kind === 'error' && r.aborted) break outer;
        d.handshakes.push({ version, result: r.kind, detail: r.reason, ms: r.ms });
      }
    }
  }
  return finish(ctx, o);
}

/**
 * yes: every legacy handshake was refused by the server;
 * no: at least one legacy handshake completed;
 * unknown: a handshake could not be made (the local OpenSSL cannot offer the version, timeouts, resets
 *          that are not a refusal), or none was attempted.
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const hs = (o.detail as unknown as Partial<Detail>).handshakes ?? [];
  const accepted = hs.filter((h) => h.result === 'accepted');
  if (accepted.length) return { resisted: 'no', detail: `the server completed ${[...new Set(accepted.map((h) => h.version))].join(' and ')} handshakes (${accepted[0]!.detail})` };
  if (!hs.length) return { resisted: 'unknown', detail: o.error ?? 'no handshake was attempted' };
  const other = hs.filter((h) => h.result !== 'refused');
  if (other.length) return { resisted: 'unknown', detail: `${other.length} of ${hs.length} handshakes could not be judged: ${other[0]!.version} ${other[0]!.result}: ${other[0]!.detail}` };
  return { resisted: 'yes', detail: `every legacy handshake was refused (${[...new Set(hs.map((h) => `${h.version}: ${h.detail}`))].join('; ')})` };
}

export const tlsDowngrade: InjectKind<Params> = {
  kind: 'tls-downgrade',
  title: 'TLS downgrade to legacy protocol versions',
  mqtt5: [],
  params: Params,
  describe: (p) => `${p.attempts} handshake(s) each offering only ${p.versions.join(', ')} (all ciphers, security level 0)`,
  demand: (p) => ({ connections: p.versions.length * p.attempts, failedLogins: 0 }),
  run,
  resisted,
};
