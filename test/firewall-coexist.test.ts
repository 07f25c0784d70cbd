/**
 * The port plan and the guard on one broker host, with real parts: a real
 * Mosquitto with password auth in the "node" namespace, the port plan applied
 * through the CLI (`ports --apply` inside the namespace), the guard daemon on
 * the nftables backend following the broker's log, and real failed logins from
 * the "attacker" namespace. Each part owns its table (inet mqtt_warden /
 * inet mqtt_warden_guard, the defaults); neither removes, flushes or replaces
 * the other's, and every --dry-run changes nothing. Run in both start orders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess, type CliRun } from './helpers/cli.js';
import { createLab, netnsUnavailable, type Lab } from './helpers/netns.js';
import { mosquittoPasswdPath, mosquittoPath, mosquittoSkipReason } from './helpers/mosquitto.js';
import { CLI, guardLog, needCommands, requireBuild, until } from './helpers/guard.js';
import { publishAs as pub } from './helpers/guard.js';

const skip = (await netnsUnavailable()) ?? (needCommands('nft') || mosquittoSkipReason() || needCommands('mosquitto_pub'));

const PLAN_TABLE = 'mqtt_warden';
const GUARD_TABLE = 'mqtt_warden_guard';
const UNPLANNED = 9999;

/** The built CLI inside a lab namespace, bounded in time; resolves with the exit code whatever it is. */
function cliIn(lab: Lab, role: string, args: string[], timeoutMs = 30_000): Promise<CliRun> {
  return runProcess('ip', ['netns', 'exec', lab.members[role]!.ns, process.execPath, CLI, ...args], { timeoutMs });
}

async function tableListing(lab: Lab, table: string): Promise<string | undefined> {
  try {
    return (await lab.exec('node', 'nft', ['list', 'table', 'inet', table])).stdout;
  } catch {
    return undefined;
  }
}

async function banned(lab: Lab): Promise<string[]> {
  const json = JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', GUARD_TABLE, 'ipv4_addr'])).stdout) as { nftables: { set?: { elem?: { elem: { val: string } }[] } }[] };
  return json.nftables.flatMap((x) => x.set?.elem ?? []).map((e) => e.elem.val);
}

