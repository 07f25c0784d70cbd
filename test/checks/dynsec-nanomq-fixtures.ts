/** Fact builders for the dynamic-security and NanoMQ checks: real parser output from file text (in-memory files). */
import type { FactTypes } from '../../src/core/facts.js';
import { loadConfigFacts, type ConfigInput } from '../../src/collectors/config.js';
import { memoryIO } from '../../src/config/io.js';
import { PolicySchema } from '../../src/config/policy.js';

export const DYNSEC = '/etc/mosquitto/dynamic-security.json';
export const NANOMQ = '/etc/nanomq.conf';

export function facts(inputs: ConfigInput[], files: Record<string, string>, policy: unknown = {}): Partial<FactTypes> {
  const { facts: f } = loadConfigFacts(inputs, { io: memoryIO(files), policy: PolicySchema.parse(policy) });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v?.state === 'ok') out[k] = v.value;
  return out as Partial<FactTypes>;
}

/** Facts for a dynamic-security.json given on its own (extra: e.g. its .pw file). */
export function dynsec(json: unknown, extra: Record<string, string> = {}): Partial<FactTypes> {
  return facts([{ path: DYNSEC, format: 'mosquitto-dynsec' }], { [DYNSEC]: typeof json === 'string' ? json : JSON.stringify(json, null, 2), ...extra });
}

/** Facts for a nanomq.conf (extra: the files it includes). */
export function nanomq(conf: string, extra: Record<string, string> = {}, policy: unknown = {}): Partial<FactTypes> {
  return facts([{ path: NANOMQ, format: 'nanomq' }], { [NANOMQ]: conf, ...extra }, policy);
}

const acl = (acltype: string, topic: string, allow = true) => ({ acltype, topic, priority: 0, allow });
export const PBKDF2 = '$7$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA==';

/** A hardened config: an admin, a sensor with a narrow role, defaults denying. */
export function hardened(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
    clients: [
      { username: 'admin', encoded_password: PBKDF2, roles: [{ rolename: 'dynsec-admin' }] },
      { username: 'sensor1', encoded_password: PBKDF2, roles: [{ rolename: 'sensor' }] },
    ],
    groups: [{ groupname: 'unauthenticated', roles: [] }],
    roles: [
      { rolename: 'dynsec-admin', acls: [acl('publishClientSend', '$CONTROL/dynamic-security/#'), acl('publishClientReceive', '$CONTROL/dynamic-security/#'), acl('subscribePattern', '$CONTROL/dynamic-security/#')] },
      { rolename: 'sensor', allowwildcardsubs: false, acls: [acl('publishClientSend', 'sensors/%c/data'), acl('subscribeLiteral', 'sensors/%c/cmd')] },
    ],
    anonymousGroup: 'unauthenticated',
    ...over,
  };
}

export const role = (rolename: string, acls: [string, string, boolean?][], extra: Record<string, unknown> = {}) => ({ rolename, acls: acls.map(([t, topic, allow]) => acl(t, topic, allow ?? true)), ...extra });

/** A hardened nanomq.conf: TLS only, no HTTP API, anonymous off, deny by default. */
export const NANOMQ_GOOD = `listeners.ssl {
  bind = "0.0.0.0:8883"
  keyfile = "/etc/certs/key.pem"
  certfile = "/etc/certs/cert.pem"
}
listeners.ws {
  bind = "127.0.0.1:8083/mqtt"
}
auth {
  allow_anonymous = false
  no_match = deny
  deny_action = disconnect
  password = {include "/etc/nanomq_pwd.conf"}
  acl = {include "/etc/nanomq_acl.conf"}
}
`;
export const PWD_GOOD = '"sensor1": "Zq7!rT4#pL9@wX2m"\n';
export const ACL_GOOD = 'rules = [\n  {"permit": "allow", "username": "sensor1", "action": "publish", "topics": ["sensors/1/#"]}\n]\n';
export const NANOMQ_FILES = { '/etc/nanomq_pwd.conf': PWD_GOOD, '/etc/nanomq_acl.conf': ACL_GOOD };
