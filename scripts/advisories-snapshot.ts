/**
 * Builds data/advisories.json, the advisory snapshot shipped with the package,
 * as CVE JSON 5 records (the shape of openssl/release-metadata `secjson/` and
 * cve.org), from the ranges of the project's hardening facts (section 4, advisories): OpenSSL's
 * High/Critical advisories, Mosquitto's ChangeLog/security page, EMQX.
 * This machine cannot reach GitHub or cve.org, so the records are rebuilt from
 * those ranges; `mqtt-warden advisories update --from FILE` replaces them with
 * the upstream records when available. Run: npx tsx scripts/advisories-snapshot.ts
 */
import { writeFileSync } from 'node:fs';

type Range = [introduced: string, lessThan: string];
interface Entry {
  id: string;
  severity: 'Critical' | 'High' | 'Moderate' | 'Low';
  title: string;
  ranges: Range[];
  /** Advisory date, where the source names it (OpenSSL advisory files are dated). */
  published?: string;
  refs: string[];
}

const OPENSSL: Entry[] = [
  { id: 'CVE-2014-0160', severity: 'High', title: 'TLS heartbeat read overrun (Heartbleed)', ranges: [['1.0.1', '1.0.1g']], published: '2014-04-07', refs: ['https://www.openssl.org/news/secadv/20140407.txt'] },
  {
    id: 'CVE-2014-0224',
    severity: 'High',
    title: 'SSL/TLS MITM vulnerability (CCS injection)',
    ranges: [['0.9.8', '0.9.8za'], ['1.0.0', '1.0.0m'], ['1.0.1', '1.0.1h']],
    published: '2014-06-05',
    refs: ['https://www.openssl.org/news/secadv/20140605.txt'],
  },
  { id: 'CVE-2016-2107', severity: 'High', title: 'Padding oracle in AES-NI CBC MAC check', ranges: [['1.0.1', '1.0.1t'], ['1.0.2', '1.0.2h']], published: '2016-05-03', refs: ['https://www.openssl.org/news/secadv/20160503.txt'] },
  { id: 'CVE-2016-6309', severity: 'Critical', title: 'Use after free after a large message reallocation (statem)', ranges: [['1.1.0a', '1.1.0b']], published: '2016-09-26', refs: ['https://www.openssl.org/news/secadv/20160926.txt'] },
  { id: 'CVE-2021-3449', severity: 'High', title: 'NULL pointer deref in signature_algorithms processing (renegotiation)', ranges: [['1.1.1', '1.1.1k']], published: '2021-03-25', refs: ['https://www.openssl.org/news/secadv/20210325.txt'] },
  {
    id: 'CVE-2022-0778',
    severity: 'High',
    title: 'Infinite loop in BN_mod_sqrt() reachable when parsing certificates',
    ranges: [['1.0.2', '1.0.2zd'], ['1.1.1', '1.1.1n'], ['3.0.0', '3.0.2']],
    published: '2022-03-15',
    refs: ['https://www.openssl.org/news/secadv/20220315.txt'],
  },
  { id: 'CVE-2022-3602', severity: 'High', title: 'X.509 email address 4-byte buffer overflow', ranges: [['3.0.0', '3.0.7']], published: '2022-11-01', refs: ['https://www.openssl.org/news/secadv/20221101.txt'] },
  { id: 'CVE-2022-3786', severity: 'High', title: 'X.509 email address variable length buffer overflow', ranges: [['3.0.0', '3.0.7']], published: '2022-11-01', refs: ['https://www.openssl.org/news/secadv/20221101.txt'] },
  { id: 'CVE-2023-0286', severity: 'High', title: 'X.400 address type confusion in X.509 GeneralName', ranges: [['1.1.1', '1.1.1t'], ['3.0.0', '3.0.8']], published: '2023-02-07', refs: ['https://www.openssl.org/news/secadv/20230207.txt'] },
  {
    id: 'CVE-2024-12797',
    severity: 'High',
    title: 'RFC7250 handshakes with unauthenticated servers do not abort as expected',
    ranges: [['3.2.0', '3.2.4'], ['3.3.0', '3.3.3'], ['3.4.0', '3.4.1']],
    published: '2025-02-11',
    refs: ['https://openssl-library.org/news/secadv/20250211.txt'],
  },
];

