/**
 * Firewall rulesets reduced to input-hook chains (see FwChain), from nftables
 * (`nft -j list ruleset`), iptables/ip6tables (`iptables-save`), ufw and
 * firewalld on the live host; offline, from the persisted rules
 * (etc/iptables/rules.v4|v6, etc/sysconfig/iptables, ufw's user.rules and
 * defaults). The reduction keeps what reachability of a port from an arbitrary
 * source needs; `reachability()` (pure) evaluates it.
 */
import { explain } from '../../firewall/run.js';
import { findProgram, readSys, existsSys, run, type RunResult, type SysRoot } from './sysroot.js';
import type { FirewallState, FwChain, FwRule } from './types.js';

type Json = Record<string, unknown>;

function portsOf(right: unknown): number[] | undefined {
  if (typeof right === 'number') return [right];
  if (typeof right === 'string' && /^\d+$/.test(right)) return [Number(right)];
  if (right && typeof right === 'object') {
    const o = right as Json;
    if (Array.isArray(o.set)) return o.set.flatMap((x) => portsOf(x) ?? []);
    if (Array.isArray(o.range) && o.range.length === 2) {
      const [a, b] = o.range.map(Number) as [number, number];
      if (b - a <= 70000) return Array.from({ length: b - a + 1 }, (_, i) => a + i);
    }
  }
  return undefined;
}

function asList(right: unknown): string[] {
  if (typeof right === 'string') return [right];
  if (Array.isArray(right)) return right.map(String);
  if (right && typeof right === 'object' && Array.isArray((right as Json).set)) return ((right as Json).set as unknown[]).map(String);
  return [];
}

/** One nftables JSON rule → FwRule. */
export function nftRule(expr: Json[]): FwRule {
  const rule: FwRule = { restricted: false, establishedOnly: false, loopbackOnly: false, verdict: 'continue', text: '' };
  const text: string[] = [];
  for (const e of expr) {
    if ('match' in e) {
      const m = e.match as Json;
      const left = (m.left ?? {}) as Json;
      const op = String(m.op ?? '==');
      const payload = left.payload as Json | undefined;
      const meta = left.meta as Json | undefined;
      const ct = left.ct as Json | undefined;
      if (payload && payload.field === 'dport' && op === '==') {
        rule.dports = portsOf(m.right);
        if (payload.protocol === 'tcp' || payload.protocol === 'udp') rule.proto = payload.protocol;
        text.push(`${payload.protocol} dport ${JSON.stringify(m.right)}`);
      } else if (payload && (payload.field === 'saddr' || payload.field === 'sport')) {
        rule.restricted = true;
        text.push(`${payload.protocol} ${payload.field} ${op} ${JSON.stringify(m.right)}`);
      } else if (meta && (meta.key === 'iifname' || meta.key === 'iif')) {
        const names = asList(m.right);
        if (op === '==' && names.length && names.every((n) => n === 'lo')) rule.loopbackOnly = true;
        else rule.restricted = true;
        text.push(`${meta.key} ${op} ${names.join(',')}`);
      } else if (meta && (meta.key === 'l4proto' || meta.key === 'protocol') && op === '==') {
        const p = asList(m.right)[0];
        rule.proto = p === 'tcp' || p === 'udp' ? p : 'other';
        text.push(`${meta.key} ${p}`);
      } else if (ct && ct.key === 'state') {
        const states = asList(m.right);
        if (op === '==' || op === 'in') rule.establishedOnly = !states.includes('new') && !states.includes('untracked');
        text.push(`ct state ${states.join(',')}`);
      } else {
        // Another match (marks, addresses of destination, …): it narrows the rule in an unknown way.
        rule.restricted = true;
        text.push('match …');
      }
    } else if ('accept' in e) rule.verdict = 'accept';
    else if ('drop' in e) rule.verdict = 'drop';
    else if ('reject' in e) rule.verdict = 'reject';
    else if ('jump' in e) rule.verdict = { jump: String((e.jump as Json).target) };
    else if ('goto' in e) rule.verdict = { goto: String((e.goto as Json).target) };
    else if ('return' in e) rule.verdict = 'return';
    else if ('queue' in e) rule.verdict = 'unknown';
    if (typeof rule.verdict === 'string') text.push(rule.verdict === 'continue' ? '' : rule.verdict);
    else text.push('jump' in rule.verdict ? `jump ${rule.verdict.jump}` : `goto ${rule.verdict.goto}`);
  }
  rule.text = [...new Set(text.filter(Boolean))].join(' ');
  return rule;
}

