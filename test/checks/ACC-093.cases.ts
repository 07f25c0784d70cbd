import type { CheckCases } from './fixtures.js';
import { facts, nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [{ name: 'no password file (HTTP authentication)', facts: nanomq('auth {\n  allow_anonymous = false\n  http_auth { auth_req { url = "https://auth.example/mqtt" } }\n}\n') }],
  bad: [
    { name: 'strong passwords are still plain text', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES), severity: 'medium', message: 'stores the passwords of 1 user(s) in plain text' },
    { name: 'shipped admin/public', facts: facts([{ path: '/etc/nanomq_pwd.conf', format: 'nanomq-passwd' }], { '/etc/nanomq_pwd.conf': '# users\n"admin": "public"\n"client": "public"\n' }), line: 2, severity: 'high', message: 'user "admin" has a well-known password' },
    { name: 'weak password named by user', facts: facts([{ path: '/etc/nanomq_pwd.conf', format: 'nanomq-passwd' }], { '/etc/nanomq_pwd.conf': '"sensor": "abc123"\n' }), severity: 'high', message: 'user "sensor" has a weak password' },
    { name: 'legacy auth.N lines in nanomq.conf', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nauth.1.login=admin\nauth.1.password=public\n'), line: 3, severity: 'high' },
  ],
  skip: [{ name: 'password file given but unreadable', facts: facts([{ path: '/etc/nanomq_pwd.conf', format: 'nanomq-passwd' }], {}) }],
} satisfies CheckCases;
