import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'sys_interval 0', facts: mosq('sys_interval 0\nlistener 1883\nallow_anonymous true\n') },
    { name: 'ACL and authentication', facts: mosq('listener 1883\npassword_file /p\nacl_file /a\n') },
  ],
  bad: [
    { name: 'anonymous listener, default interval', facts: mosq('listener 1883\nallow_anonymous true\n'), line: 1, message: '(default)' },
    { name: 'explicit interval, no ACL', facts: mosq('sys_interval 5\nlistener 1883\npassword_file /p\n'), line: 1, message: 'every 5 s' },
  ],
} satisfies CheckCases;