/** `nft -j list ruleset` output → chains; chains of the same table keep their names qualified by table. */
export function parseNftJson(text: string): FwChain[] {
  const doc = JSON.parse(text) as { nftables?: Json[] };
  if (!Array.isArray(doc.nftables)) throw new Error('no "nftables" array in nft -j output');
  const chains = new Map<string, FwChain>();
  const key = (family: unknown, table: unknown, name: unknown) => `${String(family)} ${String(table)} ${String(name)}`;
  for (const item of doc.nftables) {
    if ('chain' in item) {
      const c = item.chain as Json;
      const family = c.family === 'ip' || c.family === 'ip6' || c.family === 'inet' ? c.family : 'other';
      chains.set(key(c.family, c.table, c.name), {
        name: key(c.family, c.table, c.name),
        input: c.hook === 'input' && (c.type === undefined || c.type === 'filter'),
        family,
        ...(c.hook === 'input' && { policy: c.policy === 'drop' ? 'drop' : 'accept' }),
        rules: [],
      });
    } else if ('rule' in item) {
      const r = item.rule as Json;
      const chain = chains.get(key(r.family, r.table, r.chain));
      if (!chain) continue;
      const rule = nftRule(Array.isArray(r.expr) ? (r.expr as Json[]) : []);
      // Jumps are qualified by the rule's table.
      if (typeof rule.verdict === 'object') {
        const target = 'jump' in rule.verdict ? rule.verdict.jump : rule.verdict.goto;
        rule.verdict = 'jump' in rule.verdict ? { jump: key(r.family, r.table, target) } : { goto: key(r.family, r.table, target) };
      }
      chain.rules.push(rule);
    }
  }
  return [...chains.values()];
}

/** `iptables-save` (or a persisted rules file / ufw user.rules) → chains of the filter table. */
export function parseIptablesSave(text: string, family: 'ip' | 'ip6', prefix = ''): FwChain[] {
  const chains = new Map<string, FwChain>();
  let inFilter = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      inFilter = line === '*filter';
      continue;
    }
    if (!inFilter || !line || line.startsWith('#') || line === 'COMMIT') continue;
    const decl = /^:(\S+)\s+(\S+)/.exec(line);
    if (decl) {
      const name = `${prefix}${decl[1]}`;
      chains.set(name, { name, input: decl[1] === 'INPUT', family, ...(decl[1] === 'INPUT' && { policy: decl[2] === 'DROP' ? 'drop' : 'accept' }), rules: [] });
      continue;
    }
    const m = /^-A\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const chainName = `${prefix}${m[1]}`;
    let chain = chains.get(chainName);
    if (!chain) {
      chain = { name: chainName, input: false, family, rules: [] };
      chains.set(chainName, chain);
    }
    const args = m[2]!.split(/\s+/);
    const rule: FwRule = { restricted: false, establishedOnly: false, loopbackOnly: false, verdict: 'continue', text: m[2]! };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const v = args[i + 1];
      const negated = args[i - 1] === '!';
      if (a === '-p' || a === '--protocol') rule.proto = v === 'tcp' || v === 'udp' ? v : 'other';
      else if (a === '--dport' || a === '--destination-port') rule.dports = rangePorts(v);
      else if (a === '--dports' || a === '--destination-ports') rule.dports = (v ?? '').split(',').flatMap((x) => rangePorts(x) ?? []);
      else if (a === '-s' || a === '--source' || a === '--src-range' || a === '--match-set' || a === '--sport' || a === '--sports') rule.restricted = true;
      else if (a === '-i' || a === '--in-interface') {
        if (v === 'lo' && !negated) rule.loopbackOnly = true;
        else rule.restricted = true;
      } else if (a === '--ctstate' || a === '--state') {
        const states = (v ?? '').split(',');
        rule.establishedOnly = !negated && !states.includes('NEW') && !states.includes('UNTRACKED') && !states.includes('INVALID');
      } else if (a === '-j' || a === '-g') {
        const t = v ?? '';
        rule.verdict = t === 'ACCEPT' ? 'accept' : t === 'DROP' ? 'drop' : t === 'REJECT' ? 'reject' : t === 'RETURN' ? 'return' : t === 'LOG' ? 'continue' : a === '-g' ? { goto: `${prefix}${t}` } : { jump: `${prefix}${t}` };
      } else if (a === '--limit' || a === '--hashlimit' || a === '--mark' || a === '-d' || a === '--destination') rule.restricted = true;
    }
    chain.rules.push(rule);
  }
  return [...chains.values()];
}

