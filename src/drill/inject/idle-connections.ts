/**
 * idle-connections: TCP (or TLS) connections that never send CONNECT: "clients that connect but do not
 * send data" of the MQTT 5 specification's detection list (section 5.4.8). Each one holds a socket and
 * memory on the broker; a broker that never closes them can be exhausted by a slow trickle of them.
 * MQTT 3.1.1 (section 3.1) and 5.0 (section 3.1.4) ask a server to close a connection whose first packet
 * does not come "within a reasonable amount of time".
 *
 * The inject opens `connections` transports, sends nothing, and watches when the broker closes each,
 * up to `window`. Nothing is left behind: what is still open at the end is closed by the inject.
 */
import net from 'node:net';
import tls from 'node:tls';
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { common, finish, pause, sourceAt, startOutcome, useSource } from './common.js';

const Params = z
  .object({
    /** Idle connections to open. */
    connections: z.number().int().positive().max(200).default(5),
    /** How long to wait for the broker to close them (the step's window). */
    window: common.duration.default('15s'),
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  opened: number;
  /** ms after opening at which the broker closed each one it closed. */
  closedAfterMs: number[];
  /** Connections the broker had not closed when the window ended. */
  stillOpen: number;
  /** Connections that could not be opened (refused, timeout). */
  failed: number;
  windowMs: number;
  firstFailure?: string;
}

/** Opens one transport and sends nothing; resolves with the socket once connected (TLS: handshaken). */
function openIdle(ctx: InjectContext, source: string | undefined): Promise<net.Socket> {
  const t = ctx.target;
  return new Promise((resolve, reject) => {
    const base = { host: t.host, port: t.port, ...(source ? { localAddress: source } : {}) };
    const secure = t.scheme === 'mqtts' || t.scheme === 'wss';
    const s: net.Socket = secure
      ? tls.connect({ ...base, rejectUnauthorized: false, ...(net.isIP(t.host) ? {} : { servername: t.host }), ...(ctx.tls?.ca ? { ca: ctx.tls.ca } : {}) })
      : net.connect(base);
    const timer = setTimeout(() => fail(new Error(`no connection within ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
    const onAbort = () => fail(new Error('aborted'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    function fail(e: Error) {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      s.destroy();
      reject(e);
    }
    s.once('error', fail);
    s.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      s.off('error', fail);
      s.on('error', () => undefined);
      // Whatever the broker sends is read and dropped (bounded by the socket's lifetime).
      s.on('data', () => undefined);
      resolve(s);
    });
  });
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const windowMs = durationMs(p.window);
  const d: Detail = { opened: 0, closedAfterMs: [], stillOpen: 0, failed: 0, windowMs };
  o.detail = d as unknown as Record<string, unknown>;
  if (ctx.target.scheme === 'ws' || ctx.target.scheme === 'wss') {
    // A WebSocket client that never upgrades is an HTTP matter; one that upgrades and stays silent would need its own transport.
    o.error = `${ctx.target.url}: idle connections are rehearsed on mqtt:// and mqtts:// listeners only (a WebSocket listener's idle handling is its HTTP server's)`;
    return finish(ctx, o);
  }
  const open = new Set<net.Socket>();
  const closed: Promise<void>[] = [];
  try {
    for (let i = 0; i < p.connections; i++) {
      if (ctx.signal.aborted) break;
      if (!(await ctx.budget.connection())) {
        o.stoppedBy = ctx.signal.aborted ? 'abort' : 'budget';
        break;
      }
      const source = sourceAt(ctx, i);
      useSource(o, source);
      o.connections++;
      try {
        const s = await openIdle(ctx, source);
        const at = ctx.now();
        o.firstAttackAt ??= at;
        d.opened++;
        open.add(s);
        closed.push(
          new Promise<void>((resolve) =>
            s.once('close', () => {
              if (open.delete(s)) {
                d.closedAfterMs.push(Math.round(ctx.now() - at));
                o.firstBlockedAt ??= ctx.now();
              }
              resolve();
            }),
          ),
        );
      } catch (e) {
        if (ctx.signal.aborted) break;
        d.failed++;
        d.firstFailure ??= (e as Error).message;
      }
    }
    if (d.opened > 0) {
      ctx.log(`${d.opened} idle connection(s) open; waiting up to ${windowMs} ms for the broker to close them`);
      const allClosed = Promise.all(closed).then(() => true);
      const deadline = (o.firstAttackAt ?? ctx.now()) + windowMs;
      await Promise.race([allClosed, pause(Math.max(0, deadline - ctx.now()), ctx.signal)]);
    }
  } finally {
    d.stillOpen = open.size;
    for (const s of open) s.destroy();
    open.clear();
  }
  d.closedAfterMs.sort((a, b) => a - b);
  if (d.opened === 0 && d.failed > 0) o.error = `no idle connection could be opened: ${d.firstFailure}`;
  return finish(ctx, o);
}

/**
 * yes: the broker closed every idle connection within the window;
 * no: at least one was still open when the window ended (and the run was not aborted before that);
 * unknown: none could be opened, or the run was aborted before the window ended.
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if (!d.opened) return { resisted: 'unknown', detail: o.error ?? 'no idle connection was opened' };
  if ((d.stillOpen ?? 0) === 0) {
    const slowest = d.closedAfterMs?.at(-1);
    return { resisted: 'yes', detail: `the broker closed all ${d.opened} connections that sent nothing${slowest !== undefined ? `, the last after ${slowest} ms` : ''}` };
  }
  if (o.stoppedBy === 'abort') return { resisted: 'unknown', detail: `the run was aborted before the ${d.windowMs} ms window ended (${d.stillOpen} still open)` };
  return { resisted: 'no', detail: `${d.stillOpen} of ${d.opened} connections that never sent CONNECT were still open after ${d.windowMs} ms` };
}

export const idleConnections: InjectKind<Params> = {
  kind: 'idle-connections',
  title: 'Connections that never send CONNECT',
  mqtt5: ['connect-no-data'],
  params: Params,
  describe: (p) => `${p.connections} connection(s) that send nothing, watched for ${typeof p.window === 'number' ? `${p.window}s` : p.window} for the broker to close them`,
  demand: (p) => ({ connections: p.connections, failedLogins: 0 }),
  run,
  resisted,
};
