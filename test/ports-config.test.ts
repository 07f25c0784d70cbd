/** Planner input from real EMQX example configs and mosquitto.conf (parsed by src/config). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeFromMosquitto, nodesFromEmqx } from '../src/ports/config-input.js';
import { buildPlan } from '../src/ports/plan.js';
import { memoryIO } from '../src/config/io.js';
import type { NodeInput } from '../src/ports/types.js';

const EMQX = (f: string) => new URL(`./fixtures/real-configs/emqx/${f}`, import.meta.url).pathname;
const MOSQ = (f: string) => new URL(`./fixtures/real-configs/mosquitto/${f}`, import.meta.url).pathname;
const BASE = EMQX('emqx_conf_etc_base.hocon');

function plan(nodes: NodeInput[], warnings: ReturnType<typeof nodesFromEmqx>['warnings'] = []) {
  return buildPlan({ nodes, clients: ['10.1.0.0/16'], admins: ['10.9.0.0/24'], peers: [], ssh: false, warnings });
}
const ports = (p: ReturnType<typeof plan>, node = 0) => p.nodes[node]!.ports.map((x) => `${x.port}/${x.service}/${x.audience}`);

test('the shipped emqx.conf and base.hocon: emqx@127.0.0.1 with the default listeners and the HTTP dashboard from base.hocon', () => {
  const { nodes, warnings } = nodesFromEmqx([BASE, EMQX('emqx_conf_etc_emqx_conf.conf')]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(nodes.map((n) => n.name), ['emqx@127.0.0.1']);
  const p = plan(nodes);
  assert.deepEqual(ports(p), [
    '4370/erlang-dist/peers',
    '5370/cluster-rpc/peers',
    '1883/mqtt/clients',
    '8883/mqtts/clients',
    '8083/mqtt-ws/clients',
    '8084/mqtt-wss/clients',
    '18083/dashboard-http/admins',
  ]);
  const dash = p.nodes[0]!.ports.find((x) => x.port === 18083)!;
  assert.match(dash.source, /dashboard\.listeners\.http \(.*emqx_conf_etc_base\.hocon:33\)/);
});

test('cluster.static.seeds become the other nodes, each on 4370 + its suffix', () => {
  const { nodes } = nodesFromEmqx([BASE, EMQX('node.conf.example'), EMQX('cluster-with-static.conf.example')]);
  assert.deepEqual(nodes.map((n) => n.name), ['emqx@127.0.0.1', 'emqx1@192.168.0.1', 'emqx2@192.168.0.2']);
  const p = plan(nodes);
  assert.deepEqual(p.nodes.map((n) => n.distPort), [4370, 4371, 4372]);
  assert.deepEqual(ports(p, 2).slice(0, 2), ['4372/erlang-dist/peers', '5372/cluster-rpc/peers']);
  assert.deepEqual(p.networks.peers, ['127.0.0.1', '192.168.0.1', '192.168.0.2']);
});

test('listener examples: each named listener is planned where its bind says, and a second listener on a default port is a collision', () => {
  const cases: [string, string, string][] = [
    ['listeners.tcp.conf.example', 'listeners.tcp.my_tcp_listener_name', '1883/mqtt'],
    ['listeners.ssl.conf.example', 'listeners.ssl.my_ssl_listener_name', '8883/mqtts'],
    ['listeners.ws.conf.example', 'listeners.ws.my_ws_listener_name', '8083/mqtt-ws'],
    ['listeners.wss.conf.example', 'listeners.wss.my_wss_listener_name', '8084/mqtt-wss'],
  ];
  for (const [file, path, port] of cases) {
    const { nodes, warnings } = nodesFromEmqx([BASE, EMQX(file)]);
    assert.deepEqual(warnings, [], file);
    const p = plan(nodes);
    const own = p.nodes[0]!.ports.find((x) => x.source.startsWith(path));
    assert.ok(own, `${file}: ${path} planned`);
    assert.equal(`${own.port}/${own.service}`, port, file);
    assert.match(own.source, new RegExp(`${file.replace(/\./g, '\\.')}:\\d+`));
    // The example's port is also the default listener's: EMQX would fail to bind one of them.
    assert.ok(p.warnings.some((w) => w.code === 'port-collision' && w.port === own.port && w.message.includes(path)), `${file}: collision`);
  }
});

test('dashboard examples: HTTPS on 18084 is on when its bind is set (enable is deprecated), HTTP rebinding keeps 18083', () => {
  const https = plan(nodesFromEmqx([BASE, EMQX('dashboard-with-https.conf.example')]).nodes);
  assert.ok(ports(https).includes('18084/dashboard-https/admins'));
  assert.ok(ports(https).includes('18083/dashboard-http/admins'), 'base.hocon keeps HTTP on');
  const http = plan(nodesFromEmqx([BASE, EMQX('dashboard-with-http.conf.example')]).nodes);
  assert.deepEqual(ports(http).filter((x) => x.includes('dashboard')), ['18083/dashboard-http/admins']);
  assert.equal(http.nodes[0]!.ports.find((x) => x.port === 18083)!.bind, '0.0.0.0');
});

test('rpc.port_discovery = manual, listeners disabled or bound to loopback, and config problems carried into the plan', () => {
  const io = memoryIO({
    '/etc/emqx/emqx.conf': [
      'node.name = "emqx-3@10.0.0.13"',
      'rpc { port_discovery = manual, server_port = 5400 }',
      'listeners.tcp.default.bind = "127.0.0.1:1883"',
      'listeners.ws.default.enable = false',
      'listeners.wss.default.bind = 0',
      'dashboard.listeners.http.bind = 0',
      'dashboard.listeners.https { bind = 18084, enable = false }',
    ].join('\n'),
    '/etc/emqx/broken.conf': 'node.name = "emqx@10.0.0.1"\nlisteners.tcp.default {\n  bind = [1883\n',
  });
  const { nodes, warnings } = nodesFromEmqx(['/etc/emqx/emqx.conf'], { io });
  assert.deepEqual(warnings, []);
  const p = plan(nodes, warnings);
  assert.deepEqual(ports(p), ['4373/erlang-dist/peers', '5400/cluster-rpc/peers', '1883/mqtt/local', '8883/mqtts/clients']);
  const broken = nodesFromEmqx(['/etc/emqx/broken.conf'], { io });
  const bp = plan(broken.nodes, broken.warnings);
  assert.ok(bp.warnings.some((w) => w.code === 'config-issue' && /^\/etc\/emqx\/broken\.conf:\d+:\d+: /.test(w.message)), JSON.stringify(bp.warnings));
  assert.throws(() => nodesFromEmqx(['/nonexistent/emqx.conf']), /cannot read any EMQX config file/);
});

test('mosquitto.conf: explicit listeners with TLS and websockets, the loopback-only default, and unreadable files', () => {
  const io = memoryIO({
    '/etc/mosquitto/mosquitto.conf': [
      'listener 1883 127.0.0.1',
      'listener 8883',
      'certfile /etc/mosquitto/certs/server.crt',
      'keyfile /etc/mosquitto/certs/server.key',
      'listener 8084 10.0.0.20',
      'protocol websockets',
      'certfile /etc/mosquitto/certs/server.crt',
      'keyfile /etc/mosquitto/certs/server.key',
      'listener 8083',
      'protocol websockets',
    ].join('\n'),
  });
  const { node } = nodeFromMosquitto('/etc/mosquitto/mosquitto.conf', { io, addresses: ['10.0.0.20'] });
  const p = plan([node]);
  assert.deepEqual(ports(p), ['1883/mqtt/local', '8883/mqtts/clients', '8084/mqtt-wss/clients', '8083/mqtt-ws/clients']);
  assert.ok(p.warnings.some((w) => w.code === 'plaintext-to-clients' && w.port === 8083));
  // The packaged mosquitto.conf has no listener: Mosquitto 2 then serves loopback only.
  const packaged = plan([nodeFromMosquitto(MOSQ('mosquitto.conf')).node]);
  assert.deepEqual(ports(packaged), ['1883/mqtt/local']);
  const docker = plan([nodeFromMosquitto(MOSQ('docker_2.0_mosquitto-no-auth.conf')).node]);
  assert.deepEqual(ports(docker), ['1883/mqtt/clients']);
  assert.throws(() => nodeFromMosquitto('/nonexistent/mosquitto.conf'), /nonexistent\/mosquitto\.conf/);
  // Mosquitto 2.1's HTTP API is a management port, not one for MQTT clients.
  const api = memoryIO({ '/etc/mosquitto/mosquitto.conf': 'listener 1883\nlistener 8080\nprotocol http_api\n' });
  const withApi = plan([nodeFromMosquitto('/etc/mosquitto/mosquitto.conf', { io: api }).node]);
  assert.ok(ports(withApi).some((x) => x.startsWith('8080/dashboard-http/')), ports(withApi).join(' '));
});

test('an EMQX node is planned as EMQX runs it: EMQX_* overrides and etc/emqx.env next to emqx.conf change its name and listeners', () => {
  const io = memoryIO({
    '/etc/emqx/emqx.conf': 'node.name = "emqx@10.0.0.1"\nlisteners.tcp.default.bind = "0.0.0.0:1883"\n',
    '/etc/emqx/emqx.env': 'EMQX_LISTENERS__TCP__DEFAULT__BIND=127.0.0.1:1883\n',
  });
  // Without the environment: the file's name, MQTT open to the clients.
  const bare = nodesFromEmqx(['/etc/emqx/emqx.conf'], { io: memoryIO({ '/etc/emqx/emqx.conf': 'node.name = "emqx@10.0.0.1"\nlisteners.tcp.default.bind = "0.0.0.0:1883"\n' }) });
  assert.equal(bare.nodes[0]!.name, 'emqx@10.0.0.1');
  assert.ok(ports(plan(bare.nodes)).includes('1883/mqtt/clients'));
  // The process environment renames the node (its Erlang port follows the suffix); emqx.env binds MQTT to loopback.
  const { nodes } = nodesFromEmqx(['/etc/emqx/emqx.conf'], { io, env: { EMQX_NODE__NAME: 'emqx2@10.0.0.2' } });
  assert.equal(nodes[0]!.name, 'emqx2@10.0.0.2');
  const p = ports(plan(nodes));
  assert.ok(p.includes('4372/erlang-dist/peers'), p.join(' '));
  assert.ok(p.includes('1883/mqtt/local'), p.join(' '));
});
