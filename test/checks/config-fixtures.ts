/** Fact builders for the config checks: real parser output from config text (in-memory files). */
import type { FactTypes } from '../../src/core/facts.js';
import { loadConfigFacts, type ConfigInput, type LoadConfigOptions } from '../../src/collectors/config.js';
import { memoryIO } from '../../src/config/io.js';
import { PolicySchema } from '../../src/config/policy.js';

export const MOSQ = '/etc/mosquitto/mosquitto.conf';
export const EMQX = '/etc/emqx/emqx.conf';

function build(inputs: ConfigInput[], files: Record<string, string>, policy: unknown, load: Pick<LoadConfigOptions, 'env' | 'emqxVersion' | 'mosquittoTarget'> = {}): Partial<FactTypes> {
  const { facts } = loadConfigFacts(inputs, { io: memoryIO(files), policy: PolicySchema.parse(policy), ...load });
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(facts)) if (f?.state === 'ok') out[k] = f.value;
  return out as Partial<FactTypes>;
}

/** Facts for a mosquitto.conf (and the files it references), with an optional policy. */
export function mosq(conf: string, files: Record<string, string> = {}, policy: unknown = {}): Partial<FactTypes> {
  return build([{ path: MOSQ, format: 'mosquitto' }], { [MOSQ]: conf, ...files }, policy);
}

/** Facts for a mosquitto.conf judged for one Mosquitto version (`lint --mosquitto-version`). */
export function mosqFor(version: string, conf: string, files: Record<string, string> = {}, policy: unknown = {}): Partial<FactTypes> {
  return build([{ path: MOSQ, format: 'mosquitto' }], { [MOSQ]: conf, ...files }, policy, { mosquittoTarget: { version, source: '--mosquitto-version' } });
}

/** Facts for a standalone password file judged for one Mosquitto version. */
export function passwdFor(version: string, path: string, text: string, policy: unknown = {}): Partial<FactTypes> {
  return build([{ path, format: 'mosquitto-passwd' }], { [path]: text }, policy, { mosquittoTarget: { version, source: '--mosquitto-version' } });
}

/** Facts for a standalone side file (ACL, password, PSK, EMQX acl.conf). */
export function side(format: ConfigInput['format'], path: string, text: string, policy: unknown = {}): Partial<FactTypes> {
  return build([{ path, format }], { [path]: text }, policy);
}

/** Facts for an emqx.conf (files: e.g. acl.conf next to it), with optional EMQX_* environment. */
export function emqx(conf: string, files: Record<string, string> = {}, policy: unknown = {}): Partial<FactTypes> {
  return build([{ path: EMQX, format: 'emqx' }], { [EMQX]: conf, ...files }, policy);
}

/**
 * Facts for an emqx.conf of a given EMQX release (--emqx-version) and environment (EMQX_SECURITY_PROFILE,
 * EMQX_* overrides); `files` may hold /etc/emqx/emqx.env or base.hocon next to it.
 */
export function emqxOf(conf: string, opts: { version?: string; env?: Record<string, string>; files?: Record<string, string>; policy?: unknown } = {}): Partial<FactTypes> {
  const inputs: ConfigInput[] = [{ path: EMQX, format: 'emqx' }];
  if (opts.files?.[EMQX_BASE] !== undefined) inputs.unshift({ path: EMQX_BASE, format: 'emqx' });
  return build(inputs, { [EMQX]: conf, ...opts.files }, opts.policy ?? {}, { ...(opts.env && { env: opts.env }), ...(opts.version && { emqxVersion: opts.version }) });
}

export const EMQX_BASE = '/etc/emqx/base.hocon';
export const EMQX_ENV = '/etc/emqx/emqx.env';
/** The hardened profile, set the way a package install does it (etc/emqx.env). */
export const HARDENED = { files: { [EMQX_ENV]: 'EMQX_SECURITY_PROFILE=hardened\n' } };
