/**
 * OpenSSH server settings (sshd_config with its Include drop-ins: the first
 * value of a keyword wins, as in sshd) and accounts with empty passwords
 * (/etc/shadow, readable by root only).
 */
import { posix } from 'node:path';
import { at, existsSys, findProgram, listSys, readSys, type SysRoot } from './sysroot.js';
import type { AccountsState, SshState } from './types.js';

interface SshLine {
  key: string;
  value: string;
  file: string;
  line: number;
  match: boolean;
}

async function readSshd(r: SysRoot, path: string, out: SshLine[], problems: string[], files: string[], depth: number): Promise<void> {
  const res = await readSys(r, path, 1024 * 1024);
  if (!res.ok) {
    if (!res.missing || depth === 0) problems.push(`cannot read ${res.error}`);
    return;
  }
  files.push(path);
  let inMatch = false;
  const lines = res.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (!t || t.startsWith('#')) continue;
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1f]/.test(t)) {
      problems.push(`${at(r, path)}:${i + 1}: binary data, line ignored`);
      continue;
    }
    const m = /^(\S+)\s*(?:=\s*|\s+)(.*)$/.exec(t);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    if (key === 'match') {
      inMatch = true;
      continue;
    }
    if (key === 'include' && depth < 4) {
      for (const pattern of value.split(/\s+/)) {
        const abs = pattern.startsWith('/') ? pattern : posix.join('/etc/ssh', pattern);
        if (/[*?]/.test(posix.basename(abs))) {
          const re = new RegExp(`^${posix.basename(abs).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
          for (const f of (await listSys(r, posix.dirname(abs))).filter((x) => re.test(x))) await readSshd(r, posix.join(posix.dirname(abs), f), out, problems, files, depth + 1);
        } else await readSshd(r, abs, out, problems, files, depth + 1);
      }
      continue;
    }
    out.push({ key, value, file: path, line: i + 1, match: inMatch });
  }
}

function setting(lines: SshLine[], key: string, def: string): SshState['permitRootLogin'] {
  const l = lines.find((x) => x.key === key && !x.match);
  return l ? { value: l.value.toLowerCase(), isDefault: false, location: { file: l.file, line: l.line, column: 1 } } : { value: def, isDefault: true };
}

export async function collectSsh(r: SysRoot): Promise<SshState | { skipped: string }> {
  const sshd = await findProgram(r, 'sshd');
  if (!sshd && !(await existsSys(r, '/etc/ssh/sshd_config'))) return { skipped: 'no OpenSSH server (no sshd binary, no /etc/ssh/sshd_config)' };
  const lines: SshLine[] = [];
  const problems: string[] = [];
  const files: string[] = [];
  await readSshd(r, '/etc/ssh/sshd_config', lines, problems, files, 0);
  if (!files.length) throw new Error(problems[0] ?? 'cannot read /etc/ssh/sshd_config');
  return {
    files,
    // OpenSSH ≥ 7.0 defaults: PermitRootLogin prohibit-password, PasswordAuthentication yes.
    permitRootLogin: setting(lines, 'permitrootlogin', 'prohibit-password'),
    passwordAuthentication: setting(lines, 'passwordauthentication', 'yes'),
    matchOverrides: lines
      .filter((l) => l.match && (l.key === 'permitrootlogin' || l.key === 'passwordauthentication'))
      .map((l) => ({ setting: l.key, value: l.value, location: { file: l.file, line: l.line, column: 1 } })),
    problems,
  };
}

export async function collectAccounts(r: SysRoot): Promise<AccountsState | { skipped: string }> {
  const file = '/etc/shadow';
  if (r.live && process.getuid?.() !== 0) return { skipped: `${file} is readable by root only: run as root to check for empty passwords` };
  const res = await readSys(r, '/etc/shadow', 4 * 1024 * 1024);
  if (!res.ok) {
    if (res.missing) return { skipped: `${file} does not exist` };
    if (/EACCES/.test(res.error)) return { skipped: `${res.error}: readable by root only` };
    throw new Error(`cannot read ${res.error}`);
  }
  const emptyPassword: AccountsState['emptyPassword'] = [];
  let withPassword = 0;
  const lines = res.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i]!.split(':');
    if (f.length < 2 || !f[0]) continue;
    if (f[1] === '') emptyPassword.push({ user: f[0], line: i + 1 });
    else if (/^\$/.test(f[1]!)) withPassword++;
  }
  return { file, emptyPassword, withPassword };
}

