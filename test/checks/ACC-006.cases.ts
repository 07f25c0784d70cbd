import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'PUBACK not authorized', facts: { 'mqtt.probe': probe() } },
    { name: 'the broker closed the connection', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'refused', detail: 'closed' } }) } },
  ],
  bad: [{ name: 'delivered to $SYS subscribers', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'delivered', detail: 'echoed' } }) } }],
  skip: [
    { name: 'acknowledged but not seen again', facts: { 'mqtt.probe': probe({ sysWrite: { tested: true, outcome: 'unobserved', detail: 'no echo' } }) }, message: 'inconclusive' },
    { name: 'no session', facts: { 'mqtt.probe': probe({ sysWrite: { tested: false, reason: 'x' } }) } },
  ],
  error: [{ name: 'the test broke', facts: { 'mqtt.probe': probe({ sysWrite: { tested: false, reason: 'malformed', error: true } }) } }],
} satisfies CheckCases;
