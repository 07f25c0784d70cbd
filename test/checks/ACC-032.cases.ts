import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'acl_file (global)', facts: mosq('listener 1883\npassword_file /p\nacl_file /acl\n') },
    { name: 'plugin does authorization', facts: mosq('listener 1883\nplugin /dynsec.so\n') },
    { name: '2.1: dynamic security through plugin_load + plugin_use', facts: mosq('listener 1883\nplugin_use dynsec\nplugin_load dynsec /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file /var/lib/mosquitto/dynamic-security.json\n') },
    { name: '2.1: global_plugin', facts: mosq('global_plugin /usr/lib/mosquitto_dynamic_security.so\nlistener 1883\n') },
  ],
  bad: [
    { name: 'no acl_file', facts: mosq('listener 1883\npassword_file /p\n'), line: 1 },
    { name: 'per listener: second listener lacks its ACL', facts: mosq('per_listener_settings true\nlistener 1883\nacl_file /a\nlistener 8883\npassword_file /p\n'), line: 4 },
    { name: '2.1: the password-file plugin does not authorize', facts: mosq('global_plugin /usr/lib/mosquitto_password_file.so\nlistener 1883\n'), line: 2 },
  ],
} satisfies CheckCases;
