import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: '2.0 default: anonymous off on an explicit listener', facts: mosq('listener 1883\npassword_file /etc/mosquitto/passwd\n') },
    { name: 'explicit allow_anonymous false', facts: mosq('listener 8883\nallow_anonymous false\n') },
    { name: 'local-only mode with anonymous set false', facts: mosq('allow_anonymous false\n') },
    { name: '2.1: listener_allow_anonymous false overrides a global allow_anonymous true', facts: mosq('allow_anonymous true\nlistener 1883\nlistener_allow_anonymous false\npassword_file /p\n') },
  ],
  bad: [
    { name: 'docker no-auth config', facts: mosq('# docker\nlistener 1883\nallow_anonymous true\n'), line: 3, severity: 'high' },
    { name: 'no listener: 2.0 local-only mode allows anonymous on loopback', facts: mosq('persistence false\nuser root\n'), line: 1, severity: 'low', message: 'implicit loopback listener 1883' },
    {
      name: 'per_listener_settings: only the second listener is anonymous',
      facts: mosq('per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous false\nlistener 8883\nallow_anonymous true\n'),
      line: 5,
    },
    { name: 'global allow_anonymous after the listener still applies to it', facts: mosq('listener 1883 10.0.0.1\nallow_anonymous true\n'), line: 2, message: 'listener 1883 (10.0.0.1)' },
    { name: '2.1: listener_allow_anonymous true found at its line', facts: mosq('listener 1883 127.0.0.1\nlistener 8883\ncertfile /c\nlistener_allow_anonymous true\n'), line: 4, severity: 'high', message: 'listener_allow_anonymous true at /etc/mosquitto/mosquitto.conf:4' },
  ],
  skip: [{ name: 'only an ACL file given', facts: { 'config.mosquitto': { configs: [], aclFiles: [], pskFiles: [] } } }],
} satisfies CheckCases;
