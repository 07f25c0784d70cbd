/** The port planner: EMQX's port rules, listeners, audiences, warnings, input files and the four renderings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { distPort, nodeOffset, parseNodeName, rpcPort } from '../src/ports/rules.js';
import { buildPlan, PlanError } from '../src/ports/plan.js';
import { InputError, parseClusterFile, parseListenerSpec, parseNodeArg } from '../src/ports/input.js';
import { firewallSpec } from '../src/ports/spec.js';
import { renderNftables } from '../src/ports/render/nftables.js';
import { renderIptables } from '../src/ports/render/iptables.js';
import { renderUfw } from '../src/ports/render/ufw.js';
import { renderFirewalld } from '../src/ports/render/firewalld.js';
import { renderPlan } from '../src/ports/format.js';
import type { PlanInput } from '../src/ports/types.js';

const fixture = (f: string) => new URL(`./fixtures/ports/${f}`, import.meta.url);

function input(over: Partial<PlanInput>): PlanInput {
  return { nodes: [], clients: [], admins: [], peers: [], ssh: false, ...over };
}

function portsOf(plan: ReturnType<typeof buildPlan>, node: string) {
  return plan.nodes.find((n) => n.name === node)!.ports.map((p) => `${p.port}/${p.service}/${p.audience}`);
}

test('the distribution port is 4370 + the digits at the end of the short name, modulo 60000 (ekka_dist)', () => {
  assert.equal(distPort('emqx@h'), 4370);
  assert.equal(distPort('emqx1@h'), 4371);
  assert.equal(distPort('emqx-1@h'), 4371);
  assert.equal(distPort('node12@h'), 4382);
  assert.equal(distPort('emqx@10.0.0.12'), 4370, 'digits in the host part do not count');
  assert.equal(distPort('e2x@h'), 4370, 'only trailing digits count');
  assert.equal(distPort('remsh@h'), 0);
  assert.equal(distPort('remsh123@h'), 0);
  assert.equal(distPort('remshell_emqx7@h'), 0);
  assert.equal(nodeOffset('n60000@h'), 0);
  assert.equal(distPort('n60001@h'), 4371);
  assert.equal(distPort('n59999@h'), 64369);
  assert.equal(nodeOffset('n123456789012345678901234567890@h'), Number(123456789012345678901234567890n % 60000n));
});

test('cluster RPC: stateless is 5370 + the same offset, manual is rpc.server_port (default 5369)', () => {
  assert.equal(rpcPort('emqx@h', 'stateless'), 5370);
  assert.equal(rpcPort('emqx3@h', 'stateless'), 5373);
  assert.equal(rpcPort('emqx3@h', 'manual'), 5369);
  assert.equal(rpcPort('emqx3@h', 'manual', 5400), 5400);
  const plan = buildPlan(input({ nodes: [{ name: 'emqx3@10.0.0.3', kind: 'emqx', rpc: { portDiscovery: 'manual' } }] }));
  assert.ok(portsOf(plan, 'emqx3@10.0.0.3').includes('5369/cluster-rpc/peers'));
  assert.ok(plan.warnings.some((w) => w.code === 'rpc-manual' && w.port === 5369));
  const custom = buildPlan(input({ nodes: [{ name: 'emqx3@10.0.0.3', kind: 'emqx', rpc: { portDiscovery: 'manual', serverPort: 5400 } }] }));
  assert.ok(!custom.warnings.some((w) => w.code === 'rpc-manual'));
});

test('node names are validated with the place named', () => {
  assert.deepEqual(parseNodeName('emqx1@10.0.0.1'), { short: 'emqx1', host: '10.0.0.1' });
  assert.deepEqual(parseNodeName('emqx@fd00::1'), { short: 'emqx', host: 'fd00::1' });
  assert.throws(() => buildPlan(input({ nodes: [parseNodeArg('emqx1', 0)] })), /--node #1|emqx1.*name@host/);
  assert.throws(() => buildPlan(input({ nodes: [{ name: 'em qx@h', kind: 'emqx' }] })), PlanError);
  assert.throws(() => buildPlan(input({ nodes: [{ name: 'a@10.0.0.1', kind: 'emqx' }, { name: 'a@10.0.0.1', kind: 'emqx' }] })), /listed twice/);
  assert.throws(() => buildPlan(input({ nodes: [{ name: 'a@10.0.0.1', kind: 'emqx' }], clients: ['10.0.0.5/24'] })), /host bits set.*10\.0\.0\.0\/24/);
  assert.throws(() => buildPlan(input({ nodes: [{ name: 'a@10.0.0.1', kind: 'emqx' }], admins: ['nope'] })), /--admins #1: "nope"/);
  assert.throws(() => buildPlan(input({ nodes: [] })), /no nodes/);
});

test('an EMQX node with default listeners: peers, clients, admins, and the warnings', () => {
  const plan = buildPlan(input({ nodes: [parseNodeArg('emqx1@10.0.0.11', 0)], clients: ['10.1.0.0/16'], admins: ['10.9.0.0/24'], ssh: 22 }));
  assert.deepEqual(portsOf(plan, 'emqx1@10.0.0.11'), [
    '4371/erlang-dist/peers',
    '5371/cluster-rpc/peers',
    '1883/mqtt/clients',
    '8883/mqtts/clients',
    '8083/mqtt-ws/clients',
    '8084/mqtt-wss/clients',
    '18083/dashboard-http/admins',
    '22/ssh/admins',
  ]);
  const codes = plan.warnings.map((w) => `${w.code}:${w.port ?? ''}`);
  assert.deepEqual(codes.sort(), ['dashboard-plaintext:18083', 'plaintext-to-clients:1883', 'plaintext-to-clients:8083']);
  assert.deepEqual(plan.networks, { peers: ['10.0.0.11'], clients: ['10.1.0.0/16'], admins: ['10.9.0.0/24'] });
});

test('no client networks means MQTT for anyone; no admin networks is a lock-out warning; overlapping networks expose the dashboard', () => {
  const open = buildPlan(input({ nodes: [parseNodeArg('emqx@10.0.0.1', 0)], ssh: 22 }));
  assert.ok(portsOf(open, 'emqx@10.0.0.1').includes('8883/mqtts/any'));
  assert.ok(open.warnings.some((w) => w.code === 'clients-anywhere'));
  assert.ok(open.warnings.some((w) => w.code === 'no-admins' && /22 \(ssh\)/.test(w.message) && /lock you out/.test(w.message)));
  const overlap = buildPlan(input({ nodes: [parseNodeArg('emqx@10.0.0.1', 0)], clients: ['10.0.0.0/8'], admins: ['10.9.0.0/24'] }));
  assert.ok(overlap.warnings.some((w) => w.code === 'dashboard-to-clients' && /10\.9\.0\.0\/24/.test(w.message)));
  const opened = buildPlan(
    input({ nodes: [{ name: 'emqx@10.0.0.1', kind: 'emqx', listeners: [{ type: 'dashboard-https', port: 18084, audience: 'clients' }] }], clients: ['10.1.0.0/16'] }),
  );
  assert.ok(opened.warnings.some((w) => w.code === 'dashboard-to-clients' && w.port === 18084));
});

test('two nodes on one host: colliding suffixes and manual RPC are reported, distinct suffixes are not', () => {
  const clash = buildPlan(
    input({
      nodes: [
        { name: 'emqx1@10.0.0.5', kind: 'emqx', listeners: [{ type: 'ssl', port: 8883 }] },
        { name: 'emqx-1@10.0.0.5', kind: 'emqx', listeners: [{ type: 'ssl', port: 8884 }] },
      ],
    }),
  );
  const collisions = clash.warnings.filter((w) => w.code === 'port-collision').map((w) => w.port);
  assert.deepEqual(collisions.sort(), [4371, 5371]);
  assert.match(clash.warnings.find((w) => w.port === 4371)!.message, /different numeric suffixes/);
  const manual = buildPlan(
    input({
      nodes: [
        { name: 'emqx1@h1', kind: 'emqx', addresses: ['10.0.0.5'], rpc: { portDiscovery: 'manual' }, listeners: [] },
        { name: 'emqx2@h1', kind: 'emqx', addresses: ['10.0.0.5'], rpc: { portDiscovery: 'manual' }, listeners: [] },
      ],
    }),
  );
  assert.deepEqual(manual.warnings.filter((w) => w.code === 'port-collision').map((w) => w.port), [5369]);
  const fine = buildPlan(
    input({
      nodes: [
        { name: 'emqx1@10.0.0.5', kind: 'emqx', listeners: [] },
        { name: 'emqx2@10.0.0.5', kind: 'emqx', listeners: [] },
      ],
      ssh: 22,
    }),
  );
  assert.deepEqual(fine.warnings.filter((w) => w.code === 'port-collision'), [], 'SSH is shared by design');
});

test('remsh nodes, hostnames without addresses, Mosquitto defaults and loopback binds', () => {
  const plan = buildPlan(
    input({
      nodes: [
        { name: 'remsh_x@10.0.0.1', kind: 'emqx' },
        { name: 'emqx@broker.example', kind: 'emqx', listeners: [{ type: 'ssl', port: 8883 }] },
        { name: 'mosq', kind: 'mosquitto', addresses: ['10.0.0.30'] },
      ],
    }),
  );
  assert.deepEqual(plan.nodes[0]!.ports, []);
  assert.equal(plan.nodes[0]!.distPort, 0);
  assert.ok(plan.warnings.some((w) => w.code === 'outgoing-only'));
  assert.ok(plan.warnings.some((w) => w.code === 'no-address' && w.node === 'emqx@broker.example'));
  assert.deepEqual(portsOf(plan, 'mosq'), ['1883/mqtt/local'], 'Mosquitto 2 without listeners is loopback only');
  assert.throws(() => buildPlan(input({ nodes: [{ name: 'x', kind: 'mosquitto', addresses: ['host.example'] }] })), /not an IP address/);
});

test('listener specs and cluster files: errors name the file, the path and the line', () => {
  assert.deepEqual(parseListenerSpec('tcp:127.0.0.1:1883', 'x'), { type: 'tcp', port: 1883, bind: '127.0.0.1', source: 'x' });
  assert.deepEqual(parseListenerSpec('dashboard-https:[::1]:18084', 'x'), { type: 'dashboard-https', port: 18084, bind: '::1', source: 'x' });
  assert.throws(() => parseListenerSpec('smtp:25', '--listeners'), /--listeners: "smtp:25" is not TYPE:PORT/);
  assert.throws(() => parseListenerSpec('tcp:70000', '--listeners'), /out of range/);
  assert.throws(() => parseClusterFile('nodes:\n  - name: a@b\n    bogus: 1\n', 'c.yaml'), (e: Error) => e instanceof InputError && /c\.yaml: nodes\[0\]/.test(e.message));
  assert.throws(() => parseClusterFile('nodes: [\n', 'c.yaml'), /c\.yaml:\d+:\d+/);
  assert.throws(() => parseClusterFile('{"nodes": []}', 'c.json'), /c\.json: nodes/);
  assert.throws(() => parseClusterFile('nodes:\n  - name: a@b\n    listeners: ["quic:99999"]\n', 'c.yaml'), /c\.yaml: nodes\[0\]\.listeners\[0\]: port 99999 out of range/);
  const json = parseClusterFile(JSON.stringify({ rpc: { port_discovery: 'manual' }, nodes: [{ name: 'emqx@10.0.0.1' }] }), 'c.json');
  assert.deepEqual(json.nodes[0]!.rpc, { portDiscovery: 'manual' });
});

test('the three-node cluster file of the README plans what the README shows', () => {
  const file = fixture('cluster-3.yaml');
  const parsed = parseClusterFile(readFileSync(file, 'utf8'), 'test/fixtures/ports/cluster-3.yaml');
  const plan = buildPlan({ ...parsed, ssh: parsed.ssh ?? 22 });
  assert.deepEqual(portsOf(plan, 'emqx1@10.0.0.11'), [
    '4371/erlang-dist/peers',
    '5371/cluster-rpc/peers',
    '8883/mqtts/clients',
    '8084/mqtt-wss/clients',
    '18084/dashboard-https/admins',
    '1883/mqtt/local',
    '22/ssh/admins',
  ]);
  assert.deepEqual(portsOf(plan, 'emqx3@10.0.0.13').slice(0, 2), ['4373/erlang-dist/peers', '5373/cluster-rpc/peers']);
  assert.deepEqual(plan.networks.peers, ['10.0.0.11', '10.0.0.12', '10.0.0.13', 'fd00::13']);
  assert.deepEqual(plan.warnings, [], 'TLS only, HTTPS dashboard, distinct suffixes: nothing to warn about');
  const readme = readFileSync(new URL('../docs/ports.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(renderPlan(plan, 'table')), 'docs/ports.md shows the real plan of test/fixtures/ports/cluster-3.yaml');
  assert.ok(readme.includes(readFileSync(file, 'utf8')), 'docs/ports.md shows the cluster file as it is');
});

test('renderings: nftables sets and rules, iptables per family, ufw and firewalld text', () => {
  const plan = buildPlan({ ...parseClusterFile(readFileSync(fixture('cluster-3.yaml'), 'utf8'), 'c'), ssh: 22 });
  assert.throws(() => firewallSpec(plan), /covers 3 hosts: choose one with --for/);
  const spec = firewallSpec(plan, 'emqx3@10.0.0.13');
  assert.deepEqual(spec.rules.map((r) => `${r.port}:${r.audiences.join('+')}`), ['22:admins', '4373:peers', '5373:peers', '8084:clients', '8883:clients', '18084:admins']);
  assert.deepEqual(firewallSpec(plan, 'fd00::13').nodes, ['emqx3@10.0.0.13']);
  assert.throws(() => firewallSpec(plan, '10.0.0.99'), /no planned node/);

  const nft = renderNftables(spec, { name: 'mw_test', priority: -10 });
  assert.match(nft, /^table inet mw_test\ndelete table inet mw_test\ntable inet mw_test \{\n\tcomment "mqtt-warden ports"$/m, 'the table carries the port plan\'s owner mark');
  assert.match(nft, /set peers_v4 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = \{ 10\.0\.0\.11, 10\.0\.0\.12, 10\.0\.0\.13 \}/);
  assert.match(nft, /set peers_v6 \{\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\telements = \{ fd00::13 \}/);
  assert.match(nft, /set admins_v6 \{\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\}/, 'an empty set has no elements line');
  assert.match(nft, /type filter hook input priority filter - 10; policy drop;/);
  assert.match(nft, /ct state established,related accept\n\t\tct state invalid drop\n\t\tiif "lo" accept/);
  assert.match(nft, /icmpv6 type \{[^}]*nd-neighbor-solicit, nd-neighbor-advert/);
  assert.match(nft, /tcp dport 4373 ip saddr @peers_v4 accept comment "erlang-dist"\n\t\ttcp dport 4373 ip6 saddr @peers_v6 accept/);
  assert.doesNotMatch(nft, /dport 1883/, 'a loopback-bound listener needs no rule');
  assert.throws(() => renderNftables(spec, { name: 'bad name;', priority: 0 }), /firewall name/);

  const v4 = renderIptables(spec, { name: 'mqtt_warden', priority: 0 }, 4);
  // Only its own chain: declared in a --noflush restore, one jump appended to INPUT when missing, no policy, no other chain.
  assert.match(v4, /^iptables-restore -w 5 --noflush <<'EOF'\n\*filter\n:MQTT_WARDEN - \[0:0\]\n-A MQTT_WARDEN /m);
  assert.doesNotMatch(v4, /^:(INPUT|FORWARD|OUTPUT) /m);
  assert.match(v4, /^iptables -w -C INPUT -m comment --comment "mqtt-warden ports" -j MQTT_WARDEN 2>\/dev\/null \|\| iptables -w -A INPUT -m comment --comment "mqtt-warden ports" -j MQTT_WARDEN$/m);
  assert.match(v4, /-A MQTT_WARDEN -s 10\.0\.0\.12 -p tcp -m tcp --dport 4373 -m comment --comment "mqtt-warden ports: erlang-dist" -j ACCEPT/);
  assert.match(v4, /-A MQTT_WARDEN -m comment --comment "mqtt-warden ports" -j DROP\nCOMMIT\nEOF\n/);
  assert.doesNotMatch(v4, /fd00/);
  const v6 = renderIptables(spec, { name: 'mqtt_warden', priority: 0 }, 6);
  assert.match(v6, /-A MQTT_WARDEN -s fd00:20::\/48 -p tcp -m tcp --dport 8883/);
  assert.match(v6, /--icmpv6-type neighbour-solicitation -m comment --comment "mqtt-warden ports" -j ACCEPT/);
  assert.doesNotMatch(v6, /-s 10\./);

  const ufw = renderUfw(spec);
  assert.match(ufw, /^ufw default deny incoming$/m);
  assert.match(ufw, /^ufw allow from 10\.0\.0\.11 to any port 4373 proto tcp comment 'erlang-dist'$/m);
  assert.match(ufw, /^ufw allow from fd00:20::\/48 to any port 8883 proto tcp comment 'mqtts'$/m);
  assert.match(ufw, /^ufw --force enable$/m);
  const fw = renderFirewalld(spec, 'mqtt');
  assert.match(fw, /firewall-cmd --permanent --zone=mqtt --add-rich-rule='rule family="ipv4" source address="10\.0\.0\.12" port port="5373" protocol="tcp" accept'/);
  assert.match(fw, /rule family="ipv6" source address="fd00::13" port port="4373"/);
  assert.match(fw, /--remove-service=ssh/);
  assert.match(fw, /firewall-cmd --reload\n$/);
  assert.throws(() => renderFirewalld(spec, "x'; rm"), /zone/);

  // "anyone" needs no source match in any rendering.
  const anyone = firewallSpec(buildPlan(input({ nodes: [{ name: 'emqx@10.0.0.1', kind: 'emqx', listeners: [{ type: 'ssl', port: 8883 }] }] })));
  assert.match(renderNftables(anyone, { name: 'x', priority: 0 }), /tcp dport 8883 accept comment "mqtts"/);
  assert.match(renderIptables(anyone, { name: 'x', priority: 0 }, 6), /-A X -p tcp -m tcp --dport 8883 -m comment --comment "mqtt-warden ports: mqtts" -j ACCEPT/);
  assert.match(renderUfw(anyone), /ufw allow from any to any port 8883 proto tcp/);
  assert.match(renderFirewalld(anyone), /--add-port=8883\/tcp/);
});

test('plan formats: table, JSON and Markdown carry the same ports and warnings', () => {
  const plan = buildPlan(input({ nodes: [parseNodeArg('emqx1@10.0.0.11', 0)], clients: ['10.1.0.0/16'] }));
  const json = JSON.parse(renderPlan(plan, 'json'));
  assert.deepEqual(json, JSON.parse(JSON.stringify(plan)));
  const md = renderPlan(plan, 'markdown');
  assert.match(md, /^\| node \| port \| service \| who may connect \| why \|$/m);
  assert.match(md, /^\| emqx1@10\.0\.0\.11 \| 4371\/tcp \| erlang-dist \| peers \| 4370 \+ 1 \(digits at the end of "emqx1"\) \|$/m);
  assert.match(md, /\*\*Warnings\*\*/);
  const table = renderPlan(plan, 'table');
  assert.match(table, /^emqx1@10\.0\.0\.11\s+18083\/tcp\s+dashboard-http\s+admins\s+EMQX default dashboard\.listeners\.http$/m);
  assert.match(table, /\[medium\] emqx1@10\.0\.0\.11: MQTT over TCP \(plaintext\) on 1883/);
});