function rangePorts(v: string | undefined): number[] | undefined {
  if (!v) return undefined;
  const m = /^(\d+)(?::(\d+))?$/.exec(v);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return b - a <= 70000 ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : undefined;
}

export type Reach = 'everywhere' | 'restricted' | 'blocked' | 'unknown';

function evalChain(chains: Map<string, FwChain>, chain: FwChain, port: number, proto: 'tcp' | 'udp', depth: number, state: { restrictedAccept: boolean; unknown: boolean }): 'accept' | 'drop' | 'return' {
  for (const r of chain.rules) {
    if (r.establishedOnly || r.loopbackOnly) continue;
    if (r.proto && r.proto !== proto) continue;
    if (r.dports && !r.dports.includes(port)) continue;
    const v = r.verdict;
    if (r.restricted) {
      // Some sources match: for them the verdict applies, the others go on.
      if (v === 'accept') state.restrictedAccept = true;
      if (typeof v === 'object' || v === 'unknown') state.unknown = state.unknown || v === 'unknown';
      continue;
    }
    if (v === 'accept') return 'accept';
    if (v === 'drop' || v === 'reject') return 'drop';
    if (v === 'return') return 'return';
    if (v === 'unknown') {
      state.unknown = true;
      continue;
    }
    if (typeof v === 'object') {
      const target = chains.get('jump' in v ? v.jump : v.goto);
      if (!target || depth > 16) {
        state.unknown = true;
        continue;
      }
      const res = evalChain(chains, target, port, proto, depth + 1, state);
      if (res !== 'return') return res;
      if ('goto' in v) return 'return';
    }
  }
  return 'return';
}

/**
 * Whether a new connection to `port` from an arbitrary remote source passes the
 * input chains, per address family (IPv4 and IPv6 are separate paths: inet chains
 * apply to both); the port is as reachable as its most open family.
 */
export function reachability(fw: FirewallState, port: number, proto: 'tcp' | 'udp' = 'tcp'): { reach: Reach; by: string } {
  const active = fw.backends.filter((b) => b.chains.some((c) => c.input));
  if (!active.length) {
    const opaque = fw.backends.find((b) => b.active);
    return opaque ? { reach: 'unknown', by: `${opaque.name} is active but its rules could not be evaluated (${opaque.detail})` } : { reach: 'everywhere', by: 'no input filtering' };
  }
  const perFamily = (['ip', 'ip6'] as const).map((family) => {
    const name = family === 'ip' ? 'IPv4' : 'IPv6';
    let restricted = false;
    let unknown = false;
    let any = false;
    for (const b of active) {
      const chains = new Map(b.chains.map((c) => [c.name, c]));
      for (const c of b.chains.filter((x) => x.input && (x.family === family || x.family === 'inet'))) {
        any = true;
        const state = { restrictedAccept: false, unknown: false };
        const res = evalChain(chains, c, port, proto, 0, state);
        const final = res === 'return' ? (c.policy ?? 'accept') : res;
        if (final === 'drop') {
          if (state.restrictedAccept) restricted = true;
          else return { reach: 'blocked' as Reach, by: `${name}: ${b.name} chain ${c.name}` };
        }
        unknown ||= state.unknown;
      }
    }
    if (!any) return { reach: 'everywhere' as Reach, by: `${name}: no input filtering` };
    if (restricted) return { reach: 'restricted' as Reach, by: `${name}: accepted only from some sources` };
    if (unknown) return { reach: 'unknown' as Reach, by: `${name}: a rule could not be evaluated` };
    return { reach: 'everywhere' as Reach, by: `${name}: ${active.map((b) => b.name).join(', ')} accept it` };
  });
  const order: Reach[] = ['everywhere', 'unknown', 'restricted', 'blocked'];
  const worst = [...perFamily].sort((a, b) => order.indexOf(a.reach) - order.indexOf(b.reach))[0]!;
  return { reach: worst.reach, by: perFamily.map((f) => f.by).join('; ') };
}

