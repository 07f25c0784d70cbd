import type { CheckCases } from './fixtures.js';
import { component, software } from './system-fixtures.js';

export default {
  good: [
    { name: 'OpenSSL 3.0.19', facts: { 'sys.software': software([component({})]) } },
    { name: '1.1.1w is after every 1.1.1 advisory of the database', facts: { 'sys.software': software([component({ version: '1.1.1w', release: '1.1.1w' })]) } },
  ],
  bad: [
    { name: 'Heartbleed: vanilla 1.0.1f', facts: { 'sys.software': software([component({ version: '1.0.1f', release: '1.0.1f' })]) }, severity: 'high', message: 'CVE-2014-0160' },
    { name: '1.0.2zc before 1.0.2zd', facts: { 'sys.software': software([component({ version: '1.0.2zc', release: '1.0.2zc' })]) }, message: 'CVE-2022-0778' },
    {
      name: 'a broker maps a vulnerable vanilla libcrypto',
      facts: { 'sys.software': software([component({ version: '3.0.5', release: '3.0.5', source: 'process', where: 'mosquitto (pid 9) maps /opt/ssl/lib/libcrypto.so.3' })]) },
      message: 'CVE-2022-3602',
    },
    {
      name: 'Debian libssl3 3.0.11: backport caveat, one severity lower',
      facts: { 'sys.software': software([component({ version: '3.0.1-1~deb12u1', release: '3.0.1', source: 'package', where: 'dpkg package libssl3', distro: { manager: 'dpkg', package: 'libssl3', version: '3.0.1-1~deb12u1' } })]) },
      severity: 'medium',
      message: 'may have backported',
    },
    { name: 'CVE-2016-6309 is critical', facts: { 'sys.software': software([component({ version: '1.1.0a', release: '1.1.0a' })]) }, severity: 'critical' },
  ],
  skip: [{ name: 'no OpenSSL found', facts: { 'sys.software': software([]) }, message: 'no OpenSSL found' }],
} satisfies CheckCases;
