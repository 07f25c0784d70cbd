import type { CheckCases } from './fixtures.js';
import { closed, emqx, mgmt, mosquittoOpen, nanomq, NOTHING } from './mgmt-fixtures.js';

export default {
  good: [
    { name: 'no management interface answers', facts: { 'mgmt.http': NOTHING() }, message: 'no management HTTP interface answers' },
    { name: 'a port that speaks neither HTTP nor HTTPS holds no management interface', facts: { 'mgmt.http': mgmt([{ ...closed(8081), reach: 'other', detail: 'the port answers, but neither HTTP nor HTTPS' }]) } },
    { name: 'EMQX and NanoMQ both refuse without credentials', facts: { 'mgmt.http': mgmt([emqx(), nanomq(), closed(9883)]) }, message: 'refuses requests without credentials' },
  ],
  bad: [
    { name: 'Mosquitto http_api open to the network', facts: { 'mgmt.http': mgmt([emqx(), mosquittoOpen()]) }, severity: 'high', message: '/api/v1/version without credentials' },
    {
      name: 'NanoMQ without auth_type, seen from loopback',
      facts: { 'mgmt.http': mgmt([nanomq({ auth: 'not-required', openApiPath: '/api/v4/brokers' })], '127.0.0.1') },
      ctx: { loopback: true, subject: '127.0.0.1', host: '127.0.0.1' },
      severity: 'medium',
      message: 'loopback',
    },
  ],
  skip: [
    {
      name: 'an HTTP service that is none of the three',
      facts: { 'mgmt.http': mgmt([{ ...closed(8081), reach: 'http', anomalies: ['HTTP answers, but not as the EMQX dashboard, the Mosquitto HTTP API or the NanoMQ HTTP server (/status?format=json → 404)'] }]) },
      message: 'not as a known management interface',
    },
  ],
  error: [
    {
      name: 'a peer that drips its answer past the deadline',
      facts: { 'mgmt.http': mgmt([{ ...closed(18083), reach: 'error', detail: 'GET /status?format=json: no complete answer within 300 ms' }]) },
      message: 'no complete answer',
    },
  ],
} satisfies CheckCases;
