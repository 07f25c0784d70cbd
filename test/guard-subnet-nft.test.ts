/**
 * Network bans (detect.subnet) with real nftables in network namespaces: the guard daemon (built CLI) runs in
 * the "node" namespace next to a TCP listener, on a guard table left by an older guard (address sets only, one
 * element) and next to two tables that are not its own (one of them the port plan's `mqtt_warden`). Refused
 * logins from 8 addresses of 10.88.1.0/24 and of fd88:1:2:3::/64 (2 each, below the per-address rule) make it
 * ban both networks through its one long-lived `nft --interactive`; the "attacker" namespace, holding an address
 * inside and one outside each network, connects from each. `guard unban CIDR` lifts a network ban.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable, type Lab } from './helpers/netns.js';
import { CLI, guardLog, needCommands, requireBuild, uniqueTable, until } from './helpers/guard.js';

const skip = (await netnsUnavailable()) ?? needCommands('nft');

/** Whether a TCP connection from `role`, bound to the source address `from`, reaches host:port within 1 s. */
async function connectsFrom(lab: Lab, role: string, from: string, host: string, port: number): Promise<boolean> {
  const js = `const s=require('net').connect({host:${JSON.stringify(host)},port:${port},localAddress:${JSON.stringify(from)}});` +
    `s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(2),1000);`;
  try {
    await lab.exec(role, process.execPath, ['-e', js], { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}

function failures(ips: string[], per: number): string {
  const t = Math.floor(Date.now() / 1000);
  let port = 30000;
  let s = '';
  for (let r = 0; r < per; r++) for (const ip of ips) s += `${t}: New connection from ${ip}:${port++} on port 1883.\n${t}: Client <unknown> disconnected, not authorised.\n`;
  return s;
}

/** The elements of a set, by value (timeouts left out: they count down). */
async function elements(lab: Lab, table: string, set: string): Promise<string[]> {
  const j = JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, set])).stdout) as { nftables: { set?: { elem?: ({ elem: { val: unknown } } | unknown)[] } }[] };
  return j.nftables.flatMap((x) => x.set?.elem ?? []).map((e) => {
    const v = typeof e === 'object' && e !== null && 'elem' in e ? (e as { elem: { val: unknown } }).elem.val : e;
    return typeof v === 'string' ? v : `${(v as { prefix: { addr: string; len: number } }).prefix.addr}/${(v as { prefix: { len: number } }).prefix.len}`;
  }).sort();
}

/** The nft processes that are children of `pid`. */
function nftChildren(pid: number): number[] {
  const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return kids.filter((k) => {
    try {
      return readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0').join(' ').includes('nft --echo --interactive');
    } catch {
      return false;
    }
  });
}

