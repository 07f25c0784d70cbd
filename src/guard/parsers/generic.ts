/**
 * A configurable pattern for logs the guard has no parser for: a regular
 * expression with a named group `ip` (and optionally `user`), plus an optional
 * plain substring that must occur first (cheap pre-filter before the regex).
 */
import type { EventKind, EventSink, LineParser } from '../events.js';
import { normaliseIp, splitHostPort } from '../ip.js';

export interface GenericPattern {
  pattern: string;
  contains?: string;
  kind?: EventKind;
}

export class GenericParser implements LineParser {
  readonly format = 'generic';
  unattributed = 0;
  private readonly rules: { re: RegExp; contains?: string; kind: EventKind }[];

  constructor(private readonly sink: EventSink, patterns: GenericPattern[]) {
    this.rules = patterns.map((p) => {
      const re = new RegExp(p.pattern);
      if (!p.pattern.includes('(?<ip>')) throw new Error(`generic pattern needs a named group (?<ip>…): ${p.pattern}`);
      return { re, kind: p.kind ?? 'auth-failure', ...(p.contains ? { contains: p.contains } : {}) };
    });
  }

  line(text: string, start: number, end: number, now: number): void {
    for (const r of this.rules) {
      if (r.contains !== undefined) {
        const at = text.indexOf(r.contains, start);
        if (at < 0 || at >= end) continue;
      }
      const m = r.re.exec(text.slice(start, end));
      if (!m) continue;
      const raw = m.groups?.ip ?? '';
      const ip = normaliseIp(raw) ?? (() => {
        const hp = splitHostPort(raw);
        return hp ? normaliseIp(hp.host) : undefined;
      })();
      if (!ip) this.unattributed++;
      this.sink.event(r.kind, ip, now, m.groups?.user);
      return;
    }
  }
}
