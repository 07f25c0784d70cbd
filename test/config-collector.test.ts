/** The config collector: host layout under --root, format detection, referenced files. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectConfigFacts, detectFormat } from '../src/collectors/config.js';
import { CATALOGUE } from '../src/checks/index.js';
import { judgeOne } from '../src/core/engine.js';

const root = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-root-${process.pid}-`));
after(() => rmSync(root, { recursive: true, force: true }));
const put = (p: string, text: string, mode = 0o644) => {
  mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  writeFileSync(path.join(root, p), text, { mode });
};

test('offline root: Mosquitto with include_dir and password file, EMQX tarball layout with cluster.hocon; paths stay host paths', async () => {
  put('/etc/mosquitto/mosquitto.conf', 'include_dir /etc/mosquitto/conf.d\n');
  put('/etc/mosquitto/conf.d/10-listener.conf', 'listener 8883\ncertfile /etc/mosquitto/certs/server.pem\npassword_file /etc/mosquitto/passwd\nacl_file /etc/mosquitto/acl\n');
  put('/etc/mosquitto/passwd', 'u:$6$c2FsdHNhbHRzYWx0$aGFzaA==\n', 0o644);
  put('/etc/mosquitto/acl', 'user u\ntopic readwrite #\n');
  put('/opt/emqx/etc/base.hocon', 'dashboard.listeners.http.bind = 18083\n');
  put('/opt/emqx/etc/emqx.conf', 'node {\n  name = "emqx@10.0.0.1"\n  cookie = "emqxsecretcookie"\n}\n');
  put('/opt/emqx/data/configs/cluster.hocon', 'authorization { no_match = deny }\n');
  put('/opt/emqx/etc/acl.conf', '{deny, all}.\n');
  const facts = await collectConfigFacts({ root });
  const m = facts['config.mosquitto'];
  assert.equal(m?.state, 'ok');
  if (m?.state !== 'ok') return;
  assert.deepEqual(m.value.configs[0]!.files, ['/etc/mosquitto/mosquitto.conf', '/etc/mosquitto/conf.d/10-listener.conf']);
  assert.equal(m.value.aclFiles[0]!.parsed?.rules.length, 1);
  const pw = facts['config.passwords'];
  assert.equal(pw?.state === 'ok' && pw.value.mosquitto[0]!.mode, 0o644, 'file modes are read in host audits');
  const e = facts['config.emqx'];
  assert.equal(e?.state, 'ok');
  if (e?.state !== 'ok') return;
  assert.deepEqual(e.value.configs[0]!.files, ['/opt/emqx/etc/base.hocon', '/opt/emqx/data/configs/cluster.hocon', '/opt/emqx/etc/emqx.conf']);
  assert.equal(e.value.aclFiles[0]!.path, '/opt/emqx/etc/acl.conf');

  const judge = (id: string) => judgeOne(CATALOGUE.find((c) => c.meta.id === id)!, facts, { subject: root, host: root, loopback: false }, false);
  assert.deepEqual(judge('ACC-033').map((r) => [r.status, r.location.uri, r.location.line]), [['FAIL', '/etc/mosquitto/acl', 2]]);
  assert.deepEqual(judge('ACC-050').map((r) => [r.status, r.location.uri, r.location.line]), [['FAIL', '/opt/emqx/etc/emqx.conf', 3]]);
  assert.deepEqual(judge('ACC-053').map((r) => r.status), ['PASS'], 'cluster.hocon is layered');
  assert.ok(judge('ACC-036').some((r) => r.status === 'FAIL' && /world-readable/.test(r.message)));
});

test('an empty root: config facts are skipped with the reason, checks SKIP', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-empty-${process.pid}-`));
  try {
    const facts = await collectConfigFacts({ root: empty });
    assert.equal(facts['config.mosquitto']?.state, 'skipped');
    const r = judgeOne(CATALOGUE.find((c) => c.meta.id === 'ACC-030')!, facts, { subject: empty, host: empty, loopback: false }, false);
    assert.deepEqual(r.map((x) => [x.status, x.message]), [['SKIP', 'no Mosquitto configuration given or found']]);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('format detection on the real upstream files', () => {
  const dir = fileURLToPath(new URL('fixtures/real-configs/', import.meta.url));
  const expect: Record<string, string | undefined> = {
    'mosquitto/mosquitto.conf': 'mosquitto',
    'mosquitto/docker_2.0_mosquitto-no-auth.conf': 'mosquitto',
    'mosquitto/snap_local_default_config.conf': 'mosquitto',
    'mosquitto/aclfile.example': 'mosquitto-acl',
    'mosquitto/pwfile.example': 'mosquitto-passwd',
    'mosquitto/pskfile.example': 'mosquitto-psk',
    'emqx/emqx_auth_etc_acl.conf': 'emqx-acl',
    'emqx/emqx_conf_etc_base.hocon': 'emqx',
    'emqx/emqx_conf_etc_emqx_conf.conf': 'emqx',
    'emqx/listeners.ssl.conf.example': 'emqx',
    'emqx/mqtt.conf.example': 'emqx',
    'emqx/node.conf.example': 'emqx',
    'mosquitto/UPSTREAM-LICENSE-HEAD.txt': undefined,
  };
  for (const [f, fmt] of Object.entries(expect)) assert.equal(detectFormat(f, readFileSync(path.join(dir, f), 'utf8')), fmt, f);
});
