import type { CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'enforce profile', facts: { 'sys.mac': { looked: [], brokers: [{ product: 'mosquitto', pid: 9, label: '/usr/sbin/mosquitto (enforce)', confined: true, source: '/proc/9/attr/current' }] } } }],
  bad: [{ name: 'unconfined', facts: { 'sys.mac': { looked: [], brokers: [{ product: 'mosquitto', pid: 9, label: 'unconfined', confined: false, source: '/proc/9/attr/current' }] } }, message: 'not confined' }],
  skip: [{ name: 'no broker', facts: { 'sys.mac': { looked: [], brokers: [] } } }],
} satisfies CheckCases;
