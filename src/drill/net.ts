/**
 * What the injects and observers share to talk to the target: its endpoint, the transport options of one
 * connection from one source address, and one CONNECT/CONNACK exchange classified for the journal. The
 * protocol work is the probes' bounded channel (src/collectors/mqtt/channel.ts, mqtt-packet); nothing here
 * encodes MQTT by hand.
 */
import { makeEndpoint } from '../core/targets.js';
import type { Endpoint } from '../core/types.js';
import { connackCodeName, mqttConnect, ProbeError, type MqttChannel, type ProtocolVersion, type TransportOptions } from '../collectors/mqtt/channel.js';
import { randomClientId } from '../collectors/mqtt/probe.js';
import type { DrillTarget, InjectContext } from './model.js';

export function endpointOf(t: DrillTarget): Endpoint {
  return makeEndpoint(t.scheme, t.host, t.port, true, t.path);
}

/** Transport options of one connection of an inject from `source`. */
export function transportFor(ctx: Pick<InjectContext, 'timeoutMs' | 'signal' | 'tls'>, source: string | undefined): TransportOptions {
  return {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    ...(source && { localAddress: source }),
    ...(ctx.tls?.ca && { ca: ctx.tls.ca }),
    ...(ctx.tls?.cert && { cert: ctx.tls.cert }),
    ...(ctx.tls?.key && { key: ctx.tls.key }),
  };
}

/** One CONNECT as the journal records it. */
export type ConnectResult =
  /** The broker answered with a CONNACK (accepted or refused). */
  | { kind: 'connack'; code: number; name: string; accepted: boolean; version: ProtocolVersion; channel: MqttChannel | null; ms: number }
  /** A TCP/TLS connection was made but the broker sent no CONNACK (closed, timeout, garbage). */
  | { kind: 'no-connack'; detail: string; ms: number }
  /** No connection at all: refused (RST), no answer to the SYN (dropped), unreachable, TLS failure. */
  | { kind: 'no-connection'; detail: string; timeout: boolean; ms: number }
  | { kind: 'aborted'; ms: number };

/** CONNECT with the given identity from `source`; an accepted channel is returned open (the caller closes it). */
export async function connectOnce(
  ctx: Pick<InjectContext, 'target' | 'timeoutMs' | 'signal' | 'tls'>,
  source: string | undefined,
  ident: { username?: string; password?: string; clientId?: string },
  version: ProtocolVersion = 4,
): Promise<ConnectResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    const { outcome, channel } = await mqttConnect(
      endpointOf(ctx.target),
      version,
      { clientId: ident.clientId ?? randomClientId('mw-drill'), ...(ident.username !== undefined && { username: ident.username }), ...(ident.password !== undefined && { password: ident.password }) },
      transportFor(ctx, source),
    );
    if (outcome.kind === 'connack') {
      return { kind: 'connack', code: outcome.code, name: connackCodeName(outcome.code, outcome.protocolVersion), accepted: outcome.accepted, version: outcome.protocolVersion, channel, ms: ms() };
    }
    return { kind: 'no-connack', detail: outcome.error.message, ms: ms() };
  } catch (e) {
    if (e instanceof ProbeError && e.kind === 'aborted') return { kind: 'aborted', ms: ms() };
    const err = e as ProbeError;
    return { kind: 'no-connection', detail: err.message, timeout: err.kind === 'timeout', ms: ms() };
  }
}

/** CONNACK codes a defence answers with (banned, busy, quota, rate): 3.1.1 "server unavailable" (3). */
export function isBlockingCode(code: number, version: ProtocolVersion): boolean {
  return version === 5 ? [0x88, 0x89, 0x8a, 0x97, 0x9f].includes(code) : code === 3;
}
