import type { CheckCases } from './fixtures.js';
import { keyFile, keys } from './system-fixtures.js';

export default {
  good: [{ name: 'referenced key exists', facts: { 'sys.keys': keys([keyFile({})]) } }],
  bad: [
    {
      name: 'crlfile missing, reported at the config line',
      facts: { 'sys.keys': keys([keyFile({ role: 'crl', path: '/etc/mosquitto/crl.pem', exists: false, refs: [{ file: '/etc/mosquitto/conf.d/tls.conf', line: 7, column: 1 }] })]) },
      line: 7,
      message: 'does not exist',
    },
  ],
  skip: [{ name: 'only files found at common paths', facts: { 'sys.keys': keys([keyFile({ refs: [] })]) } }],
  error: [{ name: 'unreadable', facts: { 'sys.keys': keys([keyFile({ readError: '/etc/mosquitto/certs/server.key: EACCES' })]) }, message: 'EACCES' }],
} satisfies CheckCases;
