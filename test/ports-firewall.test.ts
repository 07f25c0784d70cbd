/**
 * The rendered firewalls, loaded with the real `nft` and `iptables-restore`
 * inside a network-namespace lab, judged by real TCP connections (and a real
 * MQTT publish through Mosquitto) from peers, clients, admins and outsiders,
 * over IPv4 and IPv6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLab, netnsUnavailable, type Lab } from './helpers/netns.js';
import { buildPlan } from '../src/ports/plan.js';
import { firewallSpec } from '../src/ports/spec.js';
import { renderNftables } from '../src/ports/render/nftables.js';
import { renderIptables } from '../src/ports/render/iptables.js';
import { applyTable, diffTable, liveTable, removeTable, type NftRunner } from '../src/firewall/nft.js';

const unavailable = await netnsUnavailable();
const ROLES = ['node', 'peer', 'client', 'admin', 'outsider'] as const;
type Role = (typeof ROLES)[number];

// Lab addresses: 10.77.0.(i+1) and fd77::(i+1) in role order.
const plan = buildPlan({
  nodes: [
    {
      name: 'emqx1@10.77.0.1',
      kind: 'emqx',
      addresses: ['10.77.0.1', 'fd77::1'],
      listeners: [
        { type: 'tcp', port: 1883 },
        { type: 'ssl', port: 8883 },
        { type: 'wss', port: 8084, audience: 'any' },
        { type: 'dashboard-http', port: 18083 },
      ],
    },
    { name: 'emqx2@10.77.0.2', kind: 'emqx', addresses: ['10.77.0.2', 'fd77::2'] },
  ],
  clients: ['10.77.0.3', 'fd77::3'],
  admins: ['10.77.0.4/32', 'fd77::4/128'],
  peers: [],
  ssh: false,
});

const UNPLANNED = 9999;
/** Who must get through to which port of the node; everybody else must be dropped. */
const EXPECT: Record<number, Role[]> = {
  4371: ['peer'], // Erlang distribution of emqx1
  5371: ['peer'], // cluster RPC, stateless
  1883: ['client'],
  8883: ['client'],
  8084: ['peer', 'client', 'admin', 'outsider'], // planned for anyone
  18083: ['admin'],
  [UNPLANNED]: [],
};

