import { defineCheck, untested } from '../core/check.js';
import { wildcardAccess } from '../core/facts.js';

export default defineCheck({
  meta: {
    id: 'ACC-004',
    name: 'retained-readable',
    title: 'Retained messages readable through a wildcard',
    strategy: 'access',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'Counts the retained messages (PUBLISH with the retain flag, outside `$SYS`) delivered to the `#` subscription of the identity used; when the ACC-002 canary shows that the broker filters `#` per message, what arrives is within the identity\'s rights and passes. Retained messages are the last known state of devices and often hold configuration or commands: anyone who may subscribe reads them all at once, without waiting for traffic.',
    remediation:
      'Restrict read access with ACLs (see ACC-002) and avoid retaining sensitive data. Mosquitto: per-user `pattern read` rules, `retain_available false` if retained messages are not used. EMQX: topic rules in `acl.conf`, `mqtt.retain_available = false` or the retainer `max_retained_messages`/`msg_expiry_interval` limits.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.emqx.com/en/emqx/latest/messaging/mqtt-retained-message.html'],
  },
  judge({ 'mqtt.probe': p }) {
    if (!p.session.tested) return untested(p.session);
    const w = p.session.wildcard;
    const access = wildcardAccess(w, p.session.canary);
    const evidence = { identity: p.identity, wildcardAccess: access, retained: w.retained, topics: w.topics };
    if (access === 'refused') {
      return { status: 'PASS', message: `retained messages cannot be enumerated by ${p.identity}: # is refused`, evidence };
    }
    if (w.retained === 0) return { status: 'PASS', message: `no retained message was delivered to ${p.identity} on #`, evidence };
    if (access === 'filtered') {
      return { status: 'PASS', message: `${w.retained} retained messages arrived, but the broker filters # by ACL, so they are within ${p.identity}'s rights`, evidence };
    }
    if (access === 'unproven') {
      return {
        status: 'SKIP',
        message: `inconclusive: ${w.retained} retained messages arrived, but whether # is filtered per message could not be proven (see ACC-002, --canary-topic)`,
        evidence,
      };
    }
    return { status: 'FAIL', message: `${p.identity} read ${w.retained} retained messages through #`, evidence };
  },
});
