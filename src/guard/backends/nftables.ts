/**
 * nftables backend, modelled on fail2ban's nftables action: a table of its own
 * (family inet, default `mqtt_warden_guard`, marked `comment "mqtt-warden
 * guard"`), one chain on the input hook at priority -10 (before the port plan's
 * table at priority filter, so a ban is decided before the plan accepts), and
 * two address sets `ipv4_addr` / `ipv6_addr` with `flags timeout`. Every ban
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
import { familyOf } from '../ip.js';
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

interface NftSetJson {
  nftables: { set?: { elem?: (string | { elem: { val: string; timeout?: number; expires?: number } })[] } }[];
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
      ...(hadChain ? [`flush chain ${t} input`, `delete chain ${t} input`] : []),
      `add chain ${t} input { type filter hook input priority ${GUARD_PRIORITY}; policy accept; }`,
      `add rule ${t} input ip saddr @ipv4_addr${match} ${this.o.action}`,
      `add rule ${t} input ip6 saddr @ipv6_addr${match} ${this.o.action}`,
    ]);
    this.session?.warm();
  }

  async ban(entries: BanEntry[]): Promise<void> {
    if (!entries.length) return;
    const lines: string[] = [];
    for (const e of entries) {
      const set = `inet ${this.o.table} ${familyOf(e.ip) === 4 ? 'ipv4_addr' : 'ipv6_addr'}`;
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

  /** Deletes the element; nothing to do when the table is absent; refuses a table that is not the guard's. */
  async unban(ip: string): Promise<void> {
    const owner = await tableOwner(this.nft, this.o.table);
    if (!owner.exists) return;
    assertOwned(owner, this.o.table, 'guard', 'delete elements from');
    const set = `inet ${this.o.table} ${familyOf(ip) === 4 ? 'ipv4_addr' : 'ipv6_addr'}`;
    await this.script([`add element ${set} { ${ip} timeout 1s }`, `delete element ${set} { ${ip} }`]);
  }

  async list(): Promise<ListedBan[]> {
    const out: ListedBan[] = [];
    for (const set of ['ipv4_addr', 'ipv6_addr']) {
      const json = JSON.parse((await this.nft(['-j', 'list', 'set', 'inet', this.o.table, set])).stdout) as NftSetJson;
      for (const item of json.nftables) {
        for (const el of item.set?.elem ?? []) {
          if (typeof el === 'string') out.push({ ip: el });
          else out.push({ ip: el.elem.val, ...(el.elem.expires !== undefined ? { expiresIn: el.elem.expires } : {}) });
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
