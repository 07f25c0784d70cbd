import { defineCheck } from '../core/check.js';
import { advisoryVerdicts } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'UPD-005',
    name: 'mosquitto-advisories',
    title: 'Installed Mosquitto is affected by known advisories',
    strategy: 'updates',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.software'],
    description:
      'Matches the Mosquitto versions found on the host (package database; on the live host also `mosquitto -h`) against the offline advisory database shipped with mqtt-warden (CVE JSON 5 records; refresh with `mqtt-warden advisories update --from FILE`). One result per advisory, naming the CVE, its severity and the first fixed release. Distributions backport fixes without changing the upstream version: a match on a distribution package is reported one severity lower with that caveat; a vanilla build is definitive.',
    remediation:
      'Upgrade Mosquitto to the first fixed release or later (mosquitto.org packages or the distribution\'s updated package). For a distribution package, check its changelog (`apt changelog mosquitto`) or the security tracker for the CVE before deciding it is fixed.',
    references: ['https://mosquitto.org/security/', 'https://security-tracker.debian.org/tracker/source-package/mosquitto'],
  },
  judge({ 'sys.software': s }) {
    return advisoryVerdicts(s, 'mosquitto');
  },
});
