/**
 * EMQX by release and security profile: the 5.x and 6.x defaults, EMQX_SECURITY_PROFILE from
 * etc/emqx.env or the environment, listener default ports and schema aliases, gateway listeners
 * (and their place in the port plan), files that are not node configs, and files that do not parse.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEmqxConfig } from '../src/config/emqx.js';
import { parseEmqxEnvFile } from '../src/config/emqx-env.js';
import { memoryIO } from '../src/config/io.js';
import { detectFormat } from '../src/collectors/config.js';
import { nodesFromEmqx } from '../src/ports/config-input.js';
import { buildPlan } from '../src/ports/plan.js';
import { runLint } from '../src/cli/impl/lint.js';
import type { Report } from '../src/core/types.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-emqx6-${process.pid}-`));
after(() => rmSync(tmp, { recursive: true, force: true }));

const load = (conf: string, opts: { version?: string; env?: Record<string, string>; files?: Record<string, string> } = {}) =>
  loadEmqxConfig({ files: ['/etc/emqx/emqx.conf'], envFile: '/etc/emqx/emqx.env', io: memoryIO({ '/etc/emqx/emqx.conf': conf, ...opts.files }), ...(opts.env && { env: opts.env }), ...(opts.version && { version: opts.version }) });

describe('defaults by release', () => {
  test('5.x: no_match allow, cookie emqxsecretcookie; 6.x: no_match deny, cookie emqx50elixir; the latest 6.x when nothing says', () => {
    const v5 = load('node.name = x\n', { version: '5.8' });
    assert.deepEqual([v5.get('authorization.no_match')?.value, v5.cookie.value, v5.version.source], ['allow', 'emqxsecretcookie', 'option']);
    const v6 = load('node.name = x\n', { version: '6.0' });
    assert.deepEqual([v6.get('authorization.no_match')?.value, v6.cookie.value], ['deny', 'emqx50elixir']);
    const assumed = load('node.name = x\n');
    assert.deepEqual([assumed.version.major, assumed.version.minor, assumed.version.source], [6, 3, 'assumed']);
  });

  test('the release of the packaged files comes from their documentation link, before --emqx-version is needed', () => {
    const c = load('## See https://docs.emqx.com/en/emqx/v5.7.2/hocon/ for more details.\nnode.name = x\n');
    assert.deepEqual([c.version.major, c.version.minor, c.version.source, c.version.location?.line], [5, 7, 'config', 1]);
    assert.equal(c.get('authorization.no_match')?.value, 'allow');
    assert.throws(() => load('node.name = x\n', { version: 'six' }), /--emqx-version six/);
  });
});

describe('security profile', () => {
  test('from etc/emqx.env (the shipped ${VAR:-default} form), over the inherited environment', () => {
    const env = '# EMQX boot-time environment variables.\n#EMQX_FEATURES="${EMQX_FEATURES:-FULL}"\nEMQX_SECURITY_PROFILE="${EMQX_SECURITY_PROFILE:-hardened}"\n';
    const c = load('node.name = x\n', { files: { '/etc/emqx/emqx.env': env } });
    assert.deepEqual([c.profile.name, c.profile.source, c.profile.location?.line], ['hardened', 'env', 3]);
    // The form keeps a value the environment already has.
    assert.equal(load('node.name = x\n', { env: { EMQX_SECURITY_PROFILE: 'legacy' }, files: { '/etc/emqx/emqx.env': env } }).profile.name, 'legacy');
    // A plain assignment in the file wins over the environment.
    assert.equal(load('node.name = x\n', { env: { EMQX_SECURITY_PROFILE: 'legacy' }, files: { '/etc/emqx/emqx.env': 'EMQX_SECURITY_PROFILE=hardened\n' } }).profile.name, 'hardened');
  });

  test('no profile before 6.3; an unknown value is an issue (EMQX does not start)', () => {
    const old = load('node.name = x\n', { version: '6.2', env: { EMQX_SECURITY_PROFILE: 'hardened' } });
    assert.deepEqual([old.profile.name, old.profile.ignored], ['legacy', 'hardened']);
    const bad = load('node.name = x\n', { env: { EMQX_SECURITY_PROFILE: 'strict' } });
    assert.match(bad.issues.map((i) => i.message).join('\n'), /EMQX_SECURITY_PROFILE=strict: not legacy or hardened/);
  });

  test('hardened: port-only and omitted binds of MQTT listeners and the HTTP dashboard are loopback; explicit, HTTPS and gateway binds are not', () => {
    const conf = 'listeners.tcp.default.bind = 1883\nlisteners.ssl.default.bind = "0.0.0.0:8883"\ndashboard.listeners.http.bind = 18083\ndashboard.listeners.https.bind = 18084\ngateway.mqttsn.listeners.udp.default.bind = 1884\n';
    const c = load(conf, { env: { EMQX_SECURITY_PROFILE: 'hardened' } });
    const byPath = Object.fromEntries([...c.listeners, ...c.dashboard.listeners, ...c.gateways].map((l) => [l.path, l.bind.address ?? 'all']));
    assert.deepEqual(byPath, {
      'listeners.tcp.default': '127.0.0.1',
      'listeners.ssl.default': '0.0.0.0',
      'listeners.ws.default': '127.0.0.1',
      'listeners.wss.default': '127.0.0.1',
      'dashboard.listeners.http': '127.0.0.1',
      'dashboard.listeners.https': 'all',
      'gateway.mqttsn.listeners.udp.default': 'all',
    });
    // node.default_listener_address decides before the profile (the Docker image sets it to all).
    const docker = load(conf, { env: { EMQX_SECURITY_PROFILE: 'hardened', EMQX_NODE__DEFAULT_LISTENER_ADDRESS: 'all' } });
    assert.equal(docker.listeners[0]!.bind.address, undefined);
    assert.match(docker.listeners[0]!.bind.via ?? '', /node.default_listener_address = all/);
    const nodename = load('node.name = "emqx@10.0.0.5"\nnode.default_listener_address = nodename\n');
    assert.equal(nodename.listeners[0]!.bind.address, '10.0.0.5');
  });
});

describe('listeners', () => {
  test('without bind: the type\'s default port (tcp 1883, ssl 8883, ws 8083, wss 8084, quic 14567), not port 0', () => {
    const c = load('listeners.tcp.a { enable = true }\nlisteners.ssl.b { enable = true }\nlisteners.ws.c { enable = true }\nlisteners.wss.d { enable = true }\nlisteners.quic.e { enable = true }\n');
    const ports = Object.fromEntries(c.listeners.filter((l) => l.name.length === 1).map((l) => [l.path, [l.bind.port, l.enabled]]));
    assert.deepEqual(ports, { 'listeners.tcp.a': [1883, true], 'listeners.ssl.b': [8883, true], 'listeners.ws.c': [8083, true], 'listeners.wss.d': [8084, true], 'listeners.quic.e': [14567, true] });
    assert.deepEqual(c.issues, []);
  });

  test('schema aliases: enabled = enable, rpc.driver = rpc.protocol (protocol wins when both are written)', () => {
    const c = load('listeners.tcp.default.enabled = false\nrpc.driver = ssl\n');
    assert.equal(c.listeners.find((l) => l.path === 'listeners.tcp.default')!.enabled, false);
    assert.equal(c.rpc.protocol, 'ssl');
    assert.equal(load('rpc { driver = ssl, protocol = tcp }\n').rpc.protocol, 'tcp');
  });

  test('gateway listeners: their own default ports and an enable of the gateway, and in the port plan', () => {
    const conf = [
      'gateway.mqttsn { mountpoint = "mqttsn/", listeners.udp.default { bind = "0.0.0.0:1884" } }',
      'gateway.stomp.listeners.tcp.default { max_connections = 1024 }',
      'gateway.coap.listeners.udp.default {}',
      'gateway.lwm2m { enable = false, listeners.udp.default { bind = 5783 } }',
      'gateway.exproto.listeners.tcp.default.bind = 7993',
      '',
    ].join('\n');
    const c = load(conf);
    assert.deepEqual(
      c.gateways.map((g) => [g.gateway, g.type, g.bind.port, g.enabled]),
      [
        ['mqttsn', 'udp', 1884, true],
        ['stomp', 'tcp', 61613, true],
        ['coap', 'udp', 5683, true],
        ['lwm2m', 'udp', 5783, false],
        ['exproto', 'tcp', 7993, true],
      ],
    );
    const { nodes } = nodesFromEmqx(['/etc/emqx/emqx.conf'], { io: memoryIO({ '/etc/emqx/emqx.conf': `node.name = "emqx@10.0.0.11"\n${conf}` }) });
    const plan = buildPlan({ nodes, clients: ['10.1.0.0/16'], admins: ['10.9.0.0/24'], peers: [], ssh: 22, warnings: [] });
    const gw = plan.nodes[0]!.ports.filter((p) => p.service === 'gateway').map((p) => `${p.port}/${p.proto}`);
    assert.deepEqual(gw.sort(), ['1884/udp', '5683/udp', '61613/tcp', '7993/tcp']);
  });
});

describe('files that are not node configs, and files that do not parse', () => {
  test('a plugin\'s priv/config.hocon (no EMQX node key) is not an EMQX config; base.hocon is', () => {
    assert.equal(detectFormat('/opt/emqx/plugins/emqx_plugin_template-5.0.0/priv/config.hocon', 'hostname = "localhost"\nport = 3306\nconnectionOptions = [{ optionName = "autoReconnect", optionType = "string" }]\n'), undefined);
    assert.equal(detectFormat('/etc/emqx/base.hocon', 'dashboard {\n    listeners {\n        http.bind = 18083\n    }\n}\n'), 'emqx');
  });

  test('a syntax error: the file is a parse failure at its line, not a config of defaults', () => {
    const c = load('authentication = [\n  { mechanism = password_based, backend = built_in_database }\n]\nnode {\n  cookie = "unterminated\n}\n');
    assert.equal(c.parseFailures.length, 1);
    assert.deepEqual([c.parseFailures[0]!.file, c.parseFailures[0]!.line], ['/etc/emqx/emqx.conf', 5]);
    assert.ok(c.issues.some((i) => i.incomplete && i.line === 5));
    // A missing include is incomplete, but the file itself parsed: no parse failure.
    const inc = load('include "missing.conf"\nnode.name = x\n');
    assert.deepEqual(inc.parseFailures, []);
  });

  test('emqx.env: shell lines that are not assignments are reported, not evaluated', () => {
    const r = parseEmqxEnvFile('export EMQX_NODE__COOKIE=\'s3cr3t $x\'\nif [ -f x ]; then . x; fi\n', 'emqx.env', {});
    assert.deepEqual(r.env, { EMQX_NODE__COOKIE: 's3cr3t $x' });
    assert.deepEqual(r.issues.map((i) => i.line), [2]);
  });
});

/** A shipped EMQX 6.3 node, modelled on emqx/emqx apps/emqx_conf/etc (emqx.conf, base.hocon, emqx.env) and the 6.3 acl.conf. */
function shippedNode(dir: string, opts: { hardened: boolean }): string {
  const etc = path.join(dir, 'etc');
  mkdirSync(etc, { recursive: true });
  writeFileSync(
    path.join(etc, 'emqx.conf'),
    [
      '## NOTE:',
      '## This config file overrides data/configs/cluster.hocon,',
      "## and is merged with environment variables which start with 'EMQX_' prefix.",
      '##',
      '## See https://docs.emqx.com/en/emqx/v6.3.0/configuration/configuration.html for more details.',
      '## Configuration full example can be found in emqx.conf.example',
      '',
      'node {',
      '  name = "emqx@127.0.0.1"',
      '  cookie = "kV9qZ2x8Lw4tR7mN1pB6yH3sD0fJ5cGa"',
      '  data_dir = "/var/lib/emqx"',
      '}',
      '',
      'cluster {',
      '  name = emqxcl',
      '  discovery_strategy = manual',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(etc, 'base.hocon'),
    [
      '## Define configurations that can later be overridden through UI/API/CLI.',
      '##',
      '## Config precedence order:',
      '##   etc/base.hocon < cluster.hocon < emqx.conf < environment variables',
      '',
      'log {',
      '    file {',
      '        # level = warning',
      '    }',
      '    console {',
      '        # level = warning',
      '    }',
      '}',
      '',
      'dashboard {',
      '    listeners {',
      '        http.bind = 18083',
      '        # https.bind = 18084',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(etc, 'acl.conf'),
    [
      '%%--------------------------------------------------------------------',
      '%% -type(ipaddr() :: {ipaddr, string()}).',
      '%% -type(who() :: all | binary() | {ipaddr, esockd_access:cidr()} | {security_profile, legacy | hardened}).',
      '%%--------------------------------------------------------------------',
      '{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.',
      '{allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.',
      '{deny, all, subscribe, ["$SYS/#", {eq, "#"}, {eq, "+/#"}]}.',
      '{allow, {security_profile, legacy}}.',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(etc, 'emqx.env'),
    [
      '# EMQX boot-time environment variables.',
      '#',
      '# The emqx command (bin/emqx, /usr/bin/emqx on package installs) sources this',
      '# file on every invocation.',
      '#EMQX_FEATURES="${EMQX_FEATURES:-FULL}"',
      `${opts.hardened ? '' : '#'}EMQX_SECURITY_PROFILE="\${EMQX_SECURITY_PROFILE:-hardened}"`,
      '',
    ].join('\n'),
  );
  return etc;
}

/** The checks whose findings the hardened profile makes moot (its own enforcement), and the overrides that undo it. */
const ENFORCED = ['ACC-050', 'ACC-051', 'ACC-053', 'ACC-055', 'ACC-057', 'ACC-058', 'SVC-040', 'SVC-041', 'SVC-044', 'TLS-041', 'TLS-045'];
const failsOf = (r: Report) => r.results.filter((x) => x.status === 'FAIL' && ENFORCED.includes(x.checkId)).map((x) => `${x.checkId} ${x.message}`);

describe('done when: a shipped EMQX 6.3 node with the hardened profile and a strong cookie', () => {
  test('gives no finding the profile already enforces', async () => {
    const etc = shippedNode(path.join(tmp, 'hardened'), { hardened: true });
    const r = await runLint([etc], { failOn: 'medium', env: {} });
    assert.deepEqual(failsOf(r), []);
    // Everything judged, nothing skipped for a parse failure, and the release came from the file.
    assert.deepEqual(r.results.filter((x) => x.checkId === 'CFG-052' && x.status === 'FAIL'), []);
    assert.ok(r.results.some((x) => x.checkId === 'ACC-051' && x.status === 'PASS' && /hardened security profile \(EMQX_SECURITY_PROFILE at .*emqx\.env:6\)/.test(x.message)));
  });

  test('the same node under the legacy profile does get them (the test can fail)', async () => {
    const etc = shippedNode(path.join(tmp, 'legacy'), { hardened: false });
    const r = await runLint([etc], { failOn: 'medium', env: {} });
    const ids = new Set(failsOf(r).map((f) => f.split(' ')[0]));
    for (const id of ['ACC-051', 'ACC-055', 'ACC-057', 'SVC-040', 'SVC-041', 'SVC-044']) assert.ok(ids.has(id), `${id} under legacy: ${[...ids].join(', ')}`);
    assert.ok(!ids.has('ACC-053'), 'no_match is deny by default on 6.x');
  });

  test('an override that undoes the profile is reported at its line', async () => {
    const etc = shippedNode(path.join(tmp, 'override'), { hardened: true });
    writeFileSync(path.join(etc, 'emqx.conf'), `${'node.cookie = "kV9qZ2x8Lw4tR7mN1pB6yH3sD0fJ5cGa"\n'}authorization {\n  ignore_backend_failures = true\n}\nlisteners.tcp.default.bind = "0.0.0.0:1883"\n`);
    const r = await runLint([etc], { failOn: 'medium', env: {} });
    const got = r.results.filter((x) => x.status === 'FAIL' && ['ACC-058', 'SVC-040'].includes(x.checkId)).map((x) => `${x.checkId}:${x.location.line}`);
    assert.deepEqual(got.sort(), ['ACC-058:3', 'SVC-040:5']);
  });
});
