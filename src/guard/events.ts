/**
 * What the log parsers report to the detector. Parsers call the sink with
 * plain arguments (no event object per line) because they sit on the hot path.
 */
export type EventKind = 'auth-failure' | 'connect' | 'protocol-error';

export interface EventSink {
  /**
   * `ip` is the normalised source address, or undefined when the log does not
   * say which connection failed (counted, never banned). `time` is ms since the epoch.
   */
  event(kind: EventKind, ip: string | undefined, time: number, user?: string): void;
}

/** One log format. `line` gets a slice [start, end) of a larger string, without the newline. */
export interface LineParser {
  readonly format: string;
  line(text: string, start: number, end: number, now: number): void;
  /**
   * Optional fast path: handle the line [start, end) of an ASCII chunk from its bytes, or return
   * false to have it decoded and passed to line(). Must give exactly what line() gives.
   */
  lineBytes?(bytes: Uint8Array, start: number, end: number, now: number): boolean;
  /** Events for which the log did not name an unambiguous address. */
  readonly unattributed: number;
  /**
   * Correlation state to store with a read position (open connections whose
   * outcome line is still to come), so that a restart at that position
   * attributes their failures exactly as an uninterrupted run would.
   */
  snapshot?(): string;
  restore?(snapshot: string): void;
  /**
   * The address was just banned: its open connections can send nothing more
   * (the firewall drops their packets), so they must not make later failures
   * of other addresses ambiguous.
   */
  forgetAddress?(ip: string): void;
}
