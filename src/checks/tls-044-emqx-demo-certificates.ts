import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, judgeEmqx } from './config-util.js';

/** The certificates every EMQX package ships in etc/certs (private key included). */
const DEMO = /(\$\{EMQX_ETC_DIR\}|(^|\/)etc(\/emqx)?)\/certs\/(cert|key)\.pem$/;

export default defineCheck({
  meta: {
    id: 'TLS-044',
    name: 'emqx-demo-certificates',
    title: 'EMQX TLS listener uses the packaged demo certificate',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'ssl/wss listeners and the HTTPS dashboard default to `${EMQX_ETC_DIR}/certs/cert.pem` and `key.pem`, a demo certificate whose private key ships in every EMQX package: anyone can impersonate the broker or decrypt sessions.',
    remediation: 'Issue a certificate for the broker\'s name from your CA (or ACME) and point `ssl_options.certfile`/`keyfile` (and `cacertfile`) at it, outside `etc/certs`.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const paths = [
          ...cfg.listeners.filter((l) => l.enabled && (l.type === 'ssl' || l.type === 'wss')).map((l) => ({ path: l.path, loc: l.location })),
          ...cfg.dashboard.listeners.filter((l) => l.enabled && l.name === 'https').map((l) => ({ path: l.path, loc: l.location })),
        ];
        for (const { path, loc } of paths) {
          for (const key of ['certfile', 'keyfile']) {
            const v = emqxGet(cfg, `${path}.ssl_options.${key}`);
            if (typeof v?.value === 'string' && DEMO.test(v.value)) {
              fails.push({ status: 'FAIL', message: `${path}: ${key} = ${v.value}${v.default ? ' (default)' : ''} is the packaged demo ${key === 'keyfile' ? 'key' : 'certificate'}${v.default ? '' : ' (unless that file was replaced)'}`, location: at(v.location ?? loc ?? cfg.anchor) });
            }
          }
        }
        return fails;
      },
      'no enabled TLS listener uses the packaged demo certificate',
    );
  },
});
