import type { CheckCases } from './fixtures.js';
import { mosq, side } from './config-fixtures.js';

const withAcl = (acl: string) => mosq('listener 1883\nacl_file /etc/mosquitto/acl\n', { '/etc/mosquitto/acl': acl });

export default {
  good: [
    { name: 'deny beside a wider allow is fine (the deny decides part of it)', facts: withAcl('user a\ntopic readwrite plant/+/door\ntopic deny plant/secret/door\npattern readwrite devices/%c/#\n') },
    { name: 'same topic in different users', facts: withAcl('user a\ntopic read x/#\nuser b\ntopic read x/#\n') },
  ],
  bad: [
    { name: 'allow inside a deny of the same user: never grants', facts: withAcl('user a\ntopic deny plant/#\ntopic read plant/7/door\n'), line: 3, message: 'never grants' },
    { name: 'allow covered by an earlier allow', facts: withAcl('user a\ntopic readwrite a/#\ntopic read a/b\n'), line: 3, message: 'never decides' },
    { name: 'topic rule with %u: only patterns replace it', facts: side('mosquitto-acl', '/repo/acl', 'user a\ntopic readwrite devices/%u/#\n'), line: 2, message: 'pattern readwrite devices/%u/#' },
    { name: 'pattern deny covers a pattern allow', facts: withAcl('pattern deny devices/%c/#\npattern read devices/%c/state\n'), line: 2 },
  ],
  skip: [{ name: 'acl_file not readable', facts: mosq('listener 1883\nacl_file /missing/acl\n') }],
} satisfies CheckCases;
