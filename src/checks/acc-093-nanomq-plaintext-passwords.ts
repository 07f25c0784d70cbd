import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import type { NanomqPasswords } from '../config/nanomq.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-093',
    name: 'nanomq-plaintext-passwords',
    title: 'NanoMQ passwords stored in plain text, weak or well-known',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      'NanoMQ\'s password file (`nanomq_pwd.conf`, included as `auth.password`, or the legacy `auth.N.login`/`auth.N.password` lines) holds `"user": "password"` pairs in plain text: whoever reads the file, a backup or a config repository has every password. Each file is one finding (medium); a user whose password is the shipped `public`, equals the user name, or misses the policy (`passwords` section: length, character classes, common-password list, entropy) is a finding of its own (high), naming the user, never the password. A file readable by other users raises the file finding to high.',
    remediation:
      'Replace weak passwords with long random ones (`mqtt-warden passwd gen`), restrict the file (`chown root:nanomq /etc/nanomq_pwd.conf && chmod 0640 /etc/nanomq_pwd.conf`), keep it out of repositories, or authenticate through `auth.http_auth` against a store that keeps hashes.',
    references: ['https://nanomq.io/docs/en/latest/access-control/introduction.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.nanomq': n }) {
    const fails: Verdict[] = [];
    const sources: { p: NanomqPasswords; mode?: number }[] = [
      ...n.configs.flatMap((c) => (c.passwords ? [{ p: c.passwords }] : [])),
      ...n.passwordFiles.flatMap((f) => (f.parsed ? [{ p: f.parsed, ...(f.mode !== undefined ? { mode: f.mode } : {}) }] : [])),
    ];
    const seen = new Set<string>();
    let users = 0;
    for (const { p, mode } of sources) {
      if (seen.has(p.file) || !p.users.length) continue;
      seen.add(p.file);
      users += p.users.length;
      const open = mode !== undefined && mode & 0o004;
      fails.push({
        status: 'FAIL',
        ...(open ? { severity: 'high' as const } : {}),
        message: `${p.file} stores the passwords of ${p.users.length} user(s) in plain text${open ? ` and is world-readable (mode ${mode.toString(8).padStart(4, '0')})` : ''}`,
        location: { file: p.file, line: p.users[0]!.line, column: 1 },
        key: p.file,
      });
      for (const u of p.users) {
        if (u.wellKnown) fails.push({ status: 'FAIL', severity: 'high', message: `user "${u.username}" has a well-known password (the shipped one, or the user name)`, location: at(u), key: `${p.file} ${u.username}` });
        else if (!u.strength.ok) fails.push({ status: 'FAIL', severity: 'high', message: `user "${u.username}" has a weak password: ${u.strength.problems.join('; ')}`, location: at(u), key: `${p.file} ${u.username}` });
      }
    }
    const unread = n.passwordFiles.filter((f) => !f.parsed);
    if (!fails.length && unread.length) return { status: 'SKIP', message: `password file not readable: ${unread.map((f) => `${f.path} (${f.error})`).join(', ')}` };
    if (!fails.length && !users && !n.configs.length) return { status: 'SKIP', message: 'no NanoMQ password file or users among the inputs' };
    return failuresOr(fails, 'no NanoMQ password stored in plain text (no password file is used)');
  },
});
