/**
 * Host ("system") collectors: facts about the machine the broker runs on, read
 * from its files, package databases and /proc. With `root` set, paths are resolved
 * under that directory (an offline image or container root) and live-process
 * facts are skipped with the reason.
 */
import { hostname } from 'node:os';
import type { FactMap } from '../../core/facts.js';
import type { Policy } from '../../config/policy.js';
import { collectConfigFacts } from '../config.js';

export interface SystemAuditOptions {
  /** Filesystem root to inspect; '/' for this host. */
  root: string;
  /** Timeout of each command or file read. */
  timeoutMs: number;
  /** Thresholds for the config checks (the default policy otherwise). */
  policy?: Policy;
  onProgress?: (message: string) => void;
}

export interface SystemFacts {
  /** Subject name of the system checks: the host name, or the root directory when offline. */
  name: string;
  facts: FactMap;
  notes: string[];
}

export async function collectSystemFacts(opts: SystemAuditOptions): Promise<SystemFacts> {
  const live = opts.root === '/';
  opts.onProgress?.('reading Mosquitto and EMQX configs');
  const facts = await collectConfigFacts({ root: opts.root, ...(opts.policy ? { policy: opts.policy } : {}) });
  return {
    name: live ? hostname() : opts.root,
    facts,
    notes: ['Host checks (updates, advisories, key files, listening sockets, firewall) are not part of this version yet; Mosquitto and EMQX configs are checked.'],
  };
}
