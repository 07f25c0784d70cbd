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
import { collectPortCheckFacts, type PortCheckOptions } from '../port-check.js';

export interface SystemAuditOptions {
  /** Filesystem root to inspect; '/' for this host. */
  root: string;
  /** Timeout of each command or file read. */
  timeoutMs: number;
  /** Thresholds for the config checks (the default policy otherwise). */
  policy?: Policy;
  onProgress?: (message: string) => void;
  /** The port plan to compare with this host's sockets and firewall (`audit --port-plan`, `ports --check`). */
  portPlan?: Omit<PortCheckOptions, 'root'>;
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
  const configFacts = await collectConfigFacts({ root: opts.root, ...(opts.policy ? { policy: opts.policy } : {}) });
  if (opts.portPlan) opts.onProgress?.('comparing the port plan with the listening sockets and the firewall');
  const portFacts = await collectPortCheckFacts(opts.portPlan && { ...opts.portPlan, root: opts.root });
  return {
    name: live ? hostname() : opts.root,
    facts: { ...configFacts, ...portFacts },
    notes: ['Host checks (updates, advisories, key files) are not part of this version yet; Mosquitto and EMQX configs, and the port plan when given, are checked.'],
  };
}
