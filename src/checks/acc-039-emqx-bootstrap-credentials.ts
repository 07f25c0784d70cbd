import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-039',
    name: 'emqx-bootstrap-credentials',
    title: 'EMQX built-in database bootstrap file with plain or weak credentials',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.passwords'],
    description:
      'The CSV named by `bootstrap_file` of a built-in database authenticator is imported into EMQX at start. With `bootstrap_type = plain` the file holds clear-text passwords on disk (each is also scored against the policy: length, classes, common-password list, entropy); with `hash`, an empty salt column means unsalted hashes. A world-readable file, and users listed twice, are reported too. Passwords are never reported.',
    remediation: 'Import users once and remove the file, or use `bootstrap_type = hash` with salted pbkdf2/bcrypt hashes; keep it mode 0600/0640, and give every user a generated password (`mqtt-warden passwd gen`).',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authn/mnesia.html'],
  },
  judge({ 'config.passwords': p }) {
    const files = p.emqxBootstrap ?? [];
    if (!files.length) return { status: 'SKIP', message: 'no EMQX bootstrap file given or named by an authenticator' };
    const fails: Verdict[] = [];
    let n = 0;
    for (const f of files) {
      if (!f.parsed) {
        fails.push({ status: 'FAIL', severity: 'low', message: `${f.path} cannot be read (${f.error}): not checked`, location: at(f.ref) });
        continue;
      }
      const file = f.readPath ?? f.path;
      if (f.mode !== undefined && f.mode & 0o004) fails.push({ status: 'FAIL', message: `${file} is world-readable (mode ${f.mode.toString(8).padStart(4, '0')})`, location: { file, line: 1, column: 1 } });
      if (f.parsed.kind === 'plain' && f.parsed.entries.length) fails.push({ status: 'FAIL', message: `${file} holds ${f.parsed.entries.length} clear-text password(s) (bootstrap_type plain)`, location: { file, line: 1, column: 1 } });
      for (const i of f.parsed.issues) fails.push({ status: 'FAIL', severity: 'low', message: i.message, location: at(i) });
      const seen = new Map<string, number>();
      for (const e of f.parsed.entries) {
        n++;
        const prev = seen.get(e.username);
        if (prev !== undefined) fails.push({ status: 'FAIL', severity: 'low', message: `user "${e.username}" is listed again (first at line ${prev})`, location: at(e) });
        else seen.set(e.username, e.line);
        if (e.strength && !e.strength.ok) fails.push({ status: 'FAIL', ...(e.superuser ? { severity: 'critical' as const } : {}), message: `${e.superuser ? 'superuser' : 'user'} "${e.username}": weak password (${e.strength.problems.join('; ')})`, location: at(e) });
        if (e.unsalted) fails.push({ status: 'FAIL', message: `user "${e.username}": password hash without salt`, location: at(e) });
      }
    }
    return failuresOr(fails, `${n} bootstrap users with salted hashes`);
  },
});
