import type { CheckCases } from './fixtures.js';
import { facts, nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [
    { name: 'allow_anonymous = false', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) },
    { name: 'legacy allow_anonymous=false', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nallow_anonymous=false\n') },
  ],
  bad: [
    { name: 'explicit true', facts: nanomq('auth {\n  allow_anonymous = true\n}\n'), line: 2 },
    { name: 'default (no auth block)', facts: nanomq('listeners.tcp {\n  bind = "127.0.0.1:1883"\n}\n'), message: "not set: NanoMQ's default" },
    { name: 'legacy default', facts: nanomq('url=nmq-tcp://0.0.0.0:1883\n'), message: 'allow_anonymous = true' },
  ],
  skip: [{ name: 'only a password file', facts: facts([{ path: '/etc/nanomq_pwd.conf', format: 'nanomq-passwd' }], { '/etc/nanomq_pwd.conf': '"a": "b"\n' }) }],
} satisfies CheckCases;
