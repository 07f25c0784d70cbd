/** The namespace lab helper itself: isolation from the host, reachability inside, cleanup. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createLab, netnsUnavailable } from './helpers/netns.js';

const unavailable = await netnsUnavailable();

test('lab members reach each other over IPv4 and IPv6, and the lab is removed afterwards', { skip: unavailable, timeout: 30_000 }, async () => {
  const lab = await createLab(['server', 'client']);
  try {
    const { server } = lab.members;
    const listener = lab.spawn('server', process.execPath, [
      '-e',
      "const s=require('net').createServer(c=>c.end()).listen(7001,'::',()=>console.log('up'))",
    ]);
    await once(listener.stdout!, 'data');
    assert.equal(await lab.canConnect('client', server!.ipv4, 7001), true);
    assert.equal(await lab.canConnect('client', server!.ipv6, 7001), true);
    assert.equal(await lab.canConnect('client', server!.ipv4, 7002), false, 'a closed port must not connect');
    // The host namespace has no route into the lab.
    assert.doesNotMatch(execFileSync('ip', ['-4', 'addr']).toString(), /10\.77\.0\./);
  } finally {
    await lab.destroy();
  }
  const left = execFileSync('ip', ['netns', 'list']).toString();
  for (const m of Object.values(lab.members)) assert.ok(!left.includes(m.ns), `${m.ns} left behind`);
});
