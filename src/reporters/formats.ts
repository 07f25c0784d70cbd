/** Report format names: a module of its own so that the CLI can define its options without loading the reporters. */
export const REPORT_FORMATS = ['terminal', 'json', 'sarif', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
