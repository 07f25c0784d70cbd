import type { CheckCases } from './fixtures.js';
import { erlangNode, exposure } from './ports-fixtures.js';

export default {
  good: [{ name: 'the node refuses the default cookie', facts: { 'erlang.exposure': exposure({ 4370: erlangNode('emqx@h', 'refused') }) } }],
  bad: [
    {
      name: 'the default cookie is accepted',
      facts: { 'erlang.exposure': exposure({ 4370: erlangNode('emqx@h', 'refused'), 4371: erlangNode('emqx1@h', 'accepted') }) },
      severity: 'critical',
      message: 'emqx1@h (port 4371)',
    },
  ],
  skip: [
    { name: 'no Erlang node answers', facts: { 'erlang.exposure': exposure() }, message: 'no Erlang distribution port answered' },
    { name: 'the node refused our name before the challenge', facts: { 'erlang.exposure': exposure({ 4370: { state: 'erlang', status: 'not_allowed', cookie: { tested: false, reason: 'the node refused the handshake (status not_allowed)' } } }) } },
  ],
  error: [{ name: 'the probe broke', facts: { 'erlang.exposure': exposure({ 4370: { state: 'error', detail: 'malformed challenge acknowledgement' } }) }, message: 'malformed' }],
} satisfies CheckCases;
