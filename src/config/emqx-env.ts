/**
 * EMQX's boot-time environment file (`etc/emqx.env`, 6.3+; /etc/emqx/emqx.env on deb/rpm,
 * /opt/emqx/etc/emqx.env in the Docker image). bin/emqx sources it as shell on every
 * invocation, so its values override the inherited environment. It ships with every line
 * commented out, in the form `#EMQX_SECURITY_PROFILE="${EMQX_SECURITY_PROFILE:-hardened}"`.
 *
 * Only the assignments a plain file holds are read: `KEY=value`, `export KEY=value`,
 * single/double quotes, and `${VAR}`, `${VAR:-default}`, `$VAR` expanded from the variables
 * before it and the inherited environment. Anything else (commands, conditionals) is an issue
 * at its line: the value the node would get cannot be known without running the shell.
 * Hand-written because it is a handful of shell forms, not a format a library covers.
 */
import type { ConfigIssue, SourceLoc } from './io.js';

export interface EmqxEnvFile {
  env: Record<string, string>;
  locations: Record<string, SourceLoc>;
  issues: ConfigIssue[];
}

export function parseEmqxEnvFile(text: string, file: string, inherited: Record<string, string> = {}): EmqxEnvFile {
  const env: Record<string, string> = {};
  const locations: Record<string, SourceLoc> = {};
  const issues: ConfigIssue[] = [];
  const lookup = (name: string) => env[name] ?? inherited[name];
  const expand = (s: string) =>
    s.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_m, a?: string, dflt?: string, b?: string) => {
      const v = lookup((a ?? b)!);
      return v !== undefined && v !== '' ? v : (dflt ?? '');
    });
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (!m) {
      issues.push({ file, line: i + 1, column: 1, message: `not a KEY=value assignment: the shell line is not evaluated (${line.slice(0, 60)})` });
      return;
    }
    let v = m[2]!.replace(/\s+#.*$/, '').trim();
    if (v.length > 1 && v.startsWith("'") && v.endsWith("'")) v = v.slice(1, -1);
    else {
      if (v.length > 1 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      v = expand(v);
    }
    env[m[1]!] = v;
    locations[m[1]!] = { file, line: i + 1, column: raw.indexOf(m[1]!) + 1 };
  });
  return { env, locations, issues };
}
