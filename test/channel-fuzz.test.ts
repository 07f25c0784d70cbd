/**
 * Bounded, seeded fuzzing of the MQTT channel: mutated broker answers must end
 * in a CONNACK outcome or a ProbeError within the timeout, never an uncaught
 * exception or a hang.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { mqttConnect, ProbeError } from '../src/collectors/mqtt/channel.js';
import { makeEndpoint } from '../src/core/targets.js';

const CASES = 160;
const SEED = 0x5eed;

/** mulberry32: a tiny seeded PRNG so that a failing case can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validAnswers(version: 4 | 5): Buffer[] {
  const g = (p: mqttPacket.Packet) => mqttPacket.generate(p, { protocolVersion: version });
  return [
    g({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false, ...(version === 5 ? { properties: { topicAliasMaximum: 10, receiveMaximum: 20, assignedClientIdentifier: 'auto-x' } } : {}) }),
    g({ cmd: 'suback', messageId: 1, granted: [0] }),
    g({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('hello'), qos: 0, retain: true, dup: false }),
    g({ cmd: 'disconnect' }),
  ];
}

function mutate(rand: () => number, input: Buffer): Buffer {
  const bytes = [...input];
  const ops = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < ops; i++) {
    const at = Math.floor(rand() * (bytes.length + 1));
    switch (Math.floor(rand() * 4)) {
      case 0:
        if (bytes.length) bytes[at % bytes.length] = Math.floor(rand() * 256);
        break;
      case 1:
        bytes.splice(at, Math.floor(rand() * 8));
        break;
      case 2:
        bytes.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)));
        break;
      default:
        bytes.length = Math.min(bytes.length, at);
    }
  }
  return Buffer.from(bytes);
}

const answers: Buffer[] = [];
let server: net.Server;
let port = 0;
before(async () => {
  const rand = prng(SEED);
  for (let i = 0; i < CASES; i++) {
    const version = rand() < 0.5 ? 4 : 5;
    answers.push(mutate(rand, Buffer.concat(validAnswers(version))));
  }
  let next = 0;
  server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    const answer = answers[next++ % answers.length]!;
    socket.once('data', () => {
      // Split the answer at a random point to exercise partial reads.
      const cut = answer.length ? (next * 7919) % answer.length : 0;
      socket.write(answer.subarray(0, cut));
      setTimeout(() => !socket.destroyed && socket.end(answer.subarray(cut)), 2);
    });
  });
  port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test(`${CASES} mutated broker answers end in a CONNACK outcome or a ProbeError within the timeout`, async () => {
  const ep = makeEndpoint('mqtt', '127.0.0.1', port, true);
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < CASES; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, CASES - i) }, async (_, j) => {
        const started = performance.now();
        const version = (i + j) % 2 === 0 ? 5 : 4;
        try {
          const { outcome, channel } = await mqttConnect(ep, version, { clientId: `fuzz-${i + j}` }, { timeoutMs: 300 });
          channel?.close();
          const key = outcome.kind === 'connack' ? 'connack' : `no-connack:${outcome.error.kind}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        } catch (e) {
          assert.ok(e instanceof ProbeError, `case ${i + j}: unexpected ${String(e)}`);
          outcomes[`throw:${e.kind}`] = (outcomes[`throw:${e.kind}`] ?? 0) + 1;
        }
        assert.ok(performance.now() - started < 2000, `case ${i + j} took too long`);
      }),
    );
  }
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  assert.equal(total, CASES);
  // The corpus must exercise both the happy path and the malformed path.
  assert.ok((outcomes.connack ?? 0) > 0, JSON.stringify(outcomes));
  assert.ok((outcomes['no-connack:malformed'] ?? 0) + (outcomes['no-connack:closed'] ?? 0) > 0, JSON.stringify(outcomes));
});
