/**
 * EMQX built-in database bootstrap file (`authentication[].bootstrap_file`, CSV),
 * imported at start: `bootstrap_type = plain` → `user_id,password,is_superuser`,
 * `hash` → `user_id,password_hash,salt,is_superuser`. Plain passwords are scored by
 * the caller's function and dropped: only the score is kept.
 */
import type { ConfigIssue, SourceLoc } from './io.js';
import type { StrengthReport } from '../credentials/strength.js';

export interface BootstrapEntry extends SourceLoc {
  username: string;
  superuser: boolean;
  /** plain files: the password's score (the password itself is not kept). */
  strength?: StrengthReport;
  /** hash files: the salt column is empty. */
  unsalted?: boolean;
  /** hash files: hex digits of the hash (64 = sha256, 128 = sha512; bcrypt/pbkdf2 have other shapes). */
  hashLength?: number;
}

export interface EmqxBootstrap {
  file: string;
  kind: 'plain' | 'hash';
  entries: BootstrapEntry[];
  issues: ConfigIssue[];
}

/** Split one CSV line (RFC 4180 quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function looksLikeEmqxBootstrap(text: string): boolean {
  return /^\s*"?user_id"?\s*,\s*"?(password|password_hash)"?\s*,/i.test(text);
}

export function parseEmqxBootstrap(text: string, file: string, score: (password: string) => StrengthReport): EmqxBootstrap {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const issues: ConfigIssue[] = [];
  const header = cells(lines[0] ?? '').map((h) => h.toLowerCase());
  const kind = header.includes('password_hash') ? 'hash' : 'plain';
  const col = (name: string) => header.indexOf(name);
  if (col('user_id') < 0 || (kind === 'plain' ? col('password') : col('password_hash')) < 0) {
    return { file, kind, entries: [], issues: [{ file, line: 1, column: 1, message: 'expected a header "user_id,password,is_superuser" or "user_id,password_hash,salt,is_superuser"' }] };
  }
  const entries: BootstrapEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const c = cells(line);
    const at = { file, line: i + 1, column: 1 };
    const username = c[col('user_id')] ?? '';
    if (!username || c.length < header.length) {
      issues.push({ ...at, message: `expected ${header.length} columns (${header.join(',')})` });
      continue;
    }
    const superuser = /^true$/i.test(c[col('is_superuser')] ?? '');
    if (kind === 'plain') entries.push({ ...at, username, superuser, strength: score(c[col('password')] ?? '') });
    else {
      const hash = c[col('password_hash')] ?? '';
      entries.push({ ...at, username, superuser, unsalted: col('salt') < 0 || !(c[col('salt')] ?? ''), hashLength: hash.length });
    }
  }
  return { file, kind, entries, issues };
}
