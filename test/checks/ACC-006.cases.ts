import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'PUBACK not authorized', facts: { 'mqtt.probe': probe() } },
    { name: 'acknowledged but dropped', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'not-delivered', detail: 'dropped' } }) } },
  ],
  bad: [{ name: 'delivered to $SYS subscribers', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'delivered', detail: 'echoed' } }) } }],
  skip: [
    { name: 'unobservable on 3.1.1', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'unknown', detail: 'no PUBACK code' } }) } },
    { name: 'no session', facts: { 'mqtt.probe': probe({ sysWrite: { tested: false, reason: 'x' } }) } },
  ],
} satisfies CheckCases;
