import { endpoints, type CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'TLS only', facts: { 'mqtt.endpoints': endpoints('mqtts://h:8883', 'wss://h:8084') } }],
  bad: [
    { name: 'plaintext only', facts: { 'mqtt.endpoints': endpoints('mqtt://h:1883') }, severity: 'medium' },
    { name: 'plaintext next to TLS', facts: { 'mqtt.endpoints': endpoints('mqtt://h:1883', 'mqtts://h:8883') }, severity: 'high', message: 'bypass' },
    {
      name: 'plaintext WebSocket next to TLS, seen from loopback',
      facts: { 'mqtt.endpoints': endpoints('ws://127.0.0.1:8083', 'mqtts://127.0.0.1:8883') },
      ctx: { loopback: true },
      severity: 'medium',
    },
  ],
  skip: [{ name: 'no endpoint probed', facts: { 'mqtt.endpoints': [] } }],
} satisfies CheckCases;
