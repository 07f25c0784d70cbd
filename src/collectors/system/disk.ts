/**
 * Disk encryption of the broker's data and log directories and of swap: the
 * mount table gives each directory's device; a device-mapper device is dm-crypt
 * when its /sys/block/dm-N/dm/uuid starts with "CRYPT-" (LUKS: "CRYPT-LUKS2-…"),
 * also through layers (LVM on LUKS: the dm device's slaves).
 */
import { posix } from 'node:path';
import { at, listSys, readSys, type SysRoot } from './sysroot.js';
import type { BrokerProduct, DiskState } from './types.js';

export interface Mount {
  device: string;
  point: string;
  fstype: string;
}

export function parseMounts(text: string): Mount[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[1]!.startsWith('/'))
    .map((f) => ({ device: f[0]!, point: f[1]!.replace(/\\040/g, ' '), fstype: f[2]! }));
}

/** The mount holding a path: longest mount point prefix. */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const p = m.point === '/' ? '/' : `${m.point}/`;
    if ((path === m.point || path.startsWith(p) || m.point === '/') && (!best || m.point.length > best.point.length)) best = m;
  }
  return best;
}

interface DmInfo {
  dm: string;
  name: string;
  uuid: string;
  slaves: string[];
}

async function dmTable(r: SysRoot): Promise<DmInfo[]> {
  const out: DmInfo[] = [];
  for (const dm of (await listSys(r, '/sys/block')).filter((d) => d.startsWith('dm-'))) {
    const uuid = await readSys(r, `/sys/block/${dm}/dm/uuid`);
    const name = await readSys(r, `/sys/block/${dm}/dm/name`);
    out.push({ dm, name: name.ok ? name.text.trim() : '', uuid: uuid.ok ? uuid.text.trim() : '', slaves: await listSys(r, `/sys/block/${dm}/slaves`) });
  }
  return out;
}

/**
 * Follow a device through device-mapper layers; encrypted when any layer is dm-crypt. A device-mapper
 * device (/dev/dm-N, /dev/mapper/NAME) whose layers /sys/block does not show (an offline root without
 * /sys, or no permission) is `unknown`, never "not encrypted".
 */
function cryptChain(device: string, dms: DmInfo[]): { encrypted: boolean; chain: string[]; unknown?: string } {
  const chain: string[] = [];
  let cur: DmInfo | undefined = dms.find((d) => device === `/dev/${d.dm}` || device === `/dev/mapper/${d.name}` || (d.name && device.endsWith(`/${d.name}`)));
  const lvm = /^\/dev\/([^/]+)\/([^/]+)$/.exec(device);
  if (!cur && lvm && lvm[1] !== 'mapper') cur = dms.find((d) => d.name === `${lvm[1]!.replace(/-/g, '--')}-${lvm[2]!.replace(/-/g, '--')}`);
  if (!cur && /^\/dev\/(dm-\d+$|mapper\/)/.test(device)) {
    return { encrypted: false, chain, unknown: `${device} is a device-mapper device but /sys/block shows no dm-* entry for it: its layers (dm-crypt or not) cannot be followed` };
  }
  const seen = new Set<string>();
  while (cur && !seen.has(cur.dm)) {
    seen.add(cur.dm);
    chain.push(`${cur.dm}${cur.name ? ` (${cur.name})` : ''}: ${cur.uuid || 'no uuid'}`);
    if (cur.uuid.startsWith('CRYPT-')) return { encrypted: true, chain };
    const next = cur.slaves.find((s) => s.startsWith('dm-'));
    cur = next ? dms.find((d) => d.dm === next) : undefined;
  }
  return { encrypted: false, chain };
}

export async function collectDisk(r: SysRoot, dirs: { path: string; purpose: 'data' | 'log'; product: BrokerProduct }[]): Promise<DiskState> {
  const mountsFile = r.live ? '/proc/self/mounts' : '/proc/mounts';
  const res = await readSys(r, mountsFile);
  if (!res.ok) throw new Error(`cannot read the mount table: ${res.error}`);
  const mounts = parseMounts(res.text);
  if (!mounts.length) throw new Error(`${mountsFile}: no mount entries`);
  const dms = await dmTable(r);
  const out: DiskState = { dirs: [], swap: [], source: `${mountsFile}, /sys/block/dm-*/dm/uuid` };
  for (const d of dirs) {
    const m = mountOf(mounts, posix.normalize(d.path));
    const c = m ? cryptChain(m.device, dms) : { encrypted: false, chain: [] };
    out.dirs.push({ ...d, ...(m && { mount: m.point, device: m.device }), encrypted: c.encrypted, chain: c.chain, ...('unknown' in c && c.unknown && { unknown: c.unknown }) });
  }
  const swaps = await readSys(r, '/proc/swaps');
  if (!swaps.ok) out.swapUnknown = `cannot read ${at(r, '/proc/swaps')}: ${swaps.error}`;
  else {
    for (const line of swaps.text.split('\n').slice(1)) {
      const dev = line.trim().split(/\s+/)[0];
      if (!dev) continue;
      // zram is compressed RAM, never written to disk.
      if (/^\/dev\/zram\d+$/.test(dev)) {
        out.swap.push({ device: dev, encrypted: true, chain: ['zram (RAM only)'] });
        continue;
      }
      let device = dev;
      if (!dev.startsWith('/dev/')) device = mountOf(mounts, dev)?.device ?? dev;
      const c = cryptChain(device, dms);
      out.swap.push({ device: dev, encrypted: c.encrypted, chain: c.chain, ...(c.unknown && { unknown: c.unknown }) });
    }
  }
  return out;
}
