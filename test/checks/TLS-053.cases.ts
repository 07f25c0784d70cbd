import type { CheckCases } from './fixtures.js';
import { cert, keyFile, keys } from './system-fixtures.js';

export default {
  good: [
    { name: 'P-256 key and certificate', facts: { 'sys.keys': keys([keyFile({ certs: [cert()] })]) } },
    { name: 'RSA 3072', facts: { 'sys.keys': keys([keyFile({ key: { type: 'rsa', bits: 3072, encrypted: false } })]) } },
  ],
  bad: [
    { name: 'RSA 1024 key', facts: { 'sys.keys': keys([keyFile({ key: { type: 'rsa', bits: 1024, encrypted: false } })]) }, severity: 'medium', message: '1024-bit RSA' },
    { name: '512-bit RSA certificate', facts: { 'sys.keys': keys([keyFile({ role: 'cert', key: undefined, certs: [cert({ keyType: 'rsa', bits: 512 })] })]) }, severity: 'high' },
    { name: 'DH parameters of 1024 bits', facts: { 'sys.keys': keys([keyFile({ role: 'dhparam', key: { type: 'dh', bits: 1024, encrypted: false } })]) }, message: 'DH parameters' },
  ],
  skip: [{ name: 'nothing readable', facts: { 'sys.keys': keys([]) } }],
} satisfies CheckCases;
