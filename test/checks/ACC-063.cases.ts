import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

const acl = (text: string) => side('emqx-acl', '/repo/acl.conf', text);

export default {
  good: [
    { name: 'specific before general', facts: acl('{allow, {username, "a"}, publish, ["a/1"]}.\n{deny, {username, "a"}, publish, ["a/#"]}.\n{deny, all}.\n') },
    { name: 'shipped EMQX 5 acl.conf', facts: acl('{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.\n{allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.\n{deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.\n{allow, all}.\n') },
  ],
  bad: [
    { name: 'rule after the catch-all', facts: acl('{deny, all}.\n{allow, {username, "a"}, publish, ["a/#"]}.\n'), line: 2, message: 'never reached' },
    { name: 'narrower allow after a wider one for everyone', facts: acl('{allow, all, subscribe, ["plant/#"]}.\n{allow, {username, "a"}, subscribe, ["plant/+/door"]}.\n{deny, all}.\n'), line: 2 },
    { name: 'eq topic covered by a filter', facts: acl('{deny, all, subscribe, ["#"]}.\n{deny, all, subscribe, [{eq, "#"}]}.\n{allow, all}.\n'), line: 2 },
  ],
  skip: [{ name: 'no acl.conf', facts: side('emqx', '/repo/emqx.conf', 'node.name = x\n') },
    { name: 'the configured acl.conf is missing: no PASS', facts: emqx('authorization.sources = [\n  { type = file, path = "/etc/emqx/missing.conf" }\n]\n'), message: 'was not read' },
    { name: 'a syntax error stops acl.conf short: no PASS', facts: side('emqx-acl', '/repo/acl.conf', '{deny, all, subscribe, ["$SYS/#"]\n{allow, all}.\n'), message: 'rules it could not parse were not judged' },
  ],
} satisfies CheckCases;
