import type { CheckCases } from './fixtures.js';
import { listeners, sock } from './system-fixtures.js';

export default {
  good: [{ name: 'epmd on loopback only, MQTT TLS public', facts: { 'sys.listeners': listeners([sock('127.0.0.1', 4369), sock('0.0.0.0', 8883)]) } }],
  bad: [
    { name: 'telnet', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 23)]) }, message: 'telnet' },
    { name: 'epmd on all interfaces', facts: { 'sys.listeners': listeners([sock('::', 4369)]) }, message: 'epmd' },
    { name: 'Erlang distribution of EMQX', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 4370, { processes: [{ pid: 7, name: 'beam.smp', uid: 998 }] })]) }, message: 'Erlang distribution' },
    { name: 'rpcbind over UDP', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 111, { proto: 'udp' })]) }, message: 'rpcbind' },
  ],
} satisfies CheckCases;
