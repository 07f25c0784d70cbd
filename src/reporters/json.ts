import type { Report } from '../core/types.js';

/** `$id` of schema/report.schema.json; JSON reports point to it through their `$schema` member. */
export const REPORT_SCHEMA_ID = 'https://mqtt-warden.dev/schema/report-v1.json';

export function renderJson(report: Report): string {
  return JSON.stringify({ $schema: REPORT_SCHEMA_ID, ...report }, null, 2) + '\n';
}
