import type { Report } from '../core/types.js';

/** `$id` of schema/report.schema.json; JSON reports point to it through their `$schema` member. */
export const REPORT_SCHEMA_ID = 'urn:mqtt-warden:schema:report:v1';

export function renderJson(report: Report): string {
  return JSON.stringify({ $schema: REPORT_SCHEMA_ID, ...report }, null, 2) + '\n';
}
