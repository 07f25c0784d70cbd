/** The Mosquitto config parser and Mosquitto 2.1: every documented option, its scope, plugins, listener_allow_anonymous. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { anonymousAllowed, dynsecConfigFiles, loadMosquittoConfig, mosquittoSeries, NEW_IN_2_1, parseMosquittoConfig } from '../src/config/mosquitto.js';
import { memoryIO } from '../src/config/io.js';

const FIXTURE = fileURLToPath(new URL('fixtures/configs/mosquitto-2.1/mosquitto.conf', import.meta.url));
const parse = (text: string) => parseMosquittoConfig(text, '/m.conf', memoryIO({}));

/**
 * Every option of mosquitto.conf(5) of Mosquitto v2.1.2 (General Options, Listeners, Certificate/PSK
 * based TLS, Configuring Bridges with its TLS options), plus plugin_load, plugin_use and
 * listener_auto_id_prefix from src/conf.c, each with a value of its type.
 */
const GENERAL = `acl_file /etc/mosquitto/acl
allow_anonymous false
allow_duplicate_messages false
allow_zero_length_clientid false
auth_plugin_deny_special_chars true
auto_id_prefix auto-
autosave_interval 1800
autosave_on_changes false
check_retain_source true
clientid_prefixes secure-
connection_messages true
enable_control_api false
global_max_clients 1000
global_max_connections 500
global_plugin /usr/lib/mosquitto_dynamic_security.so
plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json
include_dir /etc/mosquitto/conf.d
log_dest syslog
log_facility 5
log_timestamp true
log_timestamp_format %Y-%m-%dT%H:%M:%S
log_type notice
max_inflight_bytes 0
max_inflight_messages 20
max_keepalive 300
max_packet_size 2000000
max_queued_bytes 0
max_queued_messages 1000
memory_limit 0
message_size_limit 0
password_file /etc/mosquitto/passwd
persistence true
persistence_file mosquitto.db
persistence_location /var/lib/mosquitto/
persistent_client_expiration 14d
pid_file /run/mosquitto/mosquitto.pid
plugin /usr/lib/mosquitto_password_file.so
auth_plugin /usr/lib/auth-plug.so
auth_opt_backends files
plugin_load acl /usr/lib/mosquitto_acl_file.so
psk_file /etc/mosquitto/psk
queue_qos0_messages false
retain_available true
retain_expiry_interval 60
set_tcp_nodelay false
sys_interval 10
upgrade_outgoing_qos false
user mosquitto
websockets_log_level 0
`;
const LISTENER = `listener 8883 10.0.0.5
accept_protocol_versions 3, 4, 5
bind_interface eth0
enable_proxy_protocol 2
http_dir /usr/share/mosquitto/www
listener_allow_anonymous false
listener_auto_id_prefix dev-
max_connections 100
max_qos 2
max_topic_alias_broker 10
max_topic_alias 10
mount_point site1/
mptcp false
protocol mqtt
proxy_protocol_v2_require_tls true
socket_domain ipv4
use_username_as_clientid true
packet_buffer_size 4096
websockets_headers_size 4096
websockets_origin https://dash.example.com
cafile /etc/mosquitto/ca.crt
capath /etc/ssl/certs
certfile /etc/mosquitto/server.crt
ciphers ECDHE-RSA-AES128-GCM-SHA256
ciphers_tls1.3 TLS_AES_128_GCM_SHA256
crlfile /etc/mosquitto/ca.crl
dhparamfile /etc/mosquitto/dh.pem
disable_client_cert_date_checks false
keyfile /etc/mosquitto/server.key
require_certificate true
tls_engine pkcs11
tls_engine_kpass_sha1 0123456789abcdef0123456789abcdef01234567
tls_keyform pem
tls_version tlsv1.2
use_identity_as_username true
use_subject_as_username false
psk_hint broker
plugin_use acl
`;
const DEFAULT_LISTENER = 'port 1883\nbind_address 127.0.0.1\n';
const BRIDGE = `connection cloud
address mqtt.example.net:8883
addresses mqtt.example.net:8883 backup.example.net:8883
bridge_attempt_unsubscribe true
bridge_bind_address 10.0.0.5
bridge_max_packet_size 0
bridge_max_topic_alias 10
bridge_mptcp false
bridge_outgoing_retain true
bridge_protocol_version mqttv50
bridge_receive_maximum 20
bridge_session_expiry_interval 3600
bridge_tcp_keepalive 60 10 5
bridge_tcp_user_timeout 30000
cleansession false
local_cleansession false
keepalive_interval 60
idle_timeout 60
local_clientid local.cloud
local_password local-secret
local_username bridge
notifications true
notifications_local_only false
notification_topic $SYS/broker/connection/cloud/state
remote_clientid cloud.edge1
remote_password remote-secret
remote_username edge1
restart_timeout 5 30
round_robin false
start_type automatic
threshold 10
topic telemetry/# out 1
try_private true
bridge_reload_type lazy
bridge_alpn mqtt
bridge_cafile /etc/ssl/ca.crt
bridge_capath /etc/ssl/certs
bridge_certfile /etc/mosquitto/bridge.crt
bridge_identity edge1
bridge_insecure false
bridge_keyfile /etc/mosquitto/bridge.key
bridge_psk 0123456789abcdef
bridge_require_ocsp false
bridge_tls_use_os_certs true
bridge_tls_version tlsv1.2
bridge_ciphers ECDHE-RSA-AES128-GCM-SHA256
bridge_ciphers_tls1.3 TLS_AES_128_GCM_SHA256
clientid cloud.edge1
username edge1
password remote-secret
`;
const names = (text: string) => text.trim().split('\n').map((l) => l.split(' ')[0]!);

