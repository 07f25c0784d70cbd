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
import svc090 from './svc-090-plan-networks-outside-policy.js';
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
import tls054 from './tls-054-certificate-file-expiry.js';
import tls055 from './tls-055-tls-file-missing.js';
import upd002 from './upd-002-pending-updates.js';
import upd003 from './upd-003-pending-security-updates.js';
import upd004 from './upd-004-reboot-required.js';
import upd005 from './upd-005-mosquitto-advisories.js';
import upd006 from './upd-006-emqx-advisories.js';
import upd007 from './upd-007-restart-after-library-update.js';
import upd050 from './upd-050-package-lists-stale.js';
import acc030 from './acc-030-mosquitto-anonymous-access.js';
import acc031 from './acc-031-mosquitto-no-authentication.js';
import acc032 from './acc-032-mosquitto-no-acl.js';
import acc033 from './acc-033-mosquitto-acl-too-broad.js';
import acc040 from './acc-040-mosquitto-acl-dead-rule.js';
import acc041 from './acc-041-mosquitto-acl-anonymous-reach.js';
import acc042 from './acc-042-mosquitto-acl-sys-access.js';
import acc034 from './acc-034-mosquitto-zero-length-clientid.js';
import acc035 from './acc-035-mosquitto-identity-as-username.js';
import acc036 from './acc-036-mosquitto-password-hashes.js';
import acc037 from './acc-037-mosquitto-psk-weak.js';
import acc038 from './acc-038-mosquitto-password-cracked.js';
import acc039 from './acc-039-emqx-bootstrap-credentials.js';
import acc050 from './acc-050-emqx-erlang-cookie.js';
import acc051 from './acc-051-emqx-no-authentication.js';
import acc052 from './acc-052-emqx-listener-authn-disabled.js';
import acc053 from './acc-053-emqx-authz-no-match-allow.js';
import acc054 from './acc-054-emqx-authz-deny-action-ignore.js';
import acc055 from './acc-055-emqx-acl-allow-all.js';
import acc056 from './acc-056-emqx-password-hash.js';
import acc057 from './acc-057-emqx-dashboard-default-password.js';
import acc058 from './acc-058-emqx-hardened-overrides.js';
import acc063 from './acc-063-emqx-acl-rule-shadowed.js';
import acc059 from './acc-059-emqx-acl-deny-after-allow.js';
import acc060 from './acc-060-emqx-acl-anonymous-reach.js';
import acc061 from './acc-061-emqx-acl-user-wildcard.js';
import acc062 from './acc-062-emqx-acl-sys-access.js';
import tls030 from './tls-030-mosquitto-tls-version.js';
import tls031 from './tls-031-mosquitto-weak-ciphers.js';
import tls032 from './tls-032-mosquitto-tls-unauthenticated.js';
import tls033 from './tls-033-mosquitto-crl-missing.js';
import tls034 from './tls-034-mosquitto-client-cert-dates-ignored.js';
import tls040 from './tls-040-emqx-tls-versions.js';
import tls041 from './tls-041-emqx-verify-none.js';
import tls042 from './tls-042-emqx-peer-cert-optional.js';
import tls043 from './tls-043-emqx-crl-check.js';
import tls044 from './tls-044-emqx-demo-certificates.js';
import tls045 from './tls-045-emqx-quic-verify-none.js';
import svc030 from './svc-030-mosquitto-listener-all-interfaces.js';
import svc031 from './svc-031-mosquitto-plaintext-beside-tls.js';
import svc032 from './svc-032-mosquitto-websockets-plaintext.js';
import svc033 from './svc-033-mosquitto-proxy-protocol-exposed.js';
import svc034 from './svc-034-mosquitto-http-api-listener.js';
import svc035 from './svc-035-mosquitto-websockets-origin.js';
import svc040 from './svc-040-emqx-plaintext-listener-public.js';
import svc041 from './svc-041-emqx-dashboard-http.js';
import svc042 from './svc-042-emqx-swagger.js';
import svc043 from './svc-043-emqx-cluster-unencrypted.js';
import svc044 from './svc-044-emqx-ws-check-origin.js';
import cfg030 from './cfg-030-mosquitto-limits-unset.js';
import cfg031 from './cfg-031-mosquitto-logging.js';
import cfg032 from './cfg-032-mosquitto-sys-topics.js';
import cfg033 from './cfg-033-mosquitto-config-errors.js';
import cfg034 from './cfg-034-mosquitto-control-api.js';
import cfg035 from './cfg-035-mosquitto-deprecated-options.js';
import cfg050 from './cfg-050-emqx-flapping-detect.js';
import cfg051 from './cfg-051-emqx-audit-log.js';
import cfg052 from './cfg-052-emqx-config-errors.js';
import cfg053 from './cfg-053-emqx-dashboard-login-lockout.js';
import cfg100 from './cfg-100-log-retention.js';
import cfg110 from './cfg-110-drill-cadence.js';
import acc070 from './acc-070-erlang-default-cookie.js';
// Mosquitto dynamic security and NanoMQ
import acc080 from './acc-080-mosquitto-dynsec-default-access.js';
import acc081 from './acc-081-mosquitto-dynsec-broad-role.js';
import acc082 from './acc-082-mosquitto-dynsec-wildcard-subscriptions.js';
import acc083 from './acc-083-mosquitto-dynsec-client-without-password.js';
import acc084 from './acc-084-mosquitto-dynsec-disabled-admin.js';
import acc085 from './acc-085-mosquitto-dynsec-password-iterations.js';
import acc086 from './acc-086-mosquitto-dynsec-democlient.js';
import acc087 from './acc-087-mosquitto-dynsec-plaintext-passwords.js';
import cfg080 from './cfg-080-mosquitto-dynsec-errors.js';
import acc090 from './acc-090-nanomq-anonymous-access.js';
import acc091 from './acc-091-nanomq-acl-no-match-allow.js';
import acc092 from './acc-092-nanomq-deny-action-ignore.js';
import acc093 from './acc-093-nanomq-plaintext-passwords.js';
import svc070 from './svc-070-nanomq-http-api.js';
import svc071 from './svc-071-nanomq-plaintext-listener-public.js';
import cfg081 from './cfg-081-nanomq-config-errors.js';
import cfg090 from './cfg-090-drill-expectations.js';
import cfg091 from './cfg-091-drill-steady-state.js';
import cfg092 from './cfg-092-drill-rollback.js';
import cfg093 from './cfg-093-drill-within-safety.js';
// Management interfaces, probed live
import svc080 from './svc-080-management-api-unauthenticated.js';
import svc081 from './svc-081-management-info-disclosed.js';
import svc082 from './svc-082-management-tls-certificate.js';
import acc071 from './acc-071-management-default-login.js';

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
  svc090,
  svc080,
  svc081,
  svc082,
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
  acc071,
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
  upd050,
  // Config checks (lint, and audit of the configs found on the host)
  tls030,
  tls031,
  tls032,
  tls033,
  tls034,
  tls040,
  tls041,
  tls042,
  tls043,
  tls044,
  tls045,
  svc030,
  svc031,
  svc032,
  svc033,
  svc034,
  svc035,
  svc040,
  svc041,
  svc042,
  svc043,
  svc044,
  acc030,
  acc031,
  acc032,
  acc033,
  acc040,
  acc041,
  acc042,
  acc034,
  acc035,
  acc036,
  acc037,
  acc038,
  acc039,
  acc050,
  acc051,
  acc052,
  acc053,
  acc054,
  acc055,
  acc056,
  acc057,
  acc058,
  acc063,
  acc059,
  acc060,
  acc061,
  acc062,
  cfg030,
  cfg031,
  cfg032,
  cfg033,
  cfg034,
  cfg035,
  cfg050,
  cfg051,
  cfg052,
  cfg053,
  cfg100,
  cfg110,
  acc070,
  // Mosquitto dynamic security
  acc080,
  acc081,
  acc082,
  acc083,
  acc084,
  acc085,
  acc086,
  acc087,
  cfg080,
  // NanoMQ
  acc090,
  acc091,
  acc092,
  acc093,
  svc070,
  svc071,
  cfg081,
  // Drills (scope drill: the journal of `drill run`, src/drill/)
  cfg090,
  cfg091,
  cfg092,
  cfg093,
];
