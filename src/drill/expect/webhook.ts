/**
 * webhook: the drill listens on loopback (`--webhook-port N`) for the alert a defence sends (guard, a SIEM,
 * EMQX's rule engine pointed at it); met when a POST received after the step began names the source
 * address in its body. Bodies are bounded and kept in memory only for the run.
 */
import http from 'node:http';
import type { Expectation } from '../model.js';
import { poll, type Observer } from './types.js';

type Webhook = Extract<Expectation, { kind: 'webhook' }>;

const MAX_BODY = 64 * 1024;
const MAX_KEPT = 1000;

export interface WebhookListener {
  port: number;
  /** POST bodies received, with their wall-clock time. */
  received: { at: number; body: string }[];
  close(): Promise<void>;
}

/** Listen on 127.0.0.1:port (0: any free port); every request is answered 204 at once. */
export function startWebhook(port: number): Promise<WebhookListener> {
  const received: WebhookListener['received'] = [];
  const server = http.createServer((req, res) => {
    req.setTimeout(5000, () => req.destroy());
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (received.length < MAX_KEPT) received.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
    req.on('error', () => undefined);
  });
  server.headersTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : port,
        received,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

export const webhook: Observer<Webhook> = {
  kind: 'webhook',
  where(_e, ctx) {
    if (!ctx.places.webhook) return { notVerified: 'webhook: not verified: no --webhook-port N given, so no listener received alerts' };
    if (!ctx.addresses.length) return { notVerified: 'webhook: not verified: the source address of the inject is not known' };
    return { where: `webhook listener http://127.0.0.1:${ctx.places.webhook.port}/` };
  },
  observe(e, ctx, where) {
    const l = ctx.places.webhook!;
    return poll(e, ctx, where, `an alert naming ${ctx.addresses.join(', ')}`, async () => {
      const hit = l.received.some((r) => r.at >= ctx.stepStartedWall && ctx.addresses.some((ip) => r.body.includes(ip)));
      return { hit, detail: 'received' };
    });
  },
};
