/**
 * Pending APT updates read from dpkg's and APT's data (apt-data.ts) against `apt-get -s dist-upgrade`:
 * Debian version order (checked against dpkg itself where it is installed), an offline root with
 * lists of its own, the cases that must fall back to the simulation, and the two methods side by
 * side on this machine.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aptPendingFromData, compareDebianVersions, describeList, installedPackages, relevantPins, scanPackagesList, StanzaBatches } from '../src/collectors/system/apt-data.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
import { aptSimulation, collectUpdates } from '../src/collectors/system/updates.js';

const ORDERED: [string, string][] = [
  ['1.0~rc1', '1.0'],
  ['1.0', '1.0+b1'],
  ['1.0-1', '1.0-1+b1'],
  ['1.0-1~deb12u1', '1.0-1'],
  ['2.6.1', '2.6.2'],
  ['2.9', '2.10'],
  ['1:0.1', '2:0.0'],
  ['9.9', '1:0.1'],
  ['1.0a', '1.0b'],
  ['1.0a', '1.0+'],
  ['1.0~~', '1.0~'],
  ['3.0.11-1~deb12u2', '3.0.19-1~deb12u2'],
  ['5.2.15-2+b8', '5.2.15-2+b13'],
  ['18.19.0+dfsg-6~deb12u2', '20.20.2-1nodesource1+repack1'],
  ['1.2.3-1', '1.2.3-1.1'],
  ['0.16.1-2', '0.16.1-2+b1'],
];

test('Debian version order (Policy 5.6.12): epochs, ~ before the end, letters before other characters, numbers as numbers', () => {
  for (const [lo, hi] of ORDERED) {
    assert.equal(compareDebianVersions(lo, hi), -1, `${lo} < ${hi}`);
    assert.equal(compareDebianVersions(hi, lo), 1, `${hi} > ${lo}`);
  }
  assert.equal(compareDebianVersions('1.0', '1.00'), 0);
  assert.equal(compareDebianVersions('0:1.0-1', '1.0-1'), 0);
});

test('Debian version order agrees with dpkg --compare-versions', { skip: existsSync('/usr/bin/dpkg') ? false : 'dpkg is not installed here' }, () => {
  const pairs = [...ORDERED, ['1.0', '1.00'], ['1.0-0', '1.0'], ['a1', '1'], ['1.0.0~', '1.0'], ['2:1', '1:9']] as [string, string][];
  for (const [a, b] of pairs) {
    const lt = spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
    const eq = spawnSync('dpkg', ['--compare-versions', a, 'eq', b]).status === 0;
    assert.equal(compareDebianVersions(a, b), lt ? -1 : eq ? 0 : 1, `${a} vs ${b}`);
  }
});

test('parsers: installed packages with holds, list names, pins that can matter, a Packages scan', () => {
  const status = [
    'Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22',
    'Package: bash\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b8',
    'Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0',
  ].join('\n\n');
  assert.deepEqual(installedPackages(status), [
    { name: 'dpkg', arch: 'amd64', version: '1.21.22', hold: false },
    { name: 'bash', arch: 'amd64', version: '5.2.15-2+b8', hold: true },
  ]);
  assert.deepEqual(describeList('deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4'), {
    suite: 'bookworm-security',
    arch: 'amd64',
    origin: 'bookworm-security/main (deb.debian.org/debian-security)',
  });
  assert.equal(describeList('deb.debian.org_debian_dists_bookworm_InRelease'), undefined);
  const hosts = new Set(['deb.debian.org']);
  assert.deepEqual(relevantPins('Package: nodejs\nPin: origin deb.nodesource.com\nPin-Priority: 600\n', hosts), []);
  assert.deepEqual(relevantPins('Package: *\nPin: origin "deb.debian.org"\nPin-Priority: 100\n', hosts), ['origin "deb.debian.org"']);
  assert.deepEqual(relevantPins('Package: *\nPin: release a=bookworm-backports\nPin-Priority: 500\n', hosts), ['release a=bookworm-backports']);
  const seen: string[] = [];
  const list = 'Package: a\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nArchitecture: all\nVersion: 2\n\nPackage: c\nVersion: 3\nArchitecture: amd64\n\nPackage: a\nVersion: 4\nArchitecture: i386\n';
  scanPackagesList(list, 'amd64', new Set(['a:amd64', 'b:amd64']), (k, v) => seen.push(`${k}=${v}`));
  assert.deepEqual(seen, ['a:amd64=1', 'b:amd64=2']);
});

test('a list streamed in chunks of any size is scanned exactly as the whole list', () => {
  const stanzas: string[] = [];
  for (let i = 0; i < 300; i++) stanzas.push(`Package: p${i % 97}\nVersion: ${i}.${i % 7}\nArchitecture: ${i % 5 ? 'amd64' : 'all'}\nDescription: line\n long description ${'x'.repeat(i % 40)}\n`);
  // Blank lines as APT writes them, plus a doubled one and a list without a final newline.
  const list = `${stanzas.join('\n')}\n\n${stanzas.slice(0, 3).join('\n')}`;
  const wanted = new Set(Array.from({ length: 60 }, (_, i) => `p${i}:amd64`));
  const scan = (text: string, out: string[]) => scanPackagesList(text, 'amd64', wanted, (k, v) => out.push(`${k}=${v}`));
  const whole: string[] = [];
  scan(list, whole);
  assert.ok(whole.length > 150);
  for (const size of [1, 2, 7, 64, 1000, list.length]) {
    const got: string[] = [];
    const b = new StanzaBatches((t) => scan(t, got));
    for (let i = 0; i < list.length; i += size) b.push(list.slice(i, i + size));
    b.end();
    assert.deepEqual(got, whole, `chunks of ${size}`);
  }
});

/** An offline root: dpkg status and uncompressed lists of a main and a security suite. */
function makeRootTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'mw-aptdata-'));
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(join(root, 'var/lib/apt/lists'), { recursive: true });
  mkdirSync(join(root, 'etc/apt/preferences.d'), { recursive: true });
  writeFileSync(
    join(root, 'var/lib/dpkg/status'),
    [
      'Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22',
      'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u2',
      'Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1',
      'Package: bash\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b8',
      'Package: local\nStatus: install ok installed\nArchitecture: amd64\nVersion: 9.0',
    ].join('\n\n') + '\n',
  );
  const lists = join(root, 'var/lib/apt/lists');
  writeFileSync(
    join(lists, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages'),
    'Package: dpkg\nVersion: 1.21.22\nArchitecture: amd64\n\nPackage: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n\nPackage: tzdata\nVersion: 2025b-0+deb12u1\nArchitecture: all\n\nPackage: bash\nVersion: 5.2.15-2+b13\nArchitecture: amd64\n\nPackage: local\nVersion: 1.0\nArchitecture: amd64\n',
  );
  writeFileSync(join(lists, 'deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages'), 'Package: libssl3\nVersion: 3.0.19-1~deb12u2\nArchitecture: amd64\n');
  writeFileSync(join(lists, 'deb.debian.org_debian_dists_bookworm_InRelease'), 'Origin: Debian\nSuite: oldstable\nCodename: bookworm\n');
  return root;
}

