import type { CheckCases } from './fixtures.js';
import { DYNSEC, dynsec, facts, hardened } from './dynsec-nanomq-fixtures.js';

export default {
  good: [{ name: 'valid file', facts: dynsec(hardened()) }],
  bad: [
    { name: 'trailing comma', facts: dynsec('{\n  "clients": [],\n}\n'), line: 3, message: 'invalid JSON' },
    { name: 'role defined twice', facts: dynsec('{\n  "roles": [\n    {"rolename": "a"},\n    {"rolename": "a"}\n  ]\n}\n'), line: 4, severity: 'low', message: 'the plugin keeps the first' },
    { name: 'client defined twice', facts: dynsec('{\n  "clients": [\n    {"username": "u"},\n    {"username": "u"}\n  ]\n}\n'), line: 4, message: 'client "u" is defined again: the plugin keeps the first' },
    { name: 'group without a name', facts: dynsec('{\n  "groups": [\n    {"textname": "x"}\n  ]\n}\n'), line: 3, message: 'group without a "groupname": the plugin skips it' },
    { name: 'a role defined later still counts as defined', facts: dynsec({ clients: [{ username: 'u', roles: [{ rolename: 'r' }, { rolename: 'nope' }] }], roles: [{ rolename: 'r' }] }), message: 'names role "nope", which is not defined' },
    { name: 'unknown acltype', facts: dynsec({ roles: [{ rolename: 'a', acls: [{ acltype: 'publish', topic: 'x', allow: true }] }] }), message: 'unknown acltype "publish"' },
    { name: 'reference to an undefined role', facts: dynsec({ clients: [{ username: 'u', roles: [{ rolename: 'nope' }] }] }), message: 'which is not defined' },
    {
      name: 'plugin_opt_config_file that cannot be read',
      facts: facts([{ path: '/etc/mosquitto/mosquitto.conf', format: 'mosquitto' }], { '/etc/mosquitto/mosquitto.conf': `listener 1883\nplugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so\nplugin_opt_config_file ${DYNSEC}\n` }),
      line: 3,
      message: 'cannot be read',
    },
  ],
} satisfies CheckCases;
