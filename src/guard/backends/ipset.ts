/**
 * iptables + ipset backend: sets `<table>_v4` / `<table>_v6` (hash:ip with a
 * default timeout, so entries expire in the kernel), `<table>_net4` /
 * `<table>_net6` (hash:net, the same, for bans of whole networks, detect.subnet)
 * and, per family, a chain of its own (`<TABLE>`, upper case) holding the two
 * ban rules, entered by one jump at the top of INPUT. `ipset add -exist`
 * refreshes an entry's timeout.
 *
 * Ownership: the chain's rules and the jump carry the comment "mqtt-warden
 * guard"; the sets are created with the `comment` extension (a set of that
 * name without it is not the guard's). Before the guard rewrites or removes
 * its chain or sets it checks them, and refuses when they belong to the port
 * plan (whose iptables chain carries "mqtt-warden ports") or to nobody known.
 */
import { OWNER_MARK } from '../../firewall/marks.js';
import { CommandError, FirewallError, runCommand } from '../../firewall/run.js';
import { familyOf, isCidr } from '../ip.js';
import type { BanBackend, BanEntry, ListedBan } from './types.js';

export interface IpsetOptions {
  table: string;
  ports: number[];
  action: 'reject' | 'drop';
}

type Family = 4 | 6;
/** addr: hash:ip sets of addresses; net: hash:net sets of networks. */
type Kind = 'addr' | 'net';
const KINDS = ['addr', 'net'] as const;
const MARK = OWNER_MARK.guard;
const MARK_ARGS = ['-m', 'comment', '--comment', MARK];

interface ChainState {
  exists: boolean;
  rules: string[];
  /** INPUT rules that jump into the chain. */
  jumps: string[];
}

interface SetState {
  exists: boolean;
  ours: boolean;
  header: string;
}

export class IpsetBackend implements BanBackend {
  readonly name = 'ipset';
  constructor(private readonly o: IpsetOptions) {}

  private set(family: Family, kind: Kind = 'addr'): string {
    return kind === 'addr' ? `${this.o.table}_v${family}` : `${this.o.table}_net${family}`;
  }

  private setOf(target: string): string {
    return this.set(familyOf(target.split('/')[0]!), isCidr(target) ? 'net' : 'addr');
  }

  private get chain(): string {
    return this.o.table.toUpperCase().slice(0, 28);
  }

  private ipt(family: Family): string {
    return family === 4 ? 'iptables' : 'ip6tables';
  }

  private ruleSpec(family: Family, kind: Kind): string[] {
    const ports = this.o.ports.length ? ['-p', 'tcp', '-m', 'multiport', '--dports', this.o.ports.join(',')] : [];
    return [...ports, '-m', 'set', '--match-set', this.set(family, kind), 'src', ...MARK_ARGS, '-j', this.o.action === 'drop' ? 'DROP' : 'REJECT'];
  }

  private jumpSpec(): string[] {
    return [...MARK_ARGS, '-j', this.chain];
  }

  private async chainState(family: Family): Promise<ChainState> {
    const all = (await runCommand(this.ipt(family), ['-w', '5', '-S'])).stdout.split('\n');
    const c = this.chain;
    return {
      exists: all.includes(`-N ${c}`),
      rules: all.filter((l) => l.startsWith(`-A ${c} `)),
      jumps: all.filter((l) => l.startsWith('-A INPUT ') && new RegExp(`-j ${c}(?: |$)`).test(l)),
    };
  }

  private async setState(family: Family, kind: Kind = 'addr'): Promise<SetState> {
    try {
      const header = (await runCommand('ipset', ['list', '-t', this.set(family, kind)])).stdout;
      const ours = new RegExp(`^Type: hash:${kind === 'addr' ? 'ip' : 'net'}$`, 'm').test(header) && /^Header: .*\btimeout \d+.*\bcomment\b/m.test(header);
      return { exists: true, ours, header };
    } catch (e) {
      if (e instanceof CommandError && /does not exist/.test(e.stderr)) return { exists: false, ours: false, header: '' };
      throw e;
    }
  }

  /** Refuse unless the chain (and the jumps into it) and the sets are absent or the guard's. */
  private async checkOwnership(action: string): Promise<{ chains: Record<Family, ChainState>; sets: Record<Family, SetState>; nets: Record<Family, SetState> }> {
    const chains = { 4: await this.chainState(4), 6: await this.chainState(6) };
    const sets = { 4: await this.setState(4), 6: await this.setState(6) };
    const nets = { 4: await this.setState(4, 'net'), 6: await this.setState(6, 'net') };
    const quoted = `--comment "${MARK}"`;
    for (const family of [4, 6] as const) {
      const c = chains[family];
      const foreign = [...c.rules, ...c.jumps].filter((l) => !l.includes(quoted));
      if (foreign.length || (c.exists && !c.rules.length)) {
        const ports = [...c.rules, ...c.jumps].some((l) => l.includes(`--comment "${OWNER_MARK.ports}"`));
        throw new FirewallError(
          `refusing to ${action} ${this.ipt(family)} chain ${this.chain}: ${ports ? 'it belongs to mqtt-warden ports' : `it is not marked as mqtt-warden guard's (rules without --comment "${MARK}")`}` +
            `${foreign.length ? `: ${foreign[0]}` : ' (an empty chain)'}; choose another table for the guard (--table, ban.table)`,
        );
      }
      for (const kind of KINDS) {
        const s = (kind === 'addr' ? sets : nets)[family];
        if (s.exists && !s.ours) {
          throw new FirewallError(
            `refusing to ${action} ipset ${this.set(family, kind)}: it is not the guard's (the guard's sets are hash:${kind === 'addr' ? 'ip' : 'net'} with timeout and comment; found ${s.header.split('\n').filter((l) => /^(Type|Header):/.test(l)).join(', ')}); ` +
              `choose another table for the guard (--table, ban.table) or destroy the set yourself (ipset destroy ${this.set(family, kind)})`,
          );
        }
      }
    }
    return { chains, sets, nets };
  }

