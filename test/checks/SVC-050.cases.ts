import type { CheckCases } from './fixtures.js';
import { erlangNode, exposure } from './ports-fixtures.js';

export default {
  good: [{ name: 'no distribution port answers', facts: { 'erlang.exposure': exposure() } }],
  bad: [
    { name: 'a node answers the handshake', facts: { 'erlang.exposure': exposure({ 4371: erlangNode('emqx1@10.0.0.11') }) }, severity: 'high', message: 'emqx1@10.0.0.11 on 4371' },
    {
      name: 'a node that refuses our name still is a node',
      facts: { 'erlang.exposure': exposure({ 4370: { state: 'erlang', status: 'not_allowed', cookie: { tested: false, reason: 'refused' } } }) },
      message: 'refused: not_allowed',
    },
    {
      name: 'from loopback it is lower',
      facts: { 'erlang.exposure': exposure({ 4370: erlangNode('emqx@127.0.0.1') }) },
      ctx: { loopback: true, subject: '127.0.0.1', host: '127.0.0.1' },
      severity: 'low',
      message: 'loopback',
    },
  ],
  error: [{ name: 'a port answered with garbage', facts: { 'erlang.exposure': exposure({ 4370: { state: 'error', detail: 'unknown handshake status "pwned"' } }) }, message: 'pwned' }],
} satisfies CheckCases;
