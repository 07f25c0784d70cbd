import type { CheckCases } from './fixtures.js';
import { side } from './config-fixtures.js';

const acl = (text: string) => side('emqx-acl', '/repo/acl.conf', text);

export default {
  good: [
    { name: 'deny first, then allow', facts: acl('{deny, {username, "alice"}, publish, ["plant/secret/door"]}.\n{allow, {username, "alice"}, publish, ["plant/+/door"]}.\n{deny, all}.\n') },
    { name: 'allow one user, deny everyone else (intended order)', facts: acl('{allow, {username, "admin"}, all, ["#"]}.\n{deny, all, all, ["#"]}.\n') },
  ],
  bad: [
    { name: 'deny after the allow that covers it', facts: acl('{allow, {username, "alice"}, publish, ["plant/+/door"]}.\n{deny, {username, "alice"}, publish, ["plant/secret/door"]}.\n{deny, all}.\n'), line: 2, message: 'does not deny plant/secret/door' },
    { name: 'deny all after allow all', facts: acl('{allow, all}.\n{deny, all}.\n'), line: 2 },
    { name: 'partial overlap for everyone', facts: acl('{allow, all, subscribe, ["sensors/#"]}.\n{deny, all, subscribe, ["sensors/+/secret", "other/#"]}.\n'), line: 2, message: 'sensors/+/secret' },
  ],
  skip: [{ name: 'no acl.conf', facts: side('emqx', '/repo/emqx.conf', 'node.name = x\n') }],
} satisfies CheckCases;
