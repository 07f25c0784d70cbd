import type { CheckCases } from './fixtures.js';
import { brokers } from './system-fixtures.js';

export default {
  good: [{ name: 'current libraries', facts: { 'sys.brokers': brokers() } }],
  bad: [
    {
      name: 'libcrypto replaced on disk',
      facts: { 'sys.brokers': brokers({ processes: [{ product: 'mosquitto', pid: 812, name: 'mosquitto', uid: 107, libs: [{ path: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', deleted: true, range: '7f00-7f10' }] }] }) },
      message: '(deleted)',
    },
  ],
  skip: [
    { name: 'offline root', facts: { 'sys.brokers': brokers({ processes: undefined, processesSkipped: 'offline root /mnt: no running processes to inspect', live: false }) }, message: 'offline root' },
    { name: 'no broker running', facts: { 'sys.brokers': brokers({ processes: [] }) } },
    {
      name: "another user's broker whose mappings cannot be read is not counted as current",
      facts: { 'sys.brokers': brokers({ processes: [{ product: 'mosquitto', pid: 812, name: 'mosquitto', uid: 107, libs: [], mapsUnreadable: '/proc/812/maps could not be read' }] }) },
      message: 'not inspected',
    },
  ],
} satisfies CheckCases;
