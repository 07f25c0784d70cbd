import type { Takeover } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';

const t = (over: Partial<Takeover>): Takeover => ({
  firstIdentity: 'sensor1',
  secondIdentity: 'sensor1',
  tookOver: true,
  secondAccepted: true,
  detail: 'the broker closed the first session',
  ...over,
});

export default {
  good: [{ name: 'first session kept', facts: { 'mqtt.takeover': t({ tookOver: false, detail: 'stayed connected' }) } }],
  bad: [
    { name: 'same authenticated identity', facts: { 'mqtt.takeover': t({}) }, severity: 'low' },
    { name: 'anonymous takes over a user session', facts: { 'mqtt.takeover': t({ secondIdentity: 'anonymous' }) }, severity: 'high' },
    { name: 'anonymous broker', facts: { 'mqtt.takeover': t({ firstIdentity: 'anonymous', secondIdentity: 'anonymous' }) }, severity: 'high' },
  ],
} satisfies CheckCases;
