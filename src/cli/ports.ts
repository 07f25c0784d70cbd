/**
 * `mqtt-warden ports`: the port plan of EMQX clusters and Mosquitto brokers,
 * its firewall renderings, applying/removing the nftables table, and the check
 * of this host against the plan.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CATALOGUE } from '../checks/index.js';
import { runAudit } from '../core/engine.js';
import { severityRank, SEVERITIES, type Severity } from '../core/types.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../reporters/index.js';
import { int, readText, UsageError } from './common.js';
import type { SetExit } from './commands.js';
import { buildPlan, PlanError } from '../ports/plan.js';
import { InputError, parseClusterFile, parseListenerSpec, parseNodeArg } from '../ports/input.js';
import { PLAN_FORMATS, renderPlan, type PlanFormat } from '../ports/format.js';
import { DEFAULT_FIREWALL_OPTIONS, firewallSpec, type FirewallOptions } from '../ports/spec.js';
import { renderNftables, validateName } from '../ports/render/nftables.js';
import { renderIptables } from '../ports/render/iptables.js';
import { renderUfw } from '../ports/render/ufw.js';
import { renderFirewalld } from '../ports/render/firewalld.js';
import type { NodeInput, PlanInput, PlanWarning, PortPlan } from '../ports/types.js';
import { ConfigInputError, nodeFromMosquitto, nodesFromEmqx } from '../ports/config-input.js';
import { ownAddresses, selectThisHost } from '../collectors/port-check.js';
import { applyTable, diffTable, FirewallError, localNft, removeTable } from '../firewall/nft.js';

export const RENDERERS = ['nftables', 'iptables', 'ip6tables', 'ufw', 'firewalld'] as const;
type Renderer = (typeof RENDERERS)[number];

/** The port-plan check IDs: what `ports --check` judges. */
export const PORT_CHECK_IDS = ['SVC-052', 'SVC-053', 'SVC-054', 'SVC-055'] as const;

export interface PlanFlags {
  node?: string[];
  cluster?: string;
  emqxConfig?: string[];
  mosquittoConfig?: string[];
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

interface PortsFlags extends PlanFlags {
  format: PlanFormat;
  render?: Renderer;
  for?: string;
  table: string;
  priority: number;
  zone: string;
  output?: string;
  apply?: boolean;
  dryRun: boolean;
  remove?: boolean;
  check?: boolean;
  reportFormat: ReportFormat;
  failOn: Severity | 'none';
  timeout: number;
}

const collectList = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const collectRepeat = (v: string, prev: string[] = []) => [...prev, v];

/** The planner input from the flags: a cluster file and/or --node, networks from the flags added to the file's. */
export function planInput(flags: PlanFlags): { input: PlanInput; source: string } {
  const nodes: NodeInput[] = [];
  let fromFile: ReturnType<typeof parseClusterFile> | undefined;
  if (flags.cluster) {
    try {
      fromFile = parseClusterFile(readText(flags.cluster, 'cluster file'), flags.cluster);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message, true);
      throw e;
    }
    nodes.push(...fromFile.nodes);
  }
  const warnings: PlanWarning[] = [];
  try {
    if (flags.emqxConfig?.length) {
      const r = nodesFromEmqx(flags.emqxConfig);
      if (flags.address?.length) r.nodes[0]!.addresses = flags.address;
      nodes.push(...r.nodes);
      warnings.push(...r.warnings);
    }
    for (const file of flags.mosquittoConfig ?? []) {
      const r = nodeFromMosquitto(file, { ...(flags.address?.length && { addresses: flags.address }) });
      nodes.push(r.node);
      warnings.push(...r.warnings);
    }
  } catch (e) {
    if (e instanceof ConfigInputError) throw new UsageError(e.message, true);
    throw e;
  }
  if (flags.address?.length && !flags.emqxConfig?.length && !flags.mosquittoConfig?.length) throw new UsageError('--address goes with --emqx-config or --mosquitto-config');
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
  if (!nodes.length) throw new UsageError('nothing to plan: give --node name@address (repeatable), --cluster FILE, --emqx-config FILE or --mosquitto-config FILE');
  const ssh = !flags.ssh ? false : (fromFile?.ssh ?? flags.sshPort);
  return {
    input: {
      nodes,
      clients: [...(fromFile?.clients ?? []), ...(flags.clients ?? [])],
      admins: [...(fromFile?.admins ?? []), ...(flags.admins ?? [])],
      peers: [...(fromFile?.peers ?? []), ...(flags.peers ?? [])],
      ssh,
      warnings,
    },
    source: [flags.cluster, ...(flags.emqxConfig ?? []), ...(flags.mosquittoConfig ?? [])].filter(Boolean).join(', ') || 'command line',
  };
}

