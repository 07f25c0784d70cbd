import type { CheckCases } from './fixtures.js';
import { mosq, mosqFor } from './config-fixtures.js';

export default {
  good: [
    { name: '2.1 style: listener_allow_anonymous and plugins per listener', facts: mosq('plugin_load dynsec /usr/lib/mosquitto_dynamic_security.so\nlistener 1883\nlistener_allow_anonymous false\nplugin_use dynsec\n') },
    { name: 'target 2.0: the 2.1 deprecations do not apply', facts: mosqFor('2.0', 'per_listener_settings true\nlistener 1883\npassword_file /p\nacl_file /a\n') },
  ],
  bad: [
    { name: 'per_listener_settings with allow_anonymous (version unknown)', facts: mosq('per_listener_settings true\nlistener 1883\nallow_anonymous false\n'), line: 1, severity: 'info', message: 'if the broker is 2.1 or later' },
    { name: 'allow_anonymous under per_listener_settings', facts: mosqFor('2.1', 'per_listener_settings true\nlistener 1883\nallow_anonymous false\n'), line: 3, message: '`listener_allow_anonymous false` on the listener' },
    { name: 'target 2.1: password_file and acl_file', facts: mosqFor('2.1', 'listener 1883\npassword_file /p\nacl_file /a\n'), line: 2, message: 'password-file plugin' },
    { name: 'auto_id_prefix', facts: mosqFor('2.1.2', 'auto_id_prefix dev-\nlistener 1883\n'), line: 1, message: 'listener_auto_id_prefix' },
    { name: 'auth_opt_*', facts: mosqFor('2.1', 'plugin /x.so\nauth_opt_backends sqlite\nlistener 1883\n'), line: 2, message: 'plugin_opt_*' },
  ],
} satisfies CheckCases;
