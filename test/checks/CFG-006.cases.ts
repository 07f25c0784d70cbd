import type { CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'no swap', facts: { 'sys.disk': { dirs: [], swap: [], source: '/proc/mounts' } } },
    { name: 'encrypted swap and zram', facts: { 'sys.disk': { dirs: [], swap: [{ device: '/dev/dm-2', encrypted: true, chain: ['dm-2 (cryptswap): CRYPT-PLAIN-cryptswap'] }, { device: '/dev/zram0', encrypted: true, chain: ['zram (RAM only)'] }], source: '' } } },
  ],
  skip: [
    { name: '/proc/swaps unreadable is not "no swap"', facts: { 'sys.disk': { dirs: [], swap: [], swapUnknown: 'cannot read /mnt/proc/swaps: ENOENT', source: '' } }, message: 'not judged' },
    { name: 'a mapper device whose layers are not visible', facts: { 'sys.disk': { dirs: [], swap: [{ device: '/dev/mapper/swap', encrypted: false, chain: [], unknown: 'no dm-* entry' }], source: '' } }, message: 'not determined' },
  ],
  bad: [{ name: 'plain swap partition', facts: { 'sys.disk': { dirs: [], swap: [{ device: '/dev/sda2', encrypted: false, chain: [] }], source: '' } }, message: '/dev/sda2' }],
} satisfies CheckCases;