for (const order of ['plan first', 'guard first'] as const) {
  test(`port plan and guard coexist (${order}): bans, re-applies, removals and dry runs leave the other part's table alone`, { skip, timeout: 240_000 }, async () => {
    requireBuild();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-coexist-'));
    const lab = await createLab(['node', 'attacker', 'client']);
    try {
      const { node, attacker } = lab.members as Record<string, { ipv4: string; ipv6: string }>;
      const host = node!.ipv4;
      // The broker: password auth, connection messages to a log file the guard follows.
      const log = path.join(dir, 'mosquitto.log');
      const conf = path.join(dir, 'mosquitto.conf');
      execFileSync(mosquittoPasswdPath()!, ['-c', '-b', path.join(dir, 'passwd'), 'alice', 'secret']);
      writeFileSync(conf, [
        'user root', 'persistence false', `log_dest file ${log}`,
        'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
        'connection_messages true', 'allow_anonymous false', `password_file ${dir}/passwd`,
        'listener 1883', '',
      ].join('\n'));
      lab.spawn('node', mosquittoPath()!, ['-c', conf]);
      // A listener the plan does not open: proof that the plan's policy drop is in force.
      const extra = lab.spawn('node', process.execPath, ['-e', `require('net').createServer(c=>c.end()).listen(${UNPLANNED},'::',()=>console.log('up'))`]);
      await once(extra.stdout!, 'data');
      assert.ok(await until(() => lab.canConnect('client', host, 1883), 5000), 'broker did not start');
      assert.ok(await until(() => lab.canConnect('client', host, UNPLANNED), 5000), 'extra listener did not start');
      assert.ok(await pub(lab, 'client', host, 'secret'), 'legitimate publish before anything');

      // The plan: Mosquitto's listener for the lab's network (attacker included: only the guard stops it).
      const planArgs = ['ports', '--mosquitto-config', conf, '--address', host, '--clients', '10.77.0.0/24,fd77::/64', '--no-ssh'];
      const applyPlan = async (extraArgs: string[] = []) => {
        const r = await cliIn(lab, 'node', [...planArgs, ...extraArgs, '--apply']);
        assert.equal(r.code, 0, `ports --apply: ${r.stderr}`);
        assert.match(r.stderr, /applied table inet mqtt_warden \((new|replaced)\)/);
        return r;
      };

      // The guard: nftables backend, default table, following the log.
      const guardConfig = path.join(dir, 'guard.yaml');
      writeFileSync(guardConfig, [
        'sources:', `  - { type: file, path: ${log} }`,
        'detect:', '  auth: { maxretry: 3, findtime: 60 }',
        'ban:', '  bantime: 120', '  backend: nftables',
        `state: ${path.join(dir, 'guard.db')}`,
        'pollMs: 50', 'startAt: start', '',
      ].join('\n'));
      const startGuard = async () => {
        const g = lab.spawn('node', process.execPath, [CLI, 'guard', '--config', guardConfig]);
        const glog = guardLog(g);
        const exited = new Promise<number | null>((r) => g.once('exit', (code) => r(code)));
        await glog.waitFor((r) => r.msg === 'guard started', 15_000, 'start');
        return { g, glog, exited };
      };

      let guard;
      if (order === 'plan first') {
        await applyPlan();
        guard = await startGuard();
      } else {
        guard = await startGuard();
        await applyPlan();
      }
      const planListing = await tableListing(lab, PLAN_TABLE);
      const guardListing = await tableListing(lab, GUARD_TABLE);
      assert.match(planListing ?? '', /^\tcomment "mqtt-warden ports"$/m);
      assert.match(planListing ?? '', /type filter hook input priority filter; policy drop;/);
      assert.match(guardListing ?? '', /^\tcomment "mqtt-warden guard"$/m);
      assert.match(guardListing ?? '', /type filter hook input priority filter - 10; policy accept;/, 'the guard decides before the plan');
      assert.equal(await lab.canConnect('client', host, UNPLANNED, 700), false, 'the plan drops the unplanned port');
      assert.ok(await pub(lab, 'client', host, 'secret'), 'the plan lets the client publish');

      // A burst of failed logins from the attacker: banned after maxretry, the client keeps working.
      let blocked = false;
      for (let attempts = 0; attempts < 10 && !blocked; attempts++) {
        assert.equal(await pub(lab, 'attacker', host, `guess${attempts}`), false);
        if (attempts >= 2) blocked = await until(async () => !(await lab.canConnect('attacker', host, 1883, 500)), 3000, 50);
      }
      assert.ok(blocked, `attacker still connects\n${guard.glog.text()}`);
      assert.deepEqual(await banned(lab), [attacker!.ipv4]);
      assert.ok(await pub(lab, 'client', host, 'secret'), 'client unaffected by the ban');

      // Refusals: neither part touches the other's table, whatever --table says.
      const gRemoveWrong = await cliIn(lab, 'node', ['guard', '--config', guardConfig, '--table', PLAN_TABLE, '--remove']);
      assert.equal(gRemoveWrong.code, 2, gRemoveWrong.stderr);
      assert.match(gRemoveWrong.stderr, /refusing to delete table inet mqtt_warden: it belongs to mqtt-warden ports/);
      const gStartWrong = await cliIn(lab, 'node', ['guard', '--table', PLAN_TABLE, '--log', log, '--state', path.join(dir, 'wrong.db')]);
      assert.equal(gStartWrong.code, 2, gStartWrong.stderr);
      assert.match(gStartWrong.stderr, /refusing to take over table inet mqtt_warden: it belongs to mqtt-warden ports/);
      const pApplyWrong = await cliIn(lab, 'node', [...planArgs, '--table', GUARD_TABLE, '--apply']);
      assert.equal(pApplyWrong.code, 2, pApplyWrong.stderr);
      assert.match(pApplyWrong.stderr, /refusing to replace table inet mqtt_warden_guard: it belongs to mqtt-warden guard/);
      const pRemoveWrong = await cliIn(lab, 'node', ['ports', '--table', GUARD_TABLE, '--remove']);
      assert.equal(pRemoveWrong.code, 2, pRemoveWrong.stderr);
      assert.match(pRemoveWrong.stderr, /refusing to delete table inet mqtt_warden_guard/);
      assert.equal(await tableListing(lab, PLAN_TABLE), planListing, 'the refusals left the plan\'s table as it was');
      assert.deepEqual(await banned(lab), [attacker!.ipv4], 'the refusals left the ban set as it was');

      // Dry runs change nothing, whatever else is given.
      const gRemoveDry = await cliIn(lab, 'node', ['guard', '--config', guardConfig, '--dry-run', '--remove']);
      assert.equal(gRemoveDry.code, 0, gRemoveDry.stderr);
      assert.match(gRemoveDry.stdout, /^nft: delete table inet mqtt_warden_guard$/m);
      const gUnbanDry = await cliIn(lab, 'node', ['guard', '--config', guardConfig, 'unban', attacker!.ipv4, '--dry-run']);
      assert.equal(gUnbanDry.code, 0, gUnbanDry.stderr);
      assert.match(gUnbanDry.stdout, /would be unbanned; in the firewall: would be removed/);
      const pRemoveDry = await cliIn(lab, 'node', ['ports', '--remove', '--dry-run']);
      assert.equal(pRemoveDry.code, 0, pRemoveDry.stderr);
      const pApplyDry = await cliIn(lab, 'node', [...planArgs, '--clients', '192.0.2.0/24', '--apply', '--dry-run']);
      assert.equal(pApplyDry.code, 0, pApplyDry.stderr);
      assert.match(pApplyDry.stdout, /192\.0\.2\.0\/24/, 'the preview shows the change');
      assert.equal(await tableListing(lab, PLAN_TABLE), planListing, 'no dry run changed the plan\'s table');
      assert.deepEqual(await banned(lab), [attacker!.ipv4], 'no dry run changed the ban set');
      assert.equal(await lab.canConnect('attacker', host, 1883, 500), false, 'still banned after the dry runs');

      // Re-apply a changed plan while the guard runs: the ban set is intact and the ban still decides first.
      const reapplied = await applyPlan(['--clients', '192.0.2.0/24']);
      assert.match(reapplied.stderr, /\(replaced\)/);
      assert.match((await tableListing(lab, PLAN_TABLE)) ?? '', /192\.0\.2\.0\/24/);
      assert.deepEqual(await banned(lab), [attacker!.ipv4], 'ban set intact after re-applying the plan');
      assert.equal(await lab.canConnect('attacker', host, 1883, 500), false, 'ban still enforced after re-applying the plan');
      assert.ok(await pub(lab, 'client', host, 'secret'));

      // ports --remove: the guard's table and its ban stay.
      const pRemove = await cliIn(lab, 'node', ['ports', '--remove']);
      assert.equal(pRemove.code, 0, pRemove.stderr);
      assert.equal(await tableListing(lab, PLAN_TABLE), undefined);
      assert.ok(await tableListing(lab, GUARD_TABLE), 'guard table intact after ports --remove');
      assert.deepEqual(await banned(lab), [attacker!.ipv4]);
      assert.equal(await lab.canConnect('attacker', host, 1883, 500), false, 'ban still enforced without the plan');
      assert.equal(await lab.canConnect('client', host, UNPLANNED, 3000), true, 'without the plan the unplanned port is open again');

      // Plan back, then stop the guard and guard --remove: the plan's table stays and keeps enforcing.
      await applyPlan();
      const planAgain = await tableListing(lab, PLAN_TABLE);
      guard.g.kill('SIGTERM');
      assert.equal(await guard.exited, 0, 'clean exit on SIGTERM');
      const gRemove = await cliIn(lab, 'node', ['guard', '--config', guardConfig, '--remove']);
      assert.equal(gRemove.code, 0, gRemove.stderr);
      assert.equal(await tableListing(lab, GUARD_TABLE), undefined, 'guard --remove deleted the guard\'s table');
      assert.equal(await tableListing(lab, PLAN_TABLE), planAgain, 'guard --remove left the plan\'s table intact');
      assert.equal(await lab.canConnect('client', host, UNPLANNED, 700), false, 'the plan still drops the unplanned port');
      assert.ok(await until(() => lab.canConnect('attacker', host, 1883, 500), 3000), 'the ban is gone with the guard\'s table; the plan admits the attacker\'s network');
      assert.ok(await pub(lab, 'client', host, 'secret'), 'the plan still lets the client publish');
    } finally {
      await lab.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
