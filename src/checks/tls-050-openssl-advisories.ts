import { defineCheck } from '../core/check.js';
import { advisoryVerdicts } from './system-helpers.js';

export default defineCheck({
  meta: {
    id: 'TLS-050',
    name: 'openssl-advisories',
    title: 'OpenSSL in use is affected by High/Critical advisories',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.software'],
    description:
      'Finds every OpenSSL the host uses — the `openssl` binary (`openssl version`, binary and library), installed libssl/openssl packages, the libcrypto each running broker process maps (`/proc/PID/maps`, version string read from the mapped file) and Node\'s own (`process.versions.openssl`, for Node brokers such as Aedes) — and matches them against the OpenSSL advisories of the offline database (CVE JSON 5 records of openssl/release-metadata, High and Critical). Letter releases (1.0.1g, 1.0.2zd) compare correctly. A distribution build is reported one severity lower: its fixes may be backported; a vanilla build is definitive. Offline roots: package database only.',
    remediation:
      'Upgrade OpenSSL to the first fixed release of its branch (or the distribution\'s patched package), move off end-of-life branches (1.0.2, 1.1.1), and restart every service that links it (brokers included: see UPD-007).',
    references: ['https://openssl-library.org/news/vulnerabilities/', 'https://github.com/openssl/release-metadata'],
  },
  judge({ 'sys.software': s }) {
    return advisoryVerdicts(s, 'openssl');
  },
});
