/**
 * The organisation's security policy: thresholds that lint and audit judge against
 * (minimum TLS version, hash iteration counts, password rules, allowed listeners,
 * certificate expiry warning). YAML or JSON (JSON is read by the YAML parser, which
 * keeps positions for both); validated with zod; every error names file:line:column.
 */
import { z } from 'zod';
import type { ConfigIssue } from './io.js';
import { locateIssues, parseLocatedYaml, type LocatedYaml, type YamlPath } from './located-yaml.js';
import { NetworkError, parseNetwork } from '../ports/net.js';

const listenerPattern = z
  .string()
  .regex(/^(\*|\[[0-9a-fA-F:.]+\]|[0-9a-zA-Z.:_-]*?):?(\d{1,5}|\*)$|^\d{1,5}$/, 'a listener is "PORT", "ADDRESS:PORT", "*:PORT" or "[IPv6]:PORT"');

const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** A duration in seconds: a number of seconds, or "30s", "10m", "1h", "1d". */
const duration = (min: number, max: number) =>
  z
    .union([z.number().int(), z.string().regex(/^\s*\d+\s*[smhd]\s*$/, 'a number of seconds, or a duration such as "30s", "10m", "1h", "1d"')])
    .transform((v) => (typeof v === 'number' ? v : Number(/\d+/.exec(v)![0]) * DURATION_UNITS[/[smhd]/.exec(v)![0] as keyof typeof DURATION_UNITS]))
    .pipe(z.number().int().min(min, `at least ${min} s`).max(max, `at most ${max} s`));

/** An IPv4/IPv6 address or CIDR network, canonical (host bits set is an error: 10.0.0.5/24 is almost always a typo). */
const cidr = z.string().transform((s, ctx) => {
  try {
    return parseNetwork(s, 'network').text;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof NetworkError ? e.message : String(e) });
    return z.NEVER;
  }
});

