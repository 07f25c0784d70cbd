import type { CheckResult } from '../core/types.js';

/** A file-located result shows file:line:column; others their subject. */
export function where(result: CheckResult): string {
  const l = result.location;
  if (l.kind !== 'file') return result.subject;
  return [l.uri, l.line, l.line !== undefined ? l.column : undefined].filter((p) => p !== undefined).join(':');
}
