import type { CheckCases } from './fixtures.js';
import { dynsec, hardened, PBKDF2 } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[] };

export default {
  good: [
    { name: 'enabled administrator', facts: dynsec(hardened()) },
    { name: 'a disabled ordinary client is not an administrator', facts: dynsec({ ...base, clients: [...base.clients, { username: 's2', encoded_password: PBKDF2, disabled: true, roles: [{ rolename: 'sensor' }] }] }) },
  ],
  bad: [{ name: 'disabled administrator', facts: dynsec({ ...base, clients: [...base.clients, { username: 'oldadmin', encoded_password: PBKDF2, disabled: true, roles: [{ rolename: 'dynsec-admin' }] }] }), severity: 'info', message: 'administrator "oldadmin"' }],
} satisfies CheckCases;
