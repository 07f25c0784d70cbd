/**
 * The host audit of offline roots (--root): every host check fires on the
 * neglected fixture root and passes on the hardened one, through runAudit and
 * through the CLI; malformed inputs give ERROR/SKIP naming the path.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { aptListUse } from '../src/collectors/system/updates.js';
import { join } from 'node:path';
import { CATALOGUE } from '../src/checks/index.js';
import type { Report } from '../src/core/types.js';
import { audit } from './helpers/audit.js';
import { copyHostRoot } from './helpers/hostroot.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';

/** The host-audit checks (facts sys.*, with the policy's thresholds); other system-scope checks (the port plan's) need inputs of their own. */
const SYSTEM_CHECKS = CATALOGUE.filter((c) => c.meta.scope === 'system' && c.meta.needs.every((k) => k.startsWith('sys.') || k === 'policy') && c.meta.needs.some((k) => k.startsWith('sys.'))).map((c) => c.meta.id);
/** Checks that need running processes: offline they SKIP with the reason, on both roots. */
const LIVE_ONLY = new Set(['UPD-007']);

const roots: Record<string, { root: string; cleanup: () => void }> = {};
const reports: Record<string, Report> = {};

function hostAudit(root: string, over: Record<string, unknown> = {}) {
  return audit([], { network: false, host: true, system: { root, timeoutMs: 3000, ...over } });
}

before(async () => {
  roots.hardened = copyHostRoot('hardened');
  roots.neglected = copyHostRoot('neglected');
  reports.hardened = await hostAudit(roots.hardened.root);
  reports.neglected = await hostAudit(roots.neglected.root);
});
after(() => {
  for (const r of Object.values(roots)) r.cleanup();
});

const of = (r: Report, id: string) => r.results.filter((x) => x.checkId === id);
const show = (r: Report, id: string) => JSON.stringify(of(r, id).map((x) => `${x.status} ${x.message}`), null, 1);

test('every host check passes on the hardened root', () => {
  assert.equal(SYSTEM_CHECKS.length, 33);
  const r = reports.hardened!;
  for (const id of SYSTEM_CHECKS) {
    const res = of(r, id);
    assert.ok(res.length, `${id}: no result`);
    if (LIVE_ONLY.has(id)) {
      assert.ok(res.every((x) => x.status === 'SKIP' && /offline root/.test(x.message)), `${id}: ${show(r, id)}`);
      continue;
    }
    assert.ok(res.every((x) => x.status === 'PASS'), `${id} should PASS on the hardened root: ${show(r, id)}`);
  }
});

test('every host check fires on the neglected root', () => {
  const r = reports.neglected!;
  for (const id of SYSTEM_CHECKS) {
    if (LIVE_ONLY.has(id)) continue;
    assert.ok(of(r, id).some((x) => x.status === 'FAIL'), `${id} should FAIL on the neglected root: ${show(r, id)}`);
  }
});

