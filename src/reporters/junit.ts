import { XMLBuilder } from 'fast-xml-parser';
import { STRATEGIES } from '../core/types.js';
import type { CheckResult, Report } from '../core/types.js';
import { where } from './place.js';

/** Element content as XMLBuilder takes it: `@_`-prefixed attributes, `#text`, child elements. */
type XmlNode = Record<string, unknown>;

/** Characters XML 1.0 cannot carry at all (not even escaped), lone surrogates included. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_CHARS = /[\u{0}-\u{8}\u{B}\u{C}\u{E}-\u{1F}\u{FFFE}\u{FFFF}]|\p{Cs}/gu;

function xmlText(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD');
}

/** Attribute values: XML parsers turn newlines in attributes into spaces anyway. */
function xmlAttribute(text: string): string {
  return xmlText(text.replace(/\s*\n\s*/g, ' '));
}

function failureText(result: CheckResult): string {
  const parts = [result.message, `Remediation: ${result.remediation}`];
  if (result.references.length > 0) {
    parts.push(`References:\n${result.references.map((ref) => `- ${ref}`).join('\n')}`);
  }
  return xmlText(parts.join('\n\n'));
}

/** "waived until 2026-06-30 (mqtt-warden.yaml:12): reason — message" / "in baseline FILE — message". */
function suppressedText(result: CheckResult): string {
  const s = result.suppression!;
  const why =
    s.kind === 'waiver'
      ? `waived${s.expires !== undefined ? ` until ${s.expires}` : ''}${s.source !== undefined ? ` (${s.source})` : ''}: ${s.reason}`
      : s.reason;
  return `${why} — ${result.message}`;
}

function testcase(result: CheckResult): XmlNode {
  const node: XmlNode = {
    '@_classname': `mqtt-warden.${result.strategy}`,
    '@_name': xmlAttribute(`${result.checkId} ${result.title} [${where(result)}]`),
    // The report does not time individual checks.
    '@_time': '0',
  };
  const message = xmlAttribute(result.message);
  if (result.status === 'FAIL' && result.suppression) {
    // Accepted, not a failure of the build: a skipped case that says why.
    node.skipped = { '@_message': xmlAttribute(suppressedText(result)) };
    return node;
  }
  switch (result.status) {
    case 'FAIL':
      node.failure = { '@_message': message, '@_type': result.severity, '#text': failureText(result) };
      break;
    case 'SKIP':
      node.skipped = { '@_message': message };
      break;
    case 'ERROR':
      node.error = { '@_message': message };
      break;
    case 'PASS':
      break;
  }
  return node;
}

function counts(results: readonly CheckResult[]): XmlNode {
  return {
    '@_tests': String(results.length),
    '@_failures': String(results.filter((r) => r.status === 'FAIL' && !r.suppression).length),
    '@_errors': String(results.filter((r) => r.status === 'ERROR').length),
    '@_skipped': String(results.filter((r) => r.status === 'SKIP' || (r.status === 'FAIL' && r.suppression)).length),
  };
}

export function renderJunit(report: Report): string {
  const suites = STRATEGIES.map((strategy) => {
    const results = report.results.filter((r) => r.strategy === strategy.id);
    return {
      '@_name': `${strategy.number}. ${strategy.title}`,
      ...counts(results),
      testcase: results.map(testcase),
    };
  });
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
    // Otherwise an attribute whose value is "true" would be written without a value, which is not XML.
    suppressBooleanAttributes: false,
  });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'mqtt-warden',
      ...counts(report.results),
      '@_time': (report.durationMs / 1000).toFixed(3),
      testsuite: suites,
    },
  });
}
