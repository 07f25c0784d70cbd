/** The observers of expectations, one file each; `resisted` is judged by the inject itself (src/drill/run.ts). */
import type { Expectation } from '../model.js';
import type { Observer } from './types.js';
import { brokerLog } from './broker-log.js';
import { emqxBanned } from './emqx-banned.js';
import { guardBan } from './guard-ban.js';
import { refusedAfterBan } from './refused-after-ban.js';
import { webhook } from './webhook.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OBSERVERS: readonly Observer<any>[] = [brokerLog, emqxBanned, guardBan, refusedAfterBan, webhook];

export function observerFor(kind: Expectation['kind']): Observer | undefined {
  return OBSERVERS.find((o) => o.kind === kind) as Observer | undefined;
}

/** Kinds that detect (time-to-detect) and that block (time-to-block). */
export const DETECTING: readonly Expectation['kind'][] = ['guard-ban', 'broker-log', 'emqx-banned', 'webhook'];
export const BLOCKING: readonly Expectation['kind'][] = ['refused-after-ban'];
