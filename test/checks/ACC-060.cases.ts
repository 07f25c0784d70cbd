import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

const acl = (text: string) => side('emqx-acl', '/repo/acl.conf', text);

export default {
  good: [
    { name: 'username-scoped rules and deny all', facts: acl('{allow, {username, "a"}, all, ["users/${username}/#"]}.\n{deny, all}.\n') },
    { name: 'no_match = deny and no rule for them', facts: emqx('authorization {\n  no_match = deny\n  sources = [{type = file, path = "/etc/emqx/acl.conf"}]\n}\n', { '/etc/emqx/acl.conf': '{allow, {username, "a"}, publish, ["a/1"]}.\n' }) },
  ],
  bad: [
    { name: 'allow all', facts: acl('{allow, all}.\n'), line: 1, severity: 'high' },
    { name: '${clientid} rule: the client picks its id', facts: acl('{allow, all, all, ["devices/${clientid}/#"]}.\n{deny, all}.\n'), line: 1, severity: 'medium', message: 'devices/mqtt-warden-client/#' },
    { name: 'no rule matches and no_match defaults to allow (EMQX 5)', facts: acl('{allow, {username, "a"}, publish, ["a/1"]}.\n'), severity: 'high', message: 'no_match = allow' },
  ],
  skip: [],
} satisfies CheckCases;
