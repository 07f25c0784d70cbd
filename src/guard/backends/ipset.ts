/**
 * iptables + ipset backend: sets `<table>_v4` / `<table>_v6` (hash:ip with a
 * default timeout, so entries expire in the kernel) and one rule per family at
 * the top of INPUT. `ipset add -exist` refreshes an entry's timeout.
 */
import { familyOf } from '../ip.js';
import { CommandError, runCommand } from './run.js';
import type { BanBackend, BanEntry, ListedBan } from './types.js';

export interface IpsetOptions {
  table: string;
  ports: number[];
  action: 'reject' | 'drop';
}

export class IpsetBackend implements BanBackend {
  readonly name = 'ipset';
  constructor(private readonly o: IpsetOptions) {}

  private set(family: 4 | 6): string {
    return `${this.o.table}_v${family}`;
  }

  private rule(family: 4 | 6): string[] {
    const ports = this.o.ports.length ? ['-p', 'tcp', '-m', 'multiport', '--dports', this.o.ports.join(',')] : [];
    return [...ports, '-m', 'set', '--match-set', this.set(family), 'src', '-j', this.o.action === 'drop' ? 'DROP' : 'REJECT'];
  }

  async init(): Promise<void> {
    for (const family of [4, 6] as const) {
      await runCommand('ipset', ['create', this.set(family), 'hash:ip', 'family', family === 4 ? 'inet' : 'inet6', 'timeout', '600', '-exist']);
      const ipt = family === 4 ? 'iptables' : 'ip6tables';
      try {
        await runCommand(ipt, ['-w', '-C', 'INPUT', ...this.rule(family)]);
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        await runCommand(ipt, ['-w', '-I', 'INPUT', '1', ...this.rule(family)]);
      }
    }
  }

  async ban(entries: BanEntry[]): Promise<void> {
    if (!entries.length) return;
    const script = entries.map((e) => `add ${this.set(familyOf(e.ip))} ${e.ip} timeout ${Math.max(1, Math.round(e.seconds))} -exist`).join('\n');
    await runCommand('ipset', ['restore'], `${script}\n`);
  }

  async unban(ip: string): Promise<void> {
    await runCommand('ipset', ['del', this.set(familyOf(ip)), ip, '-exist']);
  }

  async list(): Promise<ListedBan[]> {
    const out: ListedBan[] = [];
    for (const family of [4, 6] as const) {
      const text = await runCommand('ipset', ['list', this.set(family), '-output', 'plain']);
      const members = text.split('\nMembers:\n')[1] ?? '';
      for (const line of members.split('\n')) {
        const m = /^(\S+)(?: timeout (\d+))?/.exec(line.trim());
        if (m) out.push({ ip: m[1]!, ...(m[2] ? { expiresIn: Number(m[2]) * 1000 } : {}) });
      }
    }
    return out;
  }

  async remove(): Promise<void> {
    for (const family of [4, 6] as const) {
      const ipt = family === 4 ? 'iptables' : 'ip6tables';
      for (let i = 0; i < 10; i++) {
        try {
          await runCommand(ipt, ['-w', '-D', 'INPUT', ...this.rule(family)]);
        } catch {
          break;
        }
      }
      await runCommand('ipset', ['destroy', this.set(family)]).catch(() => undefined);
    }
  }
}
