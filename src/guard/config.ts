/**
 * Guard configuration: YAML or JSON, validated with zod. Every field has a
 * default, so an empty file (or none) is a valid configuration. Times are seconds.
 */
import { readTextFile } from '../io/read.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const format = z.enum(['mosquitto', 'emqx', 'generic']);

const source = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('file'),
    path: z.string().min(1),
    format: format.default('mosquitto'),
    /** Where a copytruncate rotation leaves the copy (default: PATH.1). */
    rotated: z.string().optional(),
  }).strict(),
  z.object({ type: z.literal('journald'), unit: z.string().min(1), format: format.default('mosquitto') }).strict(),
  z.object({ type: z.literal('stdin'), format: format.default('mosquitto') }).strict(),
]);

const rule = z.object({ maxretry: z.number().int().min(1).max(100_000), findtime: z.number().positive().max(30 * 86400) }).strict();

export const GuardConfigSchema = z.object({
  sources: z.array(source).default([]),
  generic: z.array(z.object({
    pattern: z.string().min(1),
    contains: z.string().optional(),
    kind: z.enum(['auth-failure', 'protocol-error', 'connect']).default('auth-failure'),
  }).strict()).default([]),
  detect: z.object({
    auth: rule.prefault({ maxretry: 5, findtime: 600 }),
    flood: z.object({ maxconn: z.number().int().min(2), findtime: z.number().positive() }).strict().nullable().prefault({ maxconn: 120, findtime: 10 }),
    scanner: rule.nullable().prefault({ maxretry: 10, findtime: 600 }),
    username: z.object({ minIps: z.number().int().min(2), findtime: z.number().positive() }).strict().nullable().prefault({ minIps: 10, findtime: 600 }),
    /** Refused logins from several addresses of one network: bans the network (see docs/guard.md). */
    subnet: z.object({
      maxretry: z.number().int().min(2).max(100_000).default(10),
      findtime: z.number().positive().max(30 * 86400).default(600),
      /** Prefix lengths addresses are grouped by. */
      ipv4: z.number().int().min(8).max(31).default(24),
      ipv6: z.number().int().min(16).max(127).default(64),
      minIps: z.number().int().min(2).default(2),
    }).strict().refine((s) => s.minIps <= s.maxretry, { message: 'minIps must not exceed maxretry', path: ['minIps'] }).nullable().prefault({}),
    /** Refused logins from many addresses listener-wide: lowers the per-address auth threshold for findtime. */
    swarm: z.object({
      failures: z.number().int().min(2).max(1_000_000).default(30),
      minIps: z.number().int().min(2).default(5),
      findtime: z.number().positive().max(30 * 86400).default(600),
      /** The per-address auth threshold while the alarm lasts (never above detect.auth.maxretry). */
      maxretry: z.number().int().min(1).max(100_000).default(2),
    }).strict().nullable().prefault({}),
  }).strict().prefault({}),
  ban: z.object({
    bantime: z.number().int().min(1).max(365 * 86400).default(600),
    factor: z.number().min(1).max(100).default(2),
    maxbantime: z.number().int().min(1).max(365 * 86400).default(7 * 86400),
    /** Addresses and CIDRs never banned. */
    allow: z.array(z.string()).default([]),
    /** Also never ban loopback and this host's own addresses. */
    allowDefaults: z.boolean().default(true),
    backend: z.enum(['nftables', 'ipset', 'log-only']).default('nftables'),
    /** nftables table (family inet) or the ipset/iptables name prefix; the guard's own, apart from the port plan's `mqtt_warden`. */
    table: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,23}$/, 'letters, digits and _ (at most 24)').default('mqtt_warden_guard'),
    /** Destination TCP ports the ban applies to; empty = all traffic from the address. */
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
    action: z.enum(['reject', 'drop']).default('reject'),
  }).strict().prefault({}),
  state: z.string().default('/var/lib/mqtt-warden/guard.db'),
  redis: z.object({ url: z.string().min(1), prefix: z.string().default('mqtt-warden:guard') }).strict().optional(),
  metrics: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(9477) }).strict().nullable().default(null),
  maxTracked: z.number().int().min(100).max(10_000_000).default(100_000),
  pollMs: z.number().int().min(10).max(60_000).default(250),
  /** Where to start in a log file the guard has no stored position for. */
  startAt: z.enum(['end', 'start']).default('end'),
  /** Lines longer than this (bytes) are skipped and counted. */
  maxLineBytes: z.number().int().min(256).max(16 << 20).default(64 * 1024),
}).strict();

export type GuardConfig = z.infer<typeof GuardConfigSchema>;

export class ConfigError extends Error {}

export function parseConfig(text: string, where: string): GuardConfig {
  let raw: unknown;
  try {
    raw = where.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid ${where.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  const r = GuardConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${where}: ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ConfigError(issues.join('\n'));
  }
  return r.data;
}

export function loadConfig(file: string | undefined): GuardConfig {
  if (!file) return GuardConfigSchema.parse({});
  let text: string;
  try {
    text = readTextFile(file, 'settings', { label: 'guard config' });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  return parseConfig(text, file);
}