export function planFrom(flags: PlanFlags): { plan: PortPlan; source: string } {
  const { input, source } = planInput(flags);
  try {
    return { plan: buildPlan(input), source };
  } catch (e) {
    if (e instanceof PlanError) throw new UsageError(e.message, true);
    throw e;
  }
}

function render(plan: PortPlan, flags: PortsFlags, fw: FirewallOptions): string {
  const spec = firewallSpec(plan, flags.for);
  switch (flags.render!) {
    case 'nftables':
      return renderNftables(spec, fw);
    case 'iptables':
      return renderIptables(spec, fw, 4);
    case 'ip6tables':
      return renderIptables(spec, fw, 6);
    case 'ufw':
      return renderUfw(spec);
    case 'firewalld':
      return renderFirewalld(spec, flags.zone);
  }
}

function out(text: string, file: string | undefined, what: string): void {
  if (file) {
    writeFileSync(file, text);
    process.stderr.write(`mqtt-warden: wrote ${what} to ${file}\n`);
  } else process.stdout.write(text);
}

async function check(plan: PortPlan, source: string, flags: PortsFlags, fw: FirewallOptions): Promise<number> {
  const catalogue = CATALOGUE.filter((c) => (PORT_CHECK_IDS as readonly string[]).includes(c.meta.id));
  const report = await runAudit(
    {
      endpoints: [],
      scanPorts: [],
      defaultHost: '127.0.0.1',
      network: false,
      host: true,
      system: { root: '/', timeoutMs: flags.timeout, portPlan: { plan, source, firewall: fw, ...(flags.for && { for: flags.for }) } },
      intrusive: false,
      limits: { maxAttempts: 1, maxSeconds: 1, rate: 1, loginAttempts: 1 },
      wordlist: [],
      timeoutMs: flags.timeout,
      targetTimeoutMs: flags.timeout,
      windowMs: 0,
      concurrency: 1,
      showPayloads: false,
      showSecrets: false,
      failOn: flags.failOn,
      tls: {},
    },
    catalogue,
  );
  // The port check reports only on this machine; the network part of a normal audit did not run.
  report.notes = report.notes.filter((n) => !/--host-only|not part of this version/.test(n));
  const text = renderReport(flags.reportFormat, report, { color: false, verbose: true, catalogue: catalogue.map((c) => c.meta) });
  out(text.endsWith('\n') ? text : `${text}\n`, flags.output, `${flags.reportFormat} report`);
  // As in audit: ERROR results are reported but do not change the exit code by themselves.
  if (flags.failOn === 'none') return 0;
  return report.results.some((r) => r.status === 'FAIL' && severityRank(r.severity) >= severityRank(flags.failOn as Severity)) ? 1 : 0;
}

async function ports(flags: PortsFlags): Promise<number> {
  const modes = [flags.render, flags.apply, flags.remove, flags.check].filter(Boolean).length;
  if (modes > 1 && !(flags.render === 'nftables' && flags.apply && modes === 2)) throw new UsageError('choose one of --render, --apply, --remove, --check');
  let fw: FirewallOptions;
  try {
    fw = { name: validateName(flags.table), priority: flags.priority };
  } catch (e) {
    throw new UsageError(`--table: ${(e as Error).message}`);
  }
  const nft = localNft(flags.timeout);
  try {
    if (flags.remove) {
      const removed = await removeTable(nft, fw.name);
      process.stderr.write(removed ? `mqtt-warden: removed table inet ${fw.name}\n` : `mqtt-warden: table inet ${fw.name} was not loaded; nothing to remove\n`);
      return 0;
    }
    const { plan, source } = planFrom(flags);
    if (flags.check) return await check(plan, source, flags, fw);
    if (flags.apply) {
      // Applying is about this host: without --for, the planned node with one of its addresses.
      const rendered = renderNftables(firewallSpec(plan, selectThisHost(plan, flags.for, ownAddresses())), fw);
      const d = await diffTable(nft, rendered, fw.name);
      if (flags.dryRun) {
        process.stdout.write(d.equal ? `table inet ${fw.name} is live and equal to the plan: nothing to do\n` : d.diff);
        process.stderr.write(d.equal ? '' : 'mqtt-warden: dry run, nothing changed; apply with --no-dry-run\n');
        return 0;
      }
      if (d.equal) {
        process.stderr.write(`mqtt-warden: table inet ${fw.name} already equals the plan\n`);
        return 0;
      }
      await applyTable(nft, rendered);
      process.stderr.write(`mqtt-warden: applied table inet ${fw.name} (${d.live === undefined ? 'new' : 'replaced'})\n`);
      return 0;
    }
    if (flags.render) {
      out(render(plan, flags, fw), flags.output, `${flags.render} rules`);
      return 0;
    }
    out(renderPlan(plan, flags.format), flags.output, `${flags.format} plan`);
    return 0;
  } catch (e) {
    if (e instanceof PlanError || e instanceof FirewallError) throw new UsageError(e.message, true);
    throw e;
  }
}

