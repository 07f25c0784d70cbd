import type { CheckCases } from './fixtures.js';
import { brokers, listeners, sock } from './system-fixtures.js';

export default {
  good: [{ name: 'loopback listener on loopback', facts: { 'sys.listeners': listeners([sock('127.0.0.1', 1883), sock('0.0.0.0', 8883)]), 'sys.brokers': brokers() } }],
  bad: [
    {
      name: 'loopback listener bound to all interfaces (websockets #3045)',
      facts: { 'sys.listeners': listeners([sock('0.0.0.0', 1883)]), 'sys.brokers': brokers() },
      line: 1,
      message: 'listens on 0.0.0.0',
    },
  ],
  skip: [{ name: 'no loopback listener configured', facts: { 'sys.listeners': listeners([]), 'sys.brokers': brokers({ declared: [] }) } }],
} satisfies CheckCases;
