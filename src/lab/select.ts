/**
 * What `lab start` is asked for, checked before anything heavy loads: the bind address (loopback only)
 * and the scenarios; the errors `lab start` turns into exit 2.
 */
import ipaddr from 'ipaddr.js';
import { LAB_SCENARIOS, type LabScenario } from './catalogue.js';

/** A problem with what the user asked for (exit 2). */
export class LabUsageError extends Error {}

/** The bind address when it is a loopback address (`localhost` is 127.0.0.1); anything else is refused. */
export function loopbackBind(addr: string): string {
  const a = addr === 'localhost' ? '127.0.0.1' : addr.replace(/^\[(.*)\]$/, '$1');
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(a);
  } catch {
    throw new LabUsageError(`--bind ${addr}: not an IP address; the lab binds to loopback only (127.0.0.1, another 127.x.y.z, or ::1)`);
  }
  if (parsed.range() !== 'loopback') {
    throw new LabUsageError(`--bind ${addr}: not a loopback address; the lab is deliberately weak and binds to loopback only (127.0.0.1, another 127.x.y.z, or ::1)`);
  }
  return parsed.toString();
}

/** The scenarios to start: the named ones (default: every in-process one, plus the real ones with --real). */
export function selectScenarios(names: readonly string[] | undefined, real: boolean): LabScenario[] {
  if (!names?.length) return LAB_SCENARIOS.filter((s) => real || !s.real);
  const out: LabScenario[] = [];
  for (const n of names) {
    const s = LAB_SCENARIOS.find((x) => x.name === n);
    if (!s) throw new LabUsageError(`--scenario ${n}: unknown; the scenarios are ${LAB_SCENARIOS.map((x) => x.name).join(', ')} (see \`mqtt-warden lab list\`)`);
    if (s.real && !real) throw new LabUsageError(`--scenario ${n} runs a real Mosquitto: add --real`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** A port of the lab's block that another process holds: the lab refuses to start. */
export class PortTakenError extends Error {
  constructor(
    readonly port: number,
    readonly scenario: string,
    code: string,
  ) {
    super(`port ${port} (lab scenario "${scenario}") is ${code === 'EADDRINUSE' ? 'already in use' : `not available (${code})`}; stop what holds it (\`ss -ltnp 'sport = :${port}'\`) or choose another block with --port-base`);
  }
}
