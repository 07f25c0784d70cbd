import type { CheckCases } from './fixtures.js';
import { emqx, mgmt, mosquittoOpen, nanomq, NOTHING } from './mgmt-fixtures.js';

const tried = (outcome: 'accepted' | 'refused' | 'blocked' | 'locked' | 'disabled' | 'mfa' | 'error', detail: string, status?: number) => ({
  tested: true as const,
  username: 'admin',
  request: 'POST /api/v5/login',
  outcome,
  detail,
  ...(status && { status }),
});

export default {
  good: [
    { name: 'the default password is refused', facts: { 'mgmt.http': mgmt([emqx({ login: tried('refused', 'the default password was refused', 401) })]) }, message: 'refused on 1' },
  ],
  bad: [
    { name: 'EMQX accepts admin/public', facts: { 'mgmt.http': mgmt([emqx({ login: tried('accepted', 'logged in as admin with the default password', 200) })]) }, severity: 'critical', message: 'logged in as admin' },
    { name: 'NanoMQ accepts admin/public', facts: { 'mgmt.http': mgmt([nanomq({ login: { ...tried('accepted', 'the HTTP API accepts admin with the shipped password', 200), request: 'GET /api/v4/brokers (HTTP basic)' } })]) }, severity: 'critical' },
    { name: 'EMQX hardened profile refuses the unchanged default', facts: { 'mgmt.http': mgmt([emqx({ login: tried('blocked', 'the password is still the default, but the hardened security profile refuses it', 401) })]) }, severity: 'medium', message: 'still the default' },
  ],
  skip: [
    { name: 'nothing to log into', facts: { 'mgmt.http': NOTHING() }, message: 'no management interface' },
    { name: 'account locked: inconclusive', facts: { 'mgmt.http': mgmt([emqx({ login: tried('locked', 'the account is locked after failed logins', 401) })]) }, message: 'locked' },
    { name: 'MFA answers first: inconclusive', facts: { 'mgmt.http': mgmt([emqx({ login: tried('mfa', 'a second factor (MFA) is demanded before the password is judged', 401) })]) }, message: 'second factor' },
    { name: 'Mosquitto needs no login at all (SVC-080)', facts: { 'mgmt.http': mgmt([mosquittoOpen()]) }, message: 'no login was attempted' },
  ],
  error: [{ name: 'the login got no answer', facts: { 'mgmt.http': mgmt([emqx({ login: tried('error', 'no complete answer within 300 ms') })]) }, message: 'no usable answer' }],
} satisfies CheckCases;
