import type { CheckCases } from './fixtures.js';
import { mosq, mosqFor, side } from './config-fixtures.js';

export default {
  good: [
    { name: 'clean config and ACL', facts: mosq('listener 1883\nacl_file /etc/mosquitto/acl\n', { '/etc/mosquitto/acl': 'user a\ntopic a/#\n' }) },
    { name: 'every 2.1 option (version unknown)', facts: mosq('enable_control_api false\nglobal_max_clients 100\nplugin_load d /d.so\nlistener 1883\nlistener_allow_anonymous false\naccept_protocol_versions 4, 5\nplugin_use d\nprotocol http_api\n') },
  ],
  bad: [
    { name: 'unknown directive', facts: mosq('listener 1883\nallow_anonymus false\n'), line: 2, message: 'unknown directive "allow_anonymus"' },
    { name: 'bad ACL line', facts: side('mosquitto-acl', '/repo/acl', 'user a\ntopik a/#\n'), line: 2 },
    { name: 'tab after an ACL keyword (Mosquitto refuses the file)', facts: side('mosquitto-acl', '/repo/acl', 'user a\ntopic\tread a/#\n'), line: 2, message: 'Invalid line in acl_file' },
    { name: 'include_dir missing', facts: mosq('include_dir /etc/mosquitto/conf.d\n'), line: 1 },
    { name: 'referenced ACL not readable', facts: mosq('listener 1883\nacl_file /etc/mosquitto/acl\n'), line: 2, severity: 'low' },
    { name: '2.1 option in a config for 2.0', facts: mosqFor('2.0', 'listener 1883\nlistener_allow_anonymous false\n'), line: 2, message: 'new in Mosquitto 2.1: 2.0 (--mosquitto-version) refuses to start on it' },
    { name: 'plugin_use naming no plugin_load', facts: mosq('listener 1883\nplugin_use dynsec\n'), line: 2, message: 'no "plugin_load dynsec PATH"' },
    { name: 'enable_proxy_protocol 3', facts: mosq('listener 1883\nenable_proxy_protocol 3\n'), line: 2, message: 'takes 1 or 2' },
  ],
} satisfies CheckCases;