test('every option of the 2.1 man page is known: no "unknown directive", and its values parse', () => {
  const io = memoryIO({ '/etc/mosquitto/conf.d/empty.conf': '' });
  const c = parseMosquittoConfig(DEFAULT_LISTENER + GENERAL + LISTENER + BRIDGE, '/m.conf', io);
  assert.deepEqual(c.issues.map((i) => `${i.line}: ${i.message}`), []);
  const all = [...names(DEFAULT_LISTENER), ...names(GENERAL), ...names(LISTENER), ...names(BRIDGE)];
  assert.ok(all.length >= 139, `${all.length} options fed`);
  // every 2.1 addition is among them
  for (const k of NEW_IN_2_1) assert.ok(all.includes(k), `${k} is not in the test input`);
  // and an unknown option still is one
  assert.match(parse('listener 1883\nlistener_allow_anonymus true\n').issues[0]!.message, /unknown directive "listener_allow_anonymus"/);
});

test('2.1 options land in their scope: global, listener, bridge', () => {
  const c = parseMosquittoConfig(GENERAL + LISTENER + BRIDGE, '/m.conf', memoryIO({ '/etc/mosquitto/conf.d/x.conf': '' }));
  for (const k of ['enable_control_api', 'global_max_clients', 'global_max_connections', 'global_plugin', 'plugin_load', 'retain_expiry_interval']) assert.ok(c.global[k], `${k} is global`);
  const l = c.listeners.find((x) => x.port === 8883)!;
  for (const k of ['listener_allow_anonymous', 'listener_auto_id_prefix', 'accept_protocol_versions', 'enable_proxy_protocol', 'proxy_protocol_v2_require_tls', 'disable_client_cert_date_checks', 'websockets_origin', 'max_topic_alias_broker', 'packet_buffer_size', 'plugin_use', 'mptcp']) {
    assert.ok(l.settings[k], `${k} is a listener option`);
    assert.ok(!c.global[k], `${k} is not global`);
  }
  const b = c.bridges[0]!;
  for (const k of ['bridge_tls_use_os_certs', 'bridge_receive_maximum', 'bridge_session_expiry_interval', 'bridge_tcp_keepalive', 'bridge_tcp_user_timeout', 'bridge_max_topic_alias', 'bridge_ciphers_tls1.3', 'bridge_mptcp']) assert.ok(b.settings[k], `${k} is a bridge option`);
  assert.deepEqual(l.websocketsOrigins.map((d) => d.value), ['https://dash.example.com']);
});

test('listener_allow_anonymous: true is found at its line, false overrides a global true, it never leaks to other listeners', () => {
  const c = parse('allow_anonymous true\nlistener 1883\nlistener_allow_anonymous false\nlistener 8883\nlistener 9883\nlistener_allow_anonymous true\n');
  const [a, b, d] = c.listeners.map((l) => anonymousAllowed(c, l));
  assert.deepEqual([a!.allowed, a!.by?.key, a!.by?.line], [false, 'listener_allow_anonymous', 3]);
  assert.deepEqual([b!.allowed, b!.by?.key, b!.by?.line], [true, 'allow_anonymous', 1]);
  assert.deepEqual([d!.allowed, d!.by?.key, d!.by?.line], [true, 'listener_allow_anonymous', 6]);
  // without a global allow_anonymous the 2.0 default (false) applies to the others
  const c2 = parse('listener 1883\nlistener_allow_anonymous true\nlistener 8883\n');
  assert.deepEqual(c2.listeners.map((l) => anonymousAllowed(c2, l).allowed), [true, false]);
});

