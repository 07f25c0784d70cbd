import type { CheckCases } from './fixtures.js';
import { brokers, listeners, sock } from './system-fixtures.js';

const emqx = brokers({ declared: [{ product: 'emqx', port: 4371, kind: 'erlang-dist' }, { product: 'emqx', port: 5371, kind: 'cluster-rpc' }] });

export default {
  good: [
    { name: 'epmd on loopback only, MQTT TLS public', facts: { 'sys.listeners': listeners([sock('127.0.0.1', 4369), sock('0.0.0.0', 8883)]), 'sys.brokers': brokers() } },
    { name: 'EMQX cluster ports on the private cluster network', facts: { 'sys.listeners': listeners([sock('10.20.0.11', 4371), sock('10.20.0.11', 5371)]), 'sys.brokers': emqx } },
  ],
  bad: [
    { name: 'telnet', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 23)]), 'sys.brokers': brokers() }, message: 'telnet' },
    { name: 'epmd on all interfaces', facts: { 'sys.listeners': listeners([sock('::', 4369)]), 'sys.brokers': brokers() }, message: 'epmd' },
    {
      name: 'Erlang distribution held by beam.smp on all interfaces',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 4370, { processes: [{ pid: 7, name: 'beam.smp', uid: 998 }] })]), 'sys.brokers': brokers() },
      message: 'Erlang distribution',
    },
    { name: 'the configured RPC port on a public address', facts: { 'sys.listeners': listeners([sock('203.0.113.7', 5371)]), 'sys.brokers': emqx }, message: 'cluster RPC port on a public address' },
    { name: 'rpcbind over UDP', facts: { 'sys.listeners': listeners([sock('0.0.0.0', 111, { proto: 'udp' })]), 'sys.brokers': brokers() }, message: 'rpcbind' },
  ],
  skip: [
    {
      name: 'a truncated tcp table, nothing risky in what was read: no PASS',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 8883)], { problems: [{ file: '/proc/net/tcp', message: 'line 3: truncated' }] }), 'sys.brokers': brokers() },
      message: 'not read completely: /proc/net/tcp: line 3: truncated',
    },
  ],
  error: [
    {
      name: 'no table readable',
      facts: { 'sys.listeners': listeners([], { problems: [{ file: '/mnt/proc/net/tcp', message: 'cannot read: EACCES' }] }), 'sys.brokers': brokers() },
      message: '/mnt/proc/net/tcp',
    },
  ],
} satisfies CheckCases;
