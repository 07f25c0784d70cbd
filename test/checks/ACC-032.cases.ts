import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'acl_file (global)', facts: mosq('listener 1883\npassword_file /p\nacl_file /acl\n') },
    { name: 'plugin does authorization', facts: mosq('listener 1883\nplugin /dynsec.so\n') },
  ],
  bad: [
    { name: 'no acl_file', facts: mosq('listener 1883\npassword_file /p\n'), line: 1 },
    { name: 'per listener: second listener lacks its ACL', facts: mosq('per_listener_settings true\nlistener 1883\nacl_file /a\nlistener 8883\npassword_file /p\n'), line: 4 },
  ],
} satisfies CheckCases;
