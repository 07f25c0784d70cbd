/** Version comparison (OpenSSL letters, Debian backports) and the offline advisory database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compareDebianVersions, compareVersions, inRange, parseDebianVersion, parseVersion } from '../src/advisories/version.js';
import { advisoriesFrom, bundleSchema, loadAdvisoryDb, loadBundle, parseAdvisoryInput, SHIPPED_DB } from '../src/advisories/db.js';
import { releaseOf } from '../src/collectors/system/software.js';

const lt = (a: string, b: string) => assert.ok(compareVersions(a, b) < 0, `${a} < ${b}`);
const eq = (a: string, b: string) => assert.equal(compareVersions(a, b), 0, `${a} = ${b}`);

test('OpenSSL letter releases order as OpenSSL numbers them', () => {
  lt('1.0.1f', '1.0.1g');
  lt('1.0.1g', '1.0.1h');
  lt('1.0.1', '1.0.1a');
  lt('1.0.1z', '1.0.1za'); // hypothetical, but z < za by length
  lt('0.9.8y', '0.9.8za');
  lt('1.0.2zc', '1.0.2zd');
  lt('1.0.2y', '1.0.2za');
  lt('1.0.2zd', '1.0.3');
  lt('1.1.1w', '3.0.0');
  lt('1.1.0', '1.1.0a');
  lt('1.1.1k', '1.1.1n');
  lt('1.1.1t', '1.1.1w');
  eq('1.1.1w', '1.1.1W');
  lt('3.0.9', '3.0.10');
  lt('3.0.11', '3.0.19');
  eq('3.2', '3.2.0');
  lt('3.2', '3.2.4');
  lt('2.0.18', '2.0.18a');
  lt('2.0.18a', '2.0.19');
  eq('v5.8.0', '5.8.0');
  eq('5.0.0-rc.1', '5.0.0');
  assert.throws(() => compareVersions('banana', '1.0'), /not a version/);
  assert.equal(parseVersion(''), undefined);
  assert.equal(parseVersion('1..2'), undefined);
});

test('ranges are half-open [introduced, lessThan)', () => {
  assert.equal(inRange('1.0.1', { introduced: '1.0.1', lessThan: '1.0.1g' }), true);
  assert.equal(inRange('1.0.1f', { introduced: '1.0.1', lessThan: '1.0.1g' }), true);
  assert.equal(inRange('1.0.1g', { introduced: '1.0.1', lessThan: '1.0.1g' }), false);
  assert.equal(inRange('1.0.0', { introduced: '1.0.1', lessThan: '1.0.1g' }), false);
  assert.equal(inRange('3.2.0', { introduced: '3.2', lessThan: '3.2.4' }), true);
  assert.equal(inRange('2.0.18a', { lessThanOrEqual: '2.0.18a' }), true);
  assert.equal(inRange('2.0.19', { lessThanOrEqual: '2.0.18a' }), false);
});

test('Debian versions: upstream release, epoch, revision, repacks', () => {
  assert.deepEqual(parseDebianVersion('3.0.11-1~deb12u2'), { epoch: 0, upstream: '3.0.11', revision: '1~deb12u2', release: '3.0.11' });
  assert.equal(parseDebianVersion('1.1.1n-0+deb11u5')!.release, '1.1.1n');
  assert.equal(parseDebianVersion('2.0.11-1.2+deb12u2')!.release, '2.0.11');
  assert.equal(parseDebianVersion('1:1.2.13.dfsg-1')!.epoch, 1);
  assert.equal(parseDebianVersion('1.5.4+dfsg2-5+deb12u1')!.release, '1.5.4');
  assert.equal(parseDebianVersion('1.0.2u+really1.0.2t-1')!.release, '1.0.2t');
  assert.equal(parseDebianVersion('3.0.2-0ubuntu1.15')!.release, '3.0.2');
  assert.equal(parseDebianVersion('not a version'), undefined);
  assert.equal(releaseOf('3.1.4-r5'), '3.1.4'); // apk
  // dpkg order among package versions (Debian Policy 5.6.12)
  assert.ok(compareDebianVersions('3.0.11-1~deb12u2', '3.0.11-1') < 0);
  assert.ok(compareDebianVersions('3.0.11-1~deb12u2', '3.0.11-1~deb12u3') < 0);
  assert.ok(compareDebianVersions('1:1.0-1', '2.0-1') > 0);
  assert.ok(compareDebianVersions('1.0~rc1-1', '1.0-1') < 0);
  assert.ok(compareDebianVersions('2.0.11-1.2+deb12u2', '2.0.11-1.2+deb12u1') > 0);
  assert.ok(compareDebianVersions('1.0a', '1.0+') < 0);
  assert.equal(compareDebianVersions('1.0-1', '1.0-1'), 0);
});

test('the shipped database holds the OpenSSL, Mosquitto and EMQX advisories of the facts', () => {
  const db = loadAdvisoryDb(SHIPPED_DB);
  assert.match(db.snapshot, /^\d{4}-\d{2}-\d{2}$/);
  const byId = new Map(db.advisories.map((a) => [`${a.product}/${a.id}`, a]));
  for (const id of ['CVE-2014-0160', 'CVE-2014-0224', 'CVE-2016-2107', 'CVE-2016-6309', 'CVE-2021-3449', 'CVE-2022-0778', 'CVE-2022-3602', 'CVE-2022-3786', 'CVE-2023-0286', 'CVE-2024-12797']) {
    assert.ok(byId.has(`openssl/${id}`), id);
  }
  for (const id of ['CVE-2018-12546', 'CVE-2019-11779', 'CVE-2021-28166', 'CVE-2021-34434', 'CVE-2023-0809', 'CVE-2023-3592', 'CVE-2023-28366', 'CVE-2024-8376', 'CVE-2024-3935', 'CVE-2024-10525']) {
    assert.ok(byId.has(`mosquitto/${id}`), id);
  }
  assert.ok(byId.has('emqx/CVE-2021-33175'));
  const hb = byId.get('openssl/CVE-2014-0160')!;
  assert.deepEqual(hb.ranges, [{ introduced: '1.0.1', lessThan: '1.0.1g' }]);
  assert.equal(byId.get('openssl/CVE-2016-6309')!.severity, 'critical');
  const cve0778 = byId.get('openssl/CVE-2022-0778')!;
  assert.ok(cve0778.ranges.some((r) => inRange('1.0.2zc', r)));
  assert.ok(!cve0778.ranges.some((r) => inRange('1.0.2zd', r)));
  assert.ok(!cve0778.ranges.some((r) => inRange('3.0.2', r)));
  assert.ok(cve0778.ranges.some((r) => inRange('1.1.1m', r)));
});

/** A record in the shape of openssl/release-metadata secjson (CVE JSON 5). */
function secjson(id: string, ranges: [string, string][], severity = 'High') {
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.0',
    cveMetadata: { cveId: id, assignerShortName: 'openssl', state: 'PUBLISHED', datePublished: '2026-10-01T14:00:00Z' },
    containers: {
      cna: {
        providerMetadata: { orgId: '3a12439a-ef3a-4c79-92e6-6081a721f1e5' },
        title: 'Test advisory',
        affected: [{ vendor: 'OpenSSL', product: 'OpenSSL', defaultStatus: 'unaffected', versions: ranges.map(([v, l]) => ({ version: v, lessThan: l, status: 'affected', versionType: 'semver' })) }],
        descriptions: [{ lang: 'en', value: 'Issue summary: a test.' }],
        metrics: [{ format: 'other', other: { type: 'https://openssl-library.org/policies/general/security-policy/', content: { text: severity } } }],
        problemTypes: [],
        references: [{ url: 'https://openssl-library.org/news/secadv/20261001.txt' }],
      },
    },
  };
}

