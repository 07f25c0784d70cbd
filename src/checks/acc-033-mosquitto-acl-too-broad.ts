import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, failuresOr, unreadFilesSkip } from './config-util.js';

/** A filter that covers every normal topic: "#", "+/#" and the like. */
const everything = (t: string) => /^(\+\/)*#$/.test(t);

export default defineCheck({
  meta: {
    id: 'ACC-033',
    name: 'mosquitto-acl-too-broad',
    title: 'Mosquitto ACL grants every topic, or patterns without %u/%c',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Reads the ACL files: a `topic` rule granting read or write on `#` (or `+/#`) gives that user, or every anonymous client when it comes before any `user` line, the whole broker; a `pattern` rule applies to every client, so without `%u` or `%c` it is a grant to everyone. Rules that name an administrator explicitly are still findings: keep administrators on a separate listener or use the dynamic security plugin.',
    remediation:
      'Grant the narrowest filters each client needs (`topic read sensors/+/temperature`), scope shared rules with `pattern readwrite devices/%c/#` or `%u`, and put rules for anonymous clients (before the first `user` line) under review.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.aclFiles.length) return { status: 'SKIP', message: 'no ACL file given or referenced by acl_file' };
    const fails: Verdict[] = [];
    for (const f of m.aclFiles) {
      if (!f.parsed) continue;
      for (const r of f.parsed.rules) {
        if (r.access === 'deny') continue;
        if (r.kind === 'topic' && everything(r.topic)) {
          fails.push({
            status: 'FAIL',
            message: `"topic ${r.access} ${r.topic}" gives ${r.user !== undefined ? `user "${r.user}"` : 'every anonymous client'} ${r.access} access to every topic`,
            location: at(r),
            ...(r.user === undefined ? { severity: 'high' as const } : {}),
          });
        } else if (r.kind === 'pattern' && !/%[uc]/.test(r.topic)) {
          fails.push({
            status: 'FAIL',
            message: `"pattern ${r.access} ${r.topic}" has no %u or %c: it grants ${r.access} on ${r.topic} to every client`,
            location: at(r),
            ...(everything(r.topic) ? { severity: 'high' as const } : { severity: 'low' as const }),
          });
        }
      }
    }
    // A file not read may hold the broad rule: no PASS then (CFG-033 reports the file itself).
    if (!fails.length) {
      const skip = unreadFilesSkip(m.aclFiles, 'ACL file', 'grant nothing broad');
      if (skip) return skip;
    }
    return failuresOr(fails, 'no ACL rule grants every topic, and every pattern uses %u or %c');
  },
});
