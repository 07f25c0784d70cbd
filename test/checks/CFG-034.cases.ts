import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'control API off (default)', facts: mosq('listener 1883\nplugin /usr/lib/mosquitto_dynamic_security.so\n') },
    { name: 'enable_control_api false', facts: mosq('enable_control_api false\nlistener 1883\npassword_file /p\nacl_file /a\n') },
  ],
  bad: [
    { name: 'on, behind authentication and access control', facts: mosq('enable_control_api true\nlistener 1883\nplugin /usr/lib/mosquitto_dynamic_security.so\n'), line: 1, severity: 'medium' },
    { name: 'on, with an anonymous network listener', facts: mosq('listener 1883\nallow_anonymous true\nacl_file /a\nenable_control_api true\n'), line: 4, severity: 'high', message: 'reachable without restriction on listener 1883' },
  ],
  skip: [{ name: 'only an ACL file', facts: { 'config.mosquitto': { configs: [], aclFiles: [], pskFiles: [] } } }],
} satisfies CheckCases;
