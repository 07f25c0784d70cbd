/**
 * In-process Aedes (1.x) broker on loopback for integration tests.
 *
 * aedes@1 has no default export: `await Aedes.createBroker(opts)` builds the
 * broker and runs its async persistence setup; `broker.handle(stream)` serves
 * one connection (a net.Socket or a duplex made from a WebSocket).
 */
import http from 'node:http';
import net from 'node:net';
import { Aedes, type AedesOptions, type AuthenticateError, type AuthErrorCode } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface AedesHarnessOptions {
  /** username -> password. When given, anonymous CONNECT gets return code 5 (not authorized), a wrong password 4. */
  users?: Record<string, string>;
  /** Subscriptions for which this returns true are negated: SUBACK 0x80 (128), connection stays open. */
  denySubscribe?: (topic: string) => boolean;
  /** Publishes for which this returns true are rejected (aedes then drops the client). */
  denyPublish?: (topic: string) => boolean;
  /** Also serve MQTT over WebSocket at ws://127.0.0.1:wsPort/mqtt. */
  ws?: boolean;
  /** Extra Aedes options (hooks above take precedence). */
  aedesOptions?: AedesOptions;
}

export interface AedesBroker {
  port: number;
  url: string;
  wsPort?: number;
  wsUrl?: string;
  broker: Aedes;
  stop(): Promise<void>;
}

function authError(message: string, code: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code as AuthErrorCode });
}

function listen(server: net.Server | http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') {
        reject(new Error('could not read the bound address'));
        return;
      }
      resolve(addr.port);
    });
  });
}

function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

export async function startAedes(opts: AedesHarnessOptions = {}): Promise<AedesBroker> {
  const aedesOpts: AedesOptions = { ...opts.aedesOptions };
  const { users, denySubscribe, denyPublish } = opts;
  if (users) {
    aedesOpts.authenticate = (_client, username, password, done) => {
      if (username === undefined || username === '') {
        done(authError('anonymous connections are not allowed', 5), false);
        return;
      }
      const expected = Object.prototype.hasOwnProperty.call(users, username) ? users[username] : undefined;
      if (expected === undefined || password === undefined || password.toString('utf8') !== expected) {
        done(authError('bad username or password', 4), false);
        return;
      }
      done(null, true);
    };
  }
  if (denySubscribe) {
    aedesOpts.authorizeSubscribe = (_client, sub, done) => {
      // A null subscription negates it: aedes answers SUBACK 128 and keeps the client.
      done(null, denySubscribe(sub.topic) ? null : sub);
    };
  }
  if (denyPublish) {
    aedesOpts.authorizePublish = (_client, packet, done) => {
      done(denyPublish(packet.topic) ? new Error(`publish to ${packet.topic} denied`) : null);
    };
  }

  const broker = await Aedes.createBroker(aedesOpts);
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });

  let httpServer: http.Server | undefined;
  let wss: WebSocketServer | undefined;
  const cleanupOnFailure = async (): Promise<void> => {
    await new Promise<void>((r) => broker.close(() => r()));
    await closeServer(tcp);
    if (httpServer) await closeServer(httpServer);
  };

  try {
    const port = await listen(tcp);
    const result: AedesBroker = { port, url: `mqtt://127.0.0.1:${port}`, broker, stop: async () => undefined };

    if (opts.ws) {
      httpServer = http.createServer((_req, res) => {
        res.writeHead(404).end();
      });
      wss = new WebSocketServer({ server: httpServer, path: '/mqtt' });
      wss.on('connection', (socket, req) => {
        const stream = createWebSocketStream(socket);
        stream.on('error', () => undefined);
        broker.handle(stream, req);
      });
      const wsPort = await listen(httpServer);
      result.wsPort = wsPort;
      result.wsUrl = `ws://127.0.0.1:${wsPort}/mqtt`;
    }

    let stopping: Promise<void> | undefined;
    result.stop = () => {
      stopping ??= (async () => {
        await new Promise<void>((r) => broker.close(() => r()));
        for (const s of sockets) s.destroy();
        if (wss) {
          for (const c of wss.clients) c.terminate();
          await new Promise<void>((r) => wss?.close(() => r()));
        }
        httpServer?.closeAllConnections();
        await closeServer(tcp);
        if (httpServer) await closeServer(httpServer);
      })();
      return stopping;
    };
    return result;
  } catch (err) {
    await cleanupOnFailure();
    throw err;
  }
}
