import { defineCheck } from '../core/check.js';

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
      'With the identity used (anonymous, or `--username`), subscribes to `#` and listens for a short bounded window. A granted `#` lets that identity read every message of every device; the evidence counts the messages and distinct topics that arrived (never payloads unless `--show-payloads`).',
    remediation:
      'Grant least privilege. Mosquitto: an `acl_file` where each user reads only its own subtree (`pattern read devices/%u/#`), no `topic read #` for ordinary users. EMQX: `authorization.no_match = deny` and rules such as `{allow, all, subscribe, ["devices/${username}/#"]}`, ending with `{deny, all}`; `{deny, all, subscribe, ["#"]}` blocks the full wildcard.',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html',
    ],
  },
  judge({ 'mqtt.probe': p }) {
    if (!p.session.tested) return { status: 'SKIP', message: p.session.reason };
    const w = p.session.wildcard;
    const evidence = { identity: p.identity, subackCode: w.code, messages: w.messages, topics: w.topics, windowMs: p.session.windowMs, ...(w.samples ? { samples: w.samples } : {}) };
    if (!w.granted) return { status: 'PASS', message: `subscription to # refused for ${p.identity} (SUBACK 0x${w.code.toString(16)})`, evidence };
    const data = w.messages
      ? `; ${w.messages} messages on ${w.topics} topics arrived within ${p.session.windowMs} ms`
      : `; no message arrived within ${p.session.windowMs} ms`;
    return { status: 'FAIL', message: `subscription to # granted to ${p.identity}${data}`, evidence };
  },
});
