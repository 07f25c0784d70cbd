import type { CheckCases } from './fixtures.js';
import { DEFAULT_POLICY as policy, PolicySchema } from '../../src/config/policy.js';
import type { DrillHistory } from '../../src/core/facts.js';

const NOW = '2026-12-06T12:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(NOW) - n * 86_400_000).toISOString();
type Run = DrillHistory['runs'][number];
const run = (drill: string, ago: number, over: Partial<Run> = {}): Run => ({ drill, target: 'mqtts://broker.example:8883', startedAt: daysAgo(ago), held: true, unverified: 0, ...over });
const history = (runs: Run[]): DrillHistory => ({ db: '/var/lib/mqtt-warden/history.db', readAt: NOW, runs });

export default {
  good: [
    { name: 'both default drills held within 90 days', facts: { 'drill.history': history([run('brute-force-burst', 10), run('subscription-sweep', 89)]), policy }, message: 'drill subscription-sweep held 89 day(s) ago against mqtts://broker.example:8883' },
    {
      name: 'a newer failed run does not hide the older one that held (newest first)',
      facts: { 'drill.history': history([run('brute-force-burst', 1, { held: false }), run('brute-force-burst', 20), run('subscription-sweep', 3, { unverified: 2 })]), policy },
      message: '2 verdict(s) of that run could not be verified',
    },
    { name: 'the policy requires no drill', facts: { 'drill.history': history([]), policy: PolicySchema.parse({ drills: { required: [] } }) } },
  ],
  bad: [
    { name: 'never recorded', facts: { 'drill.history': history([run('brute-force-burst', 5)]), policy }, message: 'drill subscription-sweep was never recorded in /var/lib/mqtt-warden/history.db' },
    { name: 'held too long ago', facts: { 'drill.history': history([run('brute-force-burst', 91), run('subscription-sweep', 2)]), policy }, message: "drill brute-force-burst last held 91 days ago" },
    { name: 'ran but never held', facts: { 'drill.history': history([run('brute-force-burst', 1, { held: false }), run('subscription-sweep', 2)]), policy }, message: 'never held', severity: 'high' },
    { name: 'a shorter cadence of the policy', facts: { 'drill.history': history([run('brute-force-burst', 20), run('subscription-sweep', 2)]), policy: PolicySchema.parse({ drills: { cadenceDays: 14 } }) }, message: "more than the policy's 14 days" },
    { name: 'a required drill of the organisation', facts: { 'drill.history': history([run('brute-force-burst', 1), run('subscription-sweep', 1)]), policy: PolicySchema.parse({ drills: { required: ['brute-force-burst', 'plant-takeover'] } }) }, message: 'drill plant-takeover was never recorded' },
  ],
} satisfies CheckCases;