test('the port check finds this host in the plan by its addresses, and reads an offline root without the live firewall', async () => {
  const { selectThisHost, collectPortCheck } = await import('../src/collectors/port-check.js');
  const plan = buildPlan({ ...parseClusterFile(readFileSync(fixture('cluster-3.yaml'), 'utf8'), 'c'), ssh: 22 });
  assert.equal(selectThisHost(plan, undefined, ['127.0.0.1', 'fd00::13']), 'emqx3@10.0.0.13');
  assert.equal(selectThisHost(plan, 'emqx1@10.0.0.11', []), 'emqx1@10.0.0.11');
  assert.throws(() => selectThisHost(plan, undefined, ['127.0.0.1', '192.0.2.7']), /none of this host's addresses \(192\.0\.2\.7\) belongs to a planned node/);
  const fact = await collectPortCheck({
    plan,
    source: 'c',
    firewall: { name: 'mqtt_warden', priority: 0 },
    root: '/srv/image',
    localAddresses: ['10.0.0.12'],
    readSockets: async (root) => {
      assert.equal(root, '/srv/image');
      return {
        sockets: [{ proto: 'tcp', family: 4, address: '0.0.0.0', port: 4372, wildcard: true, loopback: false, uid: 0, inode: 1, processes: [] }],
        problems: [],
        processesMapped: false,
      };
    },
  });
  assert.deepEqual(fact.nodes, ['emqx2@10.0.0.12']);
  assert.deepEqual(fact.planned.map((p) => `${p.port}:${p.audience}`), ['22:admins', '1883:local', '4372:peers', '5372:peers', '8084:clients', '8883:clients', '18084:admins']);
  assert.deepEqual(fact.firewall, { tested: false, reason: 'offline root /srv/image: the live firewall is not inspected' });
  assert.equal(fact.sockets[0]!.wildcard, true);
});

test('a port check with unreadable socket tables never says every listener is planned', async () => {
  const { collectPortCheckFacts } = await import('../src/collectors/port-check.js');
  const { judgeOne } = await import('../src/core/engine.js');
  const { default: svc052 } = await import('../src/checks/svc-052-listening-not-planned.js');
  const plan = buildPlan({ ...parseClusterFile(readFileSync(fixture('cluster-3.yaml'), 'utf8'), 'c'), ssh: 22 });
  const sockets = (problems: { file: string; message: string }[]) => async () => ({
    sockets: [{ proto: 'tcp' as const, family: 4 as const, address: '10.0.0.12', port: 4372, wildcard: false, loopback: false, uid: 0, inode: 1, processes: [] }],
    problems,
    processesMapped: false,
  });
  const verdicts = async (problems: { file: string; message: string }[]) => {
    const facts = await collectPortCheckFacts({ plan, source: 'c', firewall: { name: 'mqtt_warden', priority: 0 }, root: '/srv/image', localAddresses: ['10.0.0.12'], readSockets: sockets(problems) });
    return judgeOne(svc052, facts, { subject: 'n', host: 'n', loopback: false }, false).map((r) => `${r.status}: ${r.message}`);
  };
  assert.match((await verdicts([])).join('\n'), /^PASS: every network listener is in the port plan/, 'control: a complete read passes');
  const partial = (await verdicts([{ file: '/srv/image/proc/net/tcp6', message: 'EACCES' }])).join('\n');
  assert.match(partial, /^SKIP: .*tcp6: EACCES/);
});