async function startListeners(lab: Lab, dir: string): Promise<void> {
  const conf = join(dir, 'mosquitto.conf');
  // Real Mosquitto on the MQTT ports; `user root` keeps it from switching to a user that cannot read the temp dir.
  writeFileSync(conf, 'user root\nlistener 1883\nlistener 8883\nallow_anonymous true\nlog_dest stderr\n');
  lab.spawn('node', 'mosquitto', ['-c', conf]);
  const tcpPorts = [4371, 5371, 8084, 18083, UNPLANNED];
  const server = lab.spawn('node', process.execPath, [
    '-e',
    `const net=require('net');let n=0;for(const p of ${JSON.stringify(tcpPorts)})net.createServer(c=>c.end()).listen(p,'::',()=>{if(++n===${tcpPorts.length})console.log('up')})`,
  ]);
  await once(server.stdout!, 'data');
  for (let i = 0; i < 50; i++) {
    if ((await lab.canConnect('node', '127.0.0.1', 1883, 500)) && (await lab.canConnect('node', '127.0.0.1', 8883, 500))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Mosquitto did not start in the node namespace');
}

/** Every role × every port, in parallel; returns the mismatches. */
async function reachability(lab: Lab, family: 4 | 6): Promise<string[]> {
  const node = lab.members.node!;
  const host = family === 4 ? node.ipv4 : node.ipv6;
  const checks = ROLES.filter((r) => r !== 'node').flatMap((role) =>
    Object.entries(EXPECT).map(async ([port, allowed]) => {
      const want = allowed.includes(role);
      // Expected drops need only a short wait; expected accepts get more time.
      const got = await lab.canConnect(role, host, Number(port), want ? 3000 : 700);
      return got === want ? undefined : `IPv${family} ${role} → ${port}: ${got ? 'connected' : 'blocked'}, expected ${want ? 'connected' : 'blocked'}`;
    }),
  );
  return (await Promise.all(checks)).filter((x): x is string => Boolean(x));
}

async function mqttPublish(lab: Lab, role: Role, host: string): Promise<boolean> {
  try {
    await lab.exec(role, 'timeout', ['3', 'mosquitto_pub', '-h', host, '-p', '1883', '-t', 'mqtt-warden/fw', '-m', 'x', '-q', '1'], { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}

test('nftables: the rendered table enforces the plan over IPv4 and IPv6, re-applies idempotently and is removed cleanly', { skip: unavailable, timeout: 120_000 }, async () => {
  const lab = await createLab([...ROLES]);
  const dir = mkdtempSync(join(tmpdir(), 'mw-fw-'));
  const table = `mw_${process.pid}_${randomBytes(2).toString('hex')}`;
  const nft: NftRunner = (args, input) => lab.exec('node', 'nft', args, input === undefined ? {} : { input });
  try {
    await startListeners(lab, dir);
    // Without a firewall every role reaches every port: the drops below come from the rules.
    assert.equal(await lab.canConnect('outsider', '10.77.0.1', UNPLANNED, 3000), true, 'the unplanned listener must be reachable before the firewall');
    const rendered = renderNftables(firewallSpec(plan, 'emqx1@10.77.0.1'), { name: table, priority: 0 });
    const before = await diffTable(nft, rendered, table);
    assert.equal(before.live, undefined);
    assert.equal(before.equal, false);
    assert.match(before.diff, /\+\s+chain input/);

    await applyTable(nft, rendered);
    await applyTable(nft, rendered); // idempotent re-apply
    const after = await diffTable(nft, rendered, table);
    assert.equal(after.equal, true, after.diff);
    assert.equal((await nft(['list', 'tables'])).stdout.match(new RegExp(`table inet ${table}\\b`, 'g'))?.length, 1);

    const [v4, v6] = await Promise.all([reachability(lab, 4), reachability(lab, 6)]);
    assert.deepEqual(v4, []);
    assert.deepEqual(v6, []);
    // Loopback stays open; a real MQTT publish crosses the firewall from the client, not from the outsider.
    assert.equal(await lab.canConnect('node', '127.0.0.1', 18083, 2000), true);
    assert.equal(await mqttPublish(lab, 'client', '10.77.0.1'), true);
    assert.equal(await mqttPublish(lab, 'client', 'fd77::1'), true);
    assert.equal(await mqttPublish(lab, 'outsider', '10.77.0.1'), false);

    assert.equal(await removeTable(nft, table, 'ports'), true);
    assert.equal(await removeTable(nft, table, 'ports'), false, 'removing twice is a no-op');
    assert.equal(await liveTable(nft, table), undefined);
    assert.equal(await lab.canConnect('outsider', '10.77.0.1', UNPLANNED, 3000), true, 'after removal nothing is filtered');
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iptables / ip6tables scripts: only the plan\'s own chain, enforcing the same plan; other chains and rules stay', { skip: unavailable, timeout: 120_000 }, async () => {
  const lab = await createLab([...ROLES]);
  const dir = mkdtempSync(join(tmpdir(), 'mw-fw-'));
  try {
    await startListeners(lab, dir);
    const spec = firewallSpec(plan, '10.77.0.1');
    const opts = { name: `mw${process.pid % 100000}`, priority: 0 };
    // Someone else's chain and INPUT rule (here: a counting rule that accepts nothing) must survive the plan.
    await lab.exec('node', 'iptables', ['-N', 'OTHER']);
    await lab.exec('node', 'iptables', ['-A', 'OTHER', '-p', 'tcp', '--dport', '7', '-j', 'RETURN']);
    await lab.exec('node', 'iptables', ['-A', 'INPUT', '-j', 'OTHER']);
    for (let i = 0; i < 2; i++) {
      // Twice: running the script again must leave the same rules (no duplicated jump).
      await lab.exec('node', 'sh', ['-s'], { input: renderIptables(spec, opts, 4) });
      await lab.exec('node', 'sh', ['-s'], { input: renderIptables(spec, opts, 6) });
    }
    const listed = (await lab.exec('node', 'iptables', ['-S', 'INPUT'])).stdout;
    assert.equal(listed.match(/-j MW/g)?.length, 1, listed);
    assert.match(listed, /^-P INPUT ACCEPT$/m, 'the INPUT policy is not the plan\'s to change');
    assert.match(listed, /^-A INPUT -j OTHER$/m, 'other INPUT rules stay');
    assert.match((await lab.exec('node', 'iptables', ['-S', 'OTHER'])).stdout, /--dport 7 -j RETURN/, 'other chains stay');
    const [v4, v6] = await Promise.all([reachability(lab, 4), reachability(lab, 6)]);
    assert.deepEqual(v4, []);
    assert.deepEqual(v6, []);
    assert.equal(await mqttPublish(lab, 'client', 'fd77::1'), true);
    // A chain of the same name that is not the plan's is refused, and left as it was.
    const foreign = { name: 'other', priority: 0 };
    await assert.rejects(lab.exec('node', 'sh', ['-s'], { input: renderIptables(spec, foreign, 4) }), /refusing to replace iptables chain OTHER/);
    assert.match((await lab.exec('node', 'iptables', ['-S', 'OTHER'])).stdout, /--dport 7 -j RETURN/);
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
