import type { CheckCases } from './fixtures.js';
import { dynsec, hardened } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[] };
const add = (c: Record<string, unknown>) => dynsec({ ...base, clients: [...base.clients, c] });

export default {
  good: [
    { name: '1,000 iterations (Mosquitto 2.1)', facts: dynsec(hardened()) },
    { name: 'argon2id is accepted', facts: add({ username: 'new', encoded_password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA' }) },
  ],
  bad: [
    { name: 'Mosquitto 2.0 legacy fields with 101 iterations', facts: add({ username: 'old', password: 'aGFzaA==', salt: 'c2FsdA==', iterations: 101 }), message: 'PBKDF2 with 101 iterations (Mosquitto 2.0 fields' },
    { name: 'encoded_password with 999 iterations', facts: add({ username: 'low', encoded_password: '$7$999$c2FsdA==$aGFzaA==' }), message: '999 iterations' },
  ],
  skip: [{ name: 'no hashes at all', facts: dynsec({ clients: [{ username: 'certonly' }] }) }],
} satisfies CheckCases;
