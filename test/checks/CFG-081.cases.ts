import type { CheckCases } from './fixtures.js';
import { facts, nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [{ name: 'parses, includes readable', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) }],
  bad: [
    { name: 'missing included ACL file', facts: nanomq(NANOMQ_GOOD, { '/etc/nanomq_pwd.conf': '"a": "Zq7!rT4#pL9@wX2m"\n' }), line: 14, message: 'included file /etc/nanomq_acl.conf cannot be read' },
    { name: 'HOCON syntax error', facts: nanomq('auth {\n  allow_anonymous = false\n'), message: 'not parsed' },
    { name: 'ACL rule without permit', facts: facts([{ path: '/etc/nanomq_acl.conf', format: 'nanomq-acl' }], { '/etc/nanomq_acl.conf': 'rules = [\n  {"username": "a"}\n]\n' }), line: 2, severity: 'low' },
    { name: 'unreadable password file given', facts: facts([{ path: '/etc/nanomq_pwd.conf', format: 'nanomq-passwd' }], {}), message: 'cannot be read' },
  ],
} satisfies CheckCases;
