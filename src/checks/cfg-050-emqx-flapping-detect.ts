import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, failuresOr, NO_EMQX_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-050',
    name: 'emqx-flapping-detect',
    title: 'EMQX flapping detection (login/reconnect limit) is off',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: '`flapping_detect.enable` (default false) is EMQX\'s built-in limit on repeated connects: a client ID that connects more than `max_count` times in `window_time` is banned for `ban_time`. EMQX throttles its `authentication_failure` log lines, so log-based banning misses attempts; this is the reliable restriction.',
    remediation:
      'Set `flapping_detect { enable = true, max_count = 15, window_time = 1m, ban_time = 5m }` (tune to your clients\' reconnect behaviour). Before EMQX 6.3 flapping detection keys on the client ID only, so also run `mqtt-warden guard --log /var/log/emqx/emqx.log --log-format emqx`, which bans by address (it sees only part of the attempts, because EMQX throttles its failed-login log lines).',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html', 'https://docs.emqx.com/en/emqx/latest/access-control/blacklist.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.configs.length) return NO_EMQX_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of e.configs) {
      const { v, loc, origin } = emqx(cfg, 'flapping_detect.enable');
      // EMQX 5.0 used `flapping_detect.enable`; a block without it keeps the default (false).
      if (v?.value !== true) fails.push({ status: 'FAIL', message: `flapping_detect.enable = ${String(v?.value)} (${origin}): no limit on repeated connects`, location: loc });
    }
    return failuresOr(fails, 'flapping detection is on');
  },
});
