/**
 * client-id-takeover: a second connection with the client ID of a connected client. MQTT lets a client
 * resume its own session by reconnecting with its ID, and the broker then ends the first connection;
 * when nothing ties a client ID to an identity, anyone who learns an ID can kick that device off and
 * take its session (ACC-009).
 *
 * The victim is the known client (ctx.client, with its client ID when given, else a planted
 * `mqtt-warden-drill-victim-…` ID). The attacker connects with the same ID, anonymously by default
 * (`attacker: known-client` uses the known client's credentials: a second device holding them).
 */
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { attemptText, common, connectCounted, disconnectName, drillClientId, finish, hex, isDisconnect, knownIdentity, sourceAt, startOutcome, type VersionState } from './common.js';

const Params = z
  .object({
    /** Who connects with the victim's client ID: nobody (anonymous, default) or a holder of the known client's credentials. */
    attacker: z.enum(['anonymous', 'known-client']).default('anonymous'),
    /** Use this client ID instead of the known client's (or a planted one). */
    clientId: z.string().min(1).max(256).optional(),
    /** How long the victim's connection is watched after the attacker's CONNACK. */
    watch: common.duration.default('1s'),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  clientId: string;
  planted: boolean;
  attacker: Params['attacker'];
  victim: string;
  /** The attacker's CONNECT: accepted, or how it was refused. */
  takeover?: string;
  takeoverAccepted?: boolean;
  /** The victim's connection was ended by the broker after the attacker's CONNECT. */
  victimDisconnected?: boolean;
  victimDisconnectCode?: number;
  victimDisconnectName?: string;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const given = p.clientId ?? ctx.client?.clientId;
  const clientId = given ?? drillClientId('victim');
  const d: Detail = { clientId, planted: given === undefined, attacker: p.attacker, victim: 'not connected' };
  o.detail = d as unknown as Record<string, unknown>;
  o.leftovers = { clientIds: [clientId] };
  const state: VersionState = { version: p.mqttVersion };
  const victimSource = sourceAt(ctx, 0);
  // The attacker comes from the next source, when the drill has several: another machine.
  const attackerSource = sourceAt(ctx, 1);

  const victim = await connectCounted(ctx, o, state, victimSource, { clientId, ...knownIdentity(ctx) });
  if (!victim || victim.kind !== 'accepted') {
    if (victim) {
      d.victim = attemptText(victim);
      o.error = `the victim (the known client) could not connect as ${clientId}: ${d.victim}`;
    }
    return finish(ctx, o);
  }
  d.victim = 'connected';
  try {
    o.firstAttackAt = ctx.now();
    ctx.log(`second CONNECT with client ID ${clientId} (${p.attacker})`);
    const attacker = await connectCounted(ctx, o, state, attackerSource, { clientId, ...(p.attacker === 'known-client' ? knownIdentity(ctx) : {}) });
    if (!attacker) return finish(ctx, o);
    d.takeover = attemptText(attacker);
    d.takeoverAccepted = attacker.kind === 'accepted';
    if (attacker.kind !== 'accepted') {
      if (attacker.kind === 'refused' || attacker.kind === 'dropped') o.firstBlockedAt = ctx.now();
    }
    try {
      // Watch the victim: a broker that lets the takeover happen ends the first connection now.
      let told: number | undefined;
      await victim.channel.collect(durationMs(p.watch), (pk) => {
        if (isDisconnect(pk)) told = pk.reasonCode ?? 0;
      });
      const failure = victim.channel.failure;
      if (failure && failure.kind !== 'aborted') {
        d.victimDisconnected = true;
        const code = told ?? victim.channel.disconnectReason();
        if (code !== undefined) {
          d.victimDisconnectCode = code;
          d.victimDisconnectName = disconnectName(code);
        }
      } else if (!failure) d.victimDisconnected = false;
    } finally {
      if (attacker.kind === 'accepted') attacker.channel.close();
    }
  } finally {
    victim.channel.close();
  }
  return finish(ctx, o);
}

/**
 * yes: the attacker's CONNECT was refused (CONNACK failure or closed without one), or it was accepted but
 *      the victim's connection stayed up (the broker did not hand the session over);
 * no: the attacker was accepted and the victim was disconnected: the session was taken over;
 * unknown: the victim could not connect, or the run ended before the attacker's answer.
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if (d.takeoverAccepted === undefined) return { resisted: 'unknown', detail: o.error ?? 'the second CONNECT was not answered' };
  if (!d.takeoverAccepted) return { resisted: 'yes', detail: `the second CONNECT with client ID ${d.clientId} was refused (${d.takeover})` };
  if (d.victimDisconnected) {
    const why = d.victimDisconnectCode !== undefined ? ` (DISCONNECT ${hex(d.victimDisconnectCode)} ${d.victimDisconnectName})` : '';
    return { resisted: 'no', detail: `a ${d.attacker} client took over client ID ${d.clientId}: the broker accepted it and disconnected the first connection${why}` };
  }
  if (d.victimDisconnected === false) return { resisted: 'yes', detail: `the second CONNECT was accepted but the first connection of ${d.clientId} stayed up (no takeover)` };
  return { resisted: 'unknown', detail: 'the victim\'s connection could not be watched to the end' };
}

export const clientIdTakeover: InjectKind<Params> = {
  kind: 'client-id-takeover',
  title: 'Client-ID takeover',
  mqtt5: [],
  params: Params,
  describe: (p) => `a second ${p.attacker} CONNECT with the known client's ID${p.clientId ? ` (${p.clientId})` : ''}, and whether the first connection is ended`,
  demand: () => ({ connections: 3, failedLogins: 0 }),
  run,
  resisted,
};
