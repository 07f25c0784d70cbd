import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { EMQX_DEFAULT_COOKIES } from '../config/emqx.js';
import { emqx, emqxHardened, emqxProfileText, judgeEmqx } from './config-util.js';

/** The packaged cookies of 5.x and 6.x builds: both are public knowledge. */
export const DEFAULT_COOKIES: readonly string[] = [EMQX_DEFAULT_COOKIES.v5, EMQX_DEFAULT_COOKIES.v6];

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
    description: `\`node.cookie\` is the only secret of the Erlang distribution: anyone who reaches a distribution port (4370+N) and knows the cookie can run OS commands on the node. The packaged defaults are public: \`${EMQX_DEFAULT_COOKIES.v5}\` (EMQX 5.x) and \`${EMQX_DEFAULT_COOKIES.v6}\` (6.x builds); EMQX logs "Default (insecure) Erlang cookie is in use". A \`{{ … }}\` placeholder is an unrendered packaging template (rendered as the default); the policy sets the minimum length (\`emqx.minCookieLength\`). Under the hardened security profile (EMQX 6.3, \`EMQX_SECURITY_PROFILE=hardened\`) the node refuses to start with a default cookie, so one is reported as a start failure (low), not as an exposure.`,
    remediation: 'Set `node.cookie` (or `EMQX_NODE__COOKIE`) to a long random value, the same on every node of one cluster: `openssl rand -base64 32`. Keep it out of version control (use the environment).',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration.html', 'https://docs.emqx.com/en/emqx/latest/access-control/security-profile.html', 'https://www.erlang.org/doc/system/distributed.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
          const { v, loc, origin } = emqx(cfg, 'node.cookie');
          const cookie = typeof v?.value === 'string' ? v.value : String(v?.value ?? '');
          const packaged = DEFAULT_COOKIES.includes(cookie) || /\{\{.*\}\}/.test(cookie);
          const what = DEFAULT_COOKIES.includes(cookie) ? `the packaged default "${cookie}"` : `the unrendered template placeholder ${cookie} (packaged builds render it as the default)`;
          if (packaged && emqxHardened(cfg)) fails.push({ status: 'FAIL', severity: 'low', message: `node.cookie is ${what} (${origin}): ${emqxProfileText(cfg)} refuses to start with it`, location: loc });
          else if (packaged) fails.push({ status: 'FAIL', message: `node.cookie is ${what} (${origin}): anyone who reaches the distribution port can run commands on the node`, location: loc });
          else if (cookie.length < policy.emqx.minCookieLength) fails.push({ status: 'FAIL', severity: 'high', message: `node.cookie has ${cookie.length} characters, below the policy's ${policy.emqx.minCookieLength}`, location: loc });
        return fails;
      },
      'node.cookie is set to a long non-default value',
    );
  },
});
