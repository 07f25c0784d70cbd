import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'v5 not authorized', facts: { 'mqtt.probe': probe() } },
    {
      name: '3.1.1 not authorized',
      facts: { 'mqtt.probe': probe({ anonymous: { connack: { protocolVersion: 4, code: 5, codeName: 'not authorized', accepted: false, refusal: 'auth' } } }) },
    },
    {
      name: '"not authorized" with no random client ID seen accepted: a PASS that says what it cannot rule out',
      facts: { 'mqtt.probe': probe({ randomClientIdAccepted: false, credentialed: undefined, identity: 'anonymous', identityKind: 'anonymous', username: undefined }) },
      message: 'clientid_prefixes',
    },
    { name: 'dropped without CONNACK while the identity connects', facts: { 'mqtt.probe': probe({ anonymous: { dropped: 'connection closed by the peer' } }) }, message: 'dropped' },
  ],
  bad: [
    {
      name: 'anonymous accepted',
      facts: { 'mqtt.probe': probe({ anonymous: { connack: { protocolVersion: 5, code: 0, codeName: 'success', accepted: true } }, identity: 'anonymous' }) },
      message: 'anonymous CONNECT',
    },
  ],
  skip: [
    {
      name: 'server busy says nothing about authentication',
      facts: { 'mqtt.probe': probe({ anonymous: { connack: { protocolVersion: 5, code: 0x89, codeName: 'server busy', accepted: false, refusal: 'other' } } }) },
      message: 'inconclusive',
    },
    {
      name: '3.1.1 server unavailable',
      facts: { 'mqtt.probe': probe({ anonymous: { connack: { protocolVersion: 4, code: 3, codeName: 'server unavailable', accepted: false, refusal: 'other' } } }) },
    },
  ],
} satisfies CheckCases;
