import type { GuardConfig } from '../config.js';
import { IpsetBackend } from './ipset.js';
import { LogOnlyBackend } from './logonly.js';
import { NftBackend } from './nftables.js';
import type { BanBackend } from './types.js';

export type { BanBackend, BanEntry, ListedBan } from './types.js';

export function makeBackend(cfg: GuardConfig, dryRun: boolean): BanBackend {
  if (dryRun || cfg.ban.backend === 'log-only') return new LogOnlyBackend();
  const o = { table: cfg.ban.table, ports: cfg.ban.ports, action: cfg.ban.action };
  return cfg.ban.backend === 'ipset' ? new IpsetBackend(o) : new NftBackend(o);
}
