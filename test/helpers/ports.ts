/**
 * Loopback port helpers for the integration-test harness.
 */
import net from 'node:net';

/**
 * Ask the kernel for a free TCP port on 127.0.0.1 (bind to port 0, read the
 * assigned port, close). There is an unavoidable window between closing and
 * the caller binding it again; on loopback in a test run that is acceptable.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('freePort: could not read the bound address'));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * Reserve `n` distinct free ports on 127.0.0.1: every port stays bound (so no
 * other caller, and no second pick of ours, can get it) until `release()`,
 * which the caller runs just before the real server binds them. Picking many
 * ports with freePort() one by one can hand out the same port twice.
 */
export async function reservePorts(n: number): Promise<{ ports: number[]; release(): Promise<void> }> {
  const servers: net.Server[] = [];
  const release = () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      srv.unref();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve());
      });
      servers.push(srv);
    }
  } catch (e) {
    await release();
    throw e;
  }
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  return { ports, release };
}

function tryConnect(host: string, port: number, attemptTimeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), attemptTimeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Poll a TCP connect to host:port every 25 ms until it succeeds. Rejects with a
 * descriptive error once timeoutMs has elapsed. An optional AbortSignal stops
 * the polling early (the promise then rejects with the signal's reason).
 */
export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  for (;;) {
    if (signal?.aborted) {
      throw signal.reason instanceof Error ? signal.reason : new Error(`waitForPort(${host}:${port}) aborted`);
    }
    attempts += 1;
    const remaining = deadline - Date.now();
    if (await tryConnect(host, port, Math.max(25, Math.min(250, remaining)))) return;
    if (Date.now() + 25 > deadline) {
      throw new Error(
        `waitForPort: nothing accepted TCP connections on ${host}:${port} within ${timeoutMs} ms (${attempts} attempts)`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
