/** /proc/net socket tables: decoding, malformed lines, and the live table against a real listener. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAddress, parseProcNetTable, readListeningSockets } from '../src/collectors/system/sockets.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

test('decodes the kernel hex addresses', () => {
  assert.equal(decodeAddress('0100007F', 4), '127.0.0.1');
  assert.equal(decodeAddress('00000000', 4), '0.0.0.0');
  assert.equal(decodeAddress('00000000000000000000000001000000', 6), '::1');
  assert.equal(decodeAddress('00000000000000000000000000000000', 6), '::');
  assert.equal(decodeAddress('0000000000000000FFFF00000100007F', 6), '::ffff:127.0.0.1');
  assert.equal(decodeAddress('B80D0120000000000000000001000000', 6), '2001:db8::1');
  assert.equal(decodeAddress('zz', 4), undefined);
});

test('keeps LISTEN sockets and unconnected UDP, reports malformed lines with their number', () => {
  const tcp =
    HEADER +
    '   0: 00000000:075B 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 1001 1 0000000000000000 100 0 0 10 0\n' +
    '   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 20 4 30 10 -1\n' +
    '   2: garbage\n' +
    '   3: 0100007F:46';
  const { sockets, bad } = parseProcNetTable(tcp, 'tcp', 4);
  assert.deepEqual(
    sockets.map((s) => [s.address, s.port, s.wildcard, s.uid, s.inode]),
    [['0.0.0.0', 1883, true, 107, 1001]],
  );
  assert.deepEqual(bad, [4, 5]);
  const udp = HEADER + '  10: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2001 2 0000000000000000 0\n';
  assert.deepEqual(parseProcNetTable(udp, 'udp', 4).sockets.map((s) => s.port), [68]);
});

test('an offline root: tables read under the root, no process mapping, unreadable tables named', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mw-sockets-'));
  try {
    mkdirSync(join(root, 'proc', 'net'), { recursive: true });
    writeFileSync(join(root, 'proc', 'net', 'tcp'), HEADER + '   0: 0100007F:075B 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 1001 1 0 100 0 0 10 0\n');
    const t = await readListeningSockets(root);
    assert.equal(t.processesMapped, false);
    assert.deepEqual(t.sockets.map((s) => `${s.proto}/${s.address}:${s.port}/${s.loopback}`), ['tcp/127.0.0.1:1883/true']);
    assert.deepEqual(t.problems.map((p) => p.file), [join(root, 'proc', 'net', 'udp')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the live table shows a real listener of this process, mapped to its PID', async () => {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const port = (server.address() as net.AddressInfo).port;
    const t = await readListeningSockets('/');
    const mine = t.sockets.find((s) => s.proto === 'tcp' && s.port === port && s.address === '127.0.0.1');
    assert.ok(mine, `port ${port} not found`);
    if (t.processesMapped) assert.ok(mine.processes.some((p) => p.pid === process.pid), 'not mapped to this process');
  } finally {
    server.close();
  }
});
