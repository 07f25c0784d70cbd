import type { CheckCases } from './fixtures.js';
import { dynsec, hardened, role, PBKDF2 } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[]; roles: unknown[] };
const app = (r: ReturnType<typeof role>, defaults?: Record<string, boolean>) =>
  dynsec({ ...base, ...(defaults ? { defaultACLAccess: defaults } : {}), roles: [...base.roles, r], clients: [...base.clients, { username: 'app', encoded_password: PBKDF2, roles: [{ rolename: r.rolename }] }] });

export default {
  good: [
    { name: 'allowwildcardsubs false', facts: dynsec(hardened()) },
    { name: 'a role that cannot subscribe at all', facts: app(role('pub', [['publishClientSend', 'a/b']])) },
    { name: 'an administrator role is not reported', facts: dynsec({ ...base, clients: [{ username: 'admin', encoded_password: PBKDF2, roles: [{ rolename: 'dynsec-admin' }] }] }) },
  ],
  bad: [
    { name: 'missing key: true by default', facts: app(role('reader', [['subscribePattern', 'a/#']])), message: 'role "reader"' },
    { name: 'explicit true', facts: app(role('reader', [['subscribeLiteral', 'a/b']], { allowwildcardsubs: true })) },
    { name: 'subscribe allowed by default access', facts: app(role('pub', [['publishClientSend', 'a/b']]), { subscribe: true }) },
  ],
} satisfies CheckCases;
