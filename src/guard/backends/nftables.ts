/**
 * nftables backend, modelled on fail2ban's nftables action: a table of its own
 * (family inet, default `mqtt_warden_guard`, marked `comment "mqtt-warden
 * guard"`), one chain on the input hook at priority -10 (before the port plan's
 * table at priority filter, so a ban is decided before the plan accepts), and
 * two address sets `ipv4_addr` / `ipv6_addr` with `flags timeout`, and two
 * network sets `ipv4_net` / `ipv6_net` with `flags interval, timeout` for the
 * bans of whole prefixes (detect.subnet; added to an older guard table on the
 * next start, its other sets and elements untouched). Every ban
 * is an element with its own timeout, so the kernel lifts it even when the
 * daemon is dead. All changes are one atomic transaction per call: bans
 * through a long-lived `nft --interactive` (a new nft process per ban cost most
 * of the detection-to-ban latency), everything else through `nft -f -` scripts.
 *
 * Before it rewrites its chain, deletes elements or deletes the table, the
 * backend checks the table's owner mark and refuses a table that belongs to
 * the port plan (`comment "mqtt-warden ports"`) or to nobody known.
 */
import { GUARD_PRIORITY, OWNER_MARK } from '../../firewall/marks.js';
import { assertOwned, localNft, tableOwner, type NftRunner } from '../../firewall/nft.js';
import { familyOf, isCidr } from '../ip.js';
import { NftSession } from './nft-session.js';
import type { BanBackend, BanEntry, ListedBan } from './types.js';

export interface NftOptions {
  table: string;
  /** TCP destination ports the ban applies to; empty = all traffic. */
  ports: number[];
  action: 'reject' | 'drop';
  /** How nft is run (default: the local nft through the shared runner). */
  nft?: NftRunner;
}

type NftVal = string | { prefix: { addr: string; len: number } };

interface NftSetJson {
  nftables: { set?: { elem?: (NftVal | { elem: { val: NftVal; timeout?: number; expires?: number } })[] } }[];
}

/** The set a target goes into: addresses and networks apart (a network needs an interval set). */
export function nftSetOf(target: string): 'ipv4_addr' | 'ipv6_addr' | 'ipv4_net' | 'ipv6_net' {
  const v4 = familyOf(target.split('/')[0]!) === 4;
  if (isCidr(target)) return v4 ? 'ipv4_net' : 'ipv6_net';
  return v4 ? 'ipv4_addr' : 'ipv6_addr';
}

export const NFT_SETS = ['ipv4_addr', 'ipv6_addr', 'ipv4_net', 'ipv6_net'] as const;

function valText(v: NftVal): string {
  return typeof v === 'string' ? v : `${v.prefix.addr}/${v.prefix.len}`;
}

export class NftBackend implements BanBackend {
  readonly name = 'nftables';
  private readonly nft: NftRunner;
  /** Bans go through one long-lived local `nft --interactive` (see nft-session.ts); other runners get scripts. */
  private readonly session: NftSession | undefined;
  constructor(private readonly o: NftOptions) {
    this.nft = o.nft ?? localNft();
    this.session = o.nft ? undefined : new NftSession();
  }

  private async script(lines: string[]): Promise<void> {
    await this.nft(['-f', '-'], `${lines.join('\n')}\n`);
  }

