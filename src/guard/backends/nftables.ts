/**
 * nftables backend, modelled on fail2ban's nftables action: an own table
 * (family inet), one chain on the input hook at priority -1 (before the usual
 * filter chains at 0), and two address sets `ipv4_addr` / `ipv6_addr` with
 * `flags timeout`. Every ban is an element with its own timeout, so the kernel
 * lifts it even when the daemon is dead. All changes go through `nft -f -`
 * scripts, one atomic transaction per call.
 */
import { familyOf } from '../ip.js';
import { runCommand } from './run.js';
import type { BanBackend, BanEntry, ListedBan } from './types.js';

export interface NftOptions {
  table: string;
  /** TCP destination ports the ban applies to; empty = all traffic. */
  ports: number[];
  action: 'reject' | 'drop';
  nft?: string;
}

interface NftSetJson {
  nftables: { set?: { elem?: (string | { elem: { val: string; timeout?: number; expires?: number } })[] } }[];
}

export class NftBackend implements BanBackend {
  readonly name = 'nftables';
  private readonly nft: string;
  constructor(private readonly o: NftOptions) {
    this.nft = o.nft ?? 'nft';
  }

  private script(lines: string[]): Promise<string> {
    return runCommand(this.nft, ['-f', '-'], `${lines.join('\n')}\n`);
  }

  /** Idempotent: `add` keeps what exists (and the banned elements); the chain's rules are rewritten. */
  async init(): Promise<void> {
    const t = `inet ${this.o.table}`;
    const match = this.o.ports.length ? ` tcp dport { ${this.o.ports.join(', ')} }` : '';
    await this.script([
      `add table ${t}`,
      `add set ${t} ipv4_addr { type ipv4_addr; flags timeout; }`,
      `add set ${t} ipv6_addr { type ipv6_addr; flags timeout; }`,
      `add chain ${t} input { type filter hook input priority -1; policy accept; }`,
      `flush chain ${t} input`,
      `add rule ${t} input ip saddr @ipv4_addr${match} ${this.o.action}`,
      `add rule ${t} input ip6 saddr @ipv6_addr${match} ${this.o.action}`,
    ]);
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
    await this.script(lines);
  }

  async unban(ip: string): Promise<void> {
    const set = `inet ${this.o.table} ${familyOf(ip) === 4 ? 'ipv4_addr' : 'ipv6_addr'}`;
    await this.script([`add element ${set} { ${ip} timeout 1s }`, `delete element ${set} { ${ip} }`]);
  }

  async list(): Promise<ListedBan[]> {
    const out: ListedBan[] = [];
    for (const set of ['ipv4_addr', 'ipv6_addr']) {
      const json = JSON.parse(await runCommand(this.nft, ['-j', 'list', 'set', 'inet', this.o.table, set])) as NftSetJson;
      for (const item of json.nftables) {
        for (const el of item.set?.elem ?? []) {
          if (typeof el === 'string') out.push({ ip: el });
          else out.push({ ip: el.elem.val, ...(el.elem.expires !== undefined ? { expiresIn: el.elem.expires } : {}) });
        }
      }
    }
    return out;
  }

  async remove(): Promise<void> {
    // "add" first so that deleting an absent table is not an error.
    await this.script([`add table inet ${this.o.table}`, `delete table inet ${this.o.table}`]);
  }
}
