/**
 * emqx-banned: EMQX lists the source address in its banned table: `GET /api/v5/banned` of the REST API
 * (`--emqx-api URL`, authenticated with an API key `--emqx-key-env VAR` holding KEY:SECRET, as HTTP Basic, EMQX 5/6), each
 * request bounded by the run's timeout. An entry counts when it is `as: peerhost` naming the address, or
 * `as: peerhost_net` whose CIDR contains it.
 */
import ipaddr from 'ipaddr.js';
import type { Expectation } from '../model.js';
import { poll, type Observer } from './types.js';

type EmqxBanned = Extract<Expectation, { kind: 'emqx-banned' }>;

interface BannedEntry {
  as?: string;
  who?: string;
}

/** The banned-list URL of an API base (`http://host:18083`, or one already ending in /api/v5). */
export function bannedUrl(base: string): string {
  const b = base.replace(/\/+$/, '');
  return `${/\/api\/v5$/.test(b) ? b : `${b}/api/v5`}/banned?page=1&limit=1000`;
}

export function entryNames(e: BannedEntry, ip: string): boolean {
  if (typeof e.who !== 'string') return false;
  if (e.as === 'peerhost') return e.who === ip;
  if (e.as === 'peerhost_net') {
    try {
      const addr = ipaddr.parse(ip);
      const [net, bits] = ipaddr.parseCIDR(e.who);
      return addr.kind() === net.kind() && addr.match([net, bits]);
    } catch {
      return false;
    }
  }
  return false;
}

export async function fetchBanned(api: { url: string; key: string; secret: string }, timeoutMs: number): Promise<BannedEntry[]> {
  const res = await fetch(bannedUrl(api.url), {
    headers: { authorization: `Basic ${Buffer.from(`${api.key}:${api.secret}`).toString('base64')}`, accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`GET /api/v5/banned: HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > 8 * 1024 * 1024) throw new Error('GET /api/v5/banned: answer larger than 8 MiB');
  const body = JSON.parse(text) as { data?: unknown };
  if (!Array.isArray(body.data)) throw new Error('GET /api/v5/banned: no "data" list in the answer');
  return body.data as BannedEntry[];
}

export const emqxBanned: Observer<EmqxBanned> = {
  kind: 'emqx-banned',
  where(_e, ctx) {
    if (!ctx.places.emqx) return { notVerified: 'emqx-banned: not verified: no --emqx-api URL with --emqx-key-env VAR given, so there was nowhere to look' };
    if (!ctx.addresses.length) return { notVerified: 'emqx-banned: not verified: the source address of the inject is not known' };
    return { where: `EMQX ${bannedUrl(ctx.places.emqx.url).replace(/\?.*$/, '')}` };
  },
  observe(e, ctx, where) {
    return poll(e, ctx, where, ctx.addresses.join(', '), async () => {
      const list = await fetchBanned(ctx.places.emqx!, ctx.timeoutMs);
      const hit = ctx.addresses.filter((ip) => list.some((x) => entryNames(x, ip)));
      return { hit: hit.length > 0, detail: `banned (${hit.join(', ')})` };
    });
  },
};
