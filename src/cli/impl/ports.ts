/**
 * `mqtt-warden ports`: the port plan of EMQX clusters and Mosquitto brokers,
 * its firewall renderings, applying/removing the nftables table, and the check
 * of this host against the plan.
 */
import { CATALOGUE } from '../../checks/index.js';
import { runChecks, selectChecks } from '../../core/engine.js';
import { emqxEnvironment } from './emqx-env.js';
import type { EmqxEnvFlags } from '../options.js';
import { readText, UsageError } from '../common.js';
import { emitReport, writeOutput } from '../emit.js';
import type { JudgeFlags } from '../options.js';
import { disabledChecks, projectPolicy, type ProjectFlags } from '../project.js';
import { loadPolicyFile } from './lint.js';
import type { Renderer } from '../../ports/firewall-options.js';
import { RENDER } from '../../ports/render/index.js';
import { buildPlan, PlanError } from '../../ports/plan.js';
import { InputError, parseClusterFile, parseListenerSpec, parseNodeArg } from '../../ports/input.js';
import { renderPlan, type PlanFormat } from '../../ports/format.js';
import { firewallSpec, type FirewallOptions, type FirewallSpec } from '../../ports/spec.js';
import { renderNftables, validateName } from '../../ports/render/nftables.js';
import type { NodeInput, PlanInput, PlanWarning, PortPlan } from '../../ports/types.js';
import { ConfigInputError, nodeFromMosquitto, nodeFromNanomq, nodesFromEmqx } from '../../ports/config-input.js';
import { ownAddresses, selectThisHost } from '../../collectors/port-check.js';
import { applyTable, assertOwned, diffTable, FirewallError, localNft, tableOwner, unifiedDiff } from '../../firewall/nft.js';
import { GUARD_PRIORITY } from '../../firewall/marks.js';

export interface PlanFlags extends Partial<EmqxEnvFlags> {
  node?: string[];
  cluster?: string;
  emqxConfig?: string[];
  mosquittoConfig?: string[];
  nanomqConfig?: string[];
  address?: string[];
  clients?: string[];
  admins?: string[];
  peers?: string[];
  listeners?: string;
  rpcPortDiscovery?: 'stateless' | 'manual';
  rpcServerPort?: number;
  sshPort: number;
  ssh: boolean;
}

export interface PortsFlags extends PlanFlags, JudgeFlags, ProjectFlags {
  render?: Renderer;
  for?: string;
  table: string;
  priority: number;
  zone: string;
  apply?: boolean;
  /** --dry-run / --no-dry-run, the last one given (undefined: neither). */
  dryRun?: boolean;
  /** Set by the option listeners of ../ports.ts: which of the two were given at all. */
  dryRunGiven?: boolean;
  noDryRunGiven?: boolean;
  remove?: boolean;
  check?: boolean;
  /** Security policy file for --check (SVC-090 holds the plan's networks against networks.*). */
  policy?: string;
  timeout: number;
}


