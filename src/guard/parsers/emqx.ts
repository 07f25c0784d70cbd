/**
 * EMQX 5 `authentication_failure` log records, text and JSON formatter.
 *
 *   text: 2024-05-02T10:11:12.345678+00:00 [warning] msg: authentication_failure, clientid: c1, peername: 10.0.0.9:51234, username: bob, reason: bad_username_or_password
 *   json: {"time":1714644672345678,"level":"warning","msg":"authentication_failure","clientid":"c1","peername":"10.0.0.9:51234","username":"bob",…}
 *
 * EMQX throttles this message (log.throttling, 1 minute by default in 5.x): after
 * the first failure of a burst, repeats within the window are dropped from the
 * log, so a log-based guard sees only a fraction of the attempts. Use EMQX's
 * own `flapping_detect` as well (docs/guard.md).
 *
 * Pre-filter: one indexOf for "authentication_failure" per line; only matching
 * lines are parsed further (JSON.parse or two small regexes).
 */
import type { EventSink, LineParser } from '../events.js';
import { normaliseIp, splitHostPort } from '../ip.js';

const MARK = 'authentication_failure';
const TEXT_PEER = /(?:^|[ ,])peername: ([^ ,]+)/;
const TEXT_USER = /(?:^|[ ,])username: ([^ ,]+)/;

function emqxTime(v: unknown, now: number): number {
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (v > 1e15) return Math.floor(v / 1000); // microseconds (EMQX JSON default)
    if (v > 1e12) return v;
    return v * 1000;
  }
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  return now;
}

export class EmqxParser implements LineParser {
  readonly format = 'emqx';
  unattributed = 0;
  constructor(private readonly sink: EventSink) {}

  line(text: string, start: number, end: number, now: number): void {
    const at = text.indexOf(MARK, start);
    if (at < 0 || at >= end) return;
    const s = text.slice(start, end);
    let peer: string | undefined;
    let user: string | undefined;
    let time = now;
    if (s.charCodeAt(0) === 123 /* { */) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(s) as Record<string, unknown>;
      } catch {
        return;
      }
      if (rec.msg !== MARK) return;
      peer = typeof rec.peername === 'string' ? rec.peername : undefined;
      user = typeof rec.username === 'string' ? rec.username : undefined;
      time = emqxTime(rec.time, now);
    } else {
      if (!/(?:^|[ ,])msg: "?authentication_failure/.test(s)) return;
      peer = TEXT_PEER.exec(s)?.[1];
      user = TEXT_USER.exec(s)?.[1];
      const sp = s.indexOf(' ');
      if (sp > 0) time = emqxTime(s.slice(0, sp), now);
    }
    const hp = peer ? splitHostPort(peer) : undefined;
    const ip = hp ? normaliseIp(hp.host) : peer ? normaliseIp(peer) : undefined;
    if (!ip) this.unattributed++;
    this.sink.event('auth-failure', ip, time, user && user !== 'undefined' ? user : undefined);
  }
}
