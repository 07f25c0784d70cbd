import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { identified, interfaceEvidence, interfaceName, probedPorts, unjudged } from './mgmt-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-071',
    name: 'management-default-login',
    title: 'Management interface accepts the default admin password',
    strategy: 'access',
    severity: 'critical',
    scope: 'host',
    intrusive: true,
    needs: ['mgmt.http'],
    description:
      'With `--intrusive`, exactly one login per management interface with the credentials the product ships: EMQX `POST /api/v5/login` as `admin`/`public`, NanoMQ HTTP basic `admin`/`public` on `GET /api/v4/brokers`. The attempt is never repeated, whatever the answer, so it cannot lock an account; the password is never reported. An accepted login is full control of the broker: authentication, ACLs, rules, bridges. EMQX\'s hardened security profile (6.3) refuses `public` even when it is still set: that is reported at medium, since the password still has to change. Without `--intrusive` the config-side checks say what they can: ACC-057 (`dashboard.default_password`).',
    remediation:
      'EMQX: `emqx ctl admins passwd admin NEW-PASSWORD` now, and `dashboard.default_password` (or `EMQX_DASHBOARD__DEFAULT_PASSWORD`) set before the first start of new nodes. NanoMQ: set `http_server.username` and `http_server.password` in nanomq.conf to your own values and restart. `mqtt-warden passwd gen` prints a random password.',
    references: [
      'https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html',
      'https://nanomq.io/docs/en/latest/config-description/http-server.html',
      'https://www.etsi.org/deliver/etsi_en/303600_303699/303645/02.01.01_60/en_303645v020101p.pdf',
    ],
  },
  judge({ 'mgmt.http': m }) {
    const verdicts: Verdict[] = [];
    let refused = 0;
    for (const i of identified(m)) {
      const l = i.login;
      if (!l.tested) continue;
      const base = { evidence: { ...interfaceEvidence(i), login: { username: l.username, request: l.request, outcome: l.outcome, status: l.status } }, key: String(i.port) };
      if (l.outcome === 'accepted') verdicts.push({ status: 'FAIL', message: `${interfaceName(i)}: ${l.detail} (one attempt, ${l.request})`, ...base });
      else if (l.outcome === 'blocked') verdicts.push({ status: 'FAIL', severity: 'medium', message: `${interfaceName(i)}: ${l.detail}`, ...base });
      else if (l.outcome === 'refused') refused++;
      else if (l.outcome === 'error') verdicts.push({ status: 'ERROR', message: `${interfaceName(i)}: the login attempt got no usable answer: ${l.detail}`, ...base });
      else verdicts.push({ status: 'SKIP', message: `${interfaceName(i)}: not judged, ${l.detail}`, ...base });
    }
    verdicts.push(...unjudged(m));
    if (verdicts.length) return verdicts;
    if (refused) return { status: 'PASS', message: `the default password was refused on ${refused} management interface(s) of ${m.host}` };
    const found = identified(m);
    const why = found.map((i) => `${i.port}: ${i.login.tested ? i.login.outcome : i.login.reason}`).join('; ');
    return { status: 'SKIP', message: found.length ? `no login was attempted on ${m.host} (${why})` : `no management interface that takes a login answers on ${m.host} (ports ${probedPorts(m)})` };
  },
});
