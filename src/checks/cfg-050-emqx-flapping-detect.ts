import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxVersionText, versionAtLeast } from '../config/emqx.js';
import { durationText, emqx, emqxSeconds, judgeEmqx } from './config-util.js';

/** The detection dimensions of EMQX 6.3 (flapping_detect.by_*), with what each counts. */
const DIMENSIONS = [
  ['by_clientid', 'client ID'],
  ['by_username', 'username'],
  ['by_peerhost', 'source address'],
] as const;

export default defineCheck({
  meta: {
    id: 'CFG-050',
    name: 'emqx-flapping-detect',
    title: 'EMQX flapping detection (login/reconnect limit) is off or weaker than the policy',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description:
      'Flapping detection is EMQX\'s built-in limit on repeated connects: whatever connects more than `max_count` times in `window_time` is banned for `ban_time`. Before EMQX 6.3 it is one policy, `flapping_detect.enable` (default false), keyed on the client ID only, so an attacker who changes client IDs escapes it. From 6.3 there are three dimensions, each off by default: `flapping_detect.by_clientid`, `by_username` and `by_peerhost` (source address), an object to enable, `none` to disable; a ban rejects before authentication. A limit without `by_peerhost` is reported as low. Each limit that is on is held against the security policy (`loginAttempts`): its `window_time` must be at least the policy\'s `window` (default 1 minute: a shorter window lets a slower guesser through) and its `ban_time` at least `banFor` (default 5 minutes). `max_count` is not held against `maxFailures`: flapping detection counts every connect, successful ones included, so it must leave room for reconnecting clients (and for many clients behind one address in `by_peerhost`). EMQX throttles its `authentication_failure` log lines, so log-based banning misses attempts; this is the reliable restriction.',
    remediation:
      'EMQX 6.3+: `flapping_detect { by_clientid { max_count = 15, window_time = 1m, ban_time = 5m }, by_peerhost { max_count = 100, window_time = 1m, ban_time = 10m } }`. Before 6.3: `flapping_detect { enable = true, max_count = 15, window_time = 1m, ban_time = 5m }` (tune to your clients\' reconnect behaviour). Before EMQX 6.3 flapping detection keys on the client ID only, so also run `mqtt-warden guard --log /var/log/emqx/emqx.log --log-format emqx`, which bans by address (it sees only part of the attempts, because EMQX throttles its failed-login log lines).',
    references: ['https://docs.emqx.com/en/emqx/latest/guides/configuration/flapping.html', 'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html', 'https://docs.emqx.com/en/emqx/latest/access-control/blacklist.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    const { window, banFor } = policy.loginAttempts;
    /** A limit that is on, against the policy: window_time >= window, ban_time >= banFor (unset values of a 6.3 dimension are not judged). */
    const weaker = (cfg: Parameters<typeof emqx>[0], prefix: string, label: string): Verdict[] => {
      const out: Verdict[] = [];
      for (const [key, min, policyKey] of [['window_time', window, 'window'], ['ban_time', banFor, 'banFor']] as const) {
        const x = emqx(cfg, `${prefix}.${key}`);
        const secs = emqxSeconds(x.v?.value);
        if (secs === undefined || secs >= min) continue;
        out.push({
          status: 'FAIL',
          severity: 'low',
          message: `${prefix}.${key} = ${String(x.v?.value)} (${x.origin}): ${label} ${key === 'window_time' ? 'counts connects over' : 'bans for'} less than the policy's ${durationText(min)} (loginAttempts.${policyKey})`,
          location: x.loc,
        });
      }
      return out;
    };
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const legacy = emqx(cfg, 'flapping_detect.enable');
        const flatOn = legacy.v?.value === true;
        if (!versionAtLeast(cfg.version, 6, 3)) {
          // Before 6.3: one flat policy, keyed on the client ID.
          if (!flatOn) fails.push({ status: 'FAIL', message: `flapping_detect.enable = ${String(legacy.v?.value)} (${legacy.origin}): no limit on repeated connects`, location: legacy.loc });
          else fails.push(...weaker(cfg, 'flapping_detect', 'flapping detection'));
          return fails;
        }
        // 6.3: by_clientid / by_username / by_peerhost, each an object (on) or `none` (off); the flat
        // `enable = true` is still read as the client-ID policy.
        const dims = DIMENSIONS.map(([key, what]) => {
          const d = emqx(cfg, `flapping_detect.${key}`);
          const on = d.v !== undefined && d.v.value !== 'none' && typeof d.v.value === 'object' && d.v.value !== null;
          return { key, what, on: on || (key === 'by_clientid' && flatOn), d };
        });
        const on = dims.filter((x) => x.on);
        if (!on.length) {
          fails.push({ status: 'FAIL', message: `flapping detection is off in every dimension (by_clientid, by_username, by_peerhost unset or none; ${!legacy.v || legacy.v.default ? `EMQX default of ${emqxVersionText(cfg.version, false)}` : `enable = ${String(legacy.v.value)}`}): no limit on repeated connects`, location: legacy.v?.location ? legacy.loc : (dims.find((x) => x.d.v?.location)?.d.loc ?? legacy.loc) });
        } else if (!on.some((x) => x.key === 'by_peerhost')) {
          const first = on[0]!;
          fails.push({
            status: 'FAIL',
            severity: 'low',
            message: `flapping detection counts by ${on.map((x) => x.what).join(' and ')} only: a client that changes ${on.map((x) => x.what).join(' and ')} on every attempt escapes it; by_peerhost (source address, rejected before authentication) is off`,
            location: first.d.v?.location ? first.d.loc : legacy.loc,
          });
        }
        for (const x of on) fails.push(...weaker(cfg, x.key === 'by_clientid' && !(x.d.v && typeof x.d.v.value === 'object') ? 'flapping_detect' : `flapping_detect.${x.key}`, `flapping detection by ${x.what}`));
        return fails;
      },
      'flapping detection is on, including by source address, and holds the policy\'s window and ban time',
    );
  },
});
