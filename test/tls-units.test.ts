/** Pure parts of the TLS audit: cipher classification, host matching, OpenSSL error text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCipher, unprobeableFamilies } from '../src/collectors/tls/ciphers.js';
import { opensslReason } from '../src/collectors/tls/handshake.js';
import { dnsMatches, hostMatch } from '../src/checks/tls-common.js';
import { cert } from './checks/tls-fixtures.js';

test('cipher suites are classified from their OpenSSL names', () => {
  const c = (n: string) => classifyCipher(n).weaknesses.sort();
  assert.deepEqual(c('ECDHE-ECDSA-AES128-GCM-SHA256'), []);
  assert.deepEqual(c('ECDHE-RSA-CHACHA20-POLY1305'), []);
  assert.deepEqual(c('TLS_AES_128_GCM_SHA256'), []);
  assert.deepEqual(c('ECDHE-RSA-AES128-SHA'), ['cbc-sha1']);
  assert.deepEqual(c('AES128-GCM-SHA256'), ['no-forward-secrecy']);
  assert.deepEqual(c('AES256-SHA'), ['cbc-sha1', 'no-forward-secrecy']);
  assert.deepEqual(c('DES-CBC3-SHA'), ['3des', 'cbc-sha1', 'no-forward-secrecy']);
  assert.deepEqual(c('EDH-RSA-DES-CBC-SHA'), ['cbc-sha1', 'des']);
  assert.deepEqual(c('RC4-MD5'), ['md5', 'no-forward-secrecy', 'rc4']);
  assert.deepEqual(c('EXP-RC4-MD5'), ['export', 'md5', 'no-forward-secrecy', 'rc4']);
  assert.deepEqual(c('NULL-SHA256'), ['no-forward-secrecy', 'null']);
  assert.deepEqual(c('ECDHE-ECDSA-NULL-SHA'), ['null']);
  assert.deepEqual(c('AECDH-AES128-SHA'), ['anonymous', 'cbc-sha1']);
  assert.deepEqual(c('ADH-AES256-GCM-SHA384'), ['anonymous']);
  assert.deepEqual(c('PSK-AES128-GCM-SHA256'), ['no-forward-secrecy']);
  assert.equal(classifyCipher('DHE-RSA-AES256-GCM-SHA384').kex, 'DHE');
  assert.equal(classifyCipher('ECDHE-PSK-AES128-CBC-SHA256').forwardSecrecy, true);
});

test('the families the local OpenSSL cannot offer are listed, EXPORT among them on OpenSSL 3', () => {
  const missing = unprobeableFamilies();
  if (/^3\./.test(process.versions.openssl ?? '')) assert.ok(missing.includes('EXPORT'), JSON.stringify(missing));
  assert.ok(!missing.includes('NULL') && !missing.includes('anonymous'), 'NULL and anonymous suites stay probeable at @SECLEVEL=0');
});

test('host names match SAN entries as RFC 6125 says', () => {
  assert.ok(dnsMatches('*.example.net', 'mqtt.example.net'));
  assert.ok(dnsMatches('MQTT.example.net', 'mqtt.EXAMPLE.net.'));
  assert.ok(!dnsMatches('*.example.net', 'example.net'));
  assert.ok(!dnsMatches('*.example.net', 'a.b.example.net'));
  assert.ok(!dnsMatches('*.net', 'example.net'), 'no wildcard over a single remaining label');
  assert.equal(hostMatch(cert({ san: { dns: [], ip: ['::1'] } }), '0:0:0:0:0:0:0:1'), 'san');
  assert.equal(hostMatch(cert({ san: { dns: ['localhost'], ip: [] } }), '127.0.0.1'), 'none');
  assert.equal(hostMatch(cert({ cn: 'broker.example', san: { dns: [], ip: [] } }), 'broker.example'), 'cn');
  assert.equal(hostMatch(cert({ cn: 'broker.example', san: { dns: ['other.example'], ip: [] } }), 'broker.example'), 'none', 'the CN is ignored when SANs exist');
});

test('OpenSSL error text is reduced to its reason and alert number', () => {
  assert.equal(
    opensslReason('80CC8129947F0000:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 80\n'),
    'tlsv1 alert internal error (alert 80)',
  );
  assert.equal(opensslReason('803C87E1657F0000:error:0A0000C6:SSL routines:ssl3_get_record:packet length too long:../ssl/record/ssl3_record.c:379:'), 'packet length too long');
  assert.equal(opensslReason('Client network socket disconnected before secure TLS connection was established'), 'Client network socket disconnected before secure TLS connection was established');
});
