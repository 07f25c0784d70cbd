/**
 * The lab's in-process brokers: one Aedes instance per scenario of catalogue.ts, each on its own
 * loopback listener, each planting its scenario's weaknesses on purpose:
 *
 * - open: no authentication, every subscription and publish allowed (also into `$SYS`, which Aedes
 *   refuses by default), retained training "secrets", a retained `$SYS/<id>/…` tree, empty client IDs
 *   accepted (Aedes assigns one), duplicate client IDs take the session over (MQTT's rule for the
 *   same client, with nobody to tell clients apart);
 * - weak-login: username and password required, admin/admin accepted, every failed login refused at
 *   once with "bad username or password" and never slowed down;
 * - websocket: the open broker's rules over plain WebSocket;
 * - legacy-tls: the open broker's rules behind TLS 1.0–1.3 at OpenSSL security level 0 with the
 *   certificate of pki.ts.
 *
 * Every broker writes its connections and refused logins into the lab log (log.ts).
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesOptions, type AuthenticateError, type AuthErrorCode, type Client, type ConnectPacket } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { LAB_WEAK_USER, scenarioPort, scenarioUrl, type LabScenario } from './catalogue.js';
import type { LabLog } from './log.js';
import type { LabCertificate } from './pki.js';
import { PortTakenError } from './select.js';

/** Fake secrets retained on the open brokers: the payloads say what they are. */
export const TRAINING_SECRETS: readonly { topic: string; payload: string }[] = [
  { topic: 'lab/plant-7/historian/db-credentials', payload: 'TRAINING DATA (mqtt-warden lab), NOT A REAL SECRET: user=historian password=Winter2024!' },
  { topic: 'lab/plant-7/gateway/api-key', payload: 'TRAINING DATA (mqtt-warden lab), NOT A REAL SECRET: api_key=lab-0000-1111-2222-3333' },
  { topic: 'lab/plant-7/door/unlock-code', payload: 'TRAINING DATA (mqtt-warden lab), NOT A REAL SECRET: code=1234' },
];

export interface RunningBroker {
  scenario: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

function authError(message: string, code: AuthErrorCode): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code });
}

interface Peer {
  ip: string;
  port: number;
}

function listen(server: net.Server, host: string, port: number, scenario: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(new PortTakenError(port, scenario, e.code ?? e.message));
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}

async function makeBroker(s: LabScenario, log: LabLog, peers: WeakMap<object, Peer>): Promise<Aedes> {
  const connects = new WeakMap<Client, ConnectPacket>();
  const opts: AedesOptions = {
    id: `mqtt-warden-lab-${s.name}`,
    // Remember the CONNECT for the log line of its outcome.
    preConnect: (client, packet, done) => {
      connects.set(client, packet);
      done(null, true);
    },
    authenticate: (client, username, password, done) => {
      const peer = peers.get(client.conn) ?? { ip: '?', port: 0 };
      const packet = connects.get(client);
      const accept = () => {
        log.connected(peer.ip, peer.port, client.id, packet?.protocolVersion ?? 4, client.clean, packet?.keepalive ?? 0, username);
        done(null, true);
      };
      if (s.name !== 'weak-login') {
        accept();
        return;
      }
      // Planted: a default password, and failed logins answered at once, however many come.
      if (username === LAB_WEAK_USER.username && password?.toString('utf8') === LAB_WEAK_USER.password) {
        accept();
        return;
      }
      log.notAuthorised(client.id);
      done(authError(username ? 'bad username or password' : 'anonymous connections are not allowed', username ? 4 : 5), false);
    },
    // Planted: every publish is allowed, `$SYS` included (Aedes' default refuses `$SYS`).
    authorizePublish: (_client, _packet, done) => done(null),
  };
  const broker = await Aedes.createBroker(opts);
  broker.on('clientDisconnect', (client: Client) => log.disconnected(client.id));
  return broker;
}

function publishRetained(broker: Aedes, topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) =>
    broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: true, dup: false }, (e?: Error) => (e ? reject(e) : resolve())),
  );
}

async function plant(broker: Aedes, s: LabScenario): Promise<void> {
  // Aedes' own `$SYS/<id>/…` layout, retained so that any subscriber reads it at once.
  await publishRetained(broker, `$SYS/${broker.id}/uptime`, '0 seconds');
  await publishRetained(broker, `$SYS/${broker.id}/clients/total`, '0');
  if (s.name === 'open' || s.name === 'weak-login') {
    for (const secret of TRAINING_SECRETS) await publishRetained(broker, secret.topic, secret.payload);
  }
}

export async function startBroker(s: LabScenario, host: string, base: number, log: LabLog, cert: LabCertificate | undefined): Promise<RunningBroker> {
  const port = scenarioPort(s, base);
  const peers = new WeakMap<object, Peer>();
  const broker = await makeBroker(s, log, peers);
  await plant(broker, s);
  const streams = new Set<Duplex>();
  const serve = (stream: Duplex, socket: net.Socket, req?: http.IncomingMessage) => {
    streams.add(stream);
    stream.on('close', () => streams.delete(stream));
    stream.on('error', () => undefined);
    const peer = { ip: (socket.remoteAddress ?? '?').replace(/^::ffff:/, ''), port: socket.remotePort ?? 0 };
    peers.set(stream, peer);
    log.newConnection(peer.ip, peer.port, port);
    broker.handle(stream, req);
  };

  let server: net.Server;
  let wss: WebSocketServer | undefined;
  if (s.scheme === 'ws') {
    const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
    wss = new WebSocketServer({ server: httpServer, path: s.path ?? '/mqtt' });
    wss.on('connection', (socket, req) => serve(createWebSocketStream(socket), req.socket, req));
    server = httpServer;
  } else if (s.scheme === 'mqtts') {
    if (!cert) throw new Error(`lab scenario ${s.name}: no certificate`);
    // Planted: TLS 1.0 and 1.1 next to 1.2/1.3, and security level 0 so that OpenSSL 3 serves the
    // 1024-bit key and the SHA-1 signature at all. SSLv3 cannot be planted: OpenSSL 3 has no SSLv3.
    server = tls.createServer({ cert: cert.certPem, key: cert.keyPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' }, (socket) => serve(socket, socket));
    server.on('tlsClientError', () => undefined);
  } else {
    server = net.createServer((socket) => serve(socket, socket));
  }
  try {
    await listen(server, host, port, s.name);
  } catch (e) {
    await new Promise<void>((r) => broker.close(() => r()));
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    scenario: s.name,
    port,
    url: scenarioUrl(s, host, base),
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((r) => broker.close(() => r()));
        for (const c of streams) c.destroy();
        if (wss) {
          for (const c of wss.clients) c.terminate();
          await new Promise<void>((r) => wss.close(() => r()));
        }
        if (server instanceof http.Server) server.closeAllConnections();
        await closeServer(server);
      })()),
  };
}
