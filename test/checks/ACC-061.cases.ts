import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

const acl = (text: string) => side('emqx-acl', '/repo/acl.conf', text);

export default {
  good: [
    { name: 'subtrees only', facts: acl('{allow, {username, "gw"}, publish, ["plant/+/telemetry"]}.\n{deny, all}.\n') },
    { name: 'allow all is ACC-055, not this check', facts: acl('{allow, all}.\n') },
  ],
  bad: [
    { name: 'one user gets #', facts: acl('{allow, {username, "gw"}, all, ["#"]}.\n{deny, all}.\n'), line: 1, message: 'every topic' },
    { name: 'a client id gets +/#', facts: acl('{deny, all, subscribe, ["$SYS/#"]}.\n{allow, {clientid, "c1"}, subscribe, ["+/#"]}.\n'), line: 2 },
  ],
  skip: [{ name: 'no acl.conf', facts: side('emqx', '/repo/emqx.conf', 'node.name = x\n') },
    { name: 'the configured acl.conf is missing: no PASS', facts: emqx('authorization.sources = [\n  { type = file, path = "/etc/emqx/missing.conf" }\n]\n'), message: 'was not read' },
    { name: 'a syntax error stops acl.conf short: no PASS', facts: side('emqx-acl', '/repo/acl.conf', '{deny, all, subscribe, ["$SYS/#"]\n{allow, all}.\n'), message: 'rules it could not parse were not judged' },
  ],
} satisfies CheckCases;
