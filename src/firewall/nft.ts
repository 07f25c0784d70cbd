/**
 * The thin side-effect layer of the nftables firewall: reads, diffs, applies
 * and removes mqtt-warden's own tables, through the one command runner
 * (./run.ts). What the rules are is the pure planner's job (src/ports) and the
 * guard backend's (src/guard/backends).
 *
 * Ownership: each part of mqtt-warden marks the tables it creates with a table
 * comment (`comment "mqtt-warden ports"`, `comment "mqtt-warden guard"`; nft
 * ≥ 0.9.7, Linux ≥ 5.10). Before a part replaces, flushes or deletes a table
 * it checks the mark, and refuses when the table belongs to the other part or
 * carries no mqtt-warden mark at all.
 *
 * The dry-run diff compares like with like: the wanted ruleset is loaded into a
 * throw-away network namespace (`unshare --net`) and listed back by the same
 * `nft`, so both sides of the diff are nft's own canonical listing.
 */
import { createTwoFilesPatch } from 'diff';
import { OWNER_MARK, type Part } from './marks.js';
import { FirewallError, isAbsent, runCommand } from './run.js';

export { FirewallError } from './run.js';

export interface NftResult {
  stdout: string;
  stderr: string;
}

/** Runs nft with the arguments (and stdin); rejects with nft's message on failure. */
export type NftRunner = (args: string[], input?: string) => Promise<NftResult>;

export { OWNER_MARK, type Part } from './marks.js';

/** Refused because the object belongs to another part of mqtt-warden or to nobody known. */
export class OwnershipError extends FirewallError {}

/** The local `nft`. */
export function localNft(timeoutMs = 10_000): NftRunner {
  return (args, input) => runCommand('nft', args, { timeoutMs, ...(input !== undefined && { input }) });
}

function absent(e: unknown): boolean {
  // Runners other than localNft (e.g. `ip netns exec … nft`) carry nft's message only.
  return isAbsent(e) || /No such file or directory|does not exist/i.test((e as Error).message);
}

/** `nft list table inet NAME`, or undefined when the table does not exist. */
export async function liveTable(run: NftRunner, name: string): Promise<string | undefined> {
  try {
    return (await run(['list', 'table', 'inet', name])).stdout;
  } catch (e) {
    if (absent(e)) return undefined;
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
    if (absent(e)) return undefined;
    throw e;
  }
}

/** The table comment of an `nft list table` listing (nft prints it first; its JSON output omits it in 1.0.6). */
export function tableComment(listing: string): string | undefined {
  const lines = listing.split('\n');
  const head = lines.findIndex((l) => /^table inet \S+ \{$/.test(l));
  if (head < 0) return undefined;
  const m = /^\tcomment "((?:[^"\\]|\\.)*)"$/.exec(lines[head + 1] ?? '');
  return m?.[1];
}

export type TableOwnership = { exists: false } | { exists: true; owner: Part | undefined; comment: string | undefined; listing: string };

/** Whether the table exists and which part of mqtt-warden (if any) it belongs to. */
export async function tableOwner(run: NftRunner, name: string): Promise<TableOwnership> {
  const listing = await liveTable(run, name);
  if (listing === undefined) return { exists: false };
  const comment = tableComment(listing);
  const owner = (Object.keys(OWNER_MARK) as Part[]).find((p) => OWNER_MARK[p] === comment);
  return { exists: true, owner, comment, listing };
}

/**
 * Refuse (OwnershipError) unless table inet NAME is absent or marked as `part`'s.
 * `action` says what was about to happen ("replace", "delete", "flush"), for the message.
 */
export function assertOwned(t: TableOwnership, name: string, part: Part, action: string): void {
  if (!t.exists || t.owner === part) return;
  const other = t.owner ? `mqtt-warden ${t.owner}` : undefined;
  const hint = part === 'ports' ? 'choose another --table for the port plan' : 'choose another table for the guard (--table, ban.table)';
  if (other) {
    throw new OwnershipError(`refusing to ${action} table inet ${name}: it belongs to ${other} (comment "${OWNER_MARK[t.owner!]}"), not to mqtt-warden ${part}; ${hint}`);
  }
  throw new OwnershipError(
    `refusing to ${action} table inet ${name}: it carries no mqtt-warden owner mark (${t.comment === undefined ? 'no table comment' : `comment "${t.comment}"`}; ` +
      `mqtt-warden ${part} marks its tables with comment "${OWNER_MARK[part]}"), so something else made it — or an mqtt-warden before table marks. ` +
      `Look at it (nft list table inet ${name}) and delete it yourself (nft delete table inet ${name}) if mqtt-warden may replace it, or ${hint}`,
  );
}

/**
 * nft's own listing of a rendered ruleset, made in a private network namespace
 * (nothing on the host changes). Needs root (or CAP_SYS_ADMIN + CAP_NET_ADMIN).
 */
export async function canonicalTable(rendered: string, name: string, timeoutMs = 10_000): Promise<string> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new FirewallError(`bad table name ${JSON.stringify(name)}`);
  try {
    // One namespace for both nft calls; the name goes in as "$1", never into the script text.
    const script = 'nft -f - && nft list table inet "$1"';
    return (await runCommand('unshare', ['--net', 'sh', '-c', script, 'sh', name], { input: rendered, timeoutMs })).stdout;
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

export function unifiedDiff(name: string, live: string | undefined, wanted: string | undefined): string {
  return createTwoFilesPatch(live === undefined ? '/dev/null' : `live: inet ${name}`, wanted === undefined ? '/dev/null' : `planned: inet ${name}`, live ?? '', wanted ?? '', '', '', { context: 3 });
}

export async function diffTable(run: NftRunner, rendered: string, name: string): Promise<TableDiff> {
  const [live, wanted] = await Promise.all([liveTable(run, name), canonicalTable(rendered, name)]);
  const equal = live === wanted;
  const diff = equal ? '' : unifiedDiff(name, live, wanted);
  return { name, ...(live !== undefined && { live }), wanted, equal, diff };
}

/** Load the rendered ruleset (atomic: one nft transaction). Check ownership first (tableOwner + assertOwned). */
export async function applyTable(run: NftRunner, rendered: string): Promise<void> {
  await run(['-f', '-'], rendered);
}

/** Delete the table if it belongs to `part`; false when it was not there (idempotent); OwnershipError when it is not `part`'s. */
export async function removeTable(run: NftRunner, name: string, part: Part): Promise<boolean> {
  const t = await tableOwner(run, name);
  if (!t.exists) return false;
  assertOwned(t, name, part, 'delete');
  await run(['delete', 'table', 'inet', name]);
  return true;
}
