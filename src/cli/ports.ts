/**
 * `ports`: the command and its options. The implementation (planner, config readers, firewall renderers,
 * nftables, the port checks) is in ./impl/ports.ts, loaded when the command runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { REPORT_FORMATS } from '../reporters/formats.js';
import { emqxEnvOptions, judgeOptions, legacyOption, requires } from './options.js';
import { DEFAULT_FIREWALL_OPTIONS, RENDERERS } from '../ports/firewall-options.js';
import { int } from './common.js';
import { NetworkError, parseNetwork } from '../ports/net.js';
import type { SetExit } from './commands.js';
import type { PortsFlags } from './impl/ports.js';

/** Output formats of `ports`: the plan's and the --check report's. */
export const PORTS_FORMATS = [...new Set(['terminal', 'json', 'markdown', ...REPORT_FORMATS])];

export { RENDERERS, type Renderer } from '../ports/firewall-options.js';

const collectList = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/**
 * A network list option (repeatable, comma-separated): every entry an address or CIDR network. An empty list or
 * entry is refused: an empty --clients used to open MQTT to everyone. `--clients any` is the explicit way to do that.
 */
function networkList(name: '--clients' | '--admins' | '--peers') {
  return (v: string, prev: string[] = []) => {
    const items = v.split(',').map((s) => s.trim());
    const hint = name === '--clients' ? ' (--clients any opens MQTT to everyone)' : '';
    if (items.some((s) => !s)) throw new InvalidArgumentError(`${name} needs networks, comma-separated, e.g. 10.20.0.0/16,fd00:20::/48; got an empty ${items.length > 1 ? 'entry' : 'list'}${hint}`);
    for (const item of items) {
      if (name === '--clients' && item === 'any') continue;
      try {
        parseNetwork(item, name);
      } catch (e) {
        if (e instanceof NetworkError) throw new InvalidArgumentError(`${e.message}${hint}`);
        throw e;
      }
    }
    return [...prev, ...items];
  };
}
const collectRepeat = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command, setExit: SetExit): void {
  const cmd = program
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
    .option('--nanomq-config <file>', 'read a NanoMQ broker\'s listeners and HTTP API from nanomq.conf (repeatable)', collectRepeat)
    .option('--address <addr,…>', 'addresses of the node read with --emqx-config/--mosquitto-config/--nanomq-config (default: the host part of the EMQX node name)', collectList)
    .option('--clients <cidr,…|any>', 'client networks that may use MQTT; `any`: everyone (default: everyone, with a warning)', networkList('--clients'))
    .option('--admins <cidr,…>', 'admin networks that may reach the dashboard and SSH', networkList('--admins'))
    .option('--peers <cidr,…>', 'extra cluster peers besides the nodes themselves', networkList('--peers'))
    .option('--listeners <type:port,…>', 'listeners of the --node nodes, e.g. ssl:8883,wss:8084,dashboard-https:18084,tcp:127.0.0.1:1883 (default: EMQX 5 defaults)')
    .addOption(new Option('--rpc-port-discovery <mode>', 'rpc.port_discovery of the --node nodes').choices(['stateless', 'manual']))
    .option('--rpc-server-port <port>', 'rpc.server_port with manual port discovery (default 5369)', int('--rpc-server-port', 1, 65535))
    .option('--ssh-port <port>', 'SSH port kept open for the admin networks', int('--ssh-port', 1, 65535), 22)
    .option('--no-ssh', 'plan no SSH port')
    .addOption(new Option('--render <firewall>', 'print firewall rules for one host of the plan instead of the plan').choices([...RENDERERS]))
    .option('--for <node|address>', 'the host to render, apply or check (default: the only host of the plan; for --apply and --check the node with one of this host\'s addresses)')
    .option('--table <name>', 'nftables table (iptables chain) name', DEFAULT_FIREWALL_OPTIONS.name)
    .option('--priority <n>', 'nftables input hook priority (0 = filter)', (v) => {
      if (!/^-?\d+$/.test(v) || Math.abs(Number(v)) > 1000) throw new InvalidArgumentError('--priority must be a whole number between -1000 and 1000');
      return Number(v);
    }, 0)
    .option('--zone <zone>', 'firewalld zone', 'public')
    .option('--apply', 'load the nftables rendering into the port plan\'s own table, printing the diff it applies')
    .option('--dry-run', 'with --apply or --remove: print what would change, change nothing')
    .option('--no-dry-run', 'deprecated (--apply applies)')
    .option('--remove', 'delete the port plan\'s nftables table (only its own; idempotent)')
    .option('--check', 'compare the plan with the sockets listening on this host and the live firewall (the port-plan checks: SVC-052…055, SVC-090)')
    .option('--policy <file>', 'with --check: security policy (YAML or JSON) whose allowed networks the plan is held against (SVC-090)')
    .option('--timeout <ms>', 'timeout of each nft command', int('--timeout', 100, 120000), 10000)
    // Which of --dry-run / --no-dry-run were given at all: with both, --dry-run wins (a preview never changes anything).
    .on('option:dry-run', function (this: Command) {
      this.setOptionValue('dryRunGiven', true);
    })
    .on('option:no-dry-run', function (this: Command) {
      this.setOptionValue('noDryRunGiven', true);
    });
  // -f is the format of what the command prints: the plan (terminal, json, markdown) or the --check report (terminal, json, sarif, junit).
  // The environment and release of the nodes read with --emqx-config (EMQX_* overrides change ports and names).
  emqxEnvOptions(cmd);
  judgeOptions(cmd, { formats: PORTS_FORMATS, what: 'plan or --check report' });
  legacyOption(cmd, '--report-format <format>', 'format', 'use -f/--format (it is the --check report format too)');
  cmd.action(async (flags: PortsFlags) => {
    const firewall = Boolean(flags.apply || flags.check);
    requires(cmd, [
      { modifier: 'zone', needs: flags.render === 'firewalld', with: '--render firewalld' },
      { modifier: 'for', needs: Boolean(flags.render) || firewall, with: '--render, --apply or --check (the host of the plan they are about)' },
      { modifier: 'priority', needs: flags.render === 'nftables' || firewall, with: '--render nftables, --apply or --check (the nftables input hook priority)' },
      {
        modifier: 'table',
        needs: ['nftables', 'iptables', 'ip6tables'].includes(flags.render ?? '') || firewall || Boolean(flags.remove),
        with: '--render nftables|iptables|ip6tables, --apply, --remove or --check',
      },
      { modifier: 'timeout', needs: firewall || Boolean(flags.remove), with: '--apply, --remove or --check (it bounds each nft command)' },
      { modifier: ['listeners', 'rpcPortDiscovery'], needs: Boolean(flags.node?.length), with: '--node (cluster files and configs name their own listeners and rpc)' },
      { modifier: ['envFile', 'processEnv', 'emqxVersion'], needs: Boolean(flags.emqxConfig?.length), with: '--emqx-config (the environment and release of the EMQX node read from its files)' },
      { modifier: 'sshPort', needs: flags.ssh, with: 'a planned SSH port: drop --no-ssh' },
      { modifier: ['history', 'failOnNew'], needs: Boolean(flags.check), with: '--check (the plan is not a judged run)' },
      { modifier: 'policy', needs: Boolean(flags.check), with: '--check (the policy judges the plan in the --check report)' },
    ]);
    const { ports } = await import('./impl/ports.js');
    setExit(await ports(flags));
  });
}
