/** The check catalogue: every check, in report order. Add new checks here. */
import type { Check } from '../core/check.js';
import upd001 from './upd-001-broker-version-disclosed.js';
import svc001 from './svc-001-management-ports-reachable.js';
import svc002 from './svc-002-plaintext-mqtt.js';
import svc050 from './svc-050-erlang-distribution-exposed.js';
import svc051 from './svc-051-epmd-exposed.js';
import svc052 from './svc-052-listening-not-planned.js';
import svc053 from './svc-053-planned-port-closed.js';
import svc054 from './svc-054-restricted-port-open-to-all.js';
import svc055 from './svc-055-firewall-plan-applied.js';
import acc001 from './acc-001-anonymous-access.js';
import acc002 from './acc-002-wildcard-subscription.js';
import acc003 from './acc-003-sys-subscription.js';
import acc004 from './acc-004-retained-readable.js';
import acc005 from './acc-005-zero-length-client-id.js';
import acc006 from './acc-006-sys-writable.js';
import acc007 from './acc-007-weak-credentials.js';
import acc008 from './acc-008-login-attempt-restriction.js';
import acc009 from './acc-009-client-id-takeover.js';
import acc070 from './acc-070-erlang-default-cookie.js';

export const CATALOGUE: readonly Check[] = [
  upd001,
  svc001,
  svc002,
  svc050,
  svc051,
  svc052,
  svc053,
  svc054,
  svc055,
  acc001,
  acc002,
  acc003,
  acc004,
  acc005,
  acc006,
  acc007,
  acc008,
  acc009,
  acc070,
];
