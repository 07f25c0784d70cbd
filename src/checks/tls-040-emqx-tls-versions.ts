import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, judgeEmqx, TLS_ORDER } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-040',
    name: 'emqx-tls-versions',
    title: 'EMQX TLS listener enables a TLS version below the policy',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description: '`ssl_options.versions` of ssl/wss listeners and the HTTPS dashboard (default tlsv1.3 and tlsv1.2). tlsv1 and tlsv1.1 are deprecated (RFC 8996); the minimum comes from the policy (`tls.minVersion`).',
    remediation: 'Set `ssl_options.versions = [tlsv1.3, tlsv1.2]` (or only tlsv1.3) on every TLS listener.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html', 'https://www.rfc-editor.org/rfc/rfc8996'],
  },
  judge({ 'config.emqx': e, policy }) {
    const min = TLS_ORDER.indexOf(policy.tls.minVersion);
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const tlsListeners = [
          ...cfg.listeners.filter((l) => l.enabled && (l.type === 'ssl' || l.type === 'wss')).map((l) => l.path),
          ...cfg.dashboard.listeners.filter((l) => l.enabled && l.name === 'https').map((l) => l.path),
        ];
        for (const path of tlsListeners) {
          const v = emqxGet(cfg, `${path}.ssl_options.versions`);
          const versions = Array.isArray(v?.value) ? (v.value as unknown[]).map(String) : ['tlsv1.3', 'tlsv1.2'];
          const low = versions.filter((x) => TLS_ORDER.indexOf(x) >= 0 && TLS_ORDER.indexOf(x) < min);
          if (low.length) fails.push({ status: 'FAIL', ...(low.every((x) => TLS_ORDER.indexOf(x) >= TLS_ORDER.indexOf('tlsv1.2')) ? { severity: 'low' as const } : {}), message: `${path}: ssl_options.versions enables ${low.join(', ')}, below the policy minimum ${policy.tls.minVersion}`, location: at(v?.location ?? cfg.anchor) });
        }
        return fails;
      },
      `every TLS listener requires at least ${policy.tls.minVersion}`,
    );
  },
});
