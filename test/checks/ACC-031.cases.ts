import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'password file', facts: mosq('listener 1883\npassword_file /p\n') },
    { name: 'dynamic security plugin', facts: mosq('listener 1883\nplugin /usr/lib/mosquitto_dynamic_security.so\n') },
    { name: 'certificate identity', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\ncafile /ca\nrequire_certificate true\nuse_identity_as_username true\n') },
    { name: 'loopback listener without auth is not a network listener', facts: mosq('listener 1883 127.0.0.1\n') },
    { name: '2.1: dynamic security through plugin_load + plugin_use on the listener', facts: mosq('listener 1883\nplugin_use dynsec\nplugin_load dynsec /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file /var/lib/mosquitto/dynamic-security.json\n') },
    { name: '2.1: global_plugin serves every listener, also with per_listener_settings', facts: mosq('per_listener_settings true\nglobal_plugin /usr/lib/mosquitto_dynamic_security.so\nlistener 1883\nlistener 8883\n') },
  ],
  bad: [
    { name: 'anonymous network listener without credentials', facts: mosq('listener 1883\nallow_anonymous true\n'), line: 1, severity: 'high' },
    { name: 'per listener: the TLS listener has no password file', facts: mosq('per_listener_settings true\nlistener 1883 127.0.0.1\npassword_file /p\nlistener 8883\ncertfile /c\n'), line: 4, severity: 'low' },
    { name: '2.1: plugin_load without plugin_use on this listener', facts: mosq('plugin_load dynsec /usr/lib/mosquitto_dynamic_security.so\nlistener 1883\nlistener 8883\nplugin_use dynsec\n'), line: 2 },
    { name: '2.1: the ACL-file plugin does not authenticate', facts: mosq('global_plugin /usr/lib/mosquitto_acl_file.so\nlistener 1883\n'), line: 2 },
  ],
} satisfies CheckCases;