// Mosquitto: ranges from ChangeLog.txt / the security page as summarised in the hardening facts;
// "0" = every earlier release (where the facts name no first affected release). Severities are
// the NVD base severities as remembered offline, not re-checked here: refresh the records with
// `advisories update` where the upstream CVE records are at hand.
const MOSQUITTO: Entry[] = [
  { id: 'CVE-2018-12546', severity: 'Moderate', title: 'Will message of a client whose ACL access was revoked is still published', ranges: [['0', '1.5.5']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2018-12550', severity: 'High', title: 'Empty ACL file grants access to all topics', ranges: [['0', '1.5.5']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2018-12551', severity: 'High', title: 'Malformed password file data treated as valid', ranges: [['0', '1.5.5']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2018-20145', severity: 'High', title: 'ACL patterns with a client ID or username containing + or # bypass the ACL', ranges: [['0', '1.5.6']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2019-11779', severity: 'Moderate', title: 'SUBSCRIBE with a topic of 65400+ slashes causes a stack overflow', ranges: [['1.5', '1.5.9'], ['1.6', '1.6.6']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2019-11778', severity: 'High', title: 'Use after free with a will message and persistent sessions', ranges: [['1.6', '1.6.5']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2021-28166', severity: 'High', title: 'NULL pointer dereference with an auth plugin and a malformed CONNECT', ranges: [['2.0.0', '2.0.10']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2021-34434', severity: 'Moderate', title: 'Revoked dynamic-security permissions still apply to existing subscriptions', ranges: [['2.0.0', '2.0.12']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2023-0809', severity: 'High', title: 'Excessive memory allocation from a crafted initial packet', ranges: [['1.5.0', '2.0.16']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2023-3592', severity: 'High', title: 'Memory leak from a CONNECT with an invalid will property', ranges: [['1.6.0', '2.0.16']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2023-28366', severity: 'High', title: 'Memory leak from QoS 2 messages with a duplicate message ID (further fix in 2.0.21)', ranges: [['1.3.2', '2.0.16']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2024-8376', severity: 'High', title: 'Subscription to many topics with the same filter causes a crash', ranges: [['0', '2.0.19']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2024-3935', severity: 'High', title: 'Double free in a bridge with a crafted CONNACK', ranges: [['0', '2.0.19']], refs: ['https://mosquitto.org/security/'] },
  { id: 'CVE-2024-10525', severity: 'High', title: 'Out-of-bounds write from a SUBACK without reason codes', ranges: [['0', '2.0.19']], refs: ['https://mosquitto.org/security/'] },
];

const EMQX: Entry[] = [
  { id: 'CVE-2021-33175', severity: 'High', title: 'Memory exhaustion from crafted MQTT packets', ranges: [['0', '4.2.8']], refs: ['https://github.com/emqx/emqx/releases/tag/v4.2.8'] },
];

function record(e: Entry, vendor: string, product: string, metricType: string) {
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: { cveId: e.id, state: 'PUBLISHED', ...(e.published && { datePublished: `${e.published}T00:00:00Z` }) },
    containers: {
      cna: {
        title: e.title,
        descriptions: [{ lang: 'en', value: e.title }],
        affected: [
          {
            vendor,
            product,
            defaultStatus: 'unaffected',
            versions: e.ranges.map(([introduced, lessThan]) => ({ version: introduced, lessThan, status: 'affected', versionType: 'custom' })),
          },
        ],
        metrics: [{ format: 'other', other: { type: metricType, content: { text: e.severity } } }],
        references: [...e.refs, `https://www.cve.org/CVERecord?id=${e.id}`].map((url) => ({ url })),
      },
    },
  };
}

const bundle = {
  format: 'mqtt-warden-advisories',
  formatVersion: 1,
  snapshot: '2026-11-29',
  sources: [
    'OpenSSL security advisories (openssl/release-metadata secjson), High and Critical, rebuilt offline',
    'Eclipse Mosquitto ChangeLog.txt and security page',
    'EMQX release notes',
  ],
  records: [
    ...OPENSSL.map((e) => record(e, 'OpenSSL', 'OpenSSL', 'https://openssl-library.org/policies/general/security-policy/')),
    ...MOSQUITTO.map((e) => record(e, 'Eclipse Foundation', 'Eclipse Mosquitto', 'mqtt-warden:nvd-base-severity')),
    ...EMQX.map((e) => record(e, 'EMQ Technologies', 'EMQX', 'mqtt-warden:nvd-base-severity')),
  ],
};
writeFileSync(new URL('../data/advisories.json', import.meta.url), `${JSON.stringify(bundle, null, 1)}\n`);
console.log(`wrote ${bundle.records.length} records`);
