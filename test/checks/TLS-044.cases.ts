import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

const own = (l: string) => `listeners.${l}.default.ssl_options { certfile = "/etc/pki/mqtt.pem", keyfile = "/etc/pki/mqtt.key" }\n`;

export default {
  good: [{ name: 'own certificates on ssl and wss', facts: emqx(own('ssl') + own('wss')) }],
  bad: [
    { name: 'defaults: demo certificate', facts: emqx('node.name = x\n'), line: 1, message: 'packaged demo' },
    {
      name: 'upstream listeners.ssl example points at etc/certs',
      facts: emqx(own('wss') + 'listeners.ssl.default {\n  ssl_options {\n    certfile = "${EMQX_ETC_DIR}/certs/cert.pem"\n    keyfile = "/etc/pki/k.pem"\n  }\n}\n'),
      line: 4,
    },
    { name: 'base.hocon HTTPS dashboard with demo cert', facts: emqx(own('ssl') + own('wss') + 'dashboard.listeners.https {\n  bind = 18084\n  ssl_options.keyfile = "${EMQX_ETC_DIR}/certs/key.pem"\n}\n'), line: 5, message: 'demo key' },
  ],
} satisfies CheckCases;