test('CVE JSON 5 records parse, other products are dropped, bad input is named', () => {
  const adv = advisoriesFrom(parseAdvisoryInput(JSON.stringify(secjson('CVE-2026-0001', [['3.0.0', '3.0.20']])), 'x.json').records);
  assert.equal(adv.length, 1);
  assert.equal(adv[0]!.severity, 'high');
  assert.deepEqual(adv[0]!.ranges, [{ introduced: '3.0.0', lessThan: '3.0.20' }]);
  const other = { ...secjson('CVE-2026-0002', [['1.0', '2.0']]) };
  other.containers.cna.affected[0]!.product = 'curl';
  other.containers.cna.affected[0]!.vendor = 'curl';
  assert.equal(advisoriesFrom(parseAdvisoryInput(JSON.stringify([other]), 'y.json').records).length, 0);
  assert.throws(() => parseAdvisoryInput('{"dataType":"CVE_RECORD"}', 'bad.json'), /bad\.json: dataVersion/);
  assert.throws(() => parseAdvisoryInput('not json', 'garbage.json'), /garbage\.json: not JSON/);
  assert.throws(() => parseAdvisoryInput(JSON.stringify({ format: 'mqtt-warden-advisories', formatVersion: 1, snapshot: 'yesterday', records: [] }), 'b.json'), /b\.json: snapshot/);
  assert.ok(bundleSchema.safeParse(JSON.parse(readFileSync(SHIPPED_DB, 'utf8'))).success);
});

test('advisories update --from merges records offline into the user database, and the audit uses it', () => {
  const dir = mkdtempSync(join(tmpdir(), `mw-adv-${process.pid}-`));
  try {
    const rec = join(dir, 'CVE-2026-0001.json');
    writeFileSync(rec, JSON.stringify(secjson('CVE-2026-0001', [['3.0.0', '3.0.20']], 'Critical')));
    const out = join(dir, 'db.json');
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, MQTT_WARDEN_ADVISORIES: out } });
    const r = cli(['advisories', 'update', '--from', rec]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 record\(s\) merged/);
    const b = loadBundle(out);
    assert.ok(b.records.some((x) => x.cveMetadata.cveId === 'CVE-2026-0001'));
    assert.ok(b.records.some((x) => x.cveMetadata.cveId === 'CVE-2014-0160'), 'the shipped records are kept');
    const list = cli(['advisories', 'list', '--product', 'openssl']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /CVE-2026-0001\s+critical\s+fixed 3\.0\.20/);
    const bad = cli(['advisories', 'update', '--from', join(dir, 'missing.json')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /missing\.json: ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '{"dataType":"CVE_RECORD","dataVersion":"5.0"}');
    const invalid = cli(['advisories', 'update', '--from', join(dir, 'bad.json')]);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /bad\.json: cveMetadata/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