test('neglected root: the findings name the right things', () => {
  const r = reports.neglected!;
  const msgs = (id: string) => of(r, id).map((x) => x.message).join('\n');
  assert.match(msgs('UPD-003'), /libssl1\.1 1\.1\.1n-0\+deb11u5 → 1\.1\.1w-0\+deb11u1/);
  assert.doesNotMatch(msgs('UPD-003'), /mosquitto/, 'mosquitto comes from the main suite, not security');
  assert.match(msgs('UPD-002'), /mosquitto 1\.6\.12-1 → 2\.0\.11-1\.2\+deb12u2/);
  assert.match(msgs('UPD-004'), /linux-image-6\.1\.0-28-amd64, libc6/);
  assert.match(msgs('TLS-050'), /CVE-2023-0286.*1\.1\.1n-0\+deb11u5.*first fixed in 1\.1\.1t.*may have backported/);
  assert.equal(of(r, 'TLS-050').find((x) => x.message.includes('CVE-2023-0286'))!.severity, 'medium', 'a distro build is one severity lower');
  assert.match(msgs('UPD-005'), /CVE-2023-0809/);
  assert.match(msgs('UPD-006'), /CVE-2021-33175.*4\.2\.7/);
  const key = of(r, 'TLS-051').find((x) => x.status === 'FAIL')!;
  assert.match(key.message, /alice:alice 0644.*readable by every local user/);
  assert.equal(key.location.kind, 'file');
  assert.match(key.location.uri, /etc\/mosquitto\/certs\/server\.key$/);
  assert.match(msgs('TLS-053'), /1024-bit RSA/);
  assert.match(msgs('TLS-054'), /expired on 2021-01-01/);
  const missing = of(r, 'TLS-055').filter((x) => x.status === 'FAIL');
  assert.deepEqual(missing.map((x) => x.location.line).sort(), [17, 18]);
  assert.ok(missing.every((x) => x.location.uri.endsWith('etc/mosquitto/mosquitto.conf')));
  assert.match(msgs('SVC-003'), /0\.0\.0\.0:6379/);
  assert.match(msgs('SVC-004'), /listener 1883 is configured for 127\.0\.0\.1 .*listens on 0\.0\.0\.0/);
  assert.match(msgs('SVC-005'), /telnet/);
  assert.match(msgs('SVC-005'), /epmd/);
  assert.match(msgs('SVC-005'), /udp 0\.0\.0\.0:111/);
  assert.equal(of(r, 'SVC-006')[0]!.location.line, 2);
  assert.match(msgs('CFG-002'), /plaintext MQTT over WebSocket port 8080.*open to every source/);
  assert.match(msgs('CFG-002'), /management dashboard \/ HTTP API port 18083/);
  assert.match(msgs('CFG-007'), /connection_messages false/);
  assert.match(msgs('CFG-011'), /FIRE-4512.*hardening index 48/);
  assert.match(msgs('ACC-022'), /operator/);
  assert.equal(of(r, 'ACC-020')[0]!.location.line, 2);
  // The truncated /proc/net/tcp line and the binary config lines are reported, not fatal.
  assert.ok(r.notes.some((n) => /zz-garbage\.conf:2: unknown directive/.test(n)), JSON.stringify(r.notes));
  assert.match(JSON.stringify(of(r, 'SVC-003').map((x) => x.evidence)), /6379/);
});

test('hardened root: the passes say why', () => {
  const r = reports.hardened!;
  const msgs = (id: string) => of(r, id).map((x) => x.message).join('\n');
  assert.match(msgs('CFG-005'), /dm-crypt: dm-1 \(vg-root\).*→ dm-0 \(cryptroot\): CRYPT-LUKS2/);
  assert.match(msgs('TLS-051'), /root:mosquitto 0640/);
  assert.match(msgs('TLS-052'), /encrypted/);
  assert.match(msgs('UPD-006'), /EMQX 5\.8\.0/);
  assert.match(msgs('ACC-021'), /10-hardening\.conf:2/);
  // EMQX, from its parsed emqx.conf: TLS files, the passphrase, the distribution port of emqx1@… (4371).
  assert.match(msgs('TLS-052'), /\/etc\/emqx\/certs\/broker-key\.pem is encrypted \(passphrase configured\)/);
  assert.match(msgs('TLS-055'), /ca file \/etc\/emqx\/certs\/broker-ca\.pem exists/);
  assert.match(msgs('CFG-002'), /Erlang distribution port 4371 \(emqx\) is allowed from some sources only/);
  assert.match(msgs('SVC-004'), /emqx listener 18083 listens on loopback only/);
});

const FIXTURES = new URL('fixtures/hosts/', import.meta.url).pathname;

