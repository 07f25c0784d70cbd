import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, emqxBindText, emqxPublicBind, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-044',
    name: 'emqx-ws-check-origin',
    title: 'EMQX WebSocket listener on the network accepts connections from any web page',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'A browser lets any web site open a WebSocket to any host and sends the page\'s origin in the `Origin` header; only the server can refuse. With `websocket.check_origin_enable = false` (the default) a ws/wss listener accepts every origin, so a page the victim visits can connect to the broker from inside the victim\'s network and with what the browser holds for it (TLS client certificates, a reachable internal address): cross-site WebSocket hijacking. Reported for enabled ws/wss listeners on a non-loopback address.',
    remediation:
      'Set `listeners.ws.default.websocket { check_origin_enable = true, allow_origin_absence = false, check_origins = "https://app.example.com" }` (the same for wss) to the origins of your own web clients, or bind the listener to 127.0.0.1 when no browser needs it.',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html', 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/10-Testing_WebSockets'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        for (const l of cfg.listeners) {
          if (!l.enabled || (l.type !== 'ws' && l.type !== 'wss') || !emqxPublicBind(l.bind.address)) continue;
          const v = emqxGet(cfg, `${l.path}.websocket.check_origin_enable`);
          if (v?.value === true) continue;
          fails.push({
            status: 'FAIL',
            message: `${l.path} (${emqxBindText(l.bind)}): websocket.check_origin_enable = ${String(v?.value ?? false)}${!v || v.default ? ' (default)' : ''}: any web page a user opens can connect to the broker through the user's browser (cross-site WebSocket hijacking)`,
            location: at(v?.location ?? l.location ?? cfg.anchor),
          });
        }
        return fails;
      },
      'every ws/wss listener on the network checks the Origin of browser connections',
    );
  },
});
