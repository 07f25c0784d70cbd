import { hostEndpoints, type CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'TLS only', facts: { 'mqtt.endpoints': hostEndpoints(['mqtts://h:8883', 'wss://h:8084']) } }],
  bad: [
    { name: 'plaintext only', facts: { 'mqtt.endpoints': hostEndpoints(['mqtt://h:1883']) }, severity: 'medium' },
    { name: 'plaintext next to TLS', facts: { 'mqtt.endpoints': hostEndpoints(['mqtt://h:1883', 'mqtts://h:8883']) }, severity: 'high', message: 'bypass' },
    {
      name: 'plaintext next to a TLS port the scan found open',
      facts: { 'mqtt.endpoints': hostEndpoints(['mqtt://h:1883'], [8883]) },
      severity: 'high',
      message: 'port 8883 (open, not probed)',
    },
    {
      name: 'TLS target, plaintext 1883 open on the same host but not probed',
      facts: { 'mqtt.endpoints': hostEndpoints(['mqtts://h:8883'], [1883, 8883]) },
      severity: 'high',
      message: 'port 1883 (open, not probed)',
    },
    {
      name: 'plaintext WebSocket next to TLS, seen from loopback',
      facts: { 'mqtt.endpoints': hostEndpoints(['ws://127.0.0.1:8083', 'mqtts://127.0.0.1:8883']) },
      ctx: { loopback: true },
      severity: 'medium',
    },
  ],
  skip: [
    { name: 'no endpoint probed', facts: { 'mqtt.endpoints': hostEndpoints([]) } },
    {
      name: 'TLS answers, but the probe of the plaintext listener failed',
      facts: { 'mqtt.endpoints': hostEndpoints(['mqtts://h:8883'], [], ['mqtt://h:1883']) },
      message: 'cannot be ruled out',
    },
  ],
} satisfies CheckCases;
