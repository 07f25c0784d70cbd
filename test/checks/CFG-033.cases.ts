import type { CheckCases } from './fixtures.js';
import { mosq, side } from './config-fixtures.js';

export default {
  good: [{ name: 'clean config and ACL', facts: mosq('listener 1883\nacl_file /etc/mosquitto/acl\n', { '/etc/mosquitto/acl': 'user a\ntopic a/#\n' }) }],
  bad: [
    { name: 'unknown directive', facts: mosq('listener 1883\nallow_anonymus false\n'), line: 2, message: 'unknown directive "allow_anonymus"' },
    { name: 'bad ACL line', facts: side('mosquitto-acl', '/repo/acl', 'user a\ntopik a/#\n'), line: 2 },
    { name: 'include_dir missing', facts: mosq('include_dir /etc/mosquitto/conf.d\n'), line: 1 },
    { name: 'referenced ACL not readable', facts: mosq('listener 1883\nacl_file /etc/mosquitto/acl\n'), line: 2, severity: 'low' },
  ],
} satisfies CheckCases;
