import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, failuresOr, NO_EMQX_CONFIG } from './config-util.js';

export const DEFAULT_COOKIE = 'emqxsecretcookie';

export default defineCheck({
  meta: {
    id: 'ACC-050',
    name: 'emqx-erlang-cookie',
    title: 'EMQX Erlang cookie is the default, a placeholder or short',
    strategy: 'access',
    severity: 'critical',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description: `\`node.cookie\` is the only secret of the Erlang distribution: anyone who reaches a distribution port (4370+N) and knows the cookie can run OS commands on the node. The default is \`${DEFAULT_COOKIE}\` (EMQX logs "Default (insecure) Erlang cookie is in use"); a \`{{ … }}\` placeholder is an unrendered packaging template (rendered as the default); the policy sets the minimum length (\`emqx.minCookieLength\`).`,
    remediation: 'Set `node.cookie` (or `EMQX_NODE__COOKIE`) to a long random value, the same on every node of one cluster: `openssl rand -base64 32`. Keep it out of version control (use the environment).',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration.html', 'https://www.erlang.org/doc/system/distributed.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    if (!e.configs.length) return NO_EMQX_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of e.configs) {
      const { v, loc, origin } = emqx(cfg, 'node.cookie');
      const cookie = typeof v?.value === 'string' ? v.value : String(v?.value ?? '');
      if (cookie === DEFAULT_COOKIE) fails.push({ status: 'FAIL', message: `node.cookie is the well-known default "${DEFAULT_COOKIE}" (${origin})`, location: loc });
      else if (/\{\{.*\}\}/.test(cookie)) fails.push({ status: 'FAIL', message: `node.cookie is the unrendered template placeholder ${cookie} (packaged builds render it as "${DEFAULT_COOKIE}")`, location: loc });
      else if (cookie.length < policy.emqx.minCookieLength) fails.push({ status: 'FAIL', severity: 'high', message: `node.cookie has ${cookie.length} characters, below the policy's ${policy.emqx.minCookieLength}`, location: loc });
    }
    return failuresOr(fails, 'node.cookie is set to a long non-default value');
  },
});
