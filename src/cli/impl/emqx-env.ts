/**
 * The EMQX environment a command was given (`emqxEnvOptions`: --env-file, else this process's EMQX_*
 * variables unless --no-process-env). etc/emqx.env next to emqx.conf is read over it by the config loader.
 */
import type { SourceLoc } from '../../config/io.js';
import { readText, UsageError } from '../common.js';
import type { EmqxEnvFlags } from '../options.js';

/** Parse a KEY=VALUE env file (comments, `export`, quotes), with the place of each variable. */
export function parseEnvFile(text: string, file: string): { env: Record<string, string>; locations: Record<string, SourceLoc> } {
  const env: Record<string, string> = {};
  const locations: Record<string, SourceLoc> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new UsageError(`${file}:${i + 1}: expected KEY=VALUE`);
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length > 1) || (v.startsWith("'") && v.endsWith("'") && v.length > 1)) v = v.slice(1, -1);
    env[m[1]!] = v;
    locations[m[1]!] = { file, line: i + 1, column: line.indexOf(m[2]!) + 1 };
  });
  return { env, locations };
}

export function emqxEnvironment(flags: Pick<EmqxEnvFlags, 'envFile' | 'processEnv'>): { env?: Record<string, string>; envLocations?: Record<string, SourceLoc> } {
  if (flags.envFile) {
    const { env, locations } = parseEnvFile(readText(flags.envFile, 'env file', 'settings'), flags.envFile);
    return { env, envLocations: locations };
  }
  if (flags.processEnv) return { env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('EMQX_') && e[1] !== undefined)) };
  return {};
}
