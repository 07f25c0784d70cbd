import { canary, probe, session, sub, type CheckCases } from './fixtures.js';

const granted = (over: Partial<ReturnType<typeof sub>> = {}) => sub('#', { granted: true, code: 0, ...over });

export default {
  good: [
    { name: '# refused at SUBACK', facts: { 'mqtt.probe': probe() }, message: 'refused' },
    {
      name: 'granted at SUBACK but filtered per message (Mosquitto ACL)',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted(), canary: canary({ publish: 'accepted', pubackCode: 0 }) }) }) },
      message: 'filters',
    },
  ],
  bad: [
    {
      name: 'canary came back: unrestricted',
      facts: {
        'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 7, topics: 3 }), canary: canary({ publish: 'accepted', delivered: true }) }) }),
      },
      severity: 'high',
      message: 'and messages of other clients arrived',
    },
  ],
  skip: [
    {
      name: 'canary unusable on 3.1.1 but data arrives: it may be within the ACL',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted({ messages: 4, topics: 2 }), canary: canary({ publish: 'unknown' }) }) }) },
      message: 'inconclusive',
    },
    { name: 'no session', facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'anonymous refused' } }) } },
    {
      name: 'granted, canary refused, silent broker: cannot tell',
      facts: { 'mqtt.probe': probe({ session: session({ wildcard: granted() }) }) },
    },
  ],
  error: [
    {
      name: 'the session broke during the probe',
      facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'the session ended: no SUBACK within 3000 ms', error: true } }) },
      message: 'no SUBACK',
    },
  ],
} satisfies CheckCases;
