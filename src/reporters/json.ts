import type { Report } from '../core/types.js';
import { aggregateResults } from './aggregate.js';

/** `$id` of schema/report.schema.json; JSON reports point to it through their `$schema` member. */
export const REPORT_SCHEMA_ID = 'urn:mqtt-warden:schema:report:v1';

/** The report as JSON: the Report, and the fleet view of its findings (`aggregate`, src/reporters/aggregate.ts). */
export function renderJson(report: Report): string {
  return JSON.stringify({ $schema: REPORT_SCHEMA_ID, ...report, aggregate: aggregateResults(report.results) }, null, 2) + '\n';
}

/**
 * The same text as renderJson, in pieces of about `chunkChars` characters: the
 * results one by one, so that a large report is never held a second time as
 * one string (for writing to a file).
 */
export function* renderJsonChunks(report: Report, chunkChars = 1 << 20): Generator<string> {
  const head = JSON.stringify({ $schema: REPORT_SCHEMA_ID, ...report, results: [], aggregate: aggregateResults(report.results) }, null, 2);
  if (!report.results.length) {
    yield `${head}\n`;
    return;
  }
  // `"results": []` is replaced by the elements, indented as JSON.stringify indents them at depth 2.
  const marker = '\n  "results": []';
  const at = head.indexOf(marker);
  let buf = `${head.slice(0, at)}\n  "results": [`;
  for (let i = 0; i < report.results.length; i++) {
    buf += `${i ? ',' : ''}\n    ${JSON.stringify(report.results[i], null, 2).replace(/\n/g, '\n    ')}`;
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}\n  ]${head.slice(at + marker.length)}\n`;
}
