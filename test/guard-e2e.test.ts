/**
 * End to end with real parts: a real Mosquitto (password file, connection
 * messages) in the "node" namespace logs to a file; the guard CLI runs in the
 * same namespace and bans through real nftables; "attacker" brute-forces
 * (bounded) over IPv4 and IPv6, "client" must keep working, "friend" is
 * allowlisted and never banned; bans expire in the kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable } from './helpers/netns.js';
import { mosquittoPasswdPath, mosquittoPath, mosquittoSkipReason } from './helpers/mosquitto.js';
import { CLI, guardLog, needCommands, requireBuild, uniqueTable, until } from './helpers/guard.js';
import { publishAs as pub } from './helpers/guard.js';

const skip = (await netnsUnavailable()) ?? (mosquittoSkipReason() || needCommands('nft', 'mosquitto_pub'));

test('guard bans a brute-forcing namespace with real nftables; the client and the allowlisted friend keep connecting; the ban expires', { skip, timeout: 120_000 }, async () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-e2e-'));
  const lab = await createLab(['node', 'attacker', 'client', 'friend']);
  const table = uniqueTable();
  try {
    const { node, attacker, client, friend } = lab.members as Record<string, { ipv4: string; ipv6: string }>;
    const log = path.join(dir, 'mosquitto.log');
    execFileSync(mosquittoPasswdPath()!, ['-c', '-b', path.join(dir, 'passwd'), 'alice', 'secret']);
    writeFileSync(path.join(dir, 'mosquitto.conf'), [
      'user root', 'persistence false', `log_dest file ${log}`,
      'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
      'log_timestamp true', 'connection_messages true', 'allow_anonymous false', `password_file ${dir}/passwd`,
      'listener 1883', '',
    ].join('\n'));
    const broker = lab.spawn('node', mosquittoPath()!, ['-c', path.join(dir, 'mosquitto.conf')]);
    assert.ok(await until(() => lab.canConnect('client', node!.ipv4, 1883), 5000), 'broker did not start');
    assert.ok(await pub(lab, 'client', node!.ipv4, 'secret'), 'legitimate publish before the attack');

    const config = path.join(dir, 'guard.yaml');
    writeFileSync(config, [
      'sources:', `  - { type: file, path: ${log} }`,
      'detect:', '  auth: { maxretry: 3, findtime: 60 }',
      'ban:', '  bantime: 4', '  factor: 2', `  table: ${table}`, `  allow: ["${friend!.ipv4}", "${friend!.ipv6}/128"]`,
      `state: ${path.join(dir, 'guard.db')}`,
      'pollMs: 50', 'startAt: start', 'metrics: { port: 19477 }', '',
    ].join('\n'));
    const guard = lab.spawn('node', process.execPath, [CLI, 'guard', '--config', config]);
    const glog = guardLog(guard);
    const exited = new Promise<number | null>((r) => guard.once('exit', (code) => r(code)));
    await glog.waitFor((r) => r.msg === 'guard started', 15_000, 'start');

    // The allowlisted friend fails 8 times and is never banned.
    for (let i = 0; i < 8; i++) assert.equal(await pub(lab, 'friend', node!.ipv4, `wrong${i}`), false);

    // The attacker: at most 10 attempts over IPv4; the ban must land after the 3rd.
    let attempts = 0;
    let blocked = false;
    for (; attempts < 10 && !blocked; attempts++) {
      assert.equal(await pub(lab, 'attacker', node!.ipv4, `guess${attempts}`), false);
      if (attempts >= 2) blocked = await until(async () => !(await lab.canConnect('attacker', node!.ipv4, 1883, 500)), 3000, 50);
    }
    assert.ok(blocked, `attacker still connects after ${attempts} attempts\n${glog.text()}`);
    assert.equal(attempts, 3, 'banned after exactly maxretry failures');
    const ban = await glog.waitFor((r) => r.msg === 'ban' && r.ip === attacker!.ipv4, 2000, 'ban record');
    assert.equal(ban.seconds, 4);
    const applied = await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes(attacker!.ipv4), 2000, 'ban applied');
    console.log(`# decision → nft ban in force: ${String(applied.ms)} ms`);

    const set = JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, 'ipv4_addr'])).stdout) as { nftables: { set?: { elem?: { elem: { val: string; timeout: number } }[] } }[] };
    const elems = set.nftables.flatMap((x) => x.set?.elem ?? []).map((e) => e.elem);
    assert.deepEqual(elems.map((e) => e.val), [attacker!.ipv4], 'only the attacker is in the set');
    assert.equal(elems[0]!.timeout, 4, 'per-element timeout');

    // Client and friend are unaffected.
    assert.equal(await lab.canConnect('client', node!.ipv4, 1883), true);
    assert.equal(await pub(lab, 'client', node!.ipv4, 'secret'), true, 'legitimate client still publishes');
    assert.equal(await pub(lab, 'friend', node!.ipv4, 'secret'), true, 'allowlisted friend still publishes');

    // IPv6: the same attacker over fd77:: lands in the ipv6 set.
    for (let i = 0; i < 3; i++) assert.equal(await pub(lab, 'attacker', node!.ipv6, `v6guess${i}`), false);
    assert.ok(await until(async () => !(await lab.canConnect('attacker', node!.ipv6, 1883, 500)), 5000, 100), `IPv6 attacker not banned\n${glog.text()}\n--- mosquitto.log ---\n${readFileSync(log, 'utf8').replace(/\d+: New connection from fd77::2:\d+ on port 1883\.\n\d+: Client <unknown> closed its connection\.\n/g, '').split('\n').slice(-60).join('\n')}`);
    assert.equal(await lab.canConnect('client', node!.ipv6, 1883), true);

    // Metrics on the node's loopback.
    const metrics = (await lab.exec('node', process.execPath, ['-e', "fetch('http://127.0.0.1:19477/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))"])).stdout;
    assert.match(metrics, /mqtt_warden_guard_failures_total\{kind="auth-failure"\} (\d+)/);
    assert.equal(Number(/mqtt_warden_guard_failures_total\{kind="auth-failure"\} (\d+)/.exec(metrics)![1]), 3 + 3 + 8);
    assert.match(metrics, /mqtt_warden_guard_ban_latency_seconds_count 2/);

    // The kernel lifts the ban after 4 s even though the daemon keeps running.
    assert.ok(await until(() => lab.canConnect('attacker', node!.ipv4, 1883, 500), 12_000, 250), 'IPv4 ban did not expire');
    assert.equal(await pub(lab, 'attacker', node!.ipv4, 'secret'), true, 'after the ban the attacker (with the right password) gets in again');

    // Operator view, then clean shutdown and --remove.
    const status = JSON.parse(execFileSync(process.execPath, [CLI, 'guard', '--config', config, 'status', '--format', 'json']).toString()) as { failuresPerIp: { ip: string; n: number }[]; positions: { source: string; offset: number }[] };
    assert.equal(status.positions[0]?.source, `file:${log}`);
    assert.ok(status.positions[0]!.offset > 0);
    const per = Object.fromEntries(status.failuresPerIp.map((f) => [f.ip, f.n]));
    assert.equal(per[attacker!.ipv4], 3);
    assert.equal(per[attacker!.ipv6], 3);
    assert.equal(per[friend!.ipv4], 8, 'allowlisted failures are recorded but never banned');
    assert.equal(per[client!.ipv4], undefined);
    guard.kill('SIGTERM');
    assert.equal(await exited, 0, 'clean exit on SIGTERM');
    await lab.exec('node', process.execPath, [CLI, 'guard', '--config', config, '--remove']);
    await assert.rejects(lab.exec('node', 'nft', ['list', 'table', 'inet', table]), /No such file|does not exist|Error/);
    broker.kill('SIGTERM');
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
