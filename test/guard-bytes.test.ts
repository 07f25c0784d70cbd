/**
 * The Mosquitto parser's byte path (lineBytes, used by the line splitter for ASCII chunks) against
 * its string path (line(), the reference): the same events, in the same order, with the same
 * attribution, on the fixtures and on a generated log that interleaves connections, mixes IPv4 and
 * IPv6, leading zeros, CRLF, debug CONNACK lines and the 2.0/2.1 failure lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { EventSink, LineParser } from '../src/guard/events.js';
import { LineSplitter } from '../src/guard/lines.js';
import { MosquittoParser } from '../src/guard/parsers/mosquitto.js';
import { readBinaryFile } from '../src/io/read.js';

const FIX = new URL('./fixtures/logs/', import.meta.url).pathname;

/** Events of a log pushed through the splitter in chunks of `chunk` bytes; `bytes` false hides lineBytes. */
function events(log: Buffer, bytes: boolean, chunk: number): { ev: string[]; unattributed: number; snapshot: string } {
  const ev: string[] = [];
  const sink: EventSink = { event: (k, ip, t) => void ev.push(`${k} ${ip ?? '-'} ${t}`) };
  const p = new MosquittoParser(sink, { maxOpen: 64 });
  const parser: LineParser = bytes
    ? p
    : { format: p.format, line: (t, s, e, n) => p.line(t, s, e, n), get unattributed() { return p.unattributed; } };
  const sp = new LineSplitter(parser, 64 * 1024, () => 5_000);
  for (let i = 0; i < log.length; i += chunk) sp.push(log.subarray(i, i + chunk));
  if (sp.pending) sp.push(Buffer.from('\n'));
  return { ev, unattributed: p.unattributed, snapshot: p.snapshot() };
}

function generated(n: number, seed0: number): Buffer {
  let seed = seed0;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 12) % k;
  const ips = ['10.0.0.1', '10.0.0.2', '192.168.1.20', '::1', '2001:db8::7', '010.0.0.3', '10.0.0.4'];
  const open: string[] = [];
  const out: string[] = [];
  let t = 1_700_000_000;
  for (let i = 0; i < n; i++) {
    if (rnd(50) === 0) t += 40;
    const pre = [`${t}: `, '', `Nov 29 13:00:00 host mosquitto[1]: `][rnd(12) === 0 ? 1 + rnd(2) : 0];
    const eol = rnd(20) === 0 ? '\r\n' : '\n';
    const r = rnd(10);
    let line: string;
    if (r < 3 || open.length === 0 || (Math.floor(i / 500) % 2 === 0 && r < 5 && open.length < 2)) {
      const port = rnd(15) === 0 ? `0${rnd(900)}` : String(1024 + rnd(60000));
      const key = `${ips[rnd(ips.length)]}:${port}`;
      // every other block of 500 lines leaves a quarter of the connections without an outcome line
      if (Math.floor(i / 500) % 2 === 0 || rnd(4)) open.push(key);
      line = `New connection from ${key} on port ${rnd(2) ? 1883 : 8883}.`;
    } else {
      const key = open.splice(rnd(open.length), 1)[0]!;
      const ip = key.slice(0, key.lastIndexOf(':'));
      line = [
        `New client connected from ${key} as dev-${rnd(99)} (p2, c1, k60, u'x').`,
        'Client <unknown> disconnected, not authorised.',
        'Client dev-1 disconnected, not authorised.',
        'Client dev-2 disconnected, bad username or password.',
        `Client dev-3 [${key}] disconnected: not authorised.`,
        'Client <unknown> closed its connection.',
        'Client dev-4 disconnected.',
        `Sending CONNACK to ${ip} (0, ${[5, 0, 4, 135][rnd(4)]})`,
        'Client <unknown> disconnected due to protocol error.',
        `Client from ${key} appears to be using TLS to connect to a non-TLS listener.`,
        `New client connected from ${key}`,
        'Client',
        // a login on a connection whose first line is missing (same address, another port)
        `New client connected from ${ip}:${1 + rnd(1000)} as dev-5 (p2, c1, k60, u'x').`,
      ][rnd(13)]!;
    }
    out.push(pre + line + eol);
  }
  return Buffer.from(out.join(''));
}

test('byte path = string path on every fixture log', () => {
  const logs = readdirSync(FIX).filter((f) => f.startsWith('mosquitto') && f.endsWith('.log'));
  assert.ok(logs.length >= 5);
  for (const f of logs) {
    const log = readBinaryFile(path.join(FIX, f), 'system', { label: 'log file' });
    const ref = events(log, false, 1 << 20);
    assert.ok(ref.ev.length > 0, f);
    for (const chunk of [7, 4096, 1 << 20]) assert.deepEqual(events(log, true, chunk), ref, `${f}, chunks of ${chunk} bytes`);
  }
});

test('byte path = string path on a generated log of interleaved connections and every line shape', () => {
  for (const seed of [1, 2, 3]) {
    const log = generated(20_000, seed);
    const ref = events(log, false, 1 << 20);
    assert.ok(ref.ev.filter((e) => e.startsWith('auth-failure')).length > 500, 'the generated log has failures');
    assert.ok(ref.ev.some((e) => e.startsWith('auth-failure -')) && ref.ev.some((e) => e.startsWith('auth-failure 10.0.0.')), 'both attributed and unattributed');
    for (const chunk of [333, 65_536]) assert.deepEqual(events(log, true, chunk), ref, `seed ${seed}, chunks of ${chunk} bytes`);
  }
});
