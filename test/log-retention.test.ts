/**
 * The log-retention facts (src/collectors/system/log-retention.ts): the logrotate rule of a broker log
 * file, read from an offline root the way logrotate reads its configuration, and journald's time values.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRetention, journaldSeconds, parseLogrotate } from '../src/collectors/system/log-retention.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
import { PolicySchema } from '../src/config/policy.js';
import { audit } from './helpers/audit.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function root(files: Record<string, string>): string {
  const r = mkdtempSync(join(tmpdir(), 'mw-logrot-'));
  roots.push(r);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(r, path, '..'), { recursive: true });
    writeFileSync(join(r, path), text);
  }
  return r;
}

// Debian's /etc/logrotate.d/mosquitto (mosquitto 2.0.11-1.2+deb12u1): `size 100k` after `daily` wins.
const DEBIAN_MOSQUITTO = `/var/log/mosquitto/mosquitto.log {
\trotate 7
\tdaily
\tcompress
\tsize 100k
\tnocreate
\tmissingok
\tpostrotate
\t\tif invoke-rc.d mosquitto status > /dev/null 2>&1; then \\
\t\t\tinvoke-rc.d mosquitto reload > /dev/null 2>&1; \\
\t\tfi;
\tendscript
}
`;

test("Debian's mosquitto rule: rotated by size, 7 kept; the script is skipped", async () => {
  const r = root({ '/etc/logrotate.d/mosquitto': DEBIAN_MOSQUITTO });
  const ret = await collectRetention(makeRoot(r, 5000), ['/var/log/mosquitto/mosquitto.log'], []);
  assert.deepEqual(ret.files[0]!.rule, { location: { file: '/etc/logrotate.d/mosquitto', line: 1 }, pattern: '/var/log/mosquitto/mosquitto.log', rotate: 7, trigger: { kind: 'size', size: '100k' } });
  assert.deepEqual(ret.problems, []);
});

test('logrotate.conf globals hold for the included rules; a later rule of the block overrides them; globs match', async () => {
  const r = root({
    '/etc/logrotate.conf': '# see "man logrotate"\nweekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n/var/log/wtmp {\n    monthly\n    rotate 1\n}\n',
    '/etc/logrotate.d/mosquitto': '/var/log/mosquitto/*.log {\n  maxage 60\n}\n',
    '/etc/logrotate.d/other': '"/var/log/other log" /var/log/x.log\n{\n  daily\n  rotate 30\n}\n',
    '/etc/logrotate.d/mosquitto.dpkg-old': '/var/log/mosquitto/*.log {\n  rotate 1\n  daily\n}\n',
  });
  const ret = await collectRetention(makeRoot(r, 5000), ['/var/log/mosquitto/mosquitto.log', '/var/log/x.log', '/var/log/none.log'], []);
  assert.deepEqual(ret.files.map((f) => f.rule && { rotate: f.rule.rotate, trigger: f.rule.trigger, maxage: f.rule.maxage, at: `${f.rule.location.file}:${f.rule.location.line}` }), [
    { rotate: 4, trigger: { kind: 'time', period: 'weekly' }, maxage: 60, at: '/etc/logrotate.d/mosquitto:1' },
    { rotate: 30, trigger: { kind: 'time', period: 'daily' }, maxage: undefined, at: '/etc/logrotate.d/other:2' },
    undefined,
  ]);
  assert.deepEqual(ret.looked, ['/etc/logrotate.conf', '/etc/logrotate.d/mosquitto', '/etc/logrotate.d/other'], 'package leftovers (.dpkg-old) are not read');
});

test('malformed logrotate files are problems naming file:line, not crashes', () => {
  const p = parseLogrotate('/var/log/a.log {\n  rotate 3\n', '/etc/logrotate.d/a', {});
  assert.deepEqual(p.problems, ['/etc/logrotate.d/a:1: block not closed with }']);
  assert.deepEqual(parseLogrotate('{\n}\n', '/etc/logrotate.d/b', {}).problems, ['/etc/logrotate.d/b:1: a block without a log file pattern']);
});

test('journald MaxRetentionSec and SystemMaxUse: last wins; time values with units', async () => {
  const ret = await collectRetention(makeRoot(root({}), 5000), [], [
    { file: '/etc/systemd/journald.conf', text: '[Journal]\n#MaxRetentionSec=\nMaxRetentionSec=1week\nSystemMaxUse=500M\n' },
    { file: '/etc/systemd/journald.conf.d/keep.conf', text: '[Journal]\nMaxRetentionSec=6month\n' },
  ]);
  assert.deepEqual(ret.journal, { maxRetention: { seconds: 6 * 2629800, text: '6month', source: '/etc/systemd/journald.conf.d/keep.conf' }, systemMaxUse: { text: '500M', source: '/etc/systemd/journald.conf' } });
  assert.equal(journaldSeconds('90d'), 90 * 86400);
  assert.equal(journaldSeconds('1h 30min'), 5400);
  assert.equal(journaldSeconds('3600'), 3600);
  assert.equal(journaldSeconds('soon'), undefined);
});

test('CFG-100 on an offline root: the collector finds the rule of the configured log file, the policy sets the bar', async () => {
  const r = root({
    '/etc/mosquitto/mosquitto.conf': 'listener 1883 127.0.0.1\nlog_dest file /var/log/mosquitto/mosquitto.log\n',
    '/etc/logrotate.conf': 'weekly\nrotate 4\ninclude /etc/logrotate.d\n',
    '/etc/logrotate.d/mosquitto': '/var/log/mosquitto/mosquitto.log {\n  daily\n  rotate 30\n  compress\n}\n',
  });
  const cfg100 = async (policy?: unknown) => {
    const report = await audit([], { network: false, host: true, system: { root: r, timeoutMs: 3000, ...(policy !== undefined && { policy: PolicySchema.parse(policy) }) } });
    return report.results.filter((x) => x.checkId === 'CFG-100');
  };
  const strict = await cfg100();
  assert.deepEqual(strict.map((x) => x.status), ['FAIL'], JSON.stringify(strict));
  assert.match(strict[0]!.message, /logrotate keeps about 30 days \(daily, rotate 30, \/etc\/logrotate\.d\/mosquitto:1\): less than the policy's 90 days/);
  const lenient = await cfg100({ logging: { minRetentionDays: 30 } });
  assert.deepEqual(lenient.map((x) => x.status), ['PASS'], JSON.stringify(lenient));
});

test('logrotate.conf that does not include logrotate.d: its rules are not applied; an include loop and a directory entry are bounded', async () => {
  const r = root({
    '/etc/logrotate.conf': 'weekly\nrotate 4\ninclude /etc/logrotate.conf\ninclude /etc/extra\n',
    '/etc/extra/mosquitto': '/var/log/mosquitto/mosquitto.log {\n  monthly\n}\n',
    '/etc/extra/sub/ignored': 'x',
    '/etc/logrotate.d/mosquitto': '/var/log/mosquitto/mosquitto.log {\n  daily\n  rotate 1\n}\n',
  });
  const ret = await collectRetention(makeRoot(r, 5000), ['/var/log/mosquitto/mosquitto.log'], []);
  assert.deepEqual(ret.files[0]!.rule && { at: ret.files[0]!.rule.location.file, rotate: ret.files[0]!.rule.rotate, trigger: ret.files[0]!.rule.trigger }, { at: '/etc/extra/mosquitto', rotate: 4, trigger: { kind: 'time', period: 'monthly' } });
  assert.ok(!ret.looked.includes('/etc/logrotate.d/mosquitto'));
  assert.ok(ret.problems.some((p) => p.includes('/etc/extra/sub')), JSON.stringify(ret.problems));
});