test('plugins: plugin_load + plugin_use per listener, global_plugin everywhere, plugin per listener with per_listener_settings; options kept per plugin', () => {
  const c = parse(
    [
      'per_listener_settings true',
      'global_plugin /usr/lib/mosquitto_password_file.so',
      'plugin_opt_password_file /etc/mosquitto/passwd',
      'plugin_load dynsec /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
      'plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json',
      'plugin_opt_password_init_file /etc/mosquitto/init.pw',
      'listener 1883',
      'plugin_use dynsec',
      'listener 8883',
      'plugin /usr/lib/other.so',
      'auth_opt_host db',
      'listener 9001',
    ].join('\n'),
  );
  const [l1883, l8883, l9001] = c.listeners;
  assert.deepEqual(l1883!.plugins.map((p) => p.kind), ['password-file', 'dynamic-security']);
  assert.deepEqual(l8883!.plugins.map((p) => [p.kind, p.via]), [['password-file', 'global_plugin'], ['other', 'plugin']]);
  assert.deepEqual(l9001!.plugins.map((p) => p.kind), ['password-file']);
  const dyn = c.plugins.find((p) => p.kind === 'dynamic-security')!;
  assert.deepEqual([dyn.name, dyn.path, dyn.global, dyn.authenticates, dyn.authorizes, dyn.usedAt?.map((u) => u.line)], ['dynsec', '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so', false, true, true, [8]]);
  assert.deepEqual(Object.keys(dyn.options), ['plugin_opt_config_file', 'plugin_opt_password_init_file']);
  assert.equal(c.plugins[0]!.options.plugin_opt_password_file?.value, '/etc/mosquitto/passwd');
  assert.equal(c.plugins[2]!.options.auth_opt_host?.value, 'db');
  assert.deepEqual([c.plugins[0]!.authorizes, c.plugins[0]!.authenticates], [false, true], 'the password-file plugin only authenticates');
  const files = dynsecConfigFiles(c);
  assert.deepEqual(files.map((f) => [f.configFile?.value, f.configFile?.line, f.passwordInitFile?.value]), [['/var/lib/mosquitto/dynamic-security.json', 5, '/etc/mosquitto/init.pw']]);
  assert.deepEqual(c.issues, []);
});

test('2.0-style plugin without per_listener_settings serves every listener; plugin_opt before any plugin and plugin_use of an unknown name are issues', () => {
  const c = parse('plugin /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file /d.json\nlistener 1883\nlistener 8883\n');
  assert.ok(c.listeners.every((l) => l.plugins.length === 1 && l.plugins[0]!.global));
  assert.equal(dynsecConfigFiles(c)[0]!.configFile?.value, '/d.json');
  const bad = parse('plugin_opt_config_file /d.json\nlistener 1883\nplugin_use nothing\n');
  assert.deepEqual(bad.issues.map((i) => i.line), [1, 3]);
});

test('protocol http_api, enable_proxy_protocol and accept_protocol_versions values', () => {
  const c = parse('listener 8080 127.0.0.1\nprotocol http_api\nlistener 1884\nenable_proxy_protocol 2\naccept_protocol_versions 5\n');
  assert.deepEqual(c.listeners.map((l) => l.protocol), ['http_api', 'mqtt']);
  assert.deepEqual(c.issues, []);
  const bad = parse('listener 1884\nenable_proxy_protocol 3\naccept_protocol_versions 3, 6\nprotocol gopher\n');
  assert.deepEqual(bad.issues.map((i) => i.line), [2, 3, 4]);
});

test('the hand-written 2.1 config: parses clean, every listener it names with its plugins and scope', () => {
  const c = loadMosquittoConfig(FIXTURE);
  assert.deepEqual(c.issues, []);
  assert.deepEqual(c.listeners.map((l) => [l.port, l.bind ?? '*', l.protocol, l.plugins.map((p) => p.kind).join(',')]), [
    [1883, '127.0.0.1', 'mqtt', ''],
    [8883, '*', 'mqtt', 'dynamic-security'],
    [1884, '*', 'mqtt', 'dynamic-security'],
    [9001, '*', 'websockets', 'dynamic-security'],
    [8080, '127.0.0.1', 'http_api', ''],
  ]);
  assert.equal(dynsecConfigFiles(c)[0]!.configFile?.value, '/var/lib/mosquitto/dynamic-security.json');
  assert.equal(c.bridges[0]!.settings.bridge_tls_use_os_certs?.value, 'true');
});

test('version series: 2.1 and later behave as 2.1, older as 2.0, garbage is unknown', () => {
  assert.deepEqual(['2.0', '2.0.22', '1.6.12', '2.1', '2.1.2', '3.0', 'x', undefined].map(mosquittoSeries), ['2.0', '2.0', '2.0', '2.1', '2.1', '2.1', undefined, undefined]);
});
