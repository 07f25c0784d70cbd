/**
 * Mosquitto dynamic security and NanoMQ: the located parsers (defaults, pointers, the
 * plugin's own reading of the JSON), format detection against EMQX, hostile input, the
 * fixtures linted end to end through the CLI, the audit following plugin_opt_config_file,
 * and NanoMQ in the ports planner.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDynsec, topicCovers, isDynsecAdmin, clientRoles } from '../src/config/dynsec.js';
import { parseNanomqConfig, parseNanomqAcl, parseNanomqPasswd } from '../src/config/nanomq.js';
import { collectConfigFacts, detectFormat } from '../src/collectors/config.js';
import { memoryIO } from '../src/config/io.js';
import { checkPassword } from '../src/credentials/strength.js';
import { DEFAULT_POLICY } from '../src/config/policy.js';
import { nodeFromNanomq } from '../src/ports/config-input.js';
import { buildPlan } from '../src/ports/plan.js';
import type { CheckResult, Report } from '../src/core/types.js';
import { runCli } from './helpers/cli.js';

const FIX = fileURLToPath(new URL('fixtures/', import.meta.url));
const REAL = path.join(FIX, 'real-configs');
const tmp = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-dynsec-${process.pid}-`));
after(() => rmSync(tmp, { recursive: true, force: true }));

const score = (pw: string) => checkPassword(pw, DEFAULT_POLICY.passwords);
const fails = (r: Report, id?: string) => r.results.filter((x) => x.status === 'FAIL' && (!id || x.checkId === id));
const at = (x: CheckResult) => `${path.basename(x.location.uri)}:${x.location.line}`;

describe('dynamic-security parser', () => {
  test('the generated 2.1 file: defaults as written, every element located by line and pointer', () => {
    const file = path.join(FIX, 'dynsec/dynamic-security.json');
    const text = readFileSync(file, 'utf8');
    const c = parseDynsec(text, file);
    assert.equal(c.loaded, true);
    assert.deepEqual(c.issues, []);
    assert.deepEqual(
      Object.fromEntries(Object.entries(c.defaultACLAccess).map(([k, v]) => [k, v.value])),
      { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
    );
    assert.deepEqual(c.clients.map((x) => x.username), ['admin', 'democlient']);
    assert.deepEqual(c.roles.map((r) => r.rolename), ['client', 'broker-admin', 'dynsec-admin', 'super-admin', 'sys-notify', 'sys-observe', 'topic-observe']);
    assert.equal(c.anonymousGroup?.groupname, 'unauthenticated');
    // Located: the line of "democlient" in the text is where its client object starts or just after.
    const demo = c.clients[1]!;
    assert.equal(demo.at.pointer, '/clients/1');
    const lines = text.split('\n');
    assert.ok(lines.slice(demo.at.line - 1, demo.at.line + 4).some((l) => l.includes('"democlient"')), `democlient near line ${demo.at.line}`);
    const acl = c.roles[0]!.acls[2]!;
    assert.equal(acl.at.pointer, '/roles/0/acls/2');
    assert.ok(lines[acl.at.line - 1]!.includes('{') || lines[acl.at.line]!.includes('acltype'));
    assert.deepEqual(demo.credential, { scheme: 'pbkdf2', iterations: 1000, legacy: false });
    assert.equal(isDynsecAdmin(c, c.clients[0]!), true, 'admin holds super-admin ($CONTROL/#)');
    assert.equal(isDynsecAdmin(c, demo), false);
  });

  test('documented defaults: missing keys, allowwildcardsubs true, ACL priority 0 and allow false, role ref priority -1', () => {
    const c = parseDynsec('{"roles": [{"rolename": "r", "acls": [{"acltype": "subscribePattern", "topic": "a/#"}]}], "clients": [{"username": "u", "roles": [{"rolename": "r"}]}]}', 'x.json');
    for (const v of Object.values(c.defaultACLAccess)) assert.deepEqual([v.value, v.set], [false, false]);
    assert.equal(c.roles[0]!.allowwildcardsubs, true);
    assert.deepEqual([c.roles[0]!.acls[0]!.priority, c.roles[0]!.acls[0]!.allow], [0, false]);
    assert.equal(c.clients[0]!.roles[0]!.priority, -1);
    assert.equal(c.clients[0]!.disabled, false);
    assert.deepEqual(c.clients[0]!.credential, { scheme: 'none' });
  });

  test('read as the plugin reads it: keys case-insensitive, first duplicate wins, acltype case-insensitive, wrong types take the default', () => {
    const c = parseDynsec(
      JSON.stringify({
        DefaultAclAccess: { Subscribe: true },
        roles: [
          { rolename: 'r', allowwildcardsubs: 'no', acls: [{ acltype: 'SUBSCRIBEPATTERN', topic: 'a' }, { acltype: 'subscribePattern', topic: 'a', allow: true }, { acltype: 'x', topic: 'b' }, { acltype: 'publishClientSend', topic: '' }] },
          { rolename: 'r' },
        ],
        clients: [{ username: 'u', textName: 'T' }, { username: 'u' }, { clientid: 'no-name' }],
      }),
      'x.json',
    );
    assert.equal(c.defaultACLAccess.subscribe.value, true);
    assert.equal(c.roles.length, 1);
    assert.equal(c.roles[0]!.allowwildcardsubs, true);
    assert.deepEqual(c.roles[0]!.acls.map((a) => [a.acltype, a.topic, a.allow]), [['subscribePattern', 'a', false]]);
    assert.equal(c.clients.length, 1);
    assert.equal(c.clients[0]!.textname, 'T');
    const messages = c.issues.map((i) => i.message).join('\n');
    for (const m of ['not true or false', 'keeps the first', 'unknown acltype "x"', 'without a topic', 'client without a "username"']) assert.match(messages, new RegExp(m.replace(/"/g, '"')));
  });

  test('the real file of Mosquitto 2.0.11 `mosquitto_ctrl dynsec init`: legacy password fields, 101 iterations', () => {
    const c = parseDynsec(readFileSync(path.join(FIX, 'dynsec/dynamic-security-2.0.json'), 'utf8'), 'd.json');
    assert.deepEqual(c.issues, []);
    assert.deepEqual(c.clients[0]!.credential, { scheme: 'pbkdf2', iterations: 101, legacy: true });
    assert.deepEqual(clientRoles(c, c.clients[0]!).map((r) => r.rolename), ['admin']);
  });

  test('topic coverage follows MQTT wildcard rules ($-topics are not matched by a leading wildcard)', () => {
    assert.ok(topicCovers('#', 'a/b/#'));
    assert.ok(!topicCovers('#', '$SYS/#'));
    assert.ok(topicCovers('$CONTROL/#', '$CONTROL/dynamic-security/#'));
    assert.ok(!topicCovers('+/#', '$CONTROL/#'));
    assert.ok(!topicCovers('a/+', 'a/#'));
    assert.ok(topicCovers('a/+', 'a/b'));
  });
});

describe('dynamic-security hostile input: located errors, never a crash', () => {
  test('malformed JSON is located and the model is empty', () => {
    const c = parseDynsec('{\n  "clients": [\n    {"username": "a",}\n  ]\n}\n', 'bad.json');
    assert.equal(c.loaded, false);
    assert.equal(c.clients.length, 0);
    assert.ok(c.issues.length >= 1);
    assert.deepEqual([c.issues[0]!.line, c.issues[0]!.incomplete], [3, true]);
    for (const t of ['', '[]', 'null', '{"roles": 5}', '{"clients": [1, "x", null]}', '\ufeff{}', '{"a": 1} trailing']) {
      const r = parseDynsec(t, 'h.json');
      assert.ok(r.issues.length > 0 || r.loaded, JSON.stringify(t));
    }
  });

  test('deep nesting and huge arrays are refused before the tree is built', () => {
    const deep = parseDynsec(`{"roles": ${'['.repeat(500_000)}`, 'deep.json');
    assert.match(deep.issues[0]!.message, /nested deeper than 64/);
    const huge = parseDynsec(`{"clients": [${'1,'.repeat(2_100_000)}1]}`, 'huge.json');
    assert.match(huge.issues[0]!.message, /more than 2000000 JSON values/);
    assert.equal(huge.loaded, false);
  });

  test('a large legal file (20,000 clients) parses completely', () => {
    const clients = Array.from({ length: 20_000 }, (_, i) => ({ username: `u${i}`, encoded_password: '$7$1000$c2FsdA==$aGFzaA==', roles: [{ rolename: 'r' }] }));
    const c = parseDynsec(JSON.stringify({ roles: [{ rolename: 'r' }], clients }), 'big.json');
    assert.equal(c.clients.length, 20_000);
    assert.equal(c.clients[19_999]!.at.pointer, '/clients/19999');
  });
});

describe('NanoMQ parser', () => {
  test('the shipped-style nanomq.conf: settings, listeners, HTTP API, included files read beside it', () => {
    const file = path.join(FIX, 'nanomq/nanomq.conf');
    const io = memoryIO({
      [file]: readFileSync(file, 'utf8'),
      [path.join(FIX, 'nanomq/nanomq_pwd.conf')]: readFileSync(path.join(FIX, 'nanomq/nanomq_pwd.conf'), 'utf8'),
      [path.join(FIX, 'nanomq/nanomq_acl.conf')]: readFileSync(path.join(FIX, 'nanomq/nanomq_acl.conf'), 'utf8'),
    });
    const c = parseNanomqConfig(io.readFile(file), file, { io, score, besideConfig: true });
    assert.equal(c.syntax, 'hocon');
    assert.deepEqual([c.allowAnonymous.value, c.noMatch.value, c.denyAction.value], [true, 'allow', 'ignore']);
    assert.deepEqual(c.listeners.map((l) => `${l.kind} ${l.host}:${l.port}${l.path ?? ''}`), ['tcp 0.0.0.0:1883', 'ws 0.0.0.0:8083/mqtt']);
    assert.deepEqual([c.httpServer?.host.value, c.httpServer?.port.value, c.httpServer?.username.value, c.httpServer?.password.shipped], ['0.0.0.0', 8081, 'admin', true]);
    assert.deepEqual(c.passwords?.users.map((u) => [u.username, u.wellKnown, u.line]), [['admin', true, 2], ['client', true, 3], ['sensor-17', false, 4]]);
    assert.equal(c.passwords?.file, path.join(FIX, 'nanomq/nanomq_pwd.conf'), 'located in the file read, not /etc/…');
    assert.deepEqual(c.acl?.rules.map((r) => [r.permit, r.username ?? '*', r.line]), [['allow', 'dashboard', 4], ['deny', '#', 7], ['allow', '*', 10]]);
    assert.ok(!JSON.stringify(c).includes('Vq8#mT2!xR9@kL4z'), 'passwords are scored and dropped');
  });

  test('0.23 layout: several listeners of a type, ip_addr unquoted, webhook events and preset sessions', () => {
    const text = [
      'system {\n\tnum_taskq_thread = 0\n\thook_ipc_url = "ipc:///tmp/nanomq_hook.ipc"\n}',
      'listeners.tcp {\n\tbind = "0.0.0.0:1883"\n}',
      'listeners.tcp.default_1 {\n    bind = "0.0.0.0:1884"\n}',
      'listeners.ssl {\n\tbind = "0.0.0.0:8883"\n\tkeyfile = "/etc/certs/key.pem"\n}',
      'listeners.ssl.default_1 {\n\tbind = "127.0.0.1:8881"\n}',
      'http_server {\n\tport = 8081\n\tip_addr = 0.0.0.0\n\tusername = admin\n\tpassword = public\n}',
      'webhook {\n\turl = "http://127.0.0.1:80"\n\tevents = [\n\t\t{ event = "on_message_publish", topic = "a/b/c" }\n\t]\n}',
      'auth {\n\tallow_anonymous = true\n\tno_match = allow\n\tdeny_action = ignore\n}',
      'preset.session.1 {\n\tclientid = "example"\n\ttopic = [\n\t\t{ qos = 2, remote_topic = "msg1/#" }\n\t]\n}',
    ].join('\n\n');
    assert.equal(detectFormat('/etc/nanomq.conf', text), 'nanomq');
    assert.equal(detectFormat('/srv/x.conf', text), 'nanomq');
    const c = parseNanomqConfig(text, '/etc/nanomq.conf', { io: memoryIO({}), score });
    assert.deepEqual(c.issues, []);
    assert.deepEqual(c.listeners.map((l) => `${l.kind} ${l.host}:${l.port}`), ['tcp 0.0.0.0:1883', 'tcp 0.0.0.0:1884', 'ssl 0.0.0.0:8883', 'ssl 127.0.0.1:8881']);
    assert.deepEqual([c.httpServer?.host.value, c.httpServer?.host.set], ['0.0.0.0', true]);
  });

  test('compiled-in defaults when the file says nothing', () => {
    const c = parseNanomqConfig('mqtt {\n  max_packet_size = 1MB\n}\n', '/etc/nanomq.conf', { io: memoryIO({}), score });
    assert.deepEqual([c.allowAnonymous.value, c.allowAnonymous.set, c.noMatch.value, c.denyAction.value], [true, false, 'allow', 'ignore']);
    assert.deepEqual(c.listeners.map((l) => [l.kind, l.host, l.port, l.set]), [['tcp', '0.0.0.0', 1883, false]]);
    assert.equal(c.httpServer, undefined);
  });

  test('the legacy key=value format', () => {
    const file = path.join(FIX, 'nanomq/nanomq_old.conf');
    const c = parseNanomqConfig(readFileSync(file, 'utf8'), file, { io: memoryIO({}), score });
    assert.equal(c.syntax, 'legacy');
    assert.deepEqual([c.allowAnonymous.value, c.allowAnonymous.at.line, c.noMatch.value, c.denyAction.value], [true, 12, 'allow', 'ignore']);
    assert.deepEqual(c.listeners.map((l) => `${l.kind} ${l.port}`), ['tcp 1883', 'ws 8083']);
    assert.equal(c.httpServer?.port.value, 8081);
    assert.deepEqual(c.acl?.rules.map((r) => [r.permit, r.line]), [['allow', 18]]);
  });

  test('password and ACL files on their own, both formats; bad entries located', () => {
    const p = parseNanomqPasswd('# c\n"a": "b"\nc: d\n', 'p.conf', score);
    assert.deepEqual(p.users.map((u) => [u.username, u.line]), [['a', 2], ['c', 3]]);
    const legacy = parseNanomqPasswd('auth.1.login = admin\nauth.1.password = public\nauth.2.login = x\n', 'p.conf', score);
    assert.deepEqual(legacy.users.map((u) => [u.username, u.wellKnown]), [['admin', true]]);
    assert.match(legacy.issues[0]!.message, /auth\.2\.login has no auth\.2\.password/);
    const acl = parseNanomqAcl('rules = [\n  {"permit": "maybe"}\n', 'a.conf');
    assert.ok(acl.issues.length > 0 && acl.issues[0]!.line >= 1);
  });
});

describe('format detection', () => {
  const read = (p: string) => readFileSync(p, 'utf8');
  test('dynamic security by content, whatever the name; its .pw file never on its own', () => {
    assert.equal(detectFormat('/x/anything.json', read(path.join(FIX, 'dynsec/dynamic-security.json'))), 'mosquitto-dynsec');
    assert.equal(detectFormat('/x/ds', read(path.join(FIX, 'dynsec/dynamic-security-2.0.json'))), 'mosquitto-dynsec');
    assert.equal(detectFormat('/x/dynamic-security.json.pw', 'admin abc\ndemoclient def\n'), undefined);
    assert.equal(detectFormat('/x/package.json', '{"name": "x", "version": "1.0.0"}'), undefined);
  });

  test('NanoMQ files are NanoMQ, EMQX files stay EMQX', () => {
    const nano = read(path.join(FIX, 'nanomq/nanomq.conf'));
    assert.equal(detectFormat('/etc/nanomq.conf', nano), 'nanomq');
    assert.equal(detectFormat('/srv/broker.conf', nano), 'nanomq', 'by its keys, not its name');
    assert.equal(detectFormat('/srv/broker.conf', read(path.join(FIX, 'nanomq/nanomq_old.conf'))), 'nanomq');
    assert.equal(detectFormat('/srv/users.conf', read(path.join(FIX, 'nanomq/nanomq_pwd.conf'))), 'nanomq-passwd');
    assert.equal(detectFormat('/srv/rules.conf', read(path.join(FIX, 'nanomq/nanomq_acl.conf'))), 'nanomq-acl');
    assert.equal(detectFormat('/etc/emqx/emqx.conf', read(path.join(REAL, 'emqx/emqx_conf_etc_emqx_conf.conf'))), 'emqx');
    assert.equal(detectFormat('/etc/emqx/base.hocon', read(path.join(REAL, 'emqx/emqx_conf_etc_base.hocon'))), 'emqx');
    assert.equal(detectFormat('/x/listeners.tcp.conf', read(path.join(REAL, 'emqx/listeners.tcp.conf.example'))), 'emqx');
    assert.equal(detectFormat('/etc/mosquitto/mosquitto.conf', read(path.join(REAL, 'mosquitto/mosquitto.conf'))), 'mosquitto');
    assert.equal(detectFormat('/x/pskfile', read(path.join(REAL, 'mosquitto/pskfile.example'))), 'mosquitto-psk');
  });
});

describe('lint end to end (CLI)', () => {
  test('the generated dynamic-security.json with its .pw file, and the 2.0 file', async () => {
    const r = await runCli(['lint', path.join(FIX, 'dynsec'), '-f', 'json', '--fail-on', 'high']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(fails(report, 'ACC-086').map((x) => [at(x), x.severity]), [['dynamic-security.json:25', 'high']]);
    assert.deepEqual(fails(report, 'ACC-087').map(at), ['dynamic-security.json.pw:1']);
    assert.deepEqual(fails(report, 'ACC-081').map((x) => [at(x), x.message.replace(/ \(.*\)/, '')]), [['dynamic-security.json:49', 'role "client" allows publishClientSend on "#" and is held by client "democlient"']]);
    assert.deepEqual(fails(report, 'ACC-085').map(at), ['dynamic-security-2.0.json:2']);
    assert.deepEqual(fails(report, 'ACC-080'), [], 'the generated defaults deny publish and subscribe');
    assert.deepEqual(fails(report, 'CFG-080'), []);
    for (const secret of ['GenAdminPw-not-real-1', 'GenDemoPw-not-real-2', '$7$1000$']) assert.ok(!r.stdout.includes(secret), `${secret} is never reported`);
    // Nothing else judges the JSON: Mosquitto and EMQX checks do not apply.
    assert.ok(report.results.every((x) => /^(ACC-08|CFG-080)/.test(x.checkId)), report.results.map((x) => x.checkId).join(' '));
  });

  test('the NanoMQ fixtures: NanoMQ findings only, no EMQX cookie/Swagger/TLS findings, no password printed', async () => {
    const r = await runCli(['lint', path.join(FIX, 'nanomq'), '-f', 'json', '--fail-on', 'high']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.results.every((x) => /^(ACC-09|SVC-07|CFG-081)/.test(x.checkId)), report.results.map((x) => x.checkId).join(' '));
    assert.deepEqual(fails(report, 'ACC-090').map(at), ['nanomq.conf:43', 'nanomq_old.conf:12']);
    assert.deepEqual(fails(report, 'ACC-091').map(at).sort(), ['nanomq.conf:44', 'nanomq_acl.conf:10', 'nanomq_old.conf:14', 'nanomq_old.conf:18']);
    assert.deepEqual(fails(report, 'ACC-093').map(at).sort(), ['nanomq_pwd.conf:2', 'nanomq_pwd.conf:2', 'nanomq_pwd.conf:3'], 'the file, admin, client; sensor-17 is strong; the file is judged once');
    assert.deepEqual(fails(report, 'SVC-070').map(at).sort(), ['nanomq.conf:20', 'nanomq.conf:24', 'nanomq_old.conf:26', 'nanomq_old.conf:29']);
    assert.deepEqual(fails(report, 'SVC-071').map(at).sort(), ['nanomq.conf:13', 'nanomq.conf:17', 'nanomq_old.conf:23', 'nanomq_old.conf:3']);
    assert.deepEqual(fails(report, 'CFG-081'), []);
    assert.ok(!r.stdout.includes('Vq8#mT2!xR9@kL4z'));
    assert.ok(!/"public"|: public\b/.test(r.stdout), 'the shipped password is named as such, not printed');
  });

  test('a mosquitto.conf naming the dynamic-security file through plugin_opt_config_file', async () => {
    const dir = path.join(tmp, 'mosq');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(FIX, 'dynsec/dynamic-security.json'), path.join(dir, 'dynamic-security.json'));
    writeFileSync(path.join(dir, 'mosquitto.conf'), 'listener 1883 127.0.0.1\nplugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so\nplugin_opt_config_file /etc/mosquitto/dynamic-security.json\n');
    const r = await runCli(['lint', path.join(dir, 'mosquitto.conf'), '-f', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(fails(report, 'ACC-086').map(at), ['dynamic-security.json:25'], 'read next to the config when /etc/… is not there');
    assert.deepEqual(fails(report, 'ACC-087'), [], 'no .pw file in this directory');
  });
});

describe('audit of a host root', () => {
  test('follows plugin_opt_config_file of /etc/mosquitto/mosquitto.conf, and finds the .pw file', async () => {
    const root = path.join(tmp, 'root');
    mkdirSync(path.join(root, 'etc/mosquitto'), { recursive: true });
    writeFileSync(path.join(root, 'etc/mosquitto/mosquitto.conf'), 'listener 8883\ncertfile /etc/mosquitto/cert.pem\nplugin /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file /var/lib/mosquitto/dynamic-security.json\n');
    mkdirSync(path.join(root, 'var/lib/mosquitto'), { recursive: true });
    copyFileSync(path.join(FIX, 'dynsec/dynamic-security.json'), path.join(root, 'var/lib/mosquitto/dynamic-security.json'));
    copyFileSync(path.join(FIX, 'dynsec/dynamic-security.json.pw'), path.join(root, 'var/lib/mosquitto/dynamic-security.json.pw'));
    const facts = await collectConfigFacts({ root });
    const d = facts['config.dynsec'];
    assert.equal(d?.state, 'ok');
    if (d?.state !== 'ok') return;
    assert.equal(d.value.files[0]!.path, '/var/lib/mosquitto/dynamic-security.json');
    assert.deepEqual(d.value.files[0]!.ref, { file: '/etc/mosquitto/mosquitto.conf', line: 4, column: 24 });
    assert.deepEqual(d.value.files[0]!.generatedPasswords?.users, ['admin', 'democlient']);
    assert.equal(d.value.files[0]!.generatedPasswords?.path, '/var/lib/mosquitto/dynamic-security.json.pw', 'named as on the host');
  });
});

describe('audit of a NanoMQ host root', () => {
  test('/etc/nanomq.conf is found, its includes read under the root', async () => {
    const root = path.join(tmp, 'nroot');
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    for (const f of ['nanomq.conf', 'nanomq_pwd.conf', 'nanomq_acl.conf']) copyFileSync(path.join(FIX, 'nanomq', f), path.join(root, 'etc', f));
    const facts = await collectConfigFacts({ root });
    const n = facts['config.nanomq'];
    assert.equal(n?.state, 'ok');
    if (n?.state !== 'ok') return;
    assert.equal(n.value.configs.length, 1);
    const c = n.value.configs[0]!;
    assert.equal(c.file, '/etc/nanomq.conf');
    assert.deepEqual(c.includes.map((i) => [i.path, i.error ?? 'read']), [['/etc/nanomq_pwd.conf', 'read'], ['/etc/nanomq_acl.conf', 'read']]);
    assert.equal(c.passwords?.users.length, 3);
    assert.equal(facts['config.emqx']?.state, 'skipped', 'not taken for EMQX');
  });
});

describe('NanoMQ in the ports planner', () => {
  test('listeners and the HTTP API of the shipped-style config', () => {
    const { node, warnings } = nodeFromNanomq(path.join(FIX, 'nanomq/nanomq.conf'), { addresses: ['10.0.0.5'] });
    assert.deepEqual(warnings, []);
    const plan = buildPlan({ nodes: [node], clients: ['10.1.0.0/16'], admins: ['10.9.0.0/24'], peers: [], ssh: false });
    assert.deepEqual(plan.nodes[0]!.ports.map((p) => `${p.port}/${p.service}/${p.audience}`), ['1883/mqtt/clients', '8083/mqtt-ws/clients', '8081/dashboard-http/admins']);
    const local = nodeFromNanomq('/etc/nanomq.conf', { io: memoryIO({ '/etc/nanomq.conf': 'listeners.tcp {\n  bind = "127.0.0.1:1883"\n}\n' }) });
    const p2 = buildPlan({ nodes: [local.node], clients: ['10.1.0.0/16'], admins: [], peers: [], ssh: false });
    assert.deepEqual(p2.nodes[0]!.ports.map((p) => `${p.port}/${p.audience}`), ['1883/local']);
    assert.throws(() => nodeFromNanomq('/nonexistent/nanomq.conf'), /nonexistent\/nanomq\.conf/);
  });
});
