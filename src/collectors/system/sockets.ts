/**
 * Listening sockets of a Linux host, read from /proc/net/{tcp,tcp6,udp,udp6}
 * and mapped to processes through /proc/<pid>/fd. Read-only.
 *
 * Hand-written on purpose: the kernel's table format is stable and tiny, and the
 * npm packages that list sockets shell out to `ss`/`netstat` (absent from minimal
 * images, and useless for an offline --root).
 */
import { readdir, readlink } from 'node:fs/promises';
import { readProcText, readTextFileAsync } from '../../io/read.js';
import { join } from 'node:path';

export type SocketProto = 'tcp' | 'udp';

export interface ProcessInfo {
  pid: number;
  /** /proc/<pid>/comm */
  name: string;
  /** Real UID from /proc/<pid>/status. */
  uid?: number;
}

export interface ListeningSocket {
  proto: SocketProto;
  family: 4 | 6;
  /** Local address in canonical text form (IPv4 dotted, IPv6 compressed). */
  address: string;
  port: number;
  /** Bound to every address of its family (0.0.0.0 or ::). */
  wildcard: boolean;
  loopback: boolean;
  uid: number;
  inode: number;
  /** Owning processes (live host only; a socket may be shared after fork). */
  processes: ProcessInfo[];
}

export interface SocketTable {
  sockets: ListeningSocket[];
  /** Tables that could not be read or parsed, with the reason; the rest is still reported. */
  problems: { file: string; message: string }[];
  /** Whether sockets were mapped to processes (only on the live host, and only fully as root). */
  processesMapped: boolean;
}

const TABLES: { file: string; proto: SocketProto; family: 4 | 6 }[] = [
  { file: 'tcp', proto: 'tcp', family: 4 },
  { file: 'tcp6', proto: 'tcp', family: 6 },
  { file: 'udp', proto: 'udp', family: 4 },
  { file: 'udp6', proto: 'udp', family: 6 },
];

/** TCP_LISTEN in the kernel's tcp_states.h. */
const TCP_LISTEN = '0A';
/** TCP_CLOSE: what an unconnected (receiving) UDP socket shows. */
const UDP_UNCONNECTED = '07';

/** Decode the kernel's hex address: IPv4 is one little-endian word, IPv6 four. */
export function decodeAddress(hex: string, family: 4 | 6): string | undefined {
  if (family === 4) {
    if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
    const n = Number.parseInt(hex, 16);
    return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
  }
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  return compressIPv6(groups);
}

function compressIPv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/**
 * Parse one /proc/net table. Lines that do not parse are reported (1-based line
 * numbers), not fatal: a truncated table still yields the sockets before the cut.
 */
export function parseProcNetTable(
  text: string,
  proto: SocketProto,
  family: 4 | 6,
): { sockets: Omit<ListeningSocket, 'processes'>[]; bad: number[] } {
  const sockets: Omit<ListeningSocket, 'processes'>[] = [];
  const bad: number[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const f = line.split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const [local, remote, state, , , , uid, , inode] = f.slice(1);
    const [addrHex, portHex] = local?.split(':') ?? [];
    const address = addrHex ? decodeAddress(addrHex, family) : undefined;
    const port = portHex && /^[0-9A-Fa-f]{4}$/.test(portHex) ? Number.parseInt(portHex, 16) : NaN;
    if (f.length < 10 || !address || !Number.isInteger(port) || !remote || !state || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(inode ?? '')) {
      bad.push(i + 1);
      continue;
    }
    const listening = proto === 'tcp' ? state === TCP_LISTEN : state === UDP_UNCONNECTED && /^0+:0000$/.test(remote);
    if (!listening) continue;
    sockets.push({
      proto,
      family,
      address,
      port,
      wildcard: address === '0.0.0.0' || address === '::',
      loopback: isLoopbackAddress(address),
      uid: Number(uid),
      inode: Number(inode),
    });
  }
  return { sockets, bad };
}

/** inode → processes holding it, from /proc/<pid>/fd symlinks ("socket:[inode]"). */
async function socketOwners(procDir: string, inodes: Set<number>): Promise<Map<number, ProcessInfo[]>> {
  const owners = new Map<number, ProcessInfo[]>();
  let pids: string[];
  try {
    pids = (await readdir(procDir)).filter((d) => /^\d+$/.test(d));
  } catch {
    return owners;
  }
  await Promise.all(
    pids.map(async (pid) => {
      let fds: string[];
      try {
        fds = await readdir(join(procDir, pid, 'fd'));
      } catch {
        return; // gone, or not ours to read
      }
      const held = new Set<number>();
      for (const fd of fds) {
        const target = await readlink(join(procDir, pid, 'fd', fd)).catch(() => '');
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(Number(m[1]))) held.add(Number(m[1]));
      }
      if (!held.size) return;
      const name = ((await readProcText(join(procDir, pid, 'comm'))) || '?').trim();
      const status = await readProcText(join(procDir, pid, 'status'));
      const uidMatch = /^Uid:\s+(\d+)/m.exec(status);
      const info: ProcessInfo = { pid: Number(pid), name, ...(uidMatch && { uid: Number(uidMatch[1]) }) };
      for (const inode of held) owners.set(inode, [...(owners.get(inode) ?? []), info]);
    }),
  );
  for (const list of owners.values()) list.sort((a, b) => a.pid - b.pid);
  return owners;
}

/**
 * Read the listening sockets under `root` ('/' = this host). Processes are only
 * mapped on the live host: an offline root has no running processes.
 */
export async function readListeningSockets(root = '/'): Promise<SocketTable> {
  const live = root === '/';
  const problems: SocketTable['problems'] = [];
  const found: Omit<ListeningSocket, 'processes'>[] = [];
  for (const t of TABLES) {
    const file = join(root, 'proc', 'net', t.file);
    let text: string;
    try {
      text = await readTextFileAsync(file, 'system', { maxBytes: 64 * 1024 * 1024 });
    } catch (e) {
      // A kernel without IPv6 has no tcp6/udp6: not a problem worth reporting.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && t.family === 6) continue;
      problems.push({ file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    const { sockets, bad } = parseProcNetTable(text, t.proto, t.family);
    found.push(...sockets);
    if (bad.length) problems.push({ file, message: `${bad.length} malformed line(s), first at line ${bad[0]}` });
  }
  const owners = live ? await socketOwners(join(root, 'proc'), new Set(found.map((s) => s.inode))) : new Map<number, ProcessInfo[]>();
  const sockets = found
    .map((s) => ({ ...s, processes: owners.get(s.inode) ?? [] }))
    .sort((a, b) => a.proto.localeCompare(b.proto) || a.port - b.port || a.family - b.family || a.address.localeCompare(b.address));
  return { sockets, problems, processesMapped: live && process.getuid?.() === 0 };
}
