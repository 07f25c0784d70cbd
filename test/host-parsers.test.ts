/** Parsers and pure evaluators of the host collectors, on real tool output where the tool is here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFirewall, parseIptablesSave, parseNftJson, reachability } from '../src/collectors/system/firewall.js';
import { collectReboot, collectUpdates, parseApkUpdates, parseAptSimulation, parseDnfUpdates, parseZypperUpdates } from '../src/collectors/system/updates.js';
import { parseDpkgStatus, parseApkInstalled } from '../src/collectors/system/packages.js';
import { parseLynisReport } from '../src/collectors/system/hardening.js';
import { mountOf, parseMounts } from '../src/collectors/system/disk.js';
import { dhPrimeBits } from '../src/collectors/system/keys.js';
import { mosquittoListeners, readMosquittoConfig } from '../src/collectors/system/brokers.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
import { opensslVersionInFile } from '../src/collectors/system/software.js';
import type { FirewallState } from '../src/collectors/system/types.js';

const fw = (backends: FirewallState['backends']): FirewallState => ({ looked: [], source: 'live', backends, ports: [] });

const RULESET = `
table inet mw_test_${process.pid} {
  set admins { type ipv4_addr; elements = { 10.0.0.5 } }
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    ct state established,related accept
    tcp dport { 22, 8883 } accept
    ip saddr @admins tcp dport 18083 accept
    tcp dport 4370-4380 jump cluster
    udp dport 53 accept
  }
  chain cluster {
    ip saddr 10.20.0.0/24 accept
    tcp dport 4370 accept
  }
}`;

test('nft -j output of a real ruleset (private network namespace) evaluates per port', { skip: spawnSync('nft', ['--version']).status !== 0 ? 'nft not installed' : false }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), `mw-nft-${process.pid}-`));
  try {
    writeFileSync(join(dir, 'rules.nft'), RULESET);
    const r = spawnSync('unshare', ['--net', 'sh', '-c', `nft -f ${join(dir, 'rules.nft')} && nft -j list ruleset`], { encoding: 'utf8' });
    if (r.status !== 0 && /unshare: .*(Operation not permitted|Permission denied)/.test(r.stderr)) {
      t.skip(`no private network namespace here: ${r.stderr.trim()}`);
      return;
    }
    if (r.status !== 0) return assert.fail(`unshare/nft failed: ${r.stderr}`);
    const chains = parseNftJson(r.stdout);
    const input = chains.find((c) => c.input)!;
    assert.equal(input.policy, 'drop');
    assert.equal(input.family, 'inet');
    const state = fw([{ name: 'nftables', active: true, detail: '', chains }]);
    assert.equal(reachability(state, 8883).reach, 'everywhere');
    assert.equal(reachability(state, 1883).reach, 'blocked');
    assert.equal(reachability(state, 18083).reach, 'restricted');
    // The jump: the cluster chain accepts 4370 from everyone after the restricted rule.
    assert.equal(reachability(state, 4370).reach, 'everywhere');
    assert.equal(reachability(state, 4371).reach, 'restricted');
    assert.equal(reachability(state, 53, 'udp').reach, 'everywhere');
    assert.equal(reachability(state, 53, 'tcp').reach, 'blocked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iptables-save: policies, multiport, conntrack, loopback, sources, user chains', () => {
  const text = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    '-A PREROUTING -p tcp --dport 1883 -j REDIRECT --to-ports 1884',
    'COMMIT',
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':mqtt - [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -p tcp -m multiport --dports 22,8883 -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 1883 -j mqtt',
    '-A INPUT -p tcp -m tcp --dport 5000:5010 -j ACCEPT',
    '-A mqtt -s 192.168.0.0/16 -j ACCEPT',
    '-A mqtt -j RETURN',
    'COMMIT',
  ].join('\n');
  const chains = parseIptablesSave(text, 'ip');
  const v6: FirewallState['backends'][number] = { name: 'ip6tables', active: true, detail: '', chains: [{ name: 'INPUT', input: true, family: 'ip6', policy: 'drop', rules: [] }] };
  const state = fw([{ name: 'iptables', active: true, detail: '', chains }, v6]);
  assert.equal(reachability(state, 8883).reach, 'everywhere');
  assert.equal(reachability(state, 1883).reach, 'restricted');
  assert.equal(reachability(state, 5005).reach, 'everywhere');
  assert.equal(reachability(state, 18083).reach, 'blocked');
  // Without an IPv6 ruleset, IPv6 is unfiltered.
  assert.equal(reachability(fw([{ name: 'iptables', active: true, detail: '', chains }]), 18083).reach, 'everywhere');
});

test('apt-get -s lines: versions, origins, security', () => {
  const out = [
    'NOTE: This is only a simulation!',
    'Inst base-files [12.4+deb12u11] (12.4+deb12u15 Debian:12.15/oldstable [amd64])',
    'Inst libssl3 [3.0.11-1~deb12u2] (3.0.19-1~deb12u2 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64]) []',
    'Inst newpkg (1.0-1 Debian:12.15/oldstable [all])',
    'Conf libssl3 (3.0.19-1~deb12u2 Debian-Security:12/oldstable-security [amd64])',
    'Inst libc6 [2.35-0ubuntu3.6] (2.35-0ubuntu3.8 Ubuntu:22.04/jammy-security [amd64])',
  ].join('\n');
  assert.deepEqual(
    parseAptSimulation(out).map((p) => [p.name, p.from, p.to, p.security]),
    [
      ['base-files', '12.4+deb12u11', '12.4+deb12u15', false],
      ['libssl3', '3.0.11-1~deb12u2', '3.0.19-1~deb12u2', true],
      ['newpkg', undefined, '1.0-1', false],
      ['libc6', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8', true],
    ],
  );
});

test('package databases: dpkg status (installed only) and apk', () => {
  const dpkg = parseDpkgStatus(
    'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\nPackage: oldpkg\nStatus: deinstall ok config-files\nVersion: 1.0\n\nPackage: broken\nStatus: install ok half-installed\nVersion: 2.0\n',
  );
  assert.equal(dpkg.get('libssl3')?.version, '3.0.11-1~deb12u2');
  assert.equal(dpkg.get('libssl3:amd64')?.source, 'openssl');
  assert.ok(!dpkg.has('oldpkg'));
  assert.ok(!dpkg.has('broken'));
  assert.equal(parseApkInstalled('C:Q1abc\nP:libssl3\nV:3.1.4-r5\no:openssl\n\nP:mosquitto\nV:2.0.18-r0\n').get('mosquitto')?.version, '2.0.18-r0');
});

test('Lynis report: index, warnings and suggestions with line numbers; garbage refused', () => {
  const r = parseLynisReport('# comment\nlynis_version=3.0.9\nhardening_index=67\nwarning[]=NETW-2705|No nameservers|-|-|\nsuggestion[]=SSH-7408|Consider hardening SSH configuration|AllowTcpForwarding (set YES to NO)|-|\n', '/x/lynis-report.dat');
  assert.equal(r.hardeningIndex, 67);
  assert.deepEqual(r.warnings.map((w) => [w.id, w.line, w.details]), [['NETW-2705', 4, '']]);
  assert.deepEqual(r.suggestions.map((w) => [w.id, w.details]), [['SSH-7408', 'AllowTcpForwarding (set YES to NO)']]);
  assert.throws(() => parseLynisReport('\u0000\u0001garbage', '/x/r.dat'), /\/x\/r\.dat: binary data/);
  assert.throws(() => parseLynisReport('hello world\n', '/x/r.dat'), /not a Lynis report/);
});

test('mount table: longest prefix, escaped spaces', () => {
  const m = parseMounts('/dev/sda1 / ext4 rw 0 0\n/dev/mapper/data /var/lib ext4 rw 0 0\n/dev/sdb1 /mnt/with\\040space ext4 rw 0 0\n');
  assert.equal(mountOf(m, '/var/lib/mosquitto')?.device, '/dev/mapper/data');
  assert.equal(mountOf(m, '/var/library')?.device, '/dev/sda1');
  assert.equal(mountOf(m, '/mnt/with space/x')?.device, '/dev/sdb1');
});

test('DH parameter size from PEM', () => {
  const r = spawnSync('openssl', ['dhparam', '-dsaparam', '1024'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.status !== 0) return;
  assert.equal(dhPrimeBits(r.stdout), 1024);
  const named = spawnSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048'], { encoding: 'utf8' });
  assert.equal(dhPrimeBits(named.stdout), 2048);
  assert.equal(dhPrimeBits('nothing'), undefined);
});

test('Mosquitto configs through the project parser: listeners, include_dir, binary lines, unreadable files', async () => {
  const dir = mkdtempSync(join(tmpdir(), `mw-conf-${process.pid}-`));
  try {
    writeFileSync(join(dir, 'a.conf'), `listener 1883 127.0.0.1\nlistener 8883\ncertfile /x.crt\nlistener 8080\nprotocol websockets\ninclude_dir ${dir}/d\n`);
    spawnSync('mkdir', [join(dir, 'd')]);
    writeFileSync(join(dir, 'd', '1.conf'), Buffer.concat([Buffer.from('listener 9001 lo\nprotocol websockets\n'), Buffer.from([0, 1, 2, 10])]));
    const c = await readMosquittoConfig(makeRoot('/', 1000), join(dir, 'a.conf'), true);
    assert.deepEqual(
      mosquittoListeners(c.listeners).map((l) => `${l.port}/${l.bind ?? '*'}/${l.kind}`),
      ['1883/127.0.0.1/mqtt', '8883/*/mqtts', '8080/*/ws', '9001/lo/ws'],
    );
    assert.match(c.problems.join(), /1\.conf:3/);
    const none = await readMosquittoConfig(makeRoot('/', 1000), join(dir, 'd', 'empty.conf'), true);
    assert.match(none.problems.join(), /empty\.conf: ENOENT/);
    const missing = await readMosquittoConfig(makeRoot('/', 1000), join(dir, 'nope.conf'), true);
    assert.match(missing.problems[0]!, /nope\.conf: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('OpenSSL version string inside a library file', async () => {
  const dir = mkdtempSync(join(tmpdir(), `mw-lib-${process.pid}-`));
  try {
    const f = join(dir, 'libcrypto.so.1.1');
    writeFileSync(f, Buffer.concat([Buffer.alloc(2 * 1024 * 1024 - 10, 1), Buffer.from('OpenSSL 1.1.1w  11 Sep 2023\0'), Buffer.alloc(100)]));
    assert.equal(await opensslVersionInFile(f), '1.1.1w');
    writeFileSync(f, Buffer.alloc(1000, 7));
    assert.equal(await opensslVersionInFile(f), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dnf/yum, zypper and apk update listings', () => {
  const dnf = parseDnfUpdates(
    'Last metadata expiration check: 0:10:00 ago.\n\nopenssl-libs.x86_64                 1:3.0.7-25.el9_3                 baseos\nbash.x86_64                         5.1.8-9.el9                      baseos\n',
    'RHSA-2024:1234 Important/Sec. openssl-libs-1:3.0.7-25.el9_3.x86_64\n',
  );
  assert.deepEqual(dnf.map((p) => [p.name, p.to, p.security]), [['openssl-libs', '1:3.0.7-25.el9_3', true], ['bash', '5.1.8-9.el9', false]]);
  const zy = parseZypperUpdates('S | Repository | Name | Current Version | Available Version | Arch\n--+------------+------+-----------------+-------------------+-------\nv | repo-oss   | mosquitto | 2.0.15-1.1 | 2.0.18-1.1 | x86_64\n');
  assert.deepEqual(zy.map((p) => [p.name, p.from, p.to]), [['mosquitto', '2.0.15-1.1', '2.0.18-1.1']]);
  const apk = parseApkUpdates('Installed:                                Available:\nlibssl3-3.1.4-r5                        < 3.1.7-r0\nmosquitto-2.0.18-r0                     < 2.0.20-r0\n');
  assert.deepEqual(apk.map((p) => [p.name, p.from, p.to]), [['libssl3', '3.1.4-r5', '3.1.7-r0'], ['mosquitto', '2.0.18-r0', '2.0.20-r0']]);
});

test('ufw persisted offline: enabled flag, default policy and user rules', async () => {
  const root = mkdtempSync(join(tmpdir(), `mw-ufw-${process.pid}-`));
  try {
    const w = (p: string, t: string) => {
      spawnSync('mkdir', ['-p', join(root, p, '..')]);
      writeFileSync(join(root, p), t);
    };
    w('etc/ufw/ufw.conf', 'ENABLED=yes\nLOGLEVEL=low\n');
    w('etc/default/ufw', 'IPV6=yes\nDEFAULT_INPUT_POLICY="DROP"\n');
    w(
      'etc/ufw/user.rules',
      '*filter\n:ufw-user-input - [0:0]\n### tuple ### allow tcp 8883 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 8883 -j ACCEPT\n-A ufw-user-input -p tcp --dport 1883 -s 10.1.0.0/16 -j ACCEPT\nCOMMIT\n',
    );
    const state = await collectFirewall(makeRoot(root, 1000), [{ port: 1883, kind: 'mqtt' }]);
    const ufw = state.backends.find((b) => b.name === 'ufw')!;
    assert.equal(ufw.active, true);
    assert.equal(reachability(state, 8883).reach, 'everywhere');
    assert.equal(reachability(state, 1883).reach, 'restricted');
    assert.equal(reachability(state, 18083).reach, 'blocked');
    writeFileSync(join(root, 'etc/ufw/ufw.conf'), 'ENABLED=no\n');
    const off = await collectFirewall(makeRoot(root, 1000), []);
    assert.equal(off.backends.find((b) => b.name === 'ufw')!.active, false);
    assert.equal(reachability(off, 18083).reach, 'everywhere');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('APT without package lists: pending updates are unknown, not zero', async () => {
  const root = mkdtempSync(join(tmpdir(), `mw-nolists-${process.pid}-`));
  try {
    spawnSync('mkdir', ['-p', join(root, 'var/lib/dpkg'), join(root, 'var/lib/apt/lists')]);
    writeFileSync(join(root, 'var/lib/dpkg/status'), 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b8\n\n');
    const u = await collectUpdates(makeRoot(root, 1000));
    assert.ok('skipped' in u && /no APT package lists/.test(u.skipped), JSON.stringify(u));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('reboot state of an offline root: the flag, a captured kernel release, or not determined', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-reboot-'));
  try {
    const r = makeRoot(dir, 1000, 1000);
    // Nothing captured: /run is a tmpfs an image rarely holds, so the flag's absence proves nothing.
    const none = await collectReboot(r);
    assert.equal(none.required, false);
    assert.match(none.unknown ?? '', /no captured proc\/sys\/kernel\/osrelease/);
    // A captured release and a newer kernel installed: a reboot is due.
    spawnSync('mkdir', ['-p', join(dir, 'proc/sys/kernel'), join(dir, 'lib/modules/6.1.0-26-amd64'), join(dir, 'lib/modules/6.1.0-28-amd64')]);
    writeFileSync(join(dir, 'proc/sys/kernel/osrelease'), '6.1.0-26-amd64\n');
    const newer = await collectReboot(r);
    assert.equal(newer.required, true);
    assert.deepEqual(newer.packages, ['kernel 6.1.0-28-amd64 installed, 6.1.0-26-amd64 running']);
    // Running the newest: judged, not unknown.
    writeFileSync(join(dir, 'proc/sys/kernel/osrelease'), '6.1.0-28-amd64\n');
    const current = await collectReboot(r);
    assert.equal(current.required, false);
    assert.equal(current.unknown, undefined);
    // The flag wins.
    spawnSync('mkdir', ['-p', join(dir, 'var/run')]);
    writeFileSync(join(dir, 'var/run/reboot-required'), '*** System restart required ***\n');
    assert.equal((await collectReboot(r)).required, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
