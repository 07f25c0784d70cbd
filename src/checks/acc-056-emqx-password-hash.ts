import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { hoconGet } from '../config/hocon.js';
import { at, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-056',
    name: 'emqx-password-hash',
    title: 'EMQX authenticator uses a weak password hash',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description:
      'Reads `password_hash_algorithm` of every password-based authenticator: `plain`, `md5`, `sha` are broken for passwords; `sha256`/`sha512` are single fast hashes (brute-forced at billions per second), worse with `salt_position = disable`; `bcrypt` needs `salt_rounds` ≥ the policy (default 10); `pbkdf2` needs `iterations` ≥ the policy (default 10000). EMQX\'s built-in database defaults to salted sha256.',
    remediation: 'Use `password_hash_algorithm { name = pbkdf2, mac_fun = sha256, iterations = 600000 }` or `{ name = bcrypt, salt_rounds = 12 }` for new users (existing hashes stay until users are re-created).',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authn/authn.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    const configured = e.configs.some((cfg) => {
      const list = hoconGet(cfg.root, 'authentication');
      return list?.t === 'arr' ? list.items.length > 0 : list?.t === 'obj';
    });
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const list = hoconGet(cfg.root, 'authentication');
        const items = list?.t === 'arr' ? list.items : list?.t === 'obj' ? [list] : [];
        for (const a of items) {
          if (a.t !== 'obj') continue;
          const mech = a.fields.get('mechanism');
          if (mech?.t === 'val' && mech.value !== 'password_based') continue;
          const backend = a.fields.get('backend');
          const algo = a.fields.get('password_hash_algorithm');
          if (!algo || algo.t !== 'obj') {
            if (backend?.t === 'val' && backend.value === 'built_in_database') {
              fails.push({ status: 'FAIL', severity: 'medium', message: 'built_in_database without password_hash_algorithm: the default is one round of salted sha256', location: at(a.loc) });
            }
            continue;
          }
          const get = (k: string) => {
            const n = algo.fields.get(k);
            return n?.t === 'val' ? n : undefined;
          };
          const name = String(get('name')?.value ?? '');
          const where = at((get('name') ?? algo).loc);
          if (['plain', 'md5', 'sha'].includes(name)) fails.push({ status: 'FAIL', severity: 'critical', message: `password_hash_algorithm ${name}: passwords are stored in clear or with a broken hash`, location: where });
          else if (name === 'sha256' || name === 'sha512') {
            const salt = get('salt_position');
            fails.push({
              status: 'FAIL',
              ...(salt?.value === 'disable' ? { severity: 'critical' as const } : { severity: 'medium' as const }),
              message: `password_hash_algorithm ${name}${salt?.value === 'disable' ? ' without salt' : ''}: one fast hash round`,
              location: salt?.value === 'disable' ? at(salt.loc) : where,
            });
          } else if (name === 'bcrypt') {
            const r = get('salt_rounds');
            const rounds = typeof r?.value === 'number' ? r.value : 10;
            if (rounds < policy.emqx.minBcryptRounds) fails.push({ status: 'FAIL', message: `bcrypt salt_rounds ${rounds}, below the policy's ${policy.emqx.minBcryptRounds}`, location: at((r ?? algo).loc) });
          } else if (name === 'pbkdf2') {
            const it = get('iterations');
            const n = typeof it?.value === 'number' ? it.value : 0;
            if (n < policy.emqx.minPbkdf2Iterations) fails.push({ status: 'FAIL', message: `pbkdf2 iterations ${it ? n : 'unset'}, below the policy's ${policy.emqx.minPbkdf2Iterations}`, location: at((it ?? algo).loc) });
          } else fails.push({ status: 'FAIL', severity: 'low', message: `unknown password_hash_algorithm "${name}"`, location: where });
        }
        return fails;
      },
      configured ? 'password-based authenticators use pbkdf2 or bcrypt at policy strength' : 'no password-based authenticator configured',
    );
  },
});
