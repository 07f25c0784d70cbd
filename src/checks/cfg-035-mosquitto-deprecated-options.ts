import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag, mosquittoSeries, type Directive } from '../config/mosquitto.js';
import { at, NO_MOSQUITTO_CONFIG } from './config-util.js';

/** Options Mosquitto 2.1 deprecates (to go in 3.0), with what replaces them (mosquitto.conf(5) of v2.1.2). */
const REPLACEMENTS: Record<string, string> = {
  per_listener_settings: '`listener_allow_anonymous` per listener, `global_plugin` for plugins of every listener, and `plugin_load NAME PATH` + `plugin_use NAME` on each listener',
  auto_id_prefix: '`listener_auto_id_prefix` on each listener',
  acl_file: 'the ACL-file plugin shipped with 2.1 (mosquitto_acl_file), loaded with `plugin_load NAME PATH` and attached with `plugin_use NAME` on each listener, or the dynamic security plugin',
  password_file: 'the password-file plugin shipped with 2.1 (mosquitto_password_file), loaded with `plugin_load NAME PATH` and attached with `plugin_use NAME` on each listener, or the dynamic security plugin',
  auth_plugin: '`plugin` (or `global_plugin`/`plugin_load`)',
  bind_address: 'an explicit `listener PORT ADDRESS`',
  port: 'an explicit `listener PORT`',
};

export default defineCheck({
  meta: {
    id: 'CFG-035',
    name: 'mosquitto-deprecated-options',
    title: 'Mosquitto options deprecated in 2.1, with their replacement',
    strategy: 'awareness',
    severity: 'info',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Mosquitto 2.1 deprecates, for removal in 3.0: `per_listener_settings` (and `allow_anonymous` under it), `auto_id_prefix`, `acl_file` and `password_file` (in favour of plugins attached per listener), `auth_plugin`/`auth_opt_*`, and the default-listener options `port`/`bind_address`. Each use is reported once, at its line, with the 2.1 replacement. With the target version 2.0 (`--mosquitto-version 2.0`, or the installed package) nothing is reported: the replacements do not exist there. With the version unknown, the findings say "if the broker is 2.1".',
    remediation:
      'Move to the 2.1 options before upgrading to 3.0: `listener_allow_anonymous false` on each listener instead of `per_listener_settings` + `allow_anonymous`, `listener_auto_id_prefix`, and the authentication/ACL plugins (`plugin_load` + `plugin_use`, or `global_plugin`) instead of `password_file`/`acl_file`. Re-lint with `mqtt-warden lint --mosquitto-version 2.1 /etc/mosquitto/mosquitto.conf`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://github.com/eclipse-mosquitto/mosquitto/blob/v2.1.2/ChangeLog.txt'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const series = mosquittoSeries(m.target?.version);
    if (series === '2.0') return { status: 'PASS', message: `target Mosquitto ${m.target!.version} (${m.target!.source}): the 2.1 deprecations do not apply` };
    const cond = series ? '' : ' (if the broker is 2.1 or later; give --mosquitto-version)';
    const out: Verdict[] = [];
    for (const cfg of m.configs) {
      const seen = new Set<string>();
      const report = (d: Directive, what: string, replacement: string) => {
        out.push({ status: 'FAIL', message: `${what} is deprecated in Mosquitto 2.1${cond}: use ${replacement}`, location: at(d), key: d.key });
      };
      for (const d of cfg.directives) {
        const r = REPLACEMENTS[d.key];
        if (r && !seen.has(d.key)) {
          // per_listener_settings false is the default: harmless, but still a line to remove.
          seen.add(d.key);
          report(d, d.key === 'per_listener_settings' ? `per_listener_settings ${d.args[0] ?? ''}`.trim() : d.key, r);
        } else if (d.key.startsWith('auth_opt_') && !seen.has('auth_opt_')) {
          seen.add('auth_opt_');
          report(d, `${d.key} (auth_opt_*)`, 'plugin_opt_*');
        }
      }
      if (cfg.perListenerSettings) {
        const anon = cfg.directives.find((d) => d.key === 'allow_anonymous' && flag(d) !== undefined);
        if (anon) report(anon, 'allow_anonymous under per_listener_settings', `\`listener_allow_anonymous ${anon.args[0]}\` on the listener`);
      }
    }
    return out.length ? out : { status: 'PASS', message: 'no option deprecated in Mosquitto 2.1' };
  },
});
