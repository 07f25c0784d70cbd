import type { Takeover } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';

const t = (over: Partial<Takeover>): Takeover => ({
  firstIdentity: 'sensor1',
  secondIdentity: 'sensor1',
  firstAnonymous: false,
  secondAnonymous: false,
  tookOver: true,
  secondAccepted: true,
  detail: 'the broker closed the first session',
  ...over,
});

export default {
  good: [
    { name: 'first session kept', facts: { 'mqtt.takeover': t({ tookOver: false, detail: 'stayed connected' }) } },
    { name: 'duplicate client ID refused', facts: { 'mqtt.takeover': t({ tookOver: false, secondAccepted: false, secondRefusal: 'identifier' }) } },
  ],
  skip: [
    { name: 'second refused as server busy', facts: { 'mqtt.takeover': t({ tookOver: false, secondAccepted: false, secondRefusal: 'other', detail: 'server busy' }) } },
  ],
  bad: [
    { name: 'same authenticated identity', facts: { 'mqtt.takeover': t({}) }, severity: 'low' },
    { name: 'anonymous takes over a user session', facts: { 'mqtt.takeover': t({ secondIdentity: 'anonymous', secondAnonymous: true }) }, severity: 'high' },
    {
      name: 'anonymous broker',
      facts: { 'mqtt.takeover': t({ firstIdentity: 'anonymous', secondIdentity: 'anonymous', firstAnonymous: true, secondAnonymous: true }) },
      severity: 'high',
    },
    { name: 'a real user named "anonymous" is still a user', facts: { 'mqtt.takeover': t({ firstIdentity: 'anonymous', secondIdentity: 'anonymous' }) }, severity: 'low' },
  ],
} satisfies CheckCases;
