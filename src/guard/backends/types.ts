/** Where bans take effect. Every backend is idempotent: init twice, ban twice, unban an absent address. */
export interface BanEntry {
  /** An address, or a network in CIDR notation (`203.0.113.0/24`, detect.subnet). */
  ip: string;
  seconds: number;
}

export interface ListedBan {
  /** An address, or a network in CIDR notation. */
  ip: string;
  /** Seconds left, when the backend knows. */
  expiresIn?: number;
}

export interface BanBackend {
  readonly name: string;
  init(): Promise<void>;
  ban(entries: BanEntry[]): Promise<void>;
  unban(ip: string): Promise<void>;
  list(): Promise<ListedBan[]>;
  /** What remove() would delete, one line each (empty: nothing); changes nothing, refuses what remove() would refuse. */
  describeRemove(): Promise<string[]>;
  /** Remove everything the backend created, and nothing else. */
  remove(): Promise<void>;
  /** Release what the backend keeps open between bans (a helper process); the daemon calls it when it stops. */
  close?(): void;
}
