/**
 * Observers of expectations: each polls one place (guard's state, the nft set, Redis, the broker log, the
 * EMQX banned API, a webhook listener, a fresh connection) until the expectation holds or its deadline
 * passes. The deadline is counted from the step's first attack. A place that was not given on the command
 * line makes the expectation `not-verified` with the reason: never met.
 */
import type { DrillBudget, DrillTarget, Expectation, ExpectationResult, InjectOutcome } from '../model.js';
import { durationMs } from '../model.js';
import type { WebhookListener } from './webhook.js';
import type { NftRunner } from '../../firewall/nft.js';

/** Where the observers may look: what the operator gave on the command line. */
export interface ObserverPlaces {
  /** guard's SQLite state file (`--guard-state`). */
  guardState?: string;
  /** guard's nftables table (`--nft-table`, family inet). */
  nftTable?: string;
  /** How nft is run (default: the local nft through the shared firewall runner, src/firewall/run.ts). */
  nftRunner?: NftRunner;
  /** guard's Redis (`--redis URL`) and its key prefix. */
  redis?: { url: string; prefix: string };
  /** The broker's log file (`--broker-log`). */
  brokerLog?: string;
  /** EMQX REST API base URL and API key (`--emqx-api`, `--emqx-key-env VAR` holding KEY:SECRET). */
  emqx?: { url: string; key: string; secret: string };
  /** The webhook listener the run started (`--webhook-port`). */
  webhook?: WebhookListener;
}

export interface ObserveContext {
  places: ObserverPlaces;
  target: DrillTarget;
  /** The addresses the inject attacks from (what a defence should ban); resolved, never undefined. */
  addresses: readonly string[];
  /** Wall-clock ms (epoch) when the step began: observations older than this are not the drill's doing. */
  stepStartedWall: number;
  /** Monotonic ms since the drill started. */
  now(): number;
  /** Monotonic ms of the step's first attack, once known (the first connection drawn from the budget). */
  attackAt(): number | undefined;
  /** Settles when the inject has returned. */
  injectDone: Promise<InjectOutcome>;
  /** Whether the inject has returned. */
  injectEnded(): boolean;
  budget: DrillBudget;
  signal: AbortSignal;
  timeoutMs: number;
  /** Size of the broker log when the step began (its lines start there). */
  brokerLogStart?: number;
  /** How often to look again, ms. */
  pollMs: number;
}

export type Observed = Omit<ExpectationResult, 'expectation'>;

export interface Observer<E extends Expectation = Expectation> {
  kind: E['kind'];
  /** Where it will look, or why it cannot (→ not-verified). */
  where(e: E, ctx: ObserveContext): { where: string } | { notVerified: string };
  observe(e: E, ctx: ObserveContext, where: string): Promise<Observed>;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Resolves after ms or at abort. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Poll `look` until it reports a hit or the deadline (first attack + within) passes. `what` completes
 * "<kind>: <what> not detected within N s (looked in <where>)". A look that throws counts as "not yet",
 * and its last error is added to the failure message.
 */
export async function poll(
  e: Expectation,
  ctx: ObserveContext,
  where: string,
  what: string,
  look: () => Promise<{ hit: boolean; detail?: string }>,
  opts: { failWord?: string } = {},
): Promise<Observed> {
  const within = durationMs(e.within);
  const started = ctx.now();
  let lastError: string | undefined;
  for (;;) {
    const t = ctx.now();
    try {
      const r = await look();
      if (r.hit) {
        const base = ctx.attackAt() ?? started;
        const afterMs = Math.max(0, Math.round(t - base));
        return { status: 'met', message: `${e.kind}: ${what} ${r.detail ?? 'seen'} after ${seconds(afterMs)} (in ${where})`, afterMs, waitedMs: Math.round(ctx.now() - started) };
      }
      lastError = undefined;
    } catch (err) {
      lastError = (err as Error).message;
    }
    const attack = ctx.attackAt();
    const deadline = attack === undefined ? undefined : attack + within;
    if (ctx.signal.aborted) {
      return { status: 'not-verified', message: `${e.kind}: the drill was stopped before the deadline while looking for ${what} (in ${where})`, waitedMs: Math.round(ctx.now() - started) };
    }
    if (deadline !== undefined && ctx.now() >= deadline) {
      return {
        status: 'failed',
        message: `${e.kind}: ${what} ${opts.failWord ?? 'not detected'} within ${seconds(within)} (looked in ${where})${lastError ? `; last error: ${lastError}` : ''}`,
        waitedMs: Math.round(ctx.now() - started),
      };
    }
    // No attack yet (the inject could not send anything): stop once the inject is over.
    if (attack === undefined && ctx.injectEnded()) {
      return { status: 'not-verified', message: `${e.kind}: the inject sent nothing, so there was nothing to detect (would have looked in ${where})`, waitedMs: Math.round(ctx.now() - started) };
    }
    await pause(Math.min(ctx.pollMs, deadline === undefined ? ctx.pollMs : Math.max(1, deadline - ctx.now())), ctx.signal);
  }
}

export { seconds };
