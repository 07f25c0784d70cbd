/**
 * Network-namespace labs for firewall and ban tests: every namespace gets one
 * veth into a bridge that lives in a hub namespace, so all members share one
 * IPv4 /24 and one IPv6 /64 and see each other's real source addresses.
 * Nothing touches the host's own network namespace except the `ip netns` names,
 * which carry a random per-lab prefix so parallel test runs never collide.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LabMember {
  /** Role given by the test, e.g. "node", "client". */
  role: string;
  /** `ip netns` name. */
  ns: string;
  ipv4: string;
  ipv6: string;
}

export interface Lab {
  members: Record<string, LabMember>;
  /** Run a command inside a member's namespace; rejects on non-zero exit. */
  exec(role: string, cmd: string, args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ stdout: string; stderr: string }>;
  /** Start a long-running process inside a member's namespace (killed by destroy()). */
  spawn(role: string, cmd: string, args: string[]): ChildProcess;
  /** Whether a TCP connection from `role` to host:port completes within timeoutMs. */
  canConnect(role: string, host: string, port: number, timeoutMs?: number): Promise<boolean>;
  /** Delete every namespace of the lab and kill the processes it started. Idempotent. */
  destroy(): Promise<void>;
}

/** Why namespaces cannot be used here, or undefined when they can. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `mwprobe${randomBytes(3).toString('hex')}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'del', probe]);
    return undefined;
  } catch (e) {
    return `ip netns is not usable: ${(e as Error).message.split('\n')[0]}`;
  }
}

async function ipIn(ns: string, args: string[]): Promise<void> {
  await run('ip', ['-n', ns, ...args]);
}

/**
 * Create a lab with one namespace per role. Addresses: 10.77.0.(i+1)/24 and
 * fd77::(i+1)/64 in role order. IPv6 addresses are added with nodad so they are
 * usable at once.
 */
export async function createLab(roles: string[]): Promise<Lab> {
  const id = randomBytes(3).toString('hex');
  const hub = `mw${id}hub`;
  const created: string[] = [];
  const children = new Set<ChildProcess>();
  const members: Record<string, LabMember> = {};
  let destroyed = false;

  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    for (const child of children) child.kill('SIGKILL');
    for (const ns of created.reverse()) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  };

  try {
    await run('ip', ['netns', 'add', hub]);
    created.push(hub);
    await ipIn(hub, ['link', 'add', 'br0', 'type', 'bridge']);
    await ipIn(hub, ['link', 'set', 'br0', 'up']);
    for (const [i, role] of roles.entries()) {
      const ns = `mw${id}${i}`;
      await run('ip', ['netns', 'add', ns]);
      created.push(ns);
      const inner = `v${id}${i}a`;
      const outer = `v${id}${i}b`;
      await ipIn(ns, ['link', 'add', inner, 'type', 'veth', 'peer', 'name', outer, 'netns', hub]);
      await ipIn(hub, ['link', 'set', outer, 'master', 'br0']);
      await ipIn(hub, ['link', 'set', outer, 'up']);
      await ipIn(ns, ['link', 'set', 'lo', 'up']);
      await ipIn(ns, ['link', 'set', inner, 'name', 'eth0']);
      const ipv4 = `10.77.0.${i + 1}`;
      const ipv6 = `fd77::${i + 1}`;
      await ipIn(ns, ['addr', 'add', `${ipv4}/24`, 'dev', 'eth0']);
      await ipIn(ns, ['-6', 'addr', 'add', `${ipv6}/64`, 'dev', 'eth0', 'nodad']);
      await ipIn(ns, ['link', 'set', 'eth0', 'up']);
      members[role] = { role, ns, ipv4, ipv6 };
    }
  } catch (e) {
    await destroy();
    throw e;
  }

  const member = (role: string): LabMember => {
    const m = members[role];
    if (!m) throw new Error(`no lab member "${role}" (have ${Object.keys(members).join(', ')})`);
    return m;
  };

  const lab: Lab = {
    members,
    async exec(role, cmd, args, opts = {}) {
      const { ns } = member(role);
      return new Promise((resolve, reject) => {
        const child = execFile('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: opts.timeoutMs ?? 10_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${cmd} ${args.join(' ')} in ${role}: ${err.message}\n${stderr}`));
          else resolve({ stdout, stderr });
        });
        if (opts.input !== undefined) child.stdin?.end(opts.input);
      });
    },
    spawn(role, cmd, args) {
      const { ns } = member(role);
      const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async canConnect(role, host, port, timeoutMs = 1000) {
      const { ns } = member(role);
      // bash's /dev/tcp does a plain connect(); `timeout` bounds a dropped SYN.
      try {
        await run('ip', ['netns', 'exec', ns, 'timeout', String(timeoutMs / 1000), 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`], {
          timeout: timeoutMs + 2000,
        });
        return true;
      } catch {
        return false;
      }
    },
    destroy,
  };
  return lab;
}
