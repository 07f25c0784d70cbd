/** Firewall table defaults: a module of its own so that the CLI can show them without loading the planner. */
export interface FirewallOptions {
  /** nftables table name / iptables chain name. */
  name: string;
  /** Priority of the input hook (0 = filter). */
  priority: number;
}

export const DEFAULT_FIREWALL_OPTIONS: FirewallOptions = { name: 'mqtt_warden', priority: 0 };

/** The firewalls `ports --render` writes rules for (src/ports/render/index.ts registers one renderer per name). */
export const RENDERERS = ['nftables', 'iptables', 'ip6tables', 'ufw', 'firewalld'] as const;
export type Renderer = (typeof RENDERERS)[number];
