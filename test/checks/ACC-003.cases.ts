import { probe, session, sub, type CheckCases } from './fixtures.js';

export default {
  good: [{ name: '$SYS/# refused', facts: { 'mqtt.probe': probe() } }],
  bad: [
    {
      name: '$SYS/# granted and $SYS topics arrive',
      facts: { 'mqtt.probe': probe({ session: session({ sys: sub('$SYS/#', { granted: true, code: 0, messages: 40, topics: 40, retained: 40 }) }) }) },
      message: ': $SYS topics arrived',
    },
  ],
  skip: [
    { name: 'no session', facts: { 'mqtt.probe': probe({ session: { tested: false, reason: 'x' } }) } },
    { name: 'granted at SUBACK, nothing arrives', facts: { 'mqtt.probe': probe({ session: session({ sys: sub('$SYS/#', { granted: true, code: 0 }) }) }) } },
  ],
} satisfies CheckCases;
