import type { CheckCases } from './fixtures.js';
import { dynsec, hardened, role, PBKDF2 } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[]; roles: unknown[] };
const demo = (extra: Record<string, unknown> = {}) =>
  dynsec({ ...base, roles: [...base.roles, role('client', [['publishClientSend', '#'], ['subscribePattern', '#']])], clients: [...base.clients, { username: 'democlient', encoded_password: PBKDF2, roles: [{ rolename: 'client' }], ...extra }] });

export default {
  good: [{ name: 'no democlient', facts: dynsec(hardened()) }],
  bad: [
    { name: 'generated democlient with its client role', facts: demo(), severity: 'high', message: 'with full access to # through role "client"' },
    { name: 'disabled democlient', facts: demo({ disabled: true }), severity: 'low' },
    { name: 'democlient without the full-access role', facts: dynsec({ ...base, clients: [...base.clients, { username: 'democlient', encoded_password: PBKDF2, roles: [{ rolename: 'sensor' }] }] }), severity: 'medium' },
  ],
} satisfies CheckCases;
