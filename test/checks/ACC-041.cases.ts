import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

const conf = (anon: boolean) => `listener 1883\nallow_anonymous ${anon}\npassword_file /etc/mosquitto/passwd\nacl_file /etc/mosquitto/acl\n`;
const files = (acl: string) => ({ '/etc/mosquitto/acl': acl, '/etc/mosquitto/passwd': 'alice:$7$101$MTIzNDU2Nzg5MDEy$' + 'A'.repeat(86) + '==\n' });

export default {
  good: [
    { name: 'anonymous clients cannot connect', facts: mosq(conf(false), files('topic read public/#\npattern readwrite devices/%c/#\n')), message: 'cannot connect' },
    { name: 'anonymous allowed, but the ACL gives them nothing (patterns use %u)', facts: mosq(conf(true), files('user alice\ntopic read a/#\npattern readwrite users/%u/#\n')) },
  ],
  bad: [
    { name: 'anonymous section grants read', facts: mosq(conf(true), files('topic read public/#\nuser alice\ntopic read a/#\n')), line: 1, severity: 'medium' },
    { name: 'patterns with %c apply to anonymous clients', facts: mosq(conf(true), files('user alice\ntopic read a/#\npattern readwrite devices/%c/#\n')), line: 3, severity: 'high', message: 'devices/mqtt-warden-client/#' },
  ],
  skip: [
    { name: 'no PASS while another ACL file was not read', facts: mosq('per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous true\nacl_file /etc/mosquitto/acl\nlistener 1884 127.0.0.1\nallow_anonymous true\nacl_file /etc/mosquitto/missing.acl\n', { '/etc/mosquitto/acl': 'user admin\ntopic readwrite #\n' }), message: 'the unread rules were not checked' },{ name: 'no ACL file', facts: mosq('listener 1883\n') }],
} satisfies CheckCases;
