import type { CheckCases } from './fixtures.js';
import { nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [
    { name: 'disconnect', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) },
    { name: 'legacy disconnect', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nacl_deny_action=disconnect\n') },
  ],
  bad: [
    { name: 'default ignore', facts: nanomq('auth {\n  allow_anonymous = false\n}\n'), message: "not set: NanoMQ's default" },
    { name: 'explicit ignore', facts: nanomq('auth {\n  deny_action = ignore\n}\n'), line: 2 },
  ],
} satisfies CheckCases;
