import type { CheckCases } from './fixtures.js';
import { dynsec, hardened } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[] };
const add = (c: Record<string, unknown>) => dynsec({ ...base, clients: [...base.clients, c] });

export default {
  good: [
    { name: 'every client has a hash', facts: dynsec(hardened()) },
    { name: 'legacy 2.0 fields count as a password', facts: add({ username: 'old', password: 'aGFzaA==', salt: 'c2FsdA==', iterations: 101 }) },
    { name: 'argon2id', facts: add({ username: 'new', encoded_password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA' }) },
    { name: 'a disabled client without password is not reported', facts: add({ username: 'gone', disabled: true }) },
  ],
  bad: [
    { name: 'no password at all', facts: add({ username: 'certonly' }), message: 'client "certonly" (/clients/2) has no password: it can only be used through a certificate identity' },
    { name: 'unusable hash', facts: add({ username: 'broken', encoded_password: 'plaintext' }), severity: 'low', message: 'cannot use' },
    { name: 'legacy fields incomplete', facts: add({ username: 'half', password: 'aGFzaA==', iterations: 101 }), severity: 'low' },
  ],
} satisfies CheckCases;
