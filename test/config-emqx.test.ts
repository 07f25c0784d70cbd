/** EMQX config layering, defaults, environment overrides, listeners, and acl.conf (Erlang terms). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envOverridePath, loadEmqxConfig, parseBind } from '../src/config/emqx.js';
import { parseEmqxAcl } from '../src/config/emqx-acl.js';
import { memoryIO } from '../src/config/io.js';

const real = (f: string) => fileURLToPath(new URL(`fixtures/real-configs/emqx/${f}`, import.meta.url));

test('real base.hocon + emqx.conf: defaults fill the rest, and are marked as defaults', () => {
  const c = loadEmqxConfig({ version: '5.8', files: [real('emqx_conf_etc_base.hocon'), '/nonexistent/cluster.hocon', real('emqx_conf_etc_emqx_conf.conf')] });
  assert.deepEqual(c.issues, []);
  assert.equal(c.files.length, 2);
  assert.equal(c.nodeName, 'emqx@127.0.0.1');
  assert.equal(c.cookie.value, '{{ emqx_default_erlang_cookie }}');
  assert.equal(c.cookie.location?.line, 12);
  assert.deepEqual(c.get('authorization.no_match'), { value: 'allow', default: true });
  assert.deepEqual(c.get('flapping_detect.enable'), { value: false, default: true });
  assert.deepEqual(c.rpc, { portDiscovery: 'stateless', serverPort: 5369, protocol: 'tcp' });
  assert.deepEqual(c.cluster, { protoDist: 'inet_tcp', staticSeeds: [], discoveryStrategy: 'manual' });
  assert.deepEqual(
    c.listeners.map((l) => [l.path, l.enabled, l.bind.address, l.bind.port, l.location]),
    [
      ['listeners.tcp.default', true, undefined, 1883, undefined],
      ['listeners.ssl.default', true, undefined, 8883, undefined],
      ['listeners.ws.default', true, undefined, 8083, undefined],
      ['listeners.wss.default', true, undefined, 8084, undefined],
    ],
  );
  const ssl = c.listeners[1]!.settings.ssl_options as Record<string, unknown>;
  assert.equal(ssl.verify, 'verify_none');
  assert.equal(ssl.certfile, '${EMQX_ETC_DIR}/certs/cert.pem');
  const [http, https] = c.dashboard.listeners;
  assert.deepEqual([http!.enabled, http!.bind.port, http!.location?.line], [true, 18083, 33]);
  assert.deepEqual([https!.enabled, https!.bind.port], [false, 0]);
  // Defaults point at emqx.conf when one is read; these fixture names are not emqx.conf, so the first file.
  assert.equal(c.anchor.file, real('emqx_conf_etc_base.hocon'));
});

test('precedence: base.hocon < cluster.hocon < emqx.conf < EMQX_* environment (A__B → a.b, values read as HOCON)', () => {
  const io = memoryIO({
    '/etc/emqx/base.hocon': 'node.cookie = base\nrpc.protocol = ssl\nlisteners.tcp.default.bind = 1883\n',
    '/data/configs/cluster.hocon': 'node.cookie = cluster\ncluster { proto_dist = inet_tls, static.seeds = "emqx1@10.0.0.1, emqx2@10.0.0.2" }\n',
    '/etc/emqx/emqx.conf': 'node {\n  cookie = conf\n  name = "emqx-2@10.0.0.2"\n}\nlisteners.ssl.mine { bind = "10.0.0.2:8883", ssl_options.verify = verify_peer }\n',
  });
  const c = loadEmqxConfig({
    files: ['/etc/emqx/base.hocon', '/data/configs/cluster.hocon', '/etc/emqx/emqx.conf'],
    env: { EMQX_RPC__PORT_DISCOVERY: 'manual', EMQX_RPC__SERVER_PORT: '5370', EMQX_LISTENERS__WS__DEFAULT__ENABLE: 'false', EMQX_NODE_NAME: 'ignored', HOME: '/root' },
    envLocations: { EMQX_RPC__SERVER_PORT: { file: '.env', line: 3, column: 1 } },
    io,
  });
  assert.deepEqual(c.issues, []);
  assert.deepEqual(c.cookie, { value: 'conf', location: { file: '/etc/emqx/emqx.conf', line: 2, column: 12 } });
  assert.equal(c.nodeName, 'emqx-2@10.0.0.2');
  assert.deepEqual(c.rpc, { portDiscovery: 'manual', serverPort: 5370, protocol: 'ssl' });
  assert.deepEqual(c.get('rpc.server_port'), { value: 5370, location: { file: '.env', line: 3, column: 1 }, env: 'EMQX_RPC__SERVER_PORT' });
  assert.deepEqual(c.cluster.staticSeeds, ['emqx1@10.0.0.1', 'emqx2@10.0.0.2']);
  assert.equal(c.cluster.protoDist, 'inet_tls');
  const byPath = Object.fromEntries(c.listeners.map((l) => [l.path, l]));
  assert.equal(byPath['listeners.tcp.default']!.bind.address, undefined);
  assert.equal(byPath['listeners.tcp.default']!.location?.file, '/etc/emqx/base.hocon');
  assert.equal(byPath['listeners.ws.default']!.enabled, false);
  const mine = byPath['listeners.ssl.mine']!;
  assert.deepEqual([mine.bind, mine.location?.line], [{ address: '10.0.0.2', port: 8883 }, 5]);
  assert.equal((mine.settings.ssl_options as Record<string, unknown>).verify, 'verify_peer');
  assert.equal((mine.settings.ssl_options as Record<string, unknown>).fail_if_no_peer_cert, false, 'listener defaults apply to new listeners');
  assert.equal(c.get('listeners.ssl.mine.ssl_options.fail_if_no_peer_cert')?.default, true);
});

test('bad EMQX input gives located issues; env helpers', () => {
  const io = memoryIO({ '/e/emqx.conf': 'listeners.tcp.x { bind = "nope" }\nlisteners.foo.y { bind = 1 }\nnode { cookie = \n' });
  const c = loadEmqxConfig({ files: ['/e/emqx.conf'], io });
  assert.ok(c.issues.some((i) => i.line === 3 && /expected a value/.test(i.message)), JSON.stringify(c.issues));
  assert.equal(envOverridePath('EMQX_LISTENERS__SSL__DEFAULT__BIND'), 'listeners.ssl.default.bind');
  assert.equal(envOverridePath('EMQX_NODE_NAME'), undefined);
  assert.deepEqual(parseBind('[::1]:1883'), { address: '::1', port: 1883 });
  assert.deepEqual(parseBind(':1883'), { port: 1883 });
  const c2 = loadEmqxConfig({ files: ['/e/x.conf'], io: memoryIO({ '/e/x.conf': 'listeners.tcp.x { bind = "nope" }\nlisteners.foo.y { bind = 1 }\n' }) });
  assert.deepEqual(c2.issues.map((i) => [i.line, i.message.slice(0, 30)]), [
    [1, 'listeners.tcp.x.bind: not a po'],
    [2, 'unknown listener type "foo"'],
  ]);
});

test('acl.conf: the shipped file ends in an allow-everything rule under the legacy profile', () => {
  const acl = parseEmqxAcl(readFileSync(real('emqx_auth_etc_acl.conf'), 'utf8'), 'acl.conf');
  assert.deepEqual(acl.issues, []);
  assert.deepEqual(
    acl.rules.map((r) => [r.loc.line, r.perm, r.who, r.action, r.topics, r.catchAll, r.securityProfile]),
    [
      [3, 'allow', '{username, {re, "^dashboard$"}}', 'subscribe', ['$SYS/#'], false, undefined],
      [9, 'deny', 'all', 'subscribe', ['$SYS/#', 'eq #', 'eq +/#'], false, undefined],
      [11, 'allow', '{security_profile, legacy}', undefined, undefined, true, 'legacy'],
    ],
  );
});

test('acl.conf: older files with {allow, all}, quoted atoms, binaries; located syntax errors', () => {
  const acl = parseEmqxAcl(
    "%% c\n{allow, {ipaddr, \"127.0.0.1\"}, all, [\"$SYS/#\", \"#\"]}.\n{'allow', {user, <<\"x\">>}, {publish, [{qos, 1}]}, all}.\n{allow, all}.\n",
    'acl.conf',
  );
  assert.deepEqual(acl.issues, []);
  assert.deepEqual(acl.rules.map((r) => [r.loc.line, r.perm, r.action, r.topics, r.catchAll]), [
    [2, 'allow', 'all', ['$SYS/#', '#'], false],
    [3, 'allow', 'publish', ['#'], false],
    [4, 'allow', undefined, undefined, true],
  ]);
  for (const [text, line, column, re] of [
    ['{allow, all}\n', 2, 1, /expected "\."/],
    ['{allow, all}.\n{deny, {user, "x"}, publish, ["a"]\n', 2, 1, /unterminated tuple/],
    ['{allow, all}.\n{deny, "x" publish}.', 2, 12, /expected ","/],
    ['{allow, "unterminated}.', 1, 9, /unterminated string/],
    ['{maybe, all}.', 1, 1, /starts with allow or deny/],
    ['[{allow, all}].', 1, 1, /must be a tuple/],
  ] as const) {
    const r = parseEmqxAcl(text, 'acl.conf');
    assert.equal(r.issues.length, 1, text);
    assert.match(r.issues[0]!.message, re, text);
    assert.deepEqual([r.issues[0]!.line, r.issues[0]!.column], [line, column], `${text}: ${r.issues[0]!.message}`);
  }
  assert.match(parseEmqxAcl('{'.repeat(10_000), 'x').issues[0]!.message, /nested deeper/);
});

/** mulberry32, fixed seed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('fuzz: acl.conf, mosquitto.conf, ACL/password/PSK parsers and the EMQX loader never throw on mutated input (fixed seed, bounded)', async () => {
  const { parseMosquittoAcl, parseMosquittoConfig, parseMosquittoPasswd, parseMosquittoPsk } = await import('../src/config/mosquitto.js');
  const rnd = prng(0xac15);
  const seeds = [
    readFileSync(real('emqx_auth_etc_acl.conf'), 'utf8').slice(0, 600),
    'per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous false\ninclude_dir /d\nlistener 8883\ncertfile /c\n',
    'user a\ntopic read a/#\npattern write %c/x\n',
    'a:$7$101$MTIz$aGFz\nb:$6$c2Fs$aGFz\n',
    readFileSync(real('listeners.wss.conf.example'), 'utf8').slice(0, 800),
  ];
  const alphabet = '{}[],."\'%<>\n \t#:$=a1';
  const io = memoryIO({ '/d/x.conf': 'listener 1\n' });
  for (let n = 0; n < 600; n++) {
    const s = seeds[n % seeds.length]!;
    const chars = [...s.slice(0, Math.floor(rnd() * s.length) + 1)];
    for (let k = 0; k < 1 + rnd() * 5; k++) chars[Math.floor(rnd() * chars.length)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
    const text = chars.join('');
    for (const r of [
      parseEmqxAcl(text, 'f'),
      parseMosquittoConfig(text, 'f', io),
      parseMosquittoAcl(text, 'f'),
      parseMosquittoPasswd(text, 'f'),
      parseMosquittoPsk(text, 'f'),
      loadEmqxConfig({ files: ['/e/emqx.conf'], io: memoryIO({ '/e/emqx.conf': text }) }),
    ]) {
      for (const i of r.issues) assert.ok(i.line >= 1 && i.column >= 1 && i.message, JSON.stringify({ text, i }));
    }
  }
});
