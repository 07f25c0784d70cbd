import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'client certificates required', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\n') },
    { name: 'password file', facts: mosq('listener 8883\ncertfile /c\npassword_file /p\n') },
    { name: 'loopback TLS listener', facts: mosq('listener 8883 127.0.0.1\ncertfile /c\n') },
    { name: '2.1: dynamic security through plugin_use on the TLS listener', facts: mosq('plugin_load dynsec /usr/lib/mosquitto_dynamic_security.so\nlistener 8883\ncertfile /c\nplugin_use dynsec\n') },
    { name: '2.1: global_plugin', facts: mosq('global_plugin /usr/lib/mosquitto_dynamic_security.so\nlistener 8883\ncertfile /c\n') },
  ],
  bad: [
    { name: 'TLS only', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\n'), line: 1, message: 'require_certificate unset' },
    { name: 'explicit require_certificate false', facts: mosq('listener 8883\ncertfile /c\nrequire_certificate false\n'), line: 3 },
  ],
} satisfies CheckCases;
