/**
 * Hostile TCP "brokers" on 127.0.0.1 for robustness tests: none of them ever
 * sends a valid CONNACK.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';

export interface HostileServer {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Closes the server and destroys every socket still open. */
  stop(): Promise<void>;
}

/**
 * Garbage prefix. 0xff as first byte is packet type 15 (AUTH) with flags 0xf:
 * reserved in 3.1.1 and malformed in v5 (AUTH flags must be 0). The next five
 * bytes as a remaining length are a malformed variable byte integer (more than
 * four bytes with the continuation bit set).
 */
export const GARBAGE_PREFIX = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);

function garbage(len: number): Buffer {
  const buf = randomBytes(len);
  // Never start with 0x20 (CONNACK packet type) to keep "no valid CONNACK" a guarantee.
  return Buffer.concat([GARBAGE_PREFIX, buf.map((b) => (b === 0x20 ? 0x21 : b))]);
}

/**
 * Listen on a free loopback port and track every raw TCP connection, so stop()
 * can destroy them. Works for net and tls servers alike (both emit 'connection').
 */
export async function serveServer(server: net.Server): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  server.on('connection', (socket: net.Socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // peers reset connections all the time here
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') reject(new Error('could not read the bound address'));
      else resolve(addr.port);
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    port,
    connections: () => count,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopping;
    },
  };
}

function serve(onConnection: (socket: net.Socket) => void): Promise<HostileServer> {
  return serveServer(net.createServer(onConnection));
}

/** Writes garbage bytes as soon as a client connects and answers any data with more garbage. */
export function garbageServer(): Promise<HostileServer> {
  return serve((socket) => {
    socket.write(garbage(64));
    socket.on('data', () => {
      if (!socket.destroyed && socket.writable) socket.write(garbage(32));
    });
  });
}

/** Accepts and reads, never answers, never closes (until stop()). */
export function silentServer(): Promise<HostileServer> {
  return serve((socket) => {
    socket.on('data', () => undefined);
  });
}

/** Accepts and immediately destroys the socket. */
export function closingServer(): Promise<HostileServer> {
  return serve((socket) => {
    socket.destroy();
  });
}

/** A 3.1.1 CONNACK "accepted" (0x20 0x02 0x00 0x00). */
const CONNACK_OK = Buffer.from([0x20, 0x02, 0x00, 0x00]);

/** Answers every connection's first bytes with an accepted 3.1.1 CONNACK, then never says another word. */
export function connackThenSilentServer(): Promise<HostileServer> {
  return serve((socket) => {
    socket.once('data', () => socket.write(CONNACK_OK));
    socket.on('data', () => undefined);
  });
}

/**
 * Accepts the CONNECT, then floods the client with PUBLISH packets of
 * `payloadBytes` each, as fast as the socket drains, until it closes.
 */
export function floodServer(payloadBytes = 64 * 1024): Promise<HostileServer> {
  const topic = Buffer.from('flood/t');
  const body = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, Buffer.alloc(payloadBytes, 0x61)]);
  const lengthBytes: number[] = [];
  let n = body.length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    lengthBytes.push(b);
  } while (n > 0);
  const publish = Buffer.concat([Buffer.from([0x30, ...lengthBytes]), body]);
  return serve((socket) => {
    socket.once('data', () => {
      socket.write(CONNACK_OK);
      const pump = () => {
        while (!socket.destroyed && socket.write(publish)) {
          /* keep writing until the kernel buffer is full */
        }
      };
      socket.on('drain', pump);
      pump();
    });
    socket.on('data', () => undefined);
  });
}

/** Answers the CONNECT with a fixed header announcing a 256 MB packet, then trickles bytes. */
export function hugePacketServer(): Promise<HostileServer> {
  return serve((socket) => {
    socket.once('data', () => {
      socket.write(Buffer.from([0x20, 0xff, 0xff, 0xff, 0x7f]));
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer);
        else socket.write(Buffer.alloc(256 * 1024));
      }, 5);
      socket.on('close', () => clearInterval(timer));
    });
  });
}

/**
 * A scripted fake broker: parses what the client sends (mqtt-packet, the
 * protocol version taken from its CONNECT) and lets `script` answer each packet
 * with raw bytes or packets.
 */
export function scriptedBroker(
  script: (packet: mqttPacket.Packet, reply: { packet(p: mqttPacket.Packet): void; raw(b: Buffer): void; close(): void; version: number }) => void,
): Promise<HostileServer> {
  return serve((socket) => {
    let version = 4;
    let parser = mqttPacket.parser({ protocolVersion: 5 });
    const reply = {
      packet: (p: mqttPacket.Packet) => !socket.destroyed && socket.write(mqttPacket.generate(p, { protocolVersion: version })),
      raw: (b: Buffer) => !socket.destroyed && socket.write(b),
      close: () => socket.destroy(),
      get version() {
        return version;
      },
    };
    const onPacket = (p: mqttPacket.Packet) => {
      if (p.cmd === 'connect') {
        version = p.protocolVersion ?? 4;
        // Re-create the parser so that later packets decode with the client's version.
        parser.removeAllListeners();
        parser = mqttPacket.parser({ protocolVersion: version });
        parser.on('packet', onPacket);
        parser.on('error', () => socket.destroy());
      }
      script(p, reply);
    };
    parser.on('packet', onPacket);
    parser.on('error', () => socket.destroy());
    socket.on('data', (d: Buffer) => parser.parse(d));
  });
}
