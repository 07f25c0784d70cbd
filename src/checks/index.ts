/** The check catalogue: every check, in report order. Add new checks here. */
import type { Check } from '../core/check.js';
import upd001 from './upd-001-broker-version-disclosed.js';
import svc001 from './svc-001-management-ports-reachable.js';
import svc002 from './svc-002-plaintext-mqtt.js';
import acc001 from './acc-001-anonymous-access.js';
import acc002 from './acc-002-wildcard-subscription.js';
import acc003 from './acc-003-sys-subscription.js';
import acc004 from './acc-004-retained-readable.js';
import acc005 from './acc-005-zero-length-client-id.js';
import acc006 from './acc-006-sys-writable.js';
import acc007 from './acc-007-weak-credentials.js';
import acc008 from './acc-008-login-attempt-restriction.js';
import acc009 from './acc-009-client-id-takeover.js';

export const CATALOGUE: readonly Check[] = [
  upd001,
  svc001,
  svc002,
  acc001,
  acc002,
  acc003,
  acc004,
  acc005,
  acc006,
  acc007,
  acc008,
  acc009,
];
