import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

const withAcl = (acl: string, anon = true) => mosq(`listener 1883\nallow_anonymous ${anon}\nacl_file /etc/mosquitto/acl\n`, { '/etc/mosquitto/acl': acl });

export default {
  good: [
    { name: '# does not reach $SYS', facts: withAcl('user admin\ntopic readwrite #\n') },
    { name: 'anonymous $SYS rule, but anonymous clients cannot connect', facts: withAcl('topic read $SYS/#\nuser a\ntopic read a\n', false) },
  ],
  bad: [
    { name: 'upstream example: anonymous clients read $SYS', facts: withAcl('# anon\ntopic read $SYS/#\n\nuser roger\ntopic foo/bar\n'), line: 2, severity: 'low' },
    { name: 'a user reads $SYS', facts: withAcl('user mon\ntopic read $SYS/broker/#\n'), line: 2, severity: 'low' },
    { name: 'bridge state writable by any client id', facts: withAcl('user a\ntopic read a\npattern write $SYS/broker/connection/%c/state\n'), line: 3, severity: 'low', message: 'write $SYS/broker/connection' },
  ],
  skip: [
    { name: 'no PASS while another ACL file was not read', facts: mosq('per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous true\nacl_file /etc/mosquitto/acl\nlistener 1884 127.0.0.1\nallow_anonymous true\nacl_file /etc/mosquitto/missing.acl\n', { '/etc/mosquitto/acl': 'user admin\ntopic readwrite #\n' }), message: 'the unread rules were not checked' },{ name: 'no ACL file', facts: mosq('listener 1883\n') }],
} satisfies CheckCases;
