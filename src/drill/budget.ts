/**
 * The budget of one drill run: a rate limiter (at most `maxRate` connection attempts per second, evenly
 * spaced), the caps on connections and failed logins, and the run's deadline (an AbortSignal). Every inject
 * draws from it before it opens a connection; a refusal means "do not connect".
 */
import type { DrillBudget } from './model.js';

export interface BudgetLimits {
  maxRate: number;
  maxConnections: number;
  maxFailedLogins: number;
}

/** Resolves after `ms`, or early (false) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RunBudget implements DrillBudget {
  readonly used = { connections: 0, failedLogins: 0 };
  /** Why the last refusal happened (for the journal). */
  refusedBy?: 'connections' | 'failed-logins' | 'deadline';
  private next = 0;
  private readonly spacing: number;

  constructor(
    private readonly limits: BudgetLimits,
    private readonly signal: AbortSignal,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.spacing = 1000 / limits.maxRate;
  }

  /** Waits for the next slot of the rate limit; false when the deadline came first. */
  private async slot(): Promise<boolean> {
    const now = this.clock();
    const at = Math.max(now, this.next);
    this.next = at + this.spacing;
    if (!(await sleep(at - now, this.signal))) {
      this.refusedBy = 'deadline';
      return false;
    }
    return true;
  }

  async connection(): Promise<boolean> {
    if (this.signal.aborted) return this.refuse('deadline');
    if (this.used.connections >= this.limits.maxConnections) return this.refuse('connections');
    // Counted before the wait: concurrent callers can never overshoot the cap together.
    this.used.connections++;
    if (!(await this.slot())) {
      this.used.connections--;
      return false;
    }
    return true;
  }

  /** One failed-login attempt: a connection (rate-limited, counted) and a failed login together. */
  async failedLogin(): Promise<boolean> {
    if (this.signal.aborted) return this.refuse('deadline');
    if (this.used.failedLogins >= this.limits.maxFailedLogins) return this.refuse('failed-logins');
    this.used.failedLogins++;
    if (!(await this.connection())) {
      this.used.failedLogins--;
      return false;
    }
    return true;
  }

  private refuse(by: NonNullable<RunBudget['refusedBy']>): false {
    this.refusedBy = by;
    return false;
  }
}