export const PolicySchema = z
  .object({
    /** Who the policy belongs to: shown by `policy render`, judged by nothing. */
    organisation: z
      .object({
        name: z.string().min(1).max(200).optional(),
        /** Who owns the policy and answers for exceptions. */
        owner: z.string().min(1).max(200).optional(),
        /** Where to report a weakness or an incident. */
        contact: z.string().min(1).max(200).optional(),
        /** The date of the last review (YYYY-MM-DD). */
        reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
      })
      .strict()
      .prefault({}),
    tls: z
      .object({
        /** Lowest TLS version a listener may accept. */
        minVersion: z.enum(['tlsv1.2', 'tlsv1.3']).default('tlsv1.2'),
        /**
         * Warn this many days before a certificate expires: one number or a list (the smallest gives the
         * medium finding, the others low ones). The audit's TLS and key-file checks use it unless
         * `--expiry-warn-days` is given.
         */
        expiryWarningDays: z
          .union([z.number().int().min(1).max(3650), z.array(z.number().int().min(1).max(3650)).min(1).max(4)])
          .default([30, 60])
          .transform((v) => [...new Set(Array.isArray(v) ? v : [v])].sort((a, b) => a - b)),
        /** Smallest RSA (and DH) key of a broker's key, certificate or DH parameter file (NIST SP 800-57: 2048). */
        minRsaBits: z.number().int().min(1024).max(16384).default(2048),
        /** Smallest elliptic-curve key (P-224 is deprecated: 256). */
        minEcBits: z.number().int().min(160).max(571).default(256),
      })
      .strict()
      .prefault({}),
    passwords: z
      .object({
        minLength: z.number().int().min(4).max(256).default(12),
        /** Character classes (lower, upper, digit, symbol) a password needs. */
        minClasses: z.number().int().min(1).max(4).default(3),
        minEntropyBits: z.number().min(0).max(512).default(50),
        /** Lowest PBKDF2 iteration count accepted in a Mosquitto $7$ password file (2.0 writes 101, 2.1 1000). */
        mosquittoMinIterations: z.number().int().min(1).max(100_000_000).default(10_000),
        /** Iterations `passwd hash` uses. */
        hashIterations: z.number().int().min(1000).max(10_000_000).default(100_000),
      })
      .strict()
      .prefault({}),
    emqx: z
      .object({
        minCookieLength: z.number().int().min(8).max(255).default(20),
        minBcryptRounds: z.number().int().min(4).max(31).default(10),
        minPbkdf2Iterations: z.number().int().min(1).max(100_000_000).default(10_000),
      })
      .strict()
      .prefault({}),
    listeners: z
      .object({
        /** When set, any listener not matching one of these is a finding. */
        allowed: z.array(listenerPattern).optional(),
      })
      .strict()
      .prefault({}),
    loginAttempts: z
      .object({
        /** Failed logins from one source (or against one identity) before it is stopped. */
        maxFailures: z.number().int().min(1).max(1000).default(5),
        /** The period failed logins are counted over (seconds, or "1m", "10m"). */
        window: duration(1, 7 * 86400).default(60),
        /** How long a source stays stopped after that (seconds, or "5m", "1h"). */
        banFor: duration(1, 365 * 86400).default(300),
      })
      .strict()
      .prefault({}),
    networks: z
      .object({
        /** When set, the networks MQTT client ports may be opened to (CIDR); anything wider is a finding. */
        clients: z.array(cidr).min(1).optional(),
        /** When set, the networks management ports (dashboards, REST APIs, SSH) and cluster ports may be opened to. */
        management: z.array(cidr).min(1).optional(),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({
        /** Connections and failed logins must be logged (connection_messages, notice level). */
        requireConnectionLog: z.boolean().default(true),
        /** Days the broker's log (its file, or the journal) must be kept at least. */
        minRetentionDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .prefault({}),
    updates: z
      .object({
        /** Package lists older than this many days: the update checks ran on stale data, and nothing refreshes them. */
        maxListsAgeDays: z.number().int().min(1).max(365).default(7),
      })
      .strict()
      .prefault({}),
    drills: z
      .object({
        /** The drills (built-in ids of `mqtt-warden drill list`, or the ids of the organisation's drill files) that must be rehearsed. */
        required: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a drill id (kebab-case)')).default(['brute-force-burst', 'subscription-sweep']),
        /** Each required drill must have held (no FAIL, no ERROR) within this many days. */
        cadenceDays: z.number().int().min(1).max(3650).default(90),
        /** Who runs the drills and answers for a drill that did not hold: shown by `policy render`, judged by nothing. */
        owner: z.string().min(1).max(200).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});

export interface PolicyResult {
  policy?: Policy;
  issues: ConfigIssue[];
}

/** Parse and validate a policy (YAML or JSON text). */
export function parsePolicy(text: string, file: string): PolicyResult {
  const { yaml, issues } = parseLocatedYaml(text, file);
  if (!yaml) return { issues };
  return validatePolicy(yaml.data, yaml);
}

/**
 * Validate policy data that sits at `prefix` in an already parsed document (a policy
 * file, or a policy written inline in the project file); issues name file:line:column.
 */
export function validatePolicy(data: unknown, yaml: LocatedYaml, prefix: YamlPath = []): PolicyResult {
  const r = PolicySchema.safeParse(data);
  if (r.success) return { policy: r.data, issues: [] };
  return { issues: locateIssues(yaml, r.error, prefix) };
}

/** Does a listener match a policy pattern ("8883", "*:8883", "127.0.0.1:1883", "[::1]:1883")? Absent address = all interfaces. */
export function listenerAllowed(allowed: readonly string[], port: number, address: string | undefined): boolean {
  const addr = address && address !== '0.0.0.0' && address !== '::' ? address : '*';
  return allowed.some((p) => {
    const m = /^(?:\[([^\]]+)\]|(.*)):(\d+|\*)$/.exec(p);
    const pAddr = m ? (m[1] ?? m[2] ?? '*') || '*' : '*';
    const pPort = m ? m[3]! : p;
    const portOk = pPort === '*' || Number(pPort) === port;
    const addrOk = pAddr === '*' ? true : pAddr === addr;
    return portOk && addrOk;
  });
}
