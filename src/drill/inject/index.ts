/**
 * The registry of inject kinds (see InjectKind in ../model.ts): one file per attack in this directory,
 * listed here once. A drill file's `inject.kind` must name one of these.
 */
import type { InjectKind } from '../model.js';
import { failedLoginBurst } from './failed-login-burst.js';
import { subscriptionSweep } from './subscription-sweep.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const INJECT_KINDS: readonly InjectKind<any>[] = [
  // one line per kind, alphabetical by file name
  failedLoginBurst,
  subscriptionSweep,
];

export function injectKind(kind: string): InjectKind | undefined {
  return INJECT_KINDS.find((k) => k.kind === kind) as InjectKind | undefined;
}
