import { defineCheck } from '../core/check.js';
import { advisoryVerdicts } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'UPD-006',
    name: 'emqx-advisories',
    title: 'Installed EMQX is affected by known advisories',
    strategy: 'updates',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.software'],
    description:
      'Matches the EMQX versions found on the host (package database, `releases/start_erl.data` / `releases/emqx_vars` / release directories of /opt/emqx and /usr/lib/emqx) against the offline advisory database. One result per advisory with the CVE, severity and first fixed release.',
    remediation: 'Upgrade EMQX to the first fixed release or later, following the EMQX upgrade guide (rolling upgrade node by node in a cluster).',
    references: ['https://www.emqx.com/en/security', 'https://docs.emqx.com/en/emqx/latest/changes/all-changes.html'],
  },
  judge({ 'sys.software': s }) {
    return advisoryVerdicts(s, 'emqx');
  },
});
