import type { CheckCases } from './fixtures.js';

const dir = { path: '/var/lib/mosquitto', purpose: 'data' as const, product: 'mosquitto' as const };

export default {
  good: [{ name: 'on LUKS', facts: { 'sys.disk': { dirs: [{ ...dir, mount: '/var', device: '/dev/mapper/vg-var', encrypted: true, chain: ['dm-1 (vg-var): LVM-x', 'dm-0 (crypt): CRYPT-LUKS2-abc'] }], swap: [], source: '/proc/mounts' } } }],
  bad: [{ name: 'plain disk', facts: { 'sys.disk': { dirs: [{ ...dir, mount: '/', device: '/dev/sda1', encrypted: false, chain: [] }], swap: [], source: '/proc/mounts' } }, message: 'not dm-crypt' }],
  skip: [
    { name: 'no broker dirs', facts: { 'sys.disk': { dirs: [], swap: [], source: '/proc/mounts' } } },
    {
      name: 'a mapper device whose layers /sys does not show is not judged unencrypted',
      facts: { 'sys.disk': { dirs: [{ ...dir, mount: '/var', device: '/dev/mapper/vg-var', encrypted: false, chain: [], unknown: '/dev/mapper/vg-var is a device-mapper device but /sys/block shows no dm-* entry for it' }], swap: [], source: '/proc/mounts' } },
      message: 'not determined',
    },
  ],
} satisfies CheckCases;