test('network ban on real nftables: an address inside the banned /24 and /64 is refused, one outside connects; unban of the CIDR restores it; an older guard table gains the network sets, keeping its element; other tables untouched', { skip, timeout: 120_000 }, async () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-subnet-'));
  const lab = await createLab(['node', 'attacker']);
  const table = uniqueTable();
  try {
    const node = lab.members.node!;
    // The attacker holds one address inside and one outside each network to be banned.
    for (const a of ['10.88.1.5/24', '10.88.2.5/24']) await lab.exec('attacker', 'ip', ['addr', 'add', a, 'dev', 'eth0']);
    for (const a of ['fd88:1:2:3::5/64', 'fd88:1:2:4::5/64']) await lab.exec('attacker', 'ip', ['addr', 'add', a, 'dev', 'eth0', 'nodad']);
    await lab.exec('node', 'ip', ['route', 'add', '10.88.0.0/16', 'dev', 'eth0']);
    await lab.exec('node', 'ip', ['-6', 'route', 'add', 'fd88::/16', 'dev', 'eth0']);
    lab.spawn('node', process.execPath, ['-e', "require('net').createServer(c=>c.end()).listen(1883,'::')"]);
    assert.ok(await until(() => connectsFrom(lab, 'attacker', '10.88.1.5', node.ipv4, 1883), 5000), 'listener reachable from 10.88.1.5');
    for (const [from, to] of [['10.88.2.5', node.ipv4], ['fd88:1:2:3::5', node.ipv6], ['fd88:1:2:4::5', node.ipv6]]) {
      assert.ok(await connectsFrom(lab, 'attacker', from!, to!, 1883), `reachable from ${from} before any ban`);
    }

    // A guard table as an older guard left it (no network sets), and two tables that are not the guard's.
    await lab.exec('node', 'nft', ['-f', '-'], { input: [
      `add table inet ${table} { comment "mqtt-warden guard"; }`,
      `add set inet ${table} ipv4_addr { type ipv4_addr; flags timeout; }`,
      `add set inet ${table} ipv6_addr { type ipv6_addr; flags timeout; }`,
      `add chain inet ${table} input { type filter hook input priority -10; policy accept; }`,
      `add rule inet ${table} input ip saddr @ipv4_addr reject`,
      `add rule inet ${table} input ip6 saddr @ipv6_addr reject`,
      `add element inet ${table} ipv4_addr { 10.99.0.1 timeout 1h }`,
      'add table inet mqtt_warden { comment "mqtt-warden ports"; }',
      'add set inet mqtt_warden allowed_v4 { type ipv4_addr; elements = { 10.88.1.0 } }',
      'add chain inet mqtt_warden input { type filter hook input priority 0; policy accept; }',
      'add rule inet mqtt_warden input ip saddr @allowed_v4 tcp dport 1883 accept',
      'add table ip other',
      'add set ip other keep { type ipv4_addr; flags interval; elements = { 10.88.0.0/16 } }',
      'add chain ip other c { type filter hook input priority 10; policy accept; }',
      'add rule ip other c ip saddr @keep counter accept',
      '',
    ].join('\n') });
    const foreign = async () => [(await lab.exec('node', 'nft', ['list', 'table', 'inet', 'mqtt_warden'])).stdout, (await lab.exec('node', 'nft', ['list', 'table', 'ip', 'other'])).stdout.replace(/counter packets \d+ bytes \d+/g, 'counter')];
    const foreignBefore = await foreign();
    const tablesBefore = (await lab.exec('node', 'nft', ['list', 'tables'])).stdout;

    const log = path.join(dir, 'mosquitto.log');
    writeFileSync(log, '');
    const config = path.join(dir, 'guard.yaml');
    // Default rules (auth 5, subnet 10 from a /24 or /64); ban.allowDefaults keeps the node's own 10.77.0.0/24 out.
    writeFileSync(config, ['sources:', `  - { type: file, path: ${log} }`, 'ban:', `  table: ${table}`, `state: ${path.join(dir, 'guard.db')}`, 'pollMs: 50', ''].join('\n'));
    const guard = lab.spawn('node', process.execPath, [CLI, 'guard', '--config', config]);
    const glog = guardLog(guard);
    await glog.waitFor((r) => r.msg === 'guard started', 15_000, 'start');
    // The older table gained the network sets and rules, kept its element and address sets.
    assert.deepEqual(await elements(lab, table, 'ipv4_addr'), ['10.99.0.1']);
    const listing = (await lab.exec('node', 'nft', ['list', 'table', 'inet', table])).stdout;
    assert.match(listing, /set ipv4_net \{\n\s+type ipv4_addr\n\s+flags interval,timeout\n/);
    assert.match(listing, /set ipv6_net \{\n\s+type ipv6_addr\n\s+flags interval,timeout\n/);
    assert.match(listing, /ip saddr @ipv4_net reject/);
    assert.match(listing, /ip6 saddr @ipv6_net reject/);
    assert.equal(listing.match(/saddr @/g)!.length, 4, `one rule per set, no duplicate:\n${listing}`);
    assert.ok(await until(() => nftChildren(guard.pid!).length === 1, 5000), 'the nft session is started with the backend');
    const session = nftChildren(guard.pid!)[0]!;

    const v4 = Array.from({ length: 8 }, (_, i) => `10.88.1.${100 + i}`);
    const v6 = Array.from({ length: 8 }, (_, i) => `fd88:1:2:3::${(100 + i).toString(16)}`);
    appendFileSync(log, failures(v4, 2) + failures(v6, 2));
    const b4 = await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes('10.88.1.0/24'), 10_000, 'IPv4 network ban applied');
    await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes('fd88:1:2:3::/64'), 10_000, 'IPv6 network ban applied');
    const bans = glog.records.filter((r) => r.msg === 'ban');
    assert.deepEqual(bans.map((r) => [r.ip, r.reason, r.events]), [['10.88.1.0/24', 'subnet', 10], ['fd88:1:2:3::/64', 'subnet', 10]], 'two network bans, no address ban');
    console.log(`# network ban decision → in force: ${String(b4.ms)} ms`);
    assert.deepEqual(nftChildren(guard.pid!), [session], 'the bans went through the same long-lived nft --interactive');
    assert.deepEqual(await elements(lab, table, 'ipv4_net'), ['10.88.1.0/24']);
    assert.deepEqual(await elements(lab, table, 'ipv6_net'), ['fd88:1:2:3::/64']);
    assert.deepEqual(await elements(lab, table, 'ipv4_addr'), ['10.99.0.1'], 'the address set keeps its element and gains none');

    // Inside the networks: refused (also an address that never failed); outside: connects.
    assert.equal(await connectsFrom(lab, 'attacker', '10.88.1.5', node.ipv4, 1883), false, '10.88.1.5 is inside 10.88.1.0/24');
    assert.equal(await connectsFrom(lab, 'attacker', 'fd88:1:2:3::5', node.ipv6, 1883), false, 'fd88:1:2:3::5 is inside the /64');
    assert.equal(await connectsFrom(lab, 'attacker', '10.88.2.5', node.ipv4, 1883), true, '10.88.2.5 is outside');
    assert.equal(await connectsFrom(lab, 'attacker', 'fd88:1:2:4::5', node.ipv6, 1883), true, 'fd88:1:2:4::5 is outside');

    // guard bans lists the networks as in the firewall; unban of the IPv4 CIDR lifts only it.
    const listed = await lab.exec('node', process.execPath, [CLI, 'guard', 'bans', '--config', config, '-f', 'json']);
    const lb = JSON.parse(listed.stdout) as { bans: { ip: string; inFirewall: boolean; secondsLeft: number; members?: string[] }[]; firewall: { ip: string; expiresIn?: number }[] };
    assert.deepEqual(lb.bans.map((b) => [b.ip, b.inFirewall]).sort(), [['10.88.1.0/24', true], ['fd88:1:2:3::/64', true]]);
    // The firewall's own countdown is in seconds, like the state's.
    for (const b of lb.bans) {
      const f = lb.firewall.find((x) => x.ip === b.ip);
      assert.ok(f?.expiresIn !== undefined && Math.abs(f.expiresIn - b.secondsLeft) <= 5, `${b.ip}: firewall ${f?.expiresIn} s, state ${b.secondsLeft} s`);
    }
    assert.equal(lb.bans.find((b) => b.ip === '10.88.1.0/24')!.members!.length, 8);
    const un = await lab.exec('node', process.execPath, [CLI, 'guard', 'unban', '10.88.1.77/24', '--config', config]);
    assert.equal(un.stdout, '10.88.1.0/24: unbanned\n');
    assert.deepEqual(await elements(lab, table, 'ipv4_net'), []);
    assert.deepEqual(await elements(lab, table, 'ipv6_net'), ['fd88:1:2:3::/64']);
    assert.equal(await connectsFrom(lab, 'attacker', '10.88.1.5', node.ipv4, 1883), true, 'connects again after the unban');
    assert.equal(await connectsFrom(lab, 'attacker', 'fd88:1:2:3::5', node.ipv6, 1883), false, 'the /64 is still banned');

    // Nothing else changed: the other tables are as they were, no table appeared or went.
    assert.deepEqual(await foreign(), foreignBefore);
    assert.equal((await lab.exec('node', 'nft', ['list', 'tables'])).stdout, tablesBefore);
    guard.kill('SIGTERM');
    await new Promise((r) => guard.once('close', r));
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
