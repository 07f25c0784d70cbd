import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-007',
    name: 'weak-credentials',
    title: 'Default or weak credentials accepted',
    strategy: 'access',
    severity: 'critical',
    scope: 'endpoint',
    intrusive: true,
    needs: ['mqtt.credentials'],
    description:
      'Intrusive (`--intrusive`). First tries one random username and password as a control (a broker that accepts it has no authentication, see ACC-001, and guessing would prove nothing). Then tries a small built-in list of defaults (admin/public, admin/admin, guest/guest, ...) plus `--wordlist` entries, paced by `--rate` and bounded by `--max-attempts` and `--max-seconds`. Passwords are redacted in reports unless `--show-secrets`.',
    remediation:
      'Change every default and weak password; use long random passwords or client certificates. Mosquitto: `mqtt-warden passwd gen` prints a random password, and `mqtt-warden passwd hash USER --file /etc/mosquitto/passwd` stores it (hidden prompt; PBKDF2-SHA512 with the policy\'s iterations, weak passwords refused), then reload the broker (SIGHUP). `mosquitto_passwd /etc/mosquitto/passwd USER` is the alternative, but 2.0 writes only 101 PBKDF2 iterations and cannot set the count (2.1+ or the dynamic security plugin do better). EMQX: change `dashboard.default_password` and the built-in database users, use `bcrypt` or `pbkdf2` password hashing.',
    references: ['https://mosquitto.org/man/mosquitto_passwd-1.html', 'https://docs.emqx.com/en/emqx/latest/access-control/authn/authn.html'],
  },
  judge({ 'mqtt.credentials': c }) {
    const evidence = {
      control: c.control,
      attempts: c.attempts,
      refusedAuth: c.refusedAuth,
      refusedOther: c.refusedOther,
      errors: c.errors,
      stoppedBy: c.stoppedBy,
      accepted: c.accepted,
    };
    if (!('accepted' in c.control)) return { status: 'SKIP', message: `the control login failed: ${c.control.error}`, evidence };
    if (c.control.accepted) {
      return { status: 'SKIP', message: 'the broker accepts a random username and password, so guessing proves nothing (see ACC-001)', evidence };
    }
    if (c.control.refusal === 'other') {
      return { status: 'SKIP', message: `inconclusive: the control login was refused with "${c.control.codeName}", not as bad credentials`, evidence };
    }
    if (c.control.refusal === 'not-authorized' && !c.clientIdProven) {
      return {
        status: 'SKIP',
        message: `inconclusive: the control login was refused as "${c.control.codeName}", which Mosquitto also answers to a client ID outside clientid_prefixes, and no random client ID was seen accepted; audit with --username to prove it`,
        evidence,
      };
    }
    if (c.accepted.length) {
      const who = c.accepted.map((a) => `${a.username} (${a.source})`).join(', ');
      return { status: 'FAIL', message: `default/weak credentials accepted for: ${who}`, evidence };
    }
    if (c.stoppedBy === 'refused-connections') {
      return { status: 'SKIP', message: `guessing stopped after ${c.attempts} attempts: the broker stopped answering (a ban or limit?)`, evidence };
    }
    if (c.refusedAuth === 0) {
      return { status: 'SKIP', message: 'inconclusive: no guess was answered with an authentication refusal, so no password was really tested', evidence };
    }
    // Only guesses refused as bad credentials tested a password.
    const untested = c.refusedOther + c.errors;
    if (untested > 0) {
      return {
        status: 'SKIP',
        message: `inconclusive: ${untested} of ${c.refusedAuth + untested} guesses were not answered as bad credentials (busy, banned, dropped), so the list was not really tested`,
        evidence,
      };
    }
    if (c.stoppedBy !== 'list-exhausted') {
      // A list not tried to its end proves nothing about the rest of it: never a PASS.
      const raise = c.stoppedBy === 'max-attempts' ? '--max-attempts' : c.stoppedBy === 'max-seconds' ? '--max-seconds' : '--target-timeout';
      return {
        status: 'SKIP',
        message: `inconclusive: guessing stopped by ${c.stoppedBy} after ${c.refusedAuth} tested guesses, before the end of the list; nothing was accepted so far (raise ${raise} to test the whole list)`,
        evidence,
      };
    }
    return { status: 'PASS', message: `no default or weak credential was accepted in the whole list (${c.refusedAuth} tested guesses)`, evidence };
  },
});