/** The planner input from the flags: a cluster file and/or --node, networks from the flags added to the file's. */
export function planInput(flags: PlanFlags): { input: PlanInput; source: string; openWhy: string } {
  const nodes: NodeInput[] = [];
  let fromFile: ReturnType<typeof parseClusterFile> | undefined;
  if (flags.cluster) {
    try {
      fromFile = parseClusterFile(readText(flags.cluster, 'cluster file', 'settings'), flags.cluster);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message, true);
      throw e;
    }
    nodes.push(...fromFile.nodes);
  }
  const warnings: PlanWarning[] = [];
  try {
    if (flags.emqxConfig?.length) {
      const { env, envLocations } = emqxEnvironment({ processEnv: flags.processEnv ?? true, ...(flags.envFile && { envFile: flags.envFile }) });
      const r = nodesFromEmqx(flags.emqxConfig, { ...(env && { env }), ...(envLocations && { envLocations }), ...(flags.emqxVersion && { version: flags.emqxVersion }) });
      if (flags.address?.length) r.nodes[0]!.addresses = flags.address;
      nodes.push(...r.nodes);
      warnings.push(...r.warnings);
    }
    for (const file of flags.mosquittoConfig ?? []) {
      const r = nodeFromMosquitto(file, { ...(flags.address?.length && { addresses: flags.address }) });
      nodes.push(r.node);
      warnings.push(...r.warnings);
    }
    for (const file of flags.nanomqConfig ?? []) {
      const r = nodeFromNanomq(file, { ...(flags.address?.length && { addresses: flags.address }) });
      nodes.push(r.node);
      warnings.push(...r.warnings);
    }
  } catch (e) {
    if (e instanceof ConfigInputError) throw new UsageError(e.message, true);
    throw e;
  }
  if (flags.address?.length && !flags.emqxConfig?.length && !flags.mosquittoConfig?.length && !flags.nanomqConfig?.length) throw new UsageError('--address goes with --emqx-config, --mosquitto-config or --nanomq-config');
  let listeners;
  try {
    listeners = flags.listeners?.split(',').map((s, i) => parseListenerSpec(s, `--listeners #${i + 1}`));
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message, true);
    throw e;
  }
  const rpc = flags.rpcPortDiscovery ? { portDiscovery: flags.rpcPortDiscovery, ...(flags.rpcServerPort && { serverPort: flags.rpcServerPort }) } : undefined;
  if (flags.rpcServerPort && flags.rpcPortDiscovery !== 'manual') throw new UsageError('--rpc-server-port needs --rpc-port-discovery manual');
  for (const [i, arg] of (flags.node ?? []).entries()) {
    nodes.push({ ...parseNodeArg(arg, i), ...(listeners && { listeners }), ...(rpc && { rpc }) });
  }
  if (!nodes.length) throw new UsageError('nothing to plan: give --node name@address (repeatable), --cluster FILE, --emqx-config FILE, --mosquitto-config FILE or --nanomq-config FILE');
  const ssh = !flags.ssh ? false : (fromFile?.ssh ?? flags.sshPort);
  // Why MQTT would be open to everyone: asked for (--clients any, `clients: any`), or no client network given at all.
  const openWhy = flags.clients?.includes('any')
    ? '--clients any'
    : fromFile?.clients.includes('any')
      ? `${flags.cluster}: clients: any`
      : 'no client networks given: limit it with --clients CIDR,…, or say so with --clients any';
  return {
    openWhy,
    input: {
      nodes,
      clients: [...(fromFile?.clients ?? []), ...(flags.clients ?? [])],
      admins: [...(fromFile?.admins ?? []), ...(flags.admins ?? [])],
      peers: [...(fromFile?.peers ?? []), ...(flags.peers ?? [])],
      ssh,
      warnings,
    },
    source: [flags.cluster, ...(flags.emqxConfig ?? []), ...(flags.mosquittoConfig ?? []), ...(flags.nanomqConfig ?? [])].filter(Boolean).join(', ') || 'command line',
  };
}

export function planFrom(flags: PlanFlags): { plan: PortPlan; source: string; openWhy: string } {
  const { input, source, openWhy } = planInput(flags);
  try {
    return { plan: buildPlan(input), source, openWhy };
  } catch (e) {
    if (e instanceof PlanError) throw new UsageError(e.message, true);
    throw e;
  }
}

/**
 * A firewall that opens a port to everyone says so on stderr, whether asked for or by default: one line per
 * port, naming why (the clients setting, or the listener that asks for audience `any`).
 */
function warnOpenToEveryone(plan: PortPlan, spec: FirewallSpec, openWhy: string): void {
  const hostPorts = plan.nodes.filter((n) => spec.nodes.includes(n.name)).flatMap((n) => n.ports);
  for (const r of spec.rules.filter((x) => x.audiences.includes('any'))) {
    const open = hostPorts.filter((p) => p.port === r.port && p.proto === r.proto && p.audience === 'any');
    const byClients = !plan.networks.clients.length && open.some((p) => !p.service.startsWith('dashboard') && p.service !== 'ssh');
    const why = byClients ? openWhy : [...new Set(open.map((p) => `${p.source} (audience any)`))].join(', ');
    process.stderr.write(`mqtt-warden: warning: port ${r.port}${r.proto === 'tcp' ? '' : `/${r.proto}`} is open to everyone: ${why}\n`);
  }
}

/** The checks of `ports --check`: those that judge the port plan. */
export const PORT_CHECKS = selectChecks(CATALOGUE, { requires: 'ports.check' });

async function check(plan: PortPlan, source: string, flags: PortsFlags, fw: FirewallOptions): Promise<number> {
  if (flags.format === 'markdown') throw new UsageError('--check reports in terminal, json, sarif, junit or html format (markdown is for the plan)');
  const policy = projectPolicy(flags, () => (flags.policy ? loadPolicyFile(flags.policy) : undefined));
  const report = await runChecks({
    command: 'ports',
    checks: PORT_CHECKS,
    system: { root: '/', timeoutMs: flags.timeout, ...(policy && { policy }), portPlan: { plan, source, firewall: fw, ...(flags.for && { for: flags.for }) } },
    options: { intrusive: false, host: true, network: false, failOn: flags.failOn, identity: 'none (port plan check)' },
    disabled: disabledChecks(flags),
  });
  return emitReport(report, flags, PORT_CHECKS.map((c) => c.meta));
}

