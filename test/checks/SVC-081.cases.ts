import type { CheckCases } from './fixtures.js';
import { emqx, mgmt, mosquittoOpen, nanomq, NOTHING, versionless } from './mgmt-fixtures.js';

export default {
  good: [
    { name: 'no management interface answers', facts: { 'mgmt.http': NOTHING() } },
    { name: 'interfaces that disclose nothing without credentials', facts: { 'mgmt.http': mgmt([versionless(emqx({ disclosures: [] })), nanomq()]) }, message: 'no version or node details' },
  ],
  bad: [
    { name: 'EMQX /status discloses version and node name', facts: { 'mgmt.http': mgmt([emqx()]) }, severity: 'medium', message: 'node-name "emqx@10.0.0.11"' },
    { name: 'Mosquitto lists its listeners', facts: { 'mgmt.http': mgmt([mosquittoOpen()]) }, message: 'listeners' },
    {
      name: 'only the dashboard page',
      facts: { 'mgmt.http': mgmt([versionless(emqx({ disclosures: [{ path: '/', kind: 'dashboard-ui', value: 'the dashboard login page' }] }))]) },
      severity: 'low',
      message: 'dashboard-ui',
    },
  ],
} satisfies CheckCases;
