/** Collector: which standard MQTT, management and cluster ports answer a TCP handshake. */
import net from 'node:net';
import type { PortScan, PortService, PortState } from '../core/facts.js';

export const STANDARD_PORTS: readonly { port: number; service: PortService }[] = [
  { port: 1883, service: 'mqtt' },
  { port: 8883, service: 'mqtts' },
  { port: 8083, service: 'mqtt-ws' },
  { port: 8084, service: 'mqtt-wss' },
  { port: 18083, service: 'dashboard-http' },
  { port: 18084, service: 'dashboard-https' },
  { port: 4369, service: 'epmd' },
  { port: 4370, service: 'erlang-dist' },
  { port: 5370, service: 'cluster-rpc' },
];

export function serviceForPort(port: number): PortService | undefined {
  return STANDARD_PORTS.find((p) => p.port === port)?.service;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === '::ffff:127.0.0.1';
}

function probePort(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Omit<PortState, 'service'>> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (state: PortState['state'], detail?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ port, state, ms: Math.round(performance.now() - started), ...(detail ? { detail } : {}) });
    };
    const onAbort = () => finish('error', 'aborted: the target deadline was reached');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish('filtered', `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish('open'));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish('closed');
      else if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') finish('filtered', e.code);
      else finish('error', `${e.code ?? ''} ${e.message}`.trim());
    });
  });
}

/** TCP-connect scan of the given ports, all at once (a handful of ports). */
export async function scanPorts(
  host: string,
  ports: readonly number[],
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<PortScan> {
  const states = await Promise.all(
    ports.map(async (port) => ({
      ...(await probePort(host, port, opts.timeoutMs, opts.signal)),
      service: serviceForPort(port) ?? 'other',
    })),
  );
  return { host, loopback: isLoopback(host), ports: states.sort((a, b) => a.port - b.port) };
}
