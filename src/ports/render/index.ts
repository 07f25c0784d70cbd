/**
 * The firewall renderers, registered by name: each turns the firewall spec of one
 * host of the plan into the rules of one firewall (pure). `ports --render` and the
 * library's `renderFirewall` both go through this table.
 */
import type { FirewallOptions, FirewallSpec } from '../spec.js';
import type { Renderer } from '../firewall-options.js';
import { renderNftables } from './nftables.js';
import { renderIptables } from './iptables.js';
import { renderUfw } from './ufw.js';
import { renderFirewalld } from './firewalld.js';

export interface RenderSettings {
  firewall: FirewallOptions;
  /** firewalld zone. */
  zone?: string;
}

export const RENDER: Readonly<Record<Renderer, (spec: FirewallSpec, s: RenderSettings) => string>> = {
  nftables: (spec, s) => renderNftables(spec, s.firewall),
  iptables: (spec, s) => renderIptables(spec, s.firewall, 4),
  ip6tables: (spec, s) => renderIptables(spec, s.firewall, 6),
  ufw: (spec) => renderUfw(spec),
  firewalld: (spec, s) => renderFirewalld(spec, s.zone),
};
