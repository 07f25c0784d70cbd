import type { CheckCases } from './fixtures.js';
import { keyFile, keys } from './system-fixtures.js';

export default {
  good: [
    { name: 'root:mosquitto 0640', facts: { 'sys.keys': keys([keyFile({})]) } },
    { name: 'mosquitto 0600', facts: { 'sys.keys': keys([keyFile({ uid: 107, owner: 'mosquitto', mode: 0o600 })]) } },
  ],
  bad: [
    { name: 'world-readable key', facts: { 'sys.keys': keys([keyFile({ mode: 0o644 })]) }, severity: 'high', message: 'readable by every local user' },
    { name: 'owned by another user', facts: { 'sys.keys': keys([keyFile({ uid: 1000, owner: 'alice', mode: 0o600 })]) }, severity: 'medium', message: 'owned by alice' },
    { name: 'readable by an unrelated group', facts: { 'sys.keys': keys([keyFile({ gid: 100, group: 'users' })]) }, message: 'readable by group users' },
  ],
  skip: [{ name: 'no key', facts: { 'sys.keys': keys([]) } }],
} satisfies CheckCases;
