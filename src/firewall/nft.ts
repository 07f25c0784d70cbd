/**
 * The thin side-effect layer of the firewall: runs `nft` to read, diff, apply
 * and remove mqtt-warden's own table. Everything else (what the rules are) is
 * the pure planner's job (src/ports).
 *
 * The dry-run diff compares like with like: the wanted ruleset is loaded into a
 * throw-away network namespace (`unshare --net`) and listed back by the same
 * `nft`, so both sides of the diff are nft's own canonical listing.
 */
import { execFile } from 'node:child_process';
import { createTwoFilesPatch } from 'diff';

export interface NftResult {
  stdout: string;
  stderr: string;
}

/** Runs nft with the arguments (and stdin); rejects with nft's message on failure. */
export type NftRunner = (args: string[], input?: string) => Promise<NftResult>;

export class FirewallError extends Error {}

function execWithInput(cmd: string, args: string[], input: string | undefined, timeoutMs: number): Promise<NftResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? `${cmd} is not installed` : stderr.trim() || err.message;
        reject(new FirewallError(`${cmd} ${args.join(' ')}: ${why}`));
      } else resolve({ stdout, stderr });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** The local `nft`. */
export function localNft(timeoutMs = 10_000): NftRunner {
  return (args, input) => execWithInput('nft', args, input, timeoutMs);
}

/** `nft list table inet NAME`, or undefined when the table does not exist. */
export async function liveTable(run: NftRunner, name: string): Promise<string | undefined> {
  try {
    return (await run(['list', 'table', 'inet', name])).stdout;
  } catch (e) {
    if (/No such file or directory|does not exist/i.test((e as Error).message)) return undefined;
    throw e;
  }
}

/** `nft -j list table inet NAME` parsed, or undefined when the table does not exist. */
export async function liveTableJson(run: NftRunner, name: string): Promise<unknown[] | undefined> {
  try {
    const out = (await run(['-j', 'list', 'table', 'inet', name])).stdout;
    const parsed = JSON.parse(out) as { nftables?: unknown[] };
    if (!Array.isArray(parsed.nftables)) throw new FirewallError('nft -j returned no "nftables" array');
    return parsed.nftables;
  } catch (e) {
    if (/No such file or directory|does not exist/i.test((e as Error).message)) return undefined;
    throw e;
  }
}

/**
 * nft's own listing of a rendered ruleset, made in a private network namespace
 * (nothing on the host changes). Needs root (or CAP_SYS_ADMIN + CAP_NET_ADMIN).
 */
export async function canonicalTable(rendered: string, name: string, timeoutMs = 10_000): Promise<string> {
  const script = `nft -f - && nft list table inet ${name}`;
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new FirewallError(`bad table name ${JSON.stringify(name)}`);
  try {
    return (await execWithInput('unshare', ['--net', 'sh', '-c', script], rendered, timeoutMs)).stdout;
  } catch (e) {
    throw new FirewallError(`cannot load the rendered ruleset into a scratch namespace: ${(e as Error).message}`);
  }
}

export interface TableDiff {
  name: string;
  /** The live table, or undefined when it is not loaded. */
  live?: string;
  wanted: string;
  equal: boolean;
  /** Unified diff live → wanted (empty when equal). */
  diff: string;
}

export async function diffTable(run: NftRunner, rendered: string, name: string): Promise<TableDiff> {
  const [live, wanted] = await Promise.all([liveTable(run, name), canonicalTable(rendered, name)]);
  const equal = live === wanted;
  const diff = equal ? '' : createTwoFilesPatch(live === undefined ? '/dev/null' : `live: inet ${name}`, `planned: inet ${name}`, live ?? '', wanted, '', '', { context: 3 });
  return { name, ...(live !== undefined && { live }), wanted, equal, diff };
}

/** Load the rendered ruleset (atomic: one nft transaction). */
export async function applyTable(run: NftRunner, rendered: string): Promise<void> {
  await run(['-f', '-'], rendered);
}

/** Delete the table; false when it was not there (idempotent). */
export async function removeTable(run: NftRunner, name: string): Promise<boolean> {
  if ((await liveTable(run, name)) === undefined) return false;
  await run(['delete', 'table', 'inet', name]);
  return true;
}