/** What the real apt-get of this machine uses of a root's lists (the collector's own options). */
function aptListsOf(root: string) {
  const r = spawnSync('apt-get', ['-q', '-o', `Dir=${root}/`, '-o', `Dir::State::status=${root}/var/lib/dpkg/status`, '-o', 'Dir::Etc::SourceParts=-', '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=', 'indextargets', '--format', '$(CREATED_BY)\t$(FILENAME)'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const onDisk = readdirSync(join(root, 'var/lib/apt/lists'));
  return { onDisk: onDisk.filter((f) => f.endsWith('_Packages')), ...aptListUse(onDisk, r.stdout) };
}

test('the config checks judge for the installed Mosquitto package (its version-specific defaults)', () => {
  const pkt = (r: Report) => of(r, 'CFG-030').find((x) => /max_packet_size/.test(x.message))?.message ?? '';
  assert.match(pkt(reports.hardened!), /max_packet_size unset: Mosquitto 2\.0\.21 accepts packets up to 256 MB/);
  assert.match(pkt(reports.neglected!), /Mosquitto 1\.6\.12 accepts packets up to 256 MB/);
});

test("the fixture roots' APT lists are lists apt uses, on any architecture (as they are in git)", () => {
  for (const name of ['hardened', 'neglected']) {
    const { onDisk, used, unused } = aptListsOf(join(FIXTURES, name));
    assert.equal(onDisk.length, 2, name);
    assert.deepEqual([used.sort(), unused], [onDisk.sort(), []], `${name}: apt ignores some of the fixture's package lists`);
  }
});

test('the README example: audit --host-only --root test/fixtures/hosts/neglected finds the pending security update', async () => {
  const r = await hostAudit(join(FIXTURES, 'neglected'));
  const upd3 = of(r, 'UPD-003');
  assert.deepEqual(upd3.map((x) => x.status), ['FAIL'], show(r, 'UPD-003'));
  assert.match(upd3[0]!.message, /^2 security updates pending \(apt-get -s dist-upgrade -o Dir=.*\): libssl1\.1 1\.1\.1n-0\+deb11u5 → 1\.1\.1w-0\+deb11u1, openssl/);
});

test('package lists apt cannot use are not "no update pending"', async () => {
  const { root, cleanup } = copyHostRoot('neglected');
  try {
    const lists = join(root, 'var/lib/apt/lists');
    const security = 'deb.debian.org_debian-security_dists_bookworm-security_main_binary-all_Packages';
    // The security suite's list under a name apt does not read (the old ARCH placeholder): the main suite still shows updates.
    renameSync(join(lists, security), join(lists, security.replace('binary-all', 'binary-ARCH')));
    let r = await hostAudit(root);
    assert.deepEqual(of(r, 'UPD-003').map((x) => x.status), ['SKIP'], show(r, 'UPD-003'));
    assert.match(of(r, 'UPD-003')[0]!.message, /^no security update pending in the lists apt could use, but it ignores 1 package list .*bookworm-security_main_binary-ARCH_Packages.*run apt-get update/);
    assert.deepEqual(of(r, 'UPD-002').map((x) => x.status), ['FAIL'], 'what apt could compare is still reported');
    // No list apt can use at all: SKIP with the reason, as with no lists at all.
    for (const f of readdirSync(lists)) if (f.includes('binary-all')) renameSync(join(lists, f), join(lists, f.replace('binary-all', 'binary-ARCH')));
    r = await hostAudit(root);
    for (const id of ['UPD-002', 'UPD-003']) {
      assert.deepEqual(of(r, id).map((x) => x.status), ['SKIP'], show(r, id));
      assert.match(of(r, id)[0]!.message, /apt cannot use the package lists in .*var\/lib\/apt\/lists: it ignores .*binary-ARCH_Packages/);
    }
    // No lists at all: SKIP, as before.
    for (const f of readdirSync(lists)) if (f.endsWith('_Packages')) rmSync(join(lists, f));
    r = await hostAudit(root);
    assert.ok(of(r, 'UPD-003').every((x) => x.status === 'SKIP' && /no APT package lists/.test(x.message)), show(r, 'UPD-003'));
  } finally {
    cleanup();
  }
});

test('aptListUse: a list apt ignores counts only when nothing of its suite is used', () => {
  const onDisk = ['a_dists_x_main_binary-amd64_Packages.lz4', 'a_dists_x_main_binary-i386_Packages', 'b_dists_y_main_binary-ARCH_Packages', 'a_dists_x_InRelease', 'lock'];
  const targets = 'Packages\t/var/lib/apt/lists/a_dists_x_main_binary-amd64_Packages.lz4\nTranslations\t/var/lib/apt/lists/a_dists_x_main_i18n_Translation-en\n';
  assert.deepEqual(aptListUse(onDisk, targets), { used: ['a_dists_x_main_binary-amd64_Packages.lz4'], unused: ['b_dists_y_main_binary-ARCH_Packages'] });
  assert.deepEqual(aptListUse(onDisk, ''), { used: [], unused: onDisk.slice(0, 3) });
});

test('malformed inputs: ERROR/SKIP naming the path, never a crash', async () => {
  const { root, cleanup } = copyHostRoot('neglected');
  try {
    // A directory where a table is expected, garbage in the Lynis report, a key that is not a key.
    rmSync(join(root, 'proc/net/tcp'));
    mkdirSync(join(root, 'proc/net/tcp'));
    writeFileSync(join(root, 'proc/net/tcp6'), '  sl local\n   0: 0000000000000000');
    writeFileSync(join(root, 'var/log/lynis-report.dat'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]));
    writeFileSync(join(root, 'etc/mosquitto/certs/server.key'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    writeFileSync(join(root, 'proc/mounts'), '');
    writeFileSync(join(root, 'var/lib/dpkg/status'), Buffer.from([0x50, 0, 0xff, 0x0a, 0x0a]));
    const r = await hostAudit(root);
    const one = (id: string) => of(r, id);
    assert.ok(one('CFG-011').some((x) => x.status === 'ERROR' && /lynis-report\.dat: binary data/.test(x.message)), show(r, 'CFG-011'));
    assert.ok(one('TLS-052').some((x) => x.status === 'ERROR' && /server\.key: not a private key/.test(x.message)), show(r, 'TLS-052'));
    assert.ok(one('CFG-005').every((x) => x.status === 'ERROR' && /proc\/mounts: no mount entries/.test(x.message)), show(r, 'CFG-005'));
    // The UDP table still parses; the broken TCP tables are named in the evidence-free PASS/FAIL messages or the ERROR.
    const svc = JSON.stringify(one('SVC-005'));
    assert.match(svc, /111/);
    assert.ok(one('TLS-050').every((x) => x.status === 'SKIP' && /no OpenSSL found/.test(x.message)), show(r, 'TLS-050'));
    assert.ok(r.results.every((x) => !/internal error/.test(x.message)), 'no check crashed');
  } finally {
    cleanup();
  }
});

test('the CLI audits a root offline: --root --host-only, JSON and SARIF', () => {
  const bin = ['--import', 'tsx', 'src/cli.ts'];
  const json = spawnSync(process.execPath, [...bin, 'audit', '--host-only', '--root', roots.neglected!.root, '-f', 'json', '--fail-on', 'high'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(json.status, 1, json.stderr);
  const report = JSON.parse(json.stdout) as Report;
  assert.equal(report.options.host, true);
  assert.equal(report.options.network, false);
  assert.ok(report.results.every((x) => x.subject === roots.neglected!.root));
  assert.ok(report.results.some((x) => x.checkId === 'TLS-051' && x.status === 'FAIL'));
  // The hardened root: none of the host-audit checks fails (the config lint checks judge its configs on their own terms).
  const hard = spawnSync(process.execPath, [...bin, 'audit', '--host-only', '--root', roots.hardened!.root, '-f', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(hard.status, 0, hard.stderr);
  const hardFails = (JSON.parse(hard.stdout) as Report).results.filter((x) => SYSTEM_CHECKS.includes(x.checkId) && x.status === 'FAIL');
  assert.deepEqual(hardFails.map((x) => `${x.checkId} ${x.message}`), []);
  const negSarif = spawnSync(process.execPath, [...bin, 'audit', '--host-only', '--root', roots.neglected!.root, '-f', 'sarif'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(negSarif.status, 1, negSarif.stderr);
  const doc = JSON.parse(negSarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[] };
  assert.equal(sarifErrors(doc), '');
  const uris = doc.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation);
  assert.ok(uris.some((l) => l.artifactLocation.uri.endsWith('etc/mosquitto/mosquitto.conf') && l.region?.startLine === 17), JSON.stringify(uris.slice(0, 5)));
  assert.equal(reportErrors(report), '');
  const usage = spawnSync(process.execPath, [...bin, 'audit', '--host-only', '--root', '/nonexistent-mw-root'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--root \/nonexistent-mw-root: ENOENT/);
  const noHostOnly = spawnSync(process.execPath, [...bin, 'audit', '--root', roots.hardened!.root], { encoding: 'utf8' });
  assert.equal(noHostOnly.status, 2);
  assert.match(noHostOnly.stderr, /--host-only/);
});
