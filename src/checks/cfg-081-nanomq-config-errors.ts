import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-081',
    name: 'nanomq-config-errors',
    title: 'NanoMQ config, password or ACL file with errors, or an include that cannot be read',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.nanomq'],
    description:
      'Reports HOCON syntax errors in nanomq.conf and its password and ACL files (NanoMQ stops reading a file at a syntax error, so the settings after it take their defaults: anonymous access and `no_match = allow` among them), values NanoMQ does not accept, password or ACL entries it ignores, and `include` lines whose file cannot be read (an ACL or password file that is not there leaves the broker with no rules or no users). A given password or ACL file that cannot be read is reported too.',
    remediation: 'Fix the reported line; make each `include "…"` name an existing file, readable by the broker (NanoMQ reads absolute paths as written, e.g. `/etc/nanomq_acl.conf`).',
    references: ['https://nanomq.io/docs/en/latest/config-description/introduction.html'],
  },
  judge({ 'config.nanomq': n }) {
    const fails: Verdict[] = [];
    for (const c of n.configs) {
      for (const i of c.includes) if (i.error) fails.push({ status: 'FAIL', message: `included file ${i.path} cannot be read (${i.error})`, location: at(i.ref) });
      for (const i of [...c.issues, ...(c.passwords?.issues ?? []), ...(c.acl?.issues ?? [])]) fails.push({ status: 'FAIL', ...(i.incomplete ? {} : { severity: 'low' as const }), message: i.message, location: at(i) });
    }
    for (const f of [...n.passwordFiles, ...n.aclFiles]) {
      if (!f.parsed) fails.push({ status: 'FAIL', message: `${f.path} cannot be read (${f.error ?? 'unknown error'})`, location: at(f.ref) });
      else for (const i of f.parsed.issues) fails.push({ status: 'FAIL', severity: 'low', message: i.message, location: at(i) });
    }
    return failuresOr(fails, 'the NanoMQ files parse without errors and every include is readable');
  },
});
