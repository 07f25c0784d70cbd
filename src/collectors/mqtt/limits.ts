/** Bounds of the intrusive probes: a module of its own so that the CLI can show the defaults without loading the probes. */
export interface IntrusiveLimits {
  /** Upper bound of connection attempts per probe. */
  maxAttempts: number;
  /** Upper bound of seconds per probe. */
  maxSeconds: number;
  /** Attempts per second at most. */
  rate: number;
  /** Failed logins sent by the login-attempt restriction test. */
  loginAttempts: number;
}

export const DEFAULT_LIMITS: IntrusiveLimits = { maxAttempts: 30, maxSeconds: 20, rate: 5, loginAttempts: 12 };

/** Attempts needed before "unrestricted" may be concluded (and throttling can be seen). */
export const MIN_LOGIN_ATTEMPTS = 6;
