/**
 * Products of the advisory database and where its updated copy lives: a module of its own so that the CLI
 * can define the `advisories` options without loading the database code (zod schemas).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCTS = ['openssl', 'mosquitto', 'emqx'] as const;
export type Product = (typeof PRODUCTS)[number];

/** Where `advisories update` writes and where the audit looks first. */
export function userDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MQTT_WARDEN_ADVISORIES) return env.MQTT_WARDEN_ADVISORIES;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'mqtt-warden', 'advisories.json');
}
