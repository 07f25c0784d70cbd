/**
 * Stable fingerprints of results: the same finding keeps its fingerprint across
 * runs when lines move, the wording improves or a count changes, so that SARIF
 * alerts, waivers, baselines and history follow it.
 *
 * - One verdict per subject (no file location, no key): check + subject.
 * - Several verdicts per subject: check + subject + the file (without line and
 *   column) + the verdict's key, else its message with `file:line:col` places removed.
 */
import { createHash } from 'node:crypto';
import type { CheckResult } from './types.js';

/** `path:12` / `path:12:3` → `path`: places move when a file is edited. */
export function withoutPlaces(text: string): string {
  return text.replace(/((?:[\w.~-]*\/)*[\w.~-]+\.[\w-]+):\d+(?::\d+)?/g, '$1');
}

export function fingerprintOf(r: Pick<CheckResult, 'checkId' | 'subject' | 'location' | 'message'> & { key?: string | undefined }): string {
  const parts = [r.checkId, r.subject];
  if (r.location.kind === 'file' || r.key !== undefined) {
    parts.push(r.location.kind === 'file' ? r.location.uri : '', r.key ?? withoutPlaces(r.message));
  }
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
