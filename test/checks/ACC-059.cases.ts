import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

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
  skip: [{ name: 'no acl.conf', facts: side('emqx', '/repo/emqx.conf', 'node.name = x\n') },
    { name: 'the configured acl.conf is missing: no PASS', facts: emqx('authorization.sources = [\n  { type = file, path = "/etc/emqx/missing.conf" }\n]\n'), message: 'was not read' },
    { name: 'a syntax error stops acl.conf short: no PASS', facts: side('emqx-acl', '/repo/acl.conf', '{deny, all, subscribe, ["$SYS/#"]\n{allow, all}.\n'), message: 'rules it could not parse were not judged' },
  ],
} satisfies CheckCases;
