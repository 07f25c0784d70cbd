import type { CheckCases } from './fixtures.js';
import { keyFile, keys } from './system-fixtures.js';

export default {
  good: [{ name: 'encrypted EMQX key with a passphrase', facts: { 'sys.keys': keys([keyFile({ product: 'emqx', key: { type: 'unknown', encrypted: true }, passphraseConfigured: true })]) } }],
  bad: [
    { name: 'Mosquitto key in clear', facts: { 'sys.keys': keys([keyFile({})]) }, message: 'without a passphrase' },
    { name: 'EMQX key in clear: passphrase hint', facts: { 'sys.keys': keys([keyFile({ product: 'emqx' })]) }, message: 'ssl_options.password' },
  ],
  skip: [{ name: 'no key', facts: { 'sys.keys': keys([keyFile({ exists: false })]) } }],
  error: [{ name: 'garbage in the key file', facts: { 'sys.keys': keys([keyFile({ key: { type: 'unknown', encrypted: false, parseError: 'unsupported' } })]) }, message: 'not a private key' }],
} satisfies CheckCases;