test('an offline root from its own data: the highest version per installed package, security from a -security suite, holds and newer local versions left out', async () => {
  const root = makeRootTree();
  try {
    const r = await aptPendingFromData(makeRoot(root, 1000));
    assert.ok('pending' in r, JSON.stringify(r));
    assert.deepEqual(
      r.pending.map((p) => [p.name, p.from, p.to, p.security]),
      [
        ['libssl3', '3.0.11-1~deb12u2', '3.0.19-1~deb12u2', true],
        ['tzdata', '2024a-0+deb12u1', '2025b-0+deb12u1', false],
      ],
    );
    const u = await collectUpdates(makeRoot(root, 1000));
    assert.ok('pending' in u && /var\/lib\/dpkg\/status against 2 package list/.test(u.source), JSON.stringify(u));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('where APT could choose otherwise, the data path steps aside for the simulation', async () => {
  const cases: [string, (root: string) => void, RegExp][] = [
    ['a pin on a listed origin', (root) => writeFileSync(join(root, 'etc/apt/preferences.d/stay'), 'Package: *\nPin: release a=bookworm\nPin-Priority: 100\n'), /pin "release a=bookworm"/],
    ['Default-Release', (root) => (mkdirSync(join(root, 'etc/apt/apt.conf.d'), { recursive: true }), writeFileSync(join(root, 'etc/apt/apt.conf.d/10release'), 'APT::Default-Release "bookworm";\n')), /Default-Release/],
    ['a NotAutomatic suite', (root) => writeFileSync(join(root, 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-backports_InRelease'), 'Origin: Debian Backports\nSuite: bookworm-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n'), /NotAutomatic/],
    ['a list of an architecture dpkg lacks', (root) => writeFileSync(join(root, 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-ARCH_Packages'), 'Package: x\nVersion: 1\n'), /architecture ARCH/],
    [
      'sources newer than the lists',
      (root) => {
        const lists = join(root, 'var/lib/apt/lists');
        for (const f of ['deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 'deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages']) utimesSync(join(lists, f), new Date(2020, 0, 1), new Date(2020, 0, 1));
        writeFileSync(join(root, 'etc/apt/sources.list'), 'deb http://deb.debian.org/debian bookworm main\n');
      },
      /apt-get update has not run since/,
    ],
  ];
  for (const [name, change, why] of cases) {
    const root = makeRootTree();
    try {
      change(root);
      const r = await aptPendingFromData(makeRoot(root, 1000));
      assert.ok('fallback' in r && why.test(r.fallback), `${name}: ${JSON.stringify(r)}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});

const aptHere = existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/apt-get');
test(
  "this machine: APT's data gives the same upgrades as apt-get -s dist-upgrade (name, from, to, security)",
  { skip: aptHere ? false : 'no dpkg/apt on this machine: nothing to compare', timeout: 300_000 },
  async (t) => {
    const r = makeRoot('/', 5000, 240_000);
    const data = await aptPendingFromData(r);
    if ('fallback' in data) {
      t.skip(`APT's data cannot give APT's answer here, the simulation is used: ${data.fallback}`);
      return;
    }
    const sim = await aptSimulation(r);
    if ('skipped' in sim) {
      t.skip(`the simulation itself is skipped here: ${sim.skipped}`);
      return;
    }
    // New packages a dist-upgrade would pull in are not pending updates of installed software.
    const key = (p: { name: string; from?: string; to: string; security: boolean }) => `${p.name} ${p.from} → ${p.to}${p.security ? ' (security)' : ''}`;
    const fromSim = sim.pending.filter((p) => p.from).map(key).sort();
    const fromData = data.pending.map(key).sort();
    assert.deepEqual(fromData, fromSim);
    t.diagnostic(`${fromData.length} upgrades, ${data.pending.filter((p) => p.security).length} of them security, from ${data.lists.length} lists; ${sim.pending.length - fromSim.length} new package(s) in the simulation`);
  },
);
