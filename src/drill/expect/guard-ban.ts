/**
 * guard-ban: guard banned the inject's source address. Looked for in guard's SQLite state (`--guard-state`,
 * opened read-only: table `bans`, src/guard/state.ts), in its nftables set (`--nft-table`, the sets
 * `ipv4_addr`/`ipv6_addr` of table inet T, read with `nft -j list set` through the firewall runner), and in
 * Redis (`--redis`, the key `<prefix>:ban:<ip>`, src/guard/redis.ts). With `in: any`, every place given is
 * looked in and the first that shows the ban counts. A ban of a network (guard's subnet rule: a CIDR in the
 * state, an element of the sets `ipv4_net`/`ipv6_net`, a key `<prefix>:ban:<cidr>`) that covers the source
 * address counts as a ban of that address.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { NftBackend } from '../../guard/backends/nftables.js';
import { familyOf, isCidr, targetContains } from '../../guard/ip.js';
import type { NftRunner } from '../../firewall/nft.js';
import type { Expectation } from '../model.js';
import { poll, type ObserveContext, type Observer } from './types.js';

type GuardBan = Extract<Expectation, { kind: 'guard-ban' }>;

interface Place {
  name: string;
  /** The addresses among `ips` banned there now (by a ban made after `since`, where the place records it). */
  banned(ips: readonly string[], since: number): Promise<string[]>;
  close?(): Promise<void>;
}

function statePlace(file: string): Place {
  return {
    name: `guard state ${file}`,
    async banned(ips, since) {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2000 });
      try {
        const q = db.prepare('SELECT ip FROM bans WHERE ip = ? AND expires > ? AND created >= ?');
        // Network bans are few: all of them, matched here (a CIDR cannot be compared in SQL).
        const nets = (db.prepare("SELECT ip FROM bans WHERE ip LIKE '%/%' AND expires > ? AND created >= ?").all(Date.now(), since - 2000) as { ip: string }[]).map((r) => r.ip);
        // created is guard's detection time (the offending log line's time): a little slack for clock granularity.
        return ips.filter((ip) => q.get(ip, Date.now(), since - 2000) !== undefined || nets.some((n) => targetContains(n, ip)));
      } finally {
        db.close();
      }
    },
  };
}

function nftPlace(table: string, ips: readonly string[], nft?: NftRunner): Place {
  const sets = [...new Set(ips.flatMap((ip) => (familyOf(ip) === 4 ? ['ipv4_addr', 'ipv4_net'] : ['ipv6_addr', 'ipv6_net'])))];
  const backend = new NftBackend({ table, ports: [], action: 'drop', ...(nft && { nft }) });
  return {
    name: `nft sets inet ${table} ${sets.join(', ')}`,
    async banned(want) {
      const all = (await backend.list()).map((b) => b.ip);
      const listed = new Set(all);
      const nets = all.filter(isCidr);
      return want.filter((ip) => listed.has(ip) || nets.some((n) => targetContains(n, ip)));
    },
  };
}

function redisPlace(url: string, prefix: string): Place {
  let client: Redis | undefined;
  return {
    name: `Redis ${url.replace(/\/\/[^@/]*@/, '//***@')} keys ${prefix}:ban:<ip> and ${prefix}:ban:<network>`,
    async banned(ips) {
      client ??= new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
      if (client.status === 'wait') await client.connect();
      const vals = await client.mget(...ips.map((ip) => `${prefix}:ban:${ip}`));
      // Network bans: the keys holding a "/", found by a bounded SCAN.
      const nets: string[] = [];
      let cursor = '0';
      let rounds = 0;
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:ban:*/*`, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) nets.push(k.slice(`${prefix}:ban:`.length));
      } while (cursor !== '0' && ++rounds < 1000);
      return ips.filter((ip, i) => vals[i] !== null || nets.some((n) => targetContains(n, ip)));
    },
    async close() {
      client?.disconnect();
    },
  };
}

function placesOf(e: GuardBan, ctx: ObserveContext): Place[] {
  const p = ctx.places;
  const out: Place[] = [];
  if ((e.in === 'state' || e.in === 'any') && p.guardState) out.push(statePlace(p.guardState));
  if ((e.in === 'nft' || e.in === 'any') && p.nftTable) out.push(nftPlace(p.nftTable, ctx.addresses, p.nftRunner));
  if ((e.in === 'redis' || e.in === 'any') && p.redis) out.push(redisPlace(p.redis.url, p.redis.prefix));
  return out;
}

const OPTION: Record<GuardBan['in'], string> = { state: '--guard-state DB', nft: '--nft-table T', redis: '--redis URL', any: '--guard-state, --nft-table or --redis' };

export const guardBan: Observer<GuardBan> = {
  kind: 'guard-ban',
  where(e, ctx) {
    const places = placesOf(e, ctx);
    if (!places.length) return { notVerified: `guard-ban: not verified: no ${OPTION[e.in]} given, so there was nowhere to look for guard's ban` };
    if (!ctx.addresses.length) return { notVerified: 'guard-ban: not verified: the source address of the inject is not known' };
    return { where: places.map((p) => p.name).join(' and ') };
  },
  async observe(e, ctx, where) {
    const places = placesOf(e, ctx);
    const who = ctx.addresses.join(', ');
    try {
      return await poll(e, ctx, where, who, async () => {
        const errors: string[] = [];
        for (const p of places) {
          try {
            const hit = await p.banned(ctx.addresses, ctx.stepStartedWall);
            if (hit.length) return { hit: true, detail: places.length > 1 ? `banned (seen in ${p.name})` : 'banned' };
          } catch (err) {
            errors.push(`${p.name}: ${(err as Error).message}`);
          }
        }
        if (errors.length === places.length) throw new Error(errors.join('; '));
        return { hit: false };
      });
    } finally {
      for (const p of places) await p.close?.();
    }
  },
};
