/**
 * The registry of inject kinds (see InjectKind in ../model.ts): one file per attack in this directory,
 * listed here once. A drill file's `inject.kind` must name one of these.
 */
import type { InjectKind } from '../model.js';
import { abnormalTermination } from './abnormal-termination.js';
import { badClientCertificate } from './bad-client-certificate.js';
import { clientIdTakeover } from './client-id-takeover.js';
import { connectionFlood } from './connection-flood.js';
import { distributedGuessing } from './distributed-guessing.js';
import { failedLoginBurst } from './failed-login-burst.js';
import { idleConnections } from './idle-connections.js';
import { subscriptionSweep } from './subscription-sweep.js';
import { sysPublish } from './sys-publish.js';
import { tlsDowngrade } from './tls-downgrade.js';
import { undeliverableMessages } from './undeliverable-messages.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const INJECT_KINDS: readonly InjectKind<any>[] = [
  // one line per kind, alphabetical by file name
  abnormalTermination,
  badClientCertificate,
  clientIdTakeover,
  connectionFlood,
  distributedGuessing,
  failedLoginBurst,
  idleConnections,
  subscriptionSweep,
  sysPublish,
  tlsDowngrade,
  undeliverableMessages,
];

export function injectKind(kind: string): InjectKind | undefined {
  return INJECT_KINDS.find((k) => k.kind === kind) as InjectKind | undefined;
}
