/** `log-only` (and --dry-run): bans (addresses and networks, as CIDR) are logged and remembered in memory, nothing reaches the firewall. */
import type { BanBackend, BanEntry, ListedBan } from './types.js';

export class LogOnlyBackend implements BanBackend {
  readonly name = 'log-only';
  private readonly bans = new Map<string, number>();
  async init(): Promise<void> {}
  async ban(entries: BanEntry[]): Promise<void> {
    for (const e of entries) this.bans.set(e.ip, Date.now() + e.seconds * 1000);
  }
  async unban(ip: string): Promise<void> {
    this.bans.delete(ip);
  }
  async list(): Promise<ListedBan[]> {
    const now = Date.now();
    return [...this.bans].filter(([, until]) => until > now).map(([ip, until]) => ({ ip, expiresIn: Math.round((until - now) / 1000) }));
  }
  async describeRemove(): Promise<string[]> {
    return [];
  }
  async remove(): Promise<void> {
    this.bans.clear();
  }
}
