import { probe, session, sub, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: '$SYS refused, no version seen', facts: { 'mqtt.probe': probe() } },
    {
      name: '$SYS readable, but no version among the topics',
      facts: {
        'mqtt.probe': probe({
          session: session({ sys: sub('$SYS/#', { granted: true, code: 0, messages: 3, topics: 3 }) }),
          broker: { product: 'aedes', sources: ['$SYS/<id>/heartbeat topic layout'] },
        }),
      },
      message: 'none announcing a version',
    },
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
  skip: [
    {
      name: '$SYS topics of an unknown layout',
      facts: { 'mqtt.probe': probe({ session: session({ sys: sub('$SYS/#', { granted: true, code: 0, messages: 2, topics: 2 }) }) }) },
      message: 'layout is unknown',
    },
    { name: 'no session', facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'refused' } }) } },
    {
      name: '$SYS granted but nothing arrived (filtered, or published rarely)',
      facts: { 'mqtt.probe': probe({ session: session({ sys: sub('$SYS/#', { granted: true, code: 0 }) }) }) },
      message: 'inconclusive',
    },
  ],
} satisfies CheckCases;