/** Why a firewall read failed: the tool's message, with its meaning when known (e.g. no permission). */
function failure(bin: string, res: RunResult): string {
  if (!res.ok) return res.error;
  const why = explain(bin, res.stderr);
  const msg = res.stderr.trim() || `exit status ${res.code}`;
  return why ? `${why.meaning} (${msg})` : msg;
}

async function nft(r: SysRoot, fw: FirewallState) {
  const bin = await findProgram(r, 'nft');
  fw.looked.push(bin ? `${bin} -j list ruleset` : 'nft (not installed)');
  if (!bin) return;
  const res = await run(bin, ['-j', 'list', 'ruleset'], r.timeoutMs);
  if (!res.ok || res.code !== 0) {
    fw.backends.push({ name: 'nftables', active: false, detail: `nft -j list ruleset failed: ${failure(bin, res)}`, chains: [] });
    return;
  }
  const chains = parseNftJson(res.stdout);
  fw.backends.push({ name: 'nftables', active: chains.some((c) => c.input), detail: `${chains.length} chain(s), ${chains.filter((c) => c.input).length} on the input hook`, chains });
}

async function iptables(r: SysRoot, fw: FirewallState, tool: 'iptables' | 'ip6tables') {
  const bin = await findProgram(r, `${tool}-save`);
  fw.looked.push(bin ? `${bin}` : `${tool}-save (not installed)`);
  if (!bin) return;
  const res = await run(bin, [], r.timeoutMs);
  if (!res.ok || res.code !== 0) {
    fw.backends.push({ name: tool, active: false, detail: `${tool}-save failed: ${failure(bin, res)}`, chains: [] });
    return;
  }
  const chains = parseIptablesSave(res.stdout, tool === 'iptables' ? 'ip' : 'ip6');
  const input = chains.find((c) => c.input);
  // The empty default (INPUT ACCEPT, no rules) is no filtering; nft-backed rules also show in nft.
  const active = Boolean(input && (input.policy === 'drop' || input.rules.length));
  fw.backends.push({ name: tool, active, detail: input ? `INPUT policy ${input.policy?.toUpperCase()}, ${input.rules.length} rule(s)` : 'no filter table', chains: active ? chains : [] });
}

async function ufwLive(r: SysRoot, fw: FirewallState) {
  const bin = await findProgram(r, 'ufw');
  fw.looked.push(bin ? `${bin} status verbose` : 'ufw (not installed)');
  if (!bin) return;
  const res = await run(bin, ['status', 'verbose'], r.timeoutMs);
  if (!res.ok) return;
  const active = /Status:\s*active/.test(res.stdout);
  const def = /Default:\s*([^\n]+)/.exec(res.stdout)?.[1] ?? '';
  // ufw's rules live in iptables/nftables and are evaluated there.
  fw.backends.push({ name: 'ufw', active, detail: active ? `active, ${def}` : 'inactive', chains: [] });
}

async function firewalldLive(r: SysRoot, fw: FirewallState) {
  const bin = await findProgram(r, 'firewall-cmd');
  fw.looked.push(bin ? `${bin} --state` : 'firewall-cmd (not installed)');
  if (!bin) return;
  const res = await run(bin, ['--state'], r.timeoutMs);
  const active = res.ok && /running/.test(res.stdout);
  fw.backends.push({ name: 'firewalld', active, detail: active ? 'running (rules evaluated through nftables/iptables)' : 'not running', chains: [] });
}

