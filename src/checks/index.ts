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
// host (system scope) checks
import acc020 from './acc-020-ssh-root-login.js';
import acc021 from './acc-021-ssh-password-authentication.js';
import acc022 from './acc-022-empty-passwords.js';
import cfg001 from './cfg-001-firewall-active.js';
import cfg002 from './cfg-002-firewall-mqtt-exposure.js';
import cfg003 from './cfg-003-mandatory-access-control.js';
import cfg004 from './cfg-004-broker-confined.js';
import cfg005 from './cfg-005-broker-data-encrypted.js';
import cfg006 from './cfg-006-swap-encrypted.js';
import cfg007 from './cfg-007-broker-logging.js';
import cfg008 from './cfg-008-journald-persistent.js';
import cfg009 from './cfg-009-auditd.js';
import cfg010 from './cfg-010-hardening-tools.js';
import cfg011 from './cfg-011-lynis-warnings.js';
import cfg012 from './cfg-012-lynis-suggestions.js';
import svc003 from './svc-003-unexpected-listeners.js';
import svc004 from './svc-004-listener-wider-than-configured.js';
import svc005 from './svc-005-risky-services.js';
import svc006 from './svc-006-broker-runs-as-root.js';
import tls050 from './tls-050-openssl-advisories.js';
import tls051 from './tls-051-private-key-permissions.js';
import tls052 from './tls-052-private-key-unencrypted.js';
import tls053 from './tls-053-weak-key-size.js';
import tls054 from './tls-054-certificate-expiry.js';
import tls055 from './tls-055-tls-file-missing.js';
import upd002 from './upd-002-pending-updates.js';
import upd003 from './upd-003-pending-security-updates.js';
import upd004 from './upd-004-reboot-required.js';
import upd005 from './upd-005-mosquitto-advisories.js';
import upd006 from './upd-006-emqx-advisories.js';
import upd007 from './upd-007-restart-after-library-update.js';
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
  acc020,
  acc021,
  acc022,
  cfg001,
  cfg002,
  cfg003,
  cfg004,
  cfg005,
  cfg006,
  cfg007,
  cfg008,
  cfg009,
  cfg010,
  cfg011,
  cfg012,
  svc003,
  svc004,
  svc005,
  svc006,
  tls050,
  tls051,
  tls052,
  tls053,
  tls054,
  tls055,
  upd002,
  upd003,
  upd004,
  upd005,
  upd006,
  upd007,
  acc070,
];
