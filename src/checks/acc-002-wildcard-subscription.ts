import { defineCheck, untested } from '../core/check.js';
import { wildcardAccess } from '../core/facts.js';

export default defineCheck({
  meta: {
    id: 'ACC-002',
    name: 'wildcard-subscription',
    title: 'Subscription to every topic (`#`) granted',
    strategy: 'access',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'With the identity used (anonymous, or `--username`), subscribes to `#` and listens for a short bounded window (`--window`); the evidence counts the messages and distinct topics that arrived (never payloads unless `--show-payloads`). Some brokers refuse `#` in the SUBACK; others (Mosquitto) grant every SUBACK and apply the ACL to each message. To tell them apart the identity publishes one QoS 1 canary to an arbitrary topic (`mqtt-warden-canary-<random>/probe`, or `--canary-topic`): if it comes back through `#` the identity reads arbitrary topics (FAIL, high); if it was accepted (MQTT 5 PUBACK success) but not delivered, the broker filters per message (PASS). When the canary cannot be published (ACL or MQTT 3.1.1) the result is SKIP (inconclusive), whatever arrived: those messages may be within the identity\'s rights. The window always extends to a few round trips after the canary\'s PUBACK, so a slow broker cannot make a missed echo look like filtering.',
    remediation:
      'Grant least privilege. Mosquitto: an `acl_file` where each user reads only its own subtree (`pattern read devices/%u/#`), no `topic read #` for ordinary users. EMQX: `authorization.no_match = deny` and rules such as `{allow, all, subscribe, ["devices/${username}/#"]}`, ending with `{deny, all}`; `{deny, all, subscribe, ["#"]}` blocks the full wildcard.',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html',
    ],
  },
  judge({ 'mqtt.probe': p }) {
    if (!p.session.tested) return untested(p.session);
    const { wildcard: w, canary: c, windowMs } = p.session;
    const access = wildcardAccess(w, c);
    const evidence = {
      identity: p.identity,
      subackCode: w.code,
      access,
      canary: c,
      messages: w.messages,
      topics: w.topics,
      windowMs,
      ...(w.samples ? { samples: w.samples } : {}),
    };
    const data = w.messages ? `${w.messages} messages on ${w.topics} topics arrived within ${windowMs} ms` : `no other message arrived within ${windowMs} ms`;
    switch (access) {
      case 'refused':
        return { status: 'PASS', message: `subscription to # refused for ${p.identity} (SUBACK 0x${w.code.toString(16)})`, evidence };
      case 'filtered':
        return {
          status: 'PASS',
          message: `# was granted at SUBACK but the broker filters delivery by ACL: ${p.identity}'s canary on an arbitrary topic did not come back (${data})`,
          evidence,
        };
      case 'unrestricted':
        // The counts and the window vary per endpoint and run (they stay in the evidence): the message is the
        // same on every endpoint with this finding, so a fleet report groups them.
        return { status: 'FAIL', severity: 'high', message: `${p.identity} reads arbitrary topics through #: its canary came back${w.messages ? ', and messages of other clients arrived' : ''}`, evidence };
      default:
        // Messages may well be within the identity's rights: without the canary nothing is proven.
        return {
          status: 'SKIP',
          message: `inconclusive: # was granted at SUBACK and ${data}, but the canary could not be published (${c.publish}), so per-message filtering can be neither proven nor ruled out; use --canary-topic with a topic ${p.identity} may write but must not read`,
          evidence,
        };
    }
  },
});
