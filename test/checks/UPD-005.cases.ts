import type { CheckCases } from './fixtures.js';
import { component, software } from './system-fixtures.js';

const deb = (version: string, release: string) =>
  component({ product: 'mosquitto', version, release, source: 'package', where: 'dpkg package mosquitto', distro: { manager: 'dpkg', package: 'mosquitto', version } });

export default {
  good: [
    { name: 'vanilla 2.0.21', facts: { 'sys.software': software([component({ product: 'mosquitto', version: '2.0.21', release: '2.0.21', where: '/usr/local/sbin/mosquitto' })]) } },
    { name: 'packaged 2.0.20', facts: { 'sys.software': software([deb('2.0.20-1', '2.0.20')]) } },
  ],
  bad: [
    {
      name: 'vanilla 2.0.15 is definitive',
      facts: { 'sys.software': software([component({ product: 'mosquitto', version: '2.0.15', release: '2.0.15', where: '/usr/local/sbin/mosquitto' })]) },
      severity: 'high',
      message: 'CVE-2023-0809',
    },
    {
      name: 'Debian 2.0.11 package: lower severity with the backport caveat',
      facts: { 'sys.software': software([deb('2.0.11-1.2+deb12u2', '2.0.11')]) },
      severity: 'medium',
      message: 'may have backported',
    },
    { name: '2.0.18a is before 2.0.19', facts: { 'sys.software': software([component({ product: 'mosquitto', version: '2.0.18a', release: '2.0.18a' })]) }, message: 'CVE-2024-8376' },
  ],
  skip: [{ name: 'no Mosquitto on the host', facts: { 'sys.software': software([component({})]) }, message: 'no Mosquitto found' }],
} satisfies CheckCases;
