import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'v5 not authorized', facts: { 'mqtt.probe': probe() } },
    {
      name: '3.1.1 bad user name or password',
      facts: { 'mqtt.probe': probe({ anonymous: { protocolVersion: 4, code: 5, codeName: 'not authorized', accepted: false } }) },
    },
  ],
  bad: [
    {
      name: 'anonymous accepted',
      facts: { 'mqtt.probe': probe({ anonymous: { protocolVersion: 5, code: 0, codeName: 'success', accepted: true }, identity: 'anonymous' }) },
      message: 'anonymous CONNECT',
    },
  ],
} satisfies CheckCases;
