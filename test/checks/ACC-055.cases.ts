import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

export default {
  good: [
    { name: 'ends with deny all', facts: side('emqx-acl', '/repo/acl.conf', '{allow, {username, "a"}, publish, ["a/#"]}.\n{deny, all}.\n') },
    { name: 'acl.conf next to emqx.conf, via the default source', facts: emqx('node.name = x\n', { '/etc/emqx/acl.conf': '{deny, all}.\n' }) },
  ],
  bad: [
    { name: 'EMQX 5.0–5.8 shipped acl.conf', facts: side('emqx-acl', '/repo/acl.conf', '{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.\n{allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.\n{deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.\n{allow, all}.\n'), line: 4 },
    { name: 'current shipped acl.conf: legacy profile', facts: side('emqx-acl', '/repo/acl.conf', '{deny, all, subscribe, ["$SYS/#"]}.\n\n{allow, {security_profile, legacy}}.\n'), line: 3, message: 'legacy profile' },
    { name: 'allow everyone #', facts: side('emqx-acl', '/repo/acl.conf', '{allow, all, all, ["#"]}.\n'), line: 1 },
    { name: 'configured source path', facts: emqx('authorization.sources = [\n  { type = file, path = "/etc/emqx/rules.conf" }\n]\n', { '/etc/emqx/rules.conf': '%% x\n{allow, all}.\n' }), line: 2 },
  ],
  skip: [
    { name: 'default acl.conf absent', facts: emqx('node.name = x\n') },
    {
      name: 'a syntax error stops the file before its allow-everything rule: no PASS',
      facts: side('emqx-acl', '/repo/acl.conf', '{allow, {username, "a"}, publish, ["a/#"]}.\n{deny, all, subscribe, ["$SYS/#"]\n{allow, all}.\n'),
      message: 'rules it could not parse were not judged',
    },
  ],
} satisfies CheckCases;
