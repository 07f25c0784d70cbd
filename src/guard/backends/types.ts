/** Where bans take effect. Every backend is idempotent: init twice, ban twice, unban an absent address. */
export interface BanEntry {
  ip: string;
  seconds: number;
}

export interface ListedBan {
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
  /** Remove everything the backend created. */
  remove(): Promise<void>;
}
