import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-033',
    name: 'mosquitto-proxy-protocol-exposed',
    title: 'Mosquitto 2.1 PROXY protocol listener reachable by clients, or not requiring TLS',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'With `enable_proxy_protocol 1|2` Mosquitto 2.1 believes the PROXY header at the start of each connection: the client address it logs, bans and matches on, and with version 2 also the TLS state and the client-certificate identity (`require_certificate`, `use_identity_as_username` read from the header). Anyone who reaches the listener directly writes that header: they choose the source address (defeating address-based bans and firewall intent) and, on a v2 listener using certificate identities, the username. Upstream says to enable it only behind a trusted proxy with no other access. A listener bound to every interface is high; one bound to another non-loopback address is low (make sure only the proxy reaches it). On version 2, `proxy_protocol_v2_require_tls` false (the default) lets plaintext clients in through the proxy: medium where the listener relies on certificates, low otherwise. The "New connection" log line is not written on such listeners.',
    remediation:
      'Bind the listener to the address the proxy connects from, e.g. `listener 1883 127.0.0.1` with HAProxy on the same host (or `bind_interface` of a private network), firewall it to the proxy (`mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.5/32 --render nftables`, with the proxy\'s address as the only client), and on PROXY v2 set `proxy_protocol_v2_require_tls true` so only TLS clients terminated by the proxy get in.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    let proxied = 0;
    for (const { l } of mosquittoListeners(m.configs)) {
      const d = l.settings.enable_proxy_protocol;
      const version = d?.args[0];
      if (version !== '1' && version !== '2') continue;
      proxied++;
      if (!l.bind && !l.bindInterface) {
        fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)} takes the PROXY protocol v${version} on every interface: any client can forge its source address${version === '2' ? ' and TLS identity' : ''}`, location: listenerLoc(l, d) });
      } else if (mosquittoNetworkListener(l)) {
        fails.push({ status: 'FAIL', severity: 'low', message: `${mosquittoListenerName(l)} takes the PROXY protocol v${version} on a network address: only the proxy may reach it (firewall it)`, location: listenerLoc(l, d) });
      }
      const requireTls = l.settings.proxy_protocol_v2_require_tls;
      if (version === '2' && flag(requireTls) !== true) {
        const certs = flag(l.settings.require_certificate) === true || flag(l.settings.use_identity_as_username) === true;
        fails.push({
          status: 'FAIL',
          severity: certs ? 'medium' : 'low',
          message: `${mosquittoListenerName(l)}: PROXY protocol v2 without proxy_protocol_v2_require_tls true: clients that did not use TLS to the proxy are accepted${certs ? ' on a listener that relies on client certificates' : ''}`,
          location: listenerLoc(l, requireTls ?? d),
        });
      }
    }
    return failuresOr(fails, proxied ? 'every PROXY protocol listener is bound to a local or private address and requires TLS (v2)' : 'no listener uses the PROXY protocol');
  },
});
