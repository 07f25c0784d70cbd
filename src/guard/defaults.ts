/**
 * The guard configuration an empty file gives, as a plain object: `guard test`
 * without --config starts without loading the YAML parser and the schema
 * library (zod). A test keeps it equal to `GuardConfigSchema.parse({})`.
 */
import type { GuardConfig } from './config.js';

export function defaultGuardConfig(): GuardConfig {
  return {
    sources: [],
    generic: [],
    detect: {
      auth: { maxretry: 5, findtime: 600 },
      flood: { maxconn: 120, findtime: 10 },
      scanner: { maxretry: 10, findtime: 600 },
      username: { minIps: 10, findtime: 600 },
      subnet: { maxretry: 10, findtime: 600, ipv4: 24, ipv6: 64, minIps: 2 },
      swarm: { failures: 30, minIps: 5, findtime: 600, maxretry: 2 },
    },
    ban: {
      bantime: 600,
      factor: 2,
      maxbantime: 7 * 86400,
      allow: [],
      allowDefaults: true,
      backend: 'nftables',
      table: 'mqtt_warden_guard',
      ports: [],
      action: 'reject',
    },
    state: '/var/lib/mqtt-warden/guard.db',
    metrics: null,
    maxTracked: 100_000,
    pollMs: 250,
    startAt: 'end',
    maxLineBytes: 64 * 1024,
  };
}
