import type { CheckCases } from './fixtures.js';
import { facts, nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

const catchAll = 'rules = [\n  {"permit": "deny", "username": "#", "action": "subscribe", "topics": ["#"]}\n  {"permit": "allow"}\n]\n';

export default {
  good: [
    { name: 'no_match = deny, specific rules', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) },
    { name: 'ACL file with specific rules only', facts: facts([{ path: '/etc/nanomq_acl.conf', format: 'nanomq-acl' }], NANOMQ_FILES) },
  ],
  bad: [
    { name: 'default no_match', facts: nanomq('auth {\n  allow_anonymous = false\n}\n'), message: 'auth.no_match = allow' },
    { name: 'explicit allow', facts: nanomq('auth {\n  no_match = allow\n}\n'), line: 2 },
    { name: 'catch-all rule in the included ACL file', facts: nanomq(NANOMQ_GOOD, { ...NANOMQ_FILES, '/etc/nanomq_acl.conf': catchAll }), line: 3, message: 'matches every client and topic' },
    { name: 'legacy catch-all acl.rule', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nacl_nomatch=deny\nacl.rule.1={"permit": "allow"}\n'), line: 3 },
    { name: 'ACL file given alone', facts: facts([{ path: '/etc/nanomq_acl.conf', format: 'nanomq-acl' }], { '/etc/nanomq_acl.conf': catchAll }), line: 3 },
  ],
} satisfies CheckCases;
