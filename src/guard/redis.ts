/**
 * Cluster-wide bans through Redis: every ban is a key `<prefix>:ban:<ip>` (for
 * a network ban `<prefix>:ban:<cidr>`, e.g. `…:ban:203.0.113.0/24`) with
 * the ban's remaining time as its expiry (so Redis forgets it when the ban
 * ends) plus a message on `<prefix>:bans`. Nodes apply bans published by the
 * others, and a node that was down catches up on start by scanning the keys.
 */
import { Redis } from 'ioredis';

export interface ClusterBan {
  ip: string;
  reason: string;
  /** ms since the epoch */
  expires: number;
  node: string;
}

export class RedisSync {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;

  constructor(url: string, private readonly prefix: string, readonly node: string, private readonly onBan: (b: ClusterBan) => void, private readonly onError: (m: string) => void) {
    const opts = { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000, enableOfflineQueue: true };
    this.pub = new Redis(url, opts);
    this.sub = new Redis(url, opts);
    this.channel = `${prefix}:bans`;
    for (const c of [this.pub, this.sub]) c.on('error', (e: Error) => this.onError(`redis: ${e.message}`));
  }

  /** Connect, subscribe, then return the bans other nodes made while we were away. */
  async start(): Promise<ClusterBan[]> {
    await this.pub.connect();
    await this.sub.connect();
    this.sub.on('message', (_ch: string, msg: string) => {
      const b = parse(msg);
      if (b && b.node !== this.node) this.onBan(b);
    });
    await this.sub.subscribe(this.channel);
    const found: ClusterBan[] = [];
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = await this.pub.scan(cursor, 'MATCH', `${this.prefix}:ban:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) {
        const values = await this.pub.mget(...keys);
        for (const v of values) {
          const b = v ? parse(v) : undefined;
          if (b && b.expires > Date.now()) found.push(b);
        }
      }
    } while (cursor !== '0' && ++rounds < 10_000);
    return found;
  }

  async publish(b: Omit<ClusterBan, 'node'>): Promise<void> {
    const ttl = b.expires - Date.now();
    if (ttl <= 0) return;
    const msg = JSON.stringify({ ...b, node: this.node });
    await this.pub.multi().set(`${this.prefix}:ban:${b.ip}`, msg, 'PX', ttl).publish(this.channel, msg).exec();
  }

  async unban(ip: string): Promise<void> {
    await this.pub.del(`${this.prefix}:ban:${ip}`);
  }

  async stop(): Promise<void> {
    this.sub.disconnect();
    this.pub.disconnect();
  }
}

function parse(s: string): ClusterBan | undefined {
  try {
    const b = JSON.parse(s) as ClusterBan;
    if (typeof b.ip === 'string' && typeof b.expires === 'number' && typeof b.node === 'string') return { ip: b.ip, reason: String(b.reason ?? 'cluster'), expires: b.expires, node: b.node };
  } catch {
    // ignore foreign messages
  }
  return undefined;
}
