import { probe, type CheckCases } from './fixtures.js';

export default {
  good: [
    {
      name: 'use_username_as_clientid: the username is the assigned ID',
      facts: { 'mqtt.probe': probe({ zeroLengthClientId: { tested: true, accepted: true, code: 0, codeName: 'success', assignedClientId: 'sensor1' } }) },
      message: 'replaced the empty client ID',
    },
    { name: 'v5 client identifier not valid', facts: { 'mqtt.probe': probe() } },
    {
      name: '3.1.1 identifier rejected',
      facts: { 'mqtt.probe': probe({ zeroLengthClientId: { tested: true, accepted: false, code: 2, codeName: 'identifier rejected' } }) },
    },
  ],
  bad: [
    {
      name: 'a client ID assigned that is not the username',
      facts: {
        'mqtt.probe': probe({ zeroLengthClientId: { tested: true, accepted: true, code: 0, codeName: 'success', assignedClientId: 'sensor1-x' } }),
      },
    },
    {
      name: 'accepted with an assigned ID',
      facts: {
        'mqtt.probe': probe({ zeroLengthClientId: { tested: true, accepted: true, code: 0, codeName: 'success', assignedClientId: 'auto-1234' } }),
      },
      message: 'auto-1234',
    },
  ],
  skip: [{ name: 'identity refused', facts: { 'mqtt.probe': probe({ zeroLengthClientId: { tested: false, reason: 'refused' } }) } }],
  error: [{ name: 'no CONNACK for the empty ID', facts: { 'mqtt.probe': probe({ zeroLengthClientId: { tested: false, reason: 'no CONNACK: closed', error: true } }) } }],
} satisfies CheckCases;
