import { canary, probe, session, sub, type CheckCases } from './fixtures.js';

const granted = (over: Partial<ReturnType<typeof sub>> = {}) => sub('#', { granted: true, code: 0, ...over });

export default {
  good: [
    { name: '# refused', facts: { 'mqtt.probe': probe() } },
    { name: '# unrestricted but nothing retained', facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 2, topics: 2 }), canary: canary({ publish: 'accepted', delivered: true }) }) }) } },
    {
      name: 'retained messages within the ACL (broker filters per message)',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 3, topics: 3, retained: 3 }), canary: canary({ publish: 'accepted', pubackCode: 0 }) }) }) },
    },
  ],
  bad: [
    {
      name: 'retained messages delivered, wildcard unrestricted',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 5, topics: 5, retained: 4 }), canary: canary({ publish: 'accepted', delivered: true }) }) }) },
      message: '4 retained',
    },
  ],
  skip: [
    {
      name: 'retained messages delivered, filtering unproven',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 2, topics: 2, retained: 2 }), canary: canary({ publish: 'unknown' }) }) }) },
      message: 'inconclusive',
    },{ name: 'no session', facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'x' } }) } }],
} satisfies CheckCases;
