/** Validators for the published report schema and the official SARIF 2.1.0 schema. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

export const reportSchema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as { $id: string };
const reportAjv = new Ajv({ strict: true, allErrors: true });
addFormats.default(reportAjv);
const validateReport = reportAjv.compile(reportSchema);

/** '' when the data is a valid mqtt-warden JSON report, else the errors. */
export function reportErrors(data: unknown): string {
  return validateReport(data) ? '' : reportAjv.errorsText(validateReport.errors);
}

const sarifSchema = JSON.parse(
  readFileSync(new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
// Draft-04 style header: ajv (draft-07) knows neither the meta-schema nor `id`;
// one of the schema's patterns is not valid with the `u` flag ajv uses by default.
delete sarifSchema.$schema;
sarifSchema.$id = sarifSchema.id;
delete sarifSchema.id;
const sarifAjv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats.default(sarifAjv);
const validateSarif = sarifAjv.compile(sarifSchema);

/** '' when the data is valid SARIF 2.1.0 (official OASIS schema), else the errors. */
export function sarifErrors(data: unknown): string {
  return validateSarif(data) ? '' : sarifAjv.errorsText(validateSarif.errors);
}