/** `ports` after its options are parsed; returns the exit code. */
export async function ports(flags: PortsFlags): Promise<number> {
  const modes = [flags.render, flags.apply, flags.remove, flags.check].filter(Boolean).length;
  if (modes > 1 && !(flags.render === 'nftables' && flags.apply && modes === 2)) throw new UsageError('choose one of --render, --apply, --remove, --check');
  // Plan → apply: --apply and --remove change the live firewall; --dry-run previews either and changes nothing.
  const dryRun = Boolean(flags.dryRunGiven);
  if (dryRun && !flags.apply && !flags.remove) throw new UsageError('--dry-run goes with --apply or --remove (the commands that change the live firewall)');
  if (flags.noDryRunGiven) {
    if (!flags.apply) throw new UsageError('--no-dry-run goes with --apply (and is deprecated: `ports --apply` applies)');
    process.stderr.write('mqtt-warden: --no-dry-run is deprecated: `ports --apply` applies; use --dry-run to preview\n');
  }
  let fw: FirewallOptions;
  try {
    fw = { name: validateName(flags.table), priority: flags.priority };
  } catch (e) {
    throw new UsageError(`--table: ${(e as Error).message}`);
  }
  const nft = localNft(flags.timeout);
  try {
    if (flags.remove) {
      const owner = await tableOwner(nft, fw.name);
      if (!owner.exists) {
        process.stderr.write(`mqtt-warden: table inet ${fw.name} is not loaded; nothing to remove\n`);
        return 0;
      }
      assertOwned(owner, fw.name, 'ports', 'delete');
      process.stdout.write(unifiedDiff(fw.name, owner.listing, undefined));
      if (dryRun) {
        process.stderr.write(`mqtt-warden: dry run, nothing changed; run without --dry-run to delete table inet ${fw.name}\n`);
        return 0;
      }
      await nft(['delete', 'table', 'inet', fw.name]);
      process.stderr.write(`mqtt-warden: removed table inet ${fw.name}\n`);
      return 0;
    }
    const { plan, source, openWhy } = planFrom(flags);
    if (flags.check) return await check(plan, source, flags, fw);
    if (flags.format === 'sarif' || flags.format === 'junit' || flags.format === 'html') throw new UsageError(`-f ${flags.format} is a report format: it goes with --check`);
    if (flags.apply) {
      if (fw.priority <= GUARD_PRIORITY) {
        process.stderr.write(`mqtt-warden: warning: --priority ${fw.priority} runs the plan at or before the guard's ban chain (priority ${GUARD_PRIORITY}): the plan may accept banned addresses first\n`);
      }
      // Applying is about this host: without --for, the planned node with one of its addresses.
      const spec = firewallSpec(plan, selectThisHost(plan, flags.for, ownAddresses()));
      warnOpenToEveryone(plan, spec, openWhy);
      const rendered = renderNftables(spec, fw);
      const owner = await tableOwner(nft, fw.name);
      assertOwned(owner, fw.name, 'ports', 'replace');
      const d = await diffTable(nft, rendered, fw.name);
      if (d.equal) {
        process.stdout.write(`table inet ${fw.name} is live and equal to the plan: nothing to do\n`);
        return 0;
      }
      process.stdout.write(d.diff);
      if (dryRun) {
        process.stderr.write('mqtt-warden: dry run, nothing changed; apply with --apply (without --dry-run)\n');
        return 0;
      }
      await applyTable(nft, rendered);
      process.stderr.write(`mqtt-warden: applied table inet ${fw.name} (${d.live === undefined ? 'new' : 'replaced'})\n`);
      return 0;
    }
    if (flags.render) {
      const spec = firewallSpec(plan, flags.for);
      warnOpenToEveryone(plan, spec, openWhy);
      writeOutput(RENDER[flags.render](spec, { firewall: fw, zone: flags.zone }), flags, `${flags.render} rules`);
      return 0;
    }
    const planFormat: PlanFormat = flags.format === 'terminal' ? 'table' : (flags.format as PlanFormat);
    writeOutput(renderPlan(plan, planFormat), flags, `${flags.format} plan`);
    return 0;
  } catch (e) {
    if (e instanceof PlanError || e instanceof FirewallError) throw new UsageError(e.message, true);
    throw e;
  }
}
