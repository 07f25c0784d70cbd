import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'date checks on (default)', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\n') },
    { name: 'explicitly false', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\ndisable_client_cert_date_checks false\n') },
  ],
  bad: [
    { name: 'expired client certificates accepted', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\ndisable_client_cert_date_checks true\n'), line: 5, severity: 'high', message: 'accepts expired' },
    { name: 'set where certificates are not required', facts: mosq('listener 8883\ncertfile /c\ndisable_client_cert_date_checks true\n'), line: 3, severity: 'low', message: 'no effect today' },
  ],
} satisfies CheckCases;
