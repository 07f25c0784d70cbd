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
import acc010 from './acc-010-tls-without-any-authentication.js';
import tls001 from './tls-001-sslv3-offered.js';
import tls002 from './tls-002-legacy-tls-offered.js';
import tls003 from './tls-003-tls13-missing.js';
import tls004 from './tls-004-weak-cipher-suites.js';
import tls005 from './tls-005-cbc-or-no-forward-secrecy.js';
import tls006 from './tls-006-server-cipher-order.js';
import tls007 from './tls-007-certificate-untrusted.js';
import tls008 from './tls-008-hostname-mismatch.js';
import tls009 from './tls-009-cn-only-certificate.js';
import tls010 from './tls-010-certificate-expiry.js';
import tls011 from './tls-011-weak-key.js';
import tls012 from './tls-012-weak-signature.js';
import tls013 from './tls-013-self-signed-leaf.js';
import tls014 from './tls-014-missing-intermediate.js';
import tls015 from './tls-015-ca-leaf.js';
import tls016 from './tls-016-certificate-revoked.js';
import tls017 from './tls-017-no-revocation-info.js';
import tls018 from './tls-018-crl-unusable.js';
import tls019 from './tls-019-client-certificate-not-required.js';
import tls020 from './tls-020-client-certificate-refused.js';
import acc070 from './acc-070-erlang-default-cookie.js';

export const CATALOGUE: readonly Check[] = [
  upd001,
  tls001,
  tls002,
  tls003,
  tls004,
  tls005,
  tls006,
  tls007,
  tls008,
  tls009,
  tls010,
  tls011,
  tls012,
  tls013,
  tls014,
  tls015,
  tls016,
  tls017,
  tls018,
  tls019,
  tls020,
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
  acc010,
  acc070,
];
