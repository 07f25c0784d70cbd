/**
 * refused-after-ban: once the inject is over, a fresh connection from each source address must get no
 * handshake or no CONNACK within a short timeout (or a CONNACK "banned"/"busy"): the ban is in force
 * where it matters, at the broker's door. Every try is drawn from the drill's connection budget.
 */
import type { Expectation } from '../model.js';
import { connectOnce, isBlockingCode } from '../net.js';
import { poll, type Observer } from './types.js';

type RefusedAfterBan = Extract<Expectation, { kind: 'refused-after-ban' }>;

/** Per-try timeout: a ban that drops packets shows as silence; the broker's own answer comes in milliseconds. */
const TRY_TIMEOUT_MS = 1500;

export const refusedAfterBan: Observer<RefusedAfterBan> = {
  kind: 'refused-after-ban',
  where(_e, ctx) {
    return { where: `fresh connections from ${ctx.addresses.length ? ctx.addresses.join(', ') : 'this host'} to ${ctx.target.host}:${ctx.target.port}` };
  },
  async observe(e, ctx, where) {
    await ctx.injectDone;
    const sources: (string | undefined)[] = ctx.addresses.length ? [...ctx.addresses] : [undefined];
    return poll(
      e,
      ctx,
      where,
      `a connection from ${sources.map((s) => s ?? 'this host').join(', ')}`,
      async () => {
        for (const source of sources) {
          if (!(await ctx.budget.connection())) throw new Error('the drill\'s connection budget is spent');
          const r = await connectOnce({ ...ctx, timeoutMs: Math.min(ctx.timeoutMs, TRY_TIMEOUT_MS) }, source, {});
          if (r.kind === 'connack') {
            r.channel?.close();
            if (isBlockingCode(r.code, r.version)) return { hit: true, detail: `refused with CONNACK ${r.code} (${r.name})` };
            return { hit: false };
          }
          if (r.kind === 'aborted') return { hit: false };
          return { hit: true, detail: `refused (${r.kind === 'no-connection' ? (r.timeout ? 'no handshake' : r.detail) : 'no CONNACK'})` };
        }
        return { hit: false };
      },
      { failWord: 'still answered by the broker' },
    );
  },
};