export function register(program: Command, setExit: SetExit): void {
  program
    .command('ports')
    .description(
      'Plan the ports of EMQX cluster nodes and Mosquitto brokers (who may reach which port), render firewalls for the plan, ' +
        'apply/remove it with nftables, or check this host against it.\n' +
        'EMQX ports by rule: Erlang distribution 4370 + the node name\'s numeric suffix, cluster RPC 5370 + suffix (or rpc.server_port ' +
        'with manual port discovery), MQTT 1883/8883, WebSocket 8083/8084, dashboard 18083 (HTTPS 18084).',
    )
    .option('--node <name@host[=addr,…]>', 'an EMQX node (repeatable); addresses default to the host part when it is an IP', collectRepeat)
    .option('--cluster <file>', 'cluster file (YAML or JSON): nodes, listeners, rpc, clients, admins, peers, ssh')
    .option('--emqx-config <file>', 'read an EMQX node from its config (repeatable, lowest precedence first: base.hocon, cluster.hocon, emqx.conf): node.name, listeners, dashboard, rpc, cluster.static.seeds', collectRepeat)
    .option('--mosquitto-config <file>', 'read a Mosquitto broker\'s listeners from mosquitto.conf (repeatable)', collectRepeat)
    .option('--address <addr,…>', 'addresses of the node read with --emqx-config/--mosquitto-config (default: the host part of the EMQX node name)', collectList)
    .option('--clients <cidr,…>', 'client networks that may use MQTT (default: anyone)', collectList)
    .option('--admins <cidr,…>', 'admin networks that may reach the dashboard and SSH', collectList)
    .option('--peers <cidr,…>', 'extra cluster peers besides the nodes themselves', collectList)
    .option('--listeners <type:port,…>', 'listeners of the --node nodes, e.g. ssl:8883,wss:8084,dashboard-https:18084,tcp:127.0.0.1:1883 (default: EMQX 5 defaults)')
    .addOption(new Option('--rpc-port-discovery <mode>', 'rpc.port_discovery of the --node nodes').choices(['stateless', 'manual']))
    .option('--rpc-server-port <port>', 'rpc.server_port with manual port discovery (default 5369)', int('--rpc-server-port', 1, 65535))
    .option('--ssh-port <port>', 'SSH port kept open for the admin networks', int('--ssh-port', 1, 65535), 22)
    .option('--no-ssh', 'plan no SSH port')
    .addOption(new Option('-f, --format <format>', 'plan output format').choices([...PLAN_FORMATS]).default('table'))
    .addOption(new Option('--render <firewall>', 'print firewall rules for one host of the plan instead of the plan').choices([...RENDERERS]))
    .option('--for <node|address>', 'the host to render, apply or check (default: the only host of the plan; for --apply and --check the node with one of this host\'s addresses)')
    .option('--table <name>', 'nftables table (iptables chain) name', DEFAULT_FIREWALL_OPTIONS.name)
    .option('--priority <n>', 'nftables input hook priority (0 = filter)', (v) => {
      if (!/^-?\d+$/.test(v) || Math.abs(Number(v)) > 1000) throw new InvalidArgumentError('--priority must be a whole number between -1000 and 1000');
      return Number(v);
    }, 0)
    .option('--zone <zone>', 'firewalld zone', 'public')
    .option('-o, --output <file>', 'write the plan, the rules or the report to a file')
    .option('--apply', 'load the nftables rendering (dry run by default: prints the diff against the live table)')
    .option('--no-dry-run', 'with --apply: really change the firewall')
    .option('--remove', 'delete the nftables table (idempotent)')
    .option('--check', 'compare the plan with the sockets listening on this host and the live firewall (checks SVC-052…055)')
    .addOption(new Option('--report-format <format>', 'report format of --check').choices([...REPORT_FORMATS]).default('terminal'))
    .addOption(new Option('--fail-on <severity>', '--check: exit 1 when a FAIL at or above this severity exists').choices([...SEVERITIES, 'none']).default('medium'))
    .option('--timeout <ms>', 'timeout of each nft command', int('--timeout', 100, 120000), 10000)
    .action(async (flags: PortsFlags) => setExit(await ports(flags)));
}