  /**
   * Idempotent: the table and sets are created when missing (banned elements kept),
   * the chain is recreated with its rules. Refuses a table that is not the guard's.
   */
  async init(): Promise<void> {
    const t = `inet ${this.o.table}`;
    const owner = await tableOwner(this.nft, this.o.table);
    assertOwned(owner, this.o.table, 'guard', 'take over');
    const match = this.o.ports.length ? ` tcp dport { ${this.o.ports.join(', ')} }` : '';
    // An existing chain is deleted and recreated in the same transaction, so a changed priority is applied too.
    const hadChain = owner.exists && /^\tchain input \{$/m.test(owner.listing);
    await this.script([
      `add table ${t} { comment "${OWNER_MARK.guard}"; }`,
      `add set ${t} ipv4_addr { type ipv4_addr; flags timeout; }`,
      `add set ${t} ipv6_addr { type ipv6_addr; flags timeout; }`,
      // `add set` leaves an existing set (and its elements) as it is: idempotent on an older guard table too.
      `add set ${t} ipv4_net { type ipv4_addr; flags interval, timeout; }`,
      `add set ${t} ipv6_net { type ipv6_addr; flags interval, timeout; }`,
      ...(hadChain ? [`flush chain ${t} input`, `delete chain ${t} input`] : []),
      `add chain ${t} input { type filter hook input priority ${GUARD_PRIORITY}; policy accept; }`,
      `add rule ${t} input ip saddr @ipv4_addr${match} ${this.o.action}`,
      `add rule ${t} input ip6 saddr @ipv6_addr${match} ${this.o.action}`,
      `add rule ${t} input ip saddr @ipv4_net${match} ${this.o.action}`,
      `add rule ${t} input ip6 saddr @ipv6_net${match} ${this.o.action}`,
    ]);
    this.session?.warm();
  }

  async ban(entries: BanEntry[]): Promise<void> {
    if (!entries.length) return;
    const lines: string[] = [];
    for (const e of entries) {
      const set = `inet ${this.o.table} ${nftSetOf(e.ip)}`;
      const secs = Math.max(1, Math.round(e.seconds));
      // add (no-op if present) + delete + add: sets a fresh timeout whether or not the element existed.
      lines.push(`add element ${set} { ${e.ip} timeout 1s }`, `delete element ${set} { ${e.ip} }`, `add element ${set} { ${e.ip} timeout ${secs}s }`);
    }
    if (!this.session) return this.script(lines);
    try {
      await this.session.run(lines);
    } catch {
      // nft could not be started or refused the line: once more as a script, which is idempotent
      // (add + delete + add) and reports the cause the way every other nft call does.
      await this.script(lines);
    }
  }

  close(): void {
    this.session?.close();
  }

  /**
   * Deletes the element (an address, or a network exactly as banned); nothing to do when the table is absent;
   * refuses a table that is not the guard's.
   */
  async unban(ip: string): Promise<void> {
    const owner = await tableOwner(this.nft, this.o.table);
    if (!owner.exists) return;
    assertOwned(owner, this.o.table, 'guard', 'delete elements from');
    const name = nftSetOf(ip);
    // A guard table from before the network sets has nothing to delete there.
    if (!new RegExp(`^\\tset ${name} \\{$`, 'm').test(owner.listing)) return;
    const set = `inet ${this.o.table} ${name}`;
    await this.script([`add element ${set} { ${ip} timeout 1s }`, `delete element ${set} { ${ip} }`]);
  }

  async list(): Promise<ListedBan[]> {
    const out: ListedBan[] = [];
    for (const set of NFT_SETS) {
      let stdout: string;
      try {
        stdout = (await this.nft(['-j', 'list', 'set', 'inet', this.o.table, set])).stdout;
      } catch (e) {
        // The network sets are missing in a guard table the daemon has not started on since they came.
        if (set.endsWith('_net') && /No such file or directory/.test((e as Error).message)) continue;
        throw e;
      }
      const json = JSON.parse(stdout) as NftSetJson;
      for (const item of json.nftables) {
        for (const el of item.set?.elem ?? []) {
          if (typeof el === 'string' || !('elem' in el)) out.push({ ip: valText(el) });
          else out.push({ ip: valText(el.elem.val), ...(el.elem.expires !== undefined ? { expiresIn: el.elem.expires } : {}) });
        }
      }
    }
    return out;
  }

  async describeRemove(): Promise<string[]> {
    const owner = await tableOwner(this.nft, this.o.table);
    if (!owner.exists) return [];
    assertOwned(owner, this.o.table, 'guard', 'delete');
    return [`nft: delete table inet ${this.o.table}`, ...owner.listing.trimEnd().split('\n').map((l) => `- ${l}`)];
  }

  /** Deletes the guard's table; nothing to do when absent; refuses a table that is not the guard's. */
  async remove(): Promise<void> {
    const owner = await tableOwner(this.nft, this.o.table);
    if (!owner.exists) return;
    assertOwned(owner, this.o.table, 'guard', 'delete');
    await this.nft(['delete', 'table', 'inet', this.o.table]);
  }
}
