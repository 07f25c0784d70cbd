import type { CheckCases } from './fixtures.js';
import { mosq, side } from './config-fixtures.js';

const withAcl = (acl: string) => mosq('listener 1883\nacl_file /etc/mosquitto/acl\n', { '/etc/mosquitto/acl': acl });

export default {
  good: [
    { name: 'upstream aclfile.example', facts: withAcl('# anon\ntopic read $SYS/#\n\nuser roger\ntopic foo/bar\n\npattern write $SYS/broker/connection/%c/state\n') },
    { name: 'deny # is fine', facts: withAcl('user a\ntopic deny #\npattern readwrite devices/%u/#\n') },
  ],
  bad: [
    { name: 'user with readwrite #', facts: withAcl('user a\ntopic a/#\nuser admin\ntopic readwrite #\n'), line: 4, severity: 'medium' },
    { name: 'anonymous clients read everything', facts: withAcl('topic read #\n'), line: 1, severity: 'high' },
    { name: 'pattern without %u/%c', facts: side('mosquitto-acl', '/repo/acl', 'user x\ntopic x/1\npattern write devices/+/cmd\n'), line: 3, severity: 'low' },
  ],
  skip: [
    { name: 'acl_file not readable', facts: mosq('listener 1883\nacl_file /missing/acl\n') },
    {
      name: 'one ACL file read and fine, the other not readable: no PASS',
      facts: mosq('listener 1883\nacl_file /etc/mosquitto/acl\nlistener 1884\nacl_file /missing/other-acl\n', { '/etc/mosquitto/acl': 'user a\ntopic a/#\n' }),
      message: 'the unread rules were not checked',
    },
    { name: 'no ACL file at all', facts: mosq('listener 1883\n') },
  ],
} satisfies CheckCases;