  async init(): Promise<void> {
    const { chains } = await this.checkOwnership('take over');
    for (const family of [4, 6] as const) {
      for (const kind of KINDS) {
        await runCommand('ipset', ['create', this.set(family, kind), kind === 'addr' ? 'hash:ip' : 'hash:net', 'family', family === 4 ? 'inet' : 'inet6', 'timeout', '600', 'comment', '-exist']);
      }
      // Declaring the chain in a --noflush restore creates or flushes it, then the rules go in: one transaction, only this chain.
      const rules = KINDS.map((kind) => `-A ${this.chain} ${this.ruleSpec(family, kind).map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
      const restore = ['*filter', `:${this.chain} - [0:0]`, ...rules, 'COMMIT', ''].join('\n');
      await runCommand(`${this.ipt(family)}-restore`, ['-w', '5', '--noflush'], { input: restore });
      if (!chains[family].jumps.length) await runCommand(this.ipt(family), ['-w', '5', '-I', 'INPUT', '1', ...this.jumpSpec()]);
    }
  }

  async ban(entries: BanEntry[]): Promise<void> {
    if (!entries.length) return;
    const script = entries.map((e) => `add ${this.setOf(e.ip)} ${e.ip} timeout ${Math.max(1, Math.round(e.seconds))} -exist`).join('\n');
    await runCommand('ipset', ['restore'], { input: `${script}\n` });
  }

  async unban(ip: string): Promise<void> {
    const family = familyOf(ip.split('/')[0]!);
    const s = await this.setState(family, isCidr(ip) ? 'net' : 'addr');
    if (!s.exists) return;
    if (!s.ours) await this.checkOwnership('unban in');
    await runCommand('ipset', ['del', this.setOf(ip), ip, '-exist']);
  }

  async list(): Promise<ListedBan[]> {
    const out: ListedBan[] = [];
    for (const [family, kind] of [[4, 'addr'], [6, 'addr'], [4, 'net'], [6, 'net']] as const) {
      // The network sets are missing until the daemon has started once with this version.
      if (kind === 'net' && !(await this.setState(family, kind)).exists) continue;
      const text = (await runCommand('ipset', ['list', this.set(family, kind), '-output', 'plain'])).stdout;
      const members = text.split('\nMembers:\n')[1] ?? '';
      for (const line of members.split('\n')) {
        const m = /^(\S+)(?: timeout (\d+))?/.exec(line.trim());
        if (m) out.push({ ip: m[1]!, ...(m[2] ? { expiresIn: Number(m[2]) } : {}) });
      }
    }
    return out;
  }

  async describeRemove(): Promise<string[]> {
    const { chains, sets, nets } = await this.checkOwnership('delete');
    const out: string[] = [];
    for (const family of [4, 6] as const) {
      for (const j of chains[family].jumps) out.push(`${this.ipt(family)}: delete rule ${j}`);
      if (chains[family].exists) out.push(`${this.ipt(family)}: delete chain ${this.chain} (${chains[family].rules.length} rule(s))`);
      for (const kind of KINDS) {
        const s = (kind === 'addr' ? sets : nets)[family];
        if (s.exists) out.push(`ipset: destroy ${this.set(family, kind)} (${/^Number of entries: (\d+)/m.exec(s.header)?.[1] ?? '?'} entries)`);
      }
    }
    return out;
  }

  async remove(): Promise<void> {
    const { chains, sets, nets } = await this.checkOwnership('delete');
    for (const family of [4, 6] as const) {
      const ipt = this.ipt(family);
      // Bounded: one delete per jump found (each removes one copy).
      for (let i = 0; i < chains[family].jumps.length; i++) await runCommand(ipt, ['-w', '5', '-D', 'INPUT', ...this.jumpSpec()]);
      if (chains[family].exists) {
        await runCommand(ipt, ['-w', '5', '-F', this.chain]);
        await runCommand(ipt, ['-w', '5', '-X', this.chain]);
      }
      // After the chain: a set still referenced by a rule cannot be destroyed.
      if (sets[family].exists) await runCommand('ipset', ['destroy', this.set(family)]);
      if (nets[family].exists) await runCommand('ipset', ['destroy', this.set(family, 'net')]);
    }
  }
}
