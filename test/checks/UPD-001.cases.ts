import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: '$SYS refused, no version seen', facts: { 'mqtt.probe': probe() } },
    {
      name: 'product guessed from the topic layout but no version string',
      facts: { 'mqtt.probe': probe({ broker: { product: 'aedes', sources: ['$SYS/<id>/heartbeat topic layout'] } }) },
    },
  ],
  bad: [
    {
      name: 'mosquitto version readable',
      facts: { 'mqtt.probe': probe({ broker: { product: 'mosquitto', version: 'mosquitto version 2.0.11', sources: ['$SYS/broker/version'] } }) },
      message: 'mosquitto version 2.0.11',
    },
  ],
  skip: [{ name: 'no session', facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'refused' } }) } }],
} satisfies CheckCases;
