/**
 * The safety gate of a drill run, decided before any packet is sent:
 * - the target: loopback (or the lab's ports on loopback) when the drill's safety.targets allows it, or an
 *   entry of safety.targets; anything not on loopback ALSO needs `--authorized` naming it exactly (host:port
 *   or host), and `--authorized` alone is enough for it (the operator names, on this run, what they may attack);
 * - the worst case of the steps (the sum of every inject's `demand`) within the caps of the safety block.
 * A refusal is a DrillRefused (exit 2) naming what to change.
 */
import net from 'node:net';
import { parseTarget, TargetError, formatHost } from '../core/targets.js';
import { isLoopback } from '../collectors/ports.js';
import { LAB_PORT_BASE, LAB_SCENARIOS, scenarioPort } from '../lab/catalogue.js';
import type { DrillFile, DrillTarget, InjectKind } from './model.js';

export class DrillRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillRefused';
  }
}

/** `--target URL` (mqtt://, mqtts://, ws://, wss://, or host[:port]); credentials in it are refused (use -u/--password-env). */
export function parseDrillTarget(raw: string): DrillTarget {
  let t;
  try {
    t = parseTarget(raw, '--target');
  } catch (e) {
    if (e instanceof TargetError) throw new DrillRefused(e.message);
    throw e;
  }
  if (t.username !== undefined || t.password !== undefined) throw new DrillRefused('--target: no credentials in the URL; give the known client with -u/--user and --password-env VAR');
  const ep = t.endpoint;
  return { url: ep.uri, scheme: ep.scheme, host: ep.host, port: ep.port, ...(ep.path && { path: ep.path }), loopback: isLoopback(ep.host) };
}

/** Whether a safety.targets / --authorized entry names the target exactly: `host:port`, `[v6]:port`, or `host`. */
export function namesTarget(entry: string, t: Pick<DrillTarget, 'host' | 'port'>): boolean {
  const e = entry.trim().toLowerCase();
  const host = t.host.toLowerCase();
  return e === host || e === `[${host}]` || e === `${formatHost(host)}:${t.port}`;
}

function isLabPort(port: number): boolean {
  return LAB_SCENARIOS.some((s) => scenarioPort(s, LAB_PORT_BASE) === port);
}

/** Throws DrillRefused when the drill may not touch the target on this run. */
export function gateTarget(safetyTargets: readonly string[], t: DrillTarget, authorized?: string): void {
  if (authorized !== undefined && !namesTarget(authorized, t)) {
    throw new DrillRefused(`--authorized ${authorized} does not name the target ${formatHost(t.host)}:${t.port} exactly (give host:port or host)`);
  }
  const listed = safetyTargets.some((s) => s !== 'loopback' && s !== 'lab' && namesTarget(s, t));
  if (t.loopback) {
    const ok = listed || authorized !== undefined || safetyTargets.includes('loopback') || (safetyTargets.includes('lab') && isLabPort(t.port));
    if (!ok) throw new DrillRefused(`the drill's safety.targets (${safetyTargets.join(', ')}) do not include ${formatHost(t.host)}:${t.port}`);
    return;
  }
  if (authorized === undefined) {
    throw new DrillRefused(
      `${formatHost(t.host)}:${t.port} is not on loopback: a drill attacks it only with --authorized ${formatHost(t.host)}:${t.port} (or --authorized ${t.host}), naming it exactly, on the command line of this run${listed ? ' (being listed in safety.targets is not enough)' : ''}`,
    );
  }
}

/** `--source ADDR`: IP literals only (the address a defence will see and ban). */
export function checkSources(sources: readonly string[]): void {
  for (const s of sources) if (!net.isIP(s)) throw new DrillRefused(`--source ${s}: not an IP address`);
}

/** Throws DrillRefused when the steps may need more than the safety caps allow. */
export function gateDemand(drill: DrillFile, kinds: readonly InjectKind[], params: readonly Record<string, unknown>[]): { connections: number; failedLogins: number } {
  const sum = { connections: 0, failedLogins: 0 };
  drill.steps.forEach((_s, i) => {
    const d = kinds[i]!.demand(params[i]!);
    sum.connections += d.connections;
    sum.failedLogins += d.failedLogins;
  });
  const s = drill.safety;
  const over: string[] = [];
  if (sum.connections > s.maxConnections) over.push(`${sum.connections} connections (safety.maxConnections ${s.maxConnections})`);
  if (sum.failedLogins > s.maxFailedLogins) over.push(`${sum.failedLogins} failed logins (safety.maxFailedLogins ${s.maxFailedLogins})`);
  if (over.length) throw new DrillRefused(`the steps may need ${over.join(' and ')}: lower the steps' counts or raise the caps in the safety block`);
  return sum;
}
