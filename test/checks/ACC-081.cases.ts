import type { CheckCases } from './fixtures.js';
import { dynsec, hardened, role, PBKDF2 } from './dynsec-nanomq-fixtures.js';

const base = hardened() as { clients: unknown[]; roles: unknown[]; groups: unknown[] };
const withClient = (r: ReturnType<typeof role>, extra: Record<string, unknown> = {}) =>
  dynsec({ ...base, roles: [...base.roles, r], clients: [...base.clients, { username: 'app', encoded_password: PBKDF2, roles: [{ rolename: r.rolename }], ...extra }] });

export default {
  good: [
    { name: 'narrow roles only', facts: dynsec(hardened()) },
    { name: 'an administrator with # (topic-observe) is not reported', facts: dynsec({ ...base, roles: [...base.roles, role('observe', [['subscribePattern', '#']])], clients: [{ username: 'admin', encoded_password: PBKDF2, roles: [{ rolename: 'dynsec-admin' }, { rolename: 'observe' }] }] }) },
    { name: '# does not cover $SYS, and a deny grants nothing', facts: withClient(role('r', [['subscribePattern', 'a/#'], ['publishClientReceive', '#', false]])) },
    { name: 'unsubscribing # grants nothing', facts: withClient(role('r', [['unsubscribePattern', '#']])) },
    { name: 'publishing to $CONTROL/# makes an administrator', facts: withClient(role('ctl', [['publishClientSend', '$CONTROL/#']])) },
  ],
  bad: [
    { name: 'client role with #', facts: withClient(role('everything', [['subscribePattern', '#']])), severity: 'high', message: 'role "everything" allows subscribePattern on "#"' },
    { name: 'reading $CONTROL/# as an ordinary client', facts: withClient(role('ctl', [['subscribePattern', '$CONTROL/#'], ['publishClientReceive', '$CONTROL/#']])), severity: 'high', message: 'control topics' },
    { name: '$SYS/# through a group', facts: dynsec({ ...base, roles: [...base.roles, role('sys', [['subscribePattern', '$SYS/#']])], groups: [{ groupname: 'g', roles: [{ rolename: 'sys' }], clients: [{ username: 'sensor1' }] }] }), severity: 'medium', message: 'client "sensor1"' },
    { name: '# to anonymous clients', facts: dynsec({ ...base, roles: [...base.roles, role('anon', [['publishClientSend', '#']])], groups: [{ groupname: 'unauthenticated', roles: [{ rolename: 'anon' }] }] }), message: 'anonymous clients' },
    { name: 'held only by a disabled client', facts: withClient(role('everything', [['subscribePattern', '#']]), { disabled: true }), severity: 'low' },
  ],
} satisfies CheckCases;
