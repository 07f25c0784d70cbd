/**
 * The other ways in and out: the iptables + ipset backend with real kernel
 * rules in a namespace, stdin as a source with --dry-run, and the CLI's
 * error handling for bad configs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable } from './helpers/netns.js';
import { CLI, guardLog, needCommands, requireBuild, uniqueTable, until } from './helpers/guard.js';

const nsSkip = (await netnsUnavailable()) ?? needCommands('ipset', 'iptables', 'ip6tables');

function failures(ip: string, n: number): string {
  const t = Math.floor(Date.now() / 1000);
  let s = '';
  for (let i = 0; i < n; i++) s += `${t}: New connection from ${ip}:${30000 + i} on port 1883.\n${t}: Client <unknown> disconnected, not authorised.\n`;
  return s;
}

test('iptables + ipset backend: ban blocks the address in the kernel, idempotent start, --remove cleans up', { skip: nsSkip, timeout: 60_000 }, async () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-ipset-'));
  const lab = await createLab(['node', 'attacker', 'client']);
  const table = uniqueTable().slice(0, 20);
  try {
    const { node, attacker } = lab.members as Record<string, { ipv4: string; ipv6: string }>;
    lab.spawn('node', process.execPath, ['-e', "require('net').createServer(c=>c.end()).listen(1883,'::')"]);
    assert.ok(await until(() => lab.canConnect('attacker', node!.ipv4, 1883), 5000));
    const log = path.join(dir, 'm.log');
    writeFileSync(log, '');
    const args = [CLI, 'guard', '--log', log, '--from-start', '--backend', 'ipset', '--table', table, '--state', path.join(dir, 'g.db')];
    // Started twice in a row: the second start must not duplicate the rule.
    for (let round = 0; round < 2; round++) {
      const g = lab.spawn('node', process.execPath, args);
      const glog = guardLog(g);
      await glog.waitFor((r) => r.msg === 'guard started', 15_000, 'start');
      if (round === 1) {
        appendFileSync(log, failures(attacker!.ipv4, 5) + failures(attacker!.ipv6, 5));
        await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes(attacker!.ipv6), 10_000, 'ban applied');
        // 8 addresses of 10.88.1.0/24, 2 refused logins each: the network goes into the hash:net set.
        appendFileSync(log, Array.from({ length: 8 }, (_, i) => failures(`10.88.1.${i + 1}`, 2)).join(''));
        await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes('10.88.1.0/24'), 10_000, 'network ban applied');
      }
      g.kill('SIGTERM');
      await new Promise((r) => g.once('close', r));
    }
    assert.equal(await lab.canConnect('attacker', node!.ipv4, 1883), false, 'IPv4 attacker blocked by iptables + ipset');
    assert.equal(await lab.canConnect('attacker', node!.ipv6, 1883), false, 'IPv6 attacker blocked by ip6tables + ipset');
    assert.equal(await lab.canConnect('client', node!.ipv4, 1883), true);
    // Its own chain, entered by one jump from INPUT, holding one ban rule: after two starts still one of each.
    const chain = table.toUpperCase();
    const rules = (await lab.exec('node', 'iptables', ['-S'])).stdout;
    assert.equal(rules.split('\n').filter((l) => l === `-A INPUT -m comment --comment "mqtt-warden guard" -j ${chain}`).length, 1, `exactly one jump after two starts:\n${rules}`);
    assert.equal(rules.split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes(`--match-set ${table}_v4 src`) && l.includes('"mqtt-warden guard"')).length, 1, `exactly one marked ban rule:\n${rules}`);
    assert.equal((await lab.exec('node', 'ip6tables', ['-S', 'INPUT'])).stdout.split('\n').filter((l) => l.endsWith(`-j ${chain}`)).length, 1);
    const listed = (await lab.exec('node', 'ipset', ['list', `${table}_v4`])).stdout;
    assert.match(listed, new RegExp(`${attacker!.ipv4.replace(/\./g, '\\.')} timeout \\d+`));
    const nets = (await lab.exec('node', 'ipset', ['list', `${table}_net4`])).stdout;
    assert.match(nets, /^Type: hash:net$/m);
    assert.match(nets, /^10\.88\.1\.0\/24 timeout \d+/m);
    assert.equal(rules.split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes(`--match-set ${table}_net4 src`)).length, 1, `one network ban rule:\n${rules}`);
    // The network ban is listed (guard bans) and lifted by unban of the CIDR.
    const base = [CLI, 'guard', '--backend', 'ipset', '--table', table, '--state', path.join(dir, 'g.db')];
    assert.match((await lab.exec('node', process.execPath, [...base.slice(0, 2), 'bans', ...base.slice(2)])).stdout, /^10\.88\.1\.0\/24 +subnet .*\(network; from 5 addresses: 10\.88\.1\.1, /m, "sequential: the 10th failure is the 5th address's 2nd");
    // The firewall's own countdown is in seconds, like the state's (and nftables').
    const asJson = JSON.parse((await lab.exec('node', process.execPath, [...base.slice(0, 2), 'bans', ...base.slice(2), '-f', 'json'])).stdout) as { bans: { ip: string; secondsLeft: number }[]; firewall: { ip: string; expiresIn?: number }[] };
    assert.ok(asJson.bans.length >= 3, JSON.stringify(asJson));
    for (const b of asJson.bans) {
      const f = asJson.firewall.find((x) => x.ip === b.ip);
      assert.ok(f?.expiresIn !== undefined && Math.abs(f.expiresIn - b.secondsLeft) <= 5, `${b.ip}: firewall ${f?.expiresIn} s, state ${b.secondsLeft} s`);
    }
    await lab.exec('node', process.execPath, [...base.slice(0, 2), 'unban', '10.88.1.0/24', ...base.slice(2)]);
    assert.doesNotMatch((await lab.exec('node', 'ipset', ['list', `${table}_net4`])).stdout, /10\.88\.1\.0/);
    // --remove --dry-run lists what would go and changes nothing.
    const preview = await lab.exec('node', process.execPath, [CLI, 'guard', '--backend', 'ipset', '--table', table, '--remove', '--dry-run']);
    assert.match(preview.stdout, new RegExp(`iptables: delete chain ${chain} \\(2 rule\\(s\\)\\)`));
    assert.match(preview.stdout, new RegExp(`ipset: destroy ${table}_net4 \\(0 entries\\)`));
    assert.match(preview.stdout, new RegExp(`ipset: destroy ${table}_v4 \\(1 entries\\)`));
    assert.equal(await lab.canConnect('attacker', node!.ipv4, 1883), false, 'still blocked after the preview');
    // Other rules of INPUT and other chains are not the guard's to remove.
    await lab.exec('node', 'iptables', ['-A', 'INPUT', '-p', 'tcp', '--dport', '7', '-j', 'ACCEPT']);
    await lab.exec('node', process.execPath, [CLI, 'guard', '--backend', 'ipset', '--table', table, '--remove']);
    const left = (await lab.exec('node', 'iptables', ['-S'])).stdout;
    assert.doesNotMatch(left, new RegExp(table, 'i'));
    assert.match(left, /^-A INPUT -p tcp -m tcp --dport 7 -j ACCEPT$/m);
    await assert.rejects(lab.exec('node', 'ipset', ['list', `${table}_v4`]));
    await assert.rejects(lab.exec('node', 'ipset', ['list', `${table}_net4`]));
    assert.equal(await lab.canConnect('attacker', node!.ipv4, 1883), true, 'unblocked after --remove');
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin source with --dry-run: detects and logs the ban, writes no state, ends with its input', { timeout: 30_000 }, () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-stdin-'));
  try {
    const state = path.join(dir, 'never.db');
    const r = spawnSync(process.execPath, [CLI, 'guard', '--stdin', '--dry-run', '--state', state], { input: failures('192.0.2.44', 6), timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr.toString());
    const records = r.stderr.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const bans = records.filter((x) => x.msg === 'ban');
    assert.equal(bans.length, 1);
    assert.equal(bans[0]!.ip, '192.0.2.44');
    assert.equal(bans[0]!.dryRun, true);
    assert.ok(records.some((x) => x.msg === 'ban applied' && x.backend === 'log-only'));
    assert.throws(() => execFileSync('test', ['-e', state]), 'dry run writes no state file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: bad configs and arguments are usage errors (exit 2) naming the place', () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-cli-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'detect:\n  auth: { maxretry: -1 }\n');
    let r = spawnSync(process.execPath, [CLI, 'guard', 'test', bad, '--config', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr.toString(), /bad\.yaml: detect\.auth\.maxretry/);
    r = spawnSync(process.execPath, [CLI, 'guard', 'test', path.join(dir, 'missing.log')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr.toString(), /missing\.log: ENOENT/);
    r = spawnSync(process.execPath, [CLI, 'guard', '--state', path.join(dir, 'x.db'), 'unban', 'not-an-ip']);
    assert.equal(r.status, 2);
    assert.match(r.stderr.toString(), /not an IP address/);
    r = spawnSync(process.execPath, [CLI, 'guard', '--dry-run']);
    assert.equal(r.status, 2);
    assert.match(r.stderr.toString(), /nothing to watch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('journald source: MESSAGE fields of `journalctl -o json` records, cursor stored and used on restart (scripted journalctl: no systemd in the test environment)', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-journal-'));
  const { parseConfig } = await import('../src/guard/config.js');
  const { GuardDaemon } = await import('../src/guard/daemon.js');
  try {
    // A stand-in for journalctl that prints what `journalctl -f -o json` prints and records its arguments.
    const fake = path.join(dir, 'journalctl');
    const t = Date.now() * 1000;
    const recs = [0, 1, 2].map((i) => JSON.stringify({ __CURSOR: `s=abc;i=${i}`, __REALTIME_TIMESTAMP: String(t + i), MESSAGE: i === 2 ? 'Client <unknown> disconnected, not authorised.' : `New connection from 192.0.2.${i === 0 ? 60 : 61}:1 on port 1883.` }));
    recs.splice(2, 0, JSON.stringify({ __CURSOR: 's=abc;i=9', MESSAGE: [1, 2, 3] }));
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${dir}/args\ncat <<'EOF2'\n${recs.join('\n')}\nEOF2\nexec sleep 30\n`, { mode: 0o755 });
    const cfg = parseConfig(JSON.stringify({ sources: [{ type: 'journald', unit: 'mosquitto' }], ban: { backend: 'log-only' }, state: path.join(dir, 'g.db') }), 'j.json');
    for (let round = 0; round < 2; round++) {
      const d = new GuardDaemon(cfg, { dryRun: false, log: () => undefined, journalctl: fake });
      await d.start();
      const argsLines = () => {
        try {
          return readFileSync(path.join(dir, 'args'), 'utf8').trim().split('\n').length;
        } catch {
          return 0;
        }
      };
      assert.ok(await until(() => argsLines() > round, 5000), 'journalctl started');
      if (round === 0) {
        assert.ok(await until(() => d.state.position('journald:mosquitto')?.head === 's=abc;i=2', 5000));
        // Two connections open (from .60 and .61): the failure is counted, not blamed on either.
        assert.deepEqual(d.state.failureCounts(), [{ ip: null, n: 1 }]);
      }
      await d.stop();
    }
    const args = readFileSync(path.join(dir, 'args'), 'utf8').trim().split('\n');
    assert.match(args[0]!, /-f -o json -u mosquitto --no-pager -n 0/);
    assert.match(args[1]!, /--after-cursor=s=abc;i=2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