async function persisted(r: SysRoot, fw: FirewallState) {
  for (const [file, family] of [
    ['/etc/iptables/rules.v4', 'ip'],
    ['/etc/iptables/rules.v6', 'ip6'],
    ['/etc/sysconfig/iptables', 'ip'],
    ['/etc/sysconfig/ip6tables', 'ip6'],
  ] as const) {
    fw.looked.push(file);
    const res = await readSys(r, file);
    if (!res.ok) continue;
    const chains = parseIptablesSave(res.text, family);
    const input = chains.find((c) => c.input);
    fw.backends.push({
      name: family === 'ip' ? 'iptables' : 'ip6tables',
      active: Boolean(input && (input.policy === 'drop' || input.rules.length)),
      detail: `persisted in ${file}${input ? `: INPUT policy ${input.policy?.toUpperCase()}, ${input.rules.length} rule(s)` : ': no INPUT chain'}`,
      chains,
    });
  }
  // ufw: enabled flag, default input policy, and the user rules (iptables-restore format).
  fw.looked.push('/etc/ufw/ufw.conf');
  const conf = await readSys(r, '/etc/ufw/ufw.conf');
  if (conf.ok) {
    const enabled = /^\s*ENABLED\s*=\s*"?yes"?/im.test(conf.text);
    const defaults = await readSys(r, '/etc/default/ufw');
    const policy = defaults.ok ? /^\s*DEFAULT_INPUT_POLICY\s*=\s*"?(\w+)"?/m.exec(defaults.text)?.[1] ?? 'DROP' : 'DROP';
    const user = await readSys(r, '/etc/ufw/user.rules');
    const userChains = user.ok ? parseIptablesSave(user.text, 'ip') : [];
    // IPV6=yes (the default) filters IPv6 with the same policy; user6.rules mirror user.rules for "any" rules.
    const v6 = !(defaults.ok && /^\s*IPV6\s*=\s*"?no/im.test(defaults.text));
    const input: FwChain = {
      name: 'ufw-input',
      input: true,
      family: v6 ? 'inet' : 'ip',
      policy: policy === 'ACCEPT' ? 'accept' : 'drop',
      rules: [{ restricted: false, establishedOnly: false, loopbackOnly: false, verdict: { jump: 'ufw-user-input' }, text: '-j ufw-user-input' }],
    };
    fw.backends.push({ name: 'ufw', active: enabled, detail: `${enabled ? 'enabled' : 'disabled'} in /etc/ufw/ufw.conf, default input policy ${policy}`, chains: enabled ? [input, ...userChains] : [] });
  }
  fw.looked.push('/etc/nftables.conf');
  if (await existsSys(r, '/etc/nftables.conf')) {
    const enabled = await existsSys(r, '/etc/systemd/system/sysinit.target.wants/nftables.service');
    fw.backends.push({ name: 'nftables', active: enabled, detail: `/etc/nftables.conf present${enabled ? ', service enabled' : ', service not enabled'} (nft syntax is not evaluated offline)`, chains: [] });
  }
  fw.looked.push('/etc/firewalld/firewalld.conf');
  if (await existsSys(r, '/etc/firewalld/firewalld.conf')) {
    const enabled = await existsSys(r, '/etc/systemd/system/multi-user.target.wants/firewalld.service');
    fw.backends.push({ name: 'firewalld', active: enabled, detail: `configured${enabled ? ', service enabled' : ', service not enabled'} (zones are not evaluated offline)`, chains: [] });
  }
}

export async function collectFirewall(r: SysRoot, ports: FirewallState['ports']): Promise<FirewallState> {
  const fw: FirewallState = { looked: [], source: r.live ? 'live' : 'persisted', backends: [], ports };
  if (r.live) {
    await nft(r, fw);
    await iptables(r, fw, 'iptables');
    await iptables(r, fw, 'ip6tables');
    await ufwLive(r, fw);
    await firewalldLive(r, fw);
  } else {
    await persisted(r, fw);
  }
  return fw;
}
