/** Renders the docs page of a check (docs/checks/<ID>.md) from its metadata, so docs never drift from code. */
import type { ControlRef } from '../compliance/index.js';
import { STRATEGIES, type CheckMeta } from '../core/types.js';

const FACT_SOURCES: Record<string, string> = {
  'net.ports': 'TCP connect scan of the standard ports of the host (`--ports`, `--no-port-scan`)',
  'mqtt.endpoints': 'the MQTT probes of every endpoint on the host',
  'mqtt.probe': 'the non-intrusive MQTT probe of the endpoint (anonymous CONNECT, session with the identity used, `#` and `$SYS/#` subscriptions for at most `--window` ms, `$SYS` publish, zero-length client ID)',
  'mqtt.credentials': 'intrusive credential guessing (`--intrusive`, `--wordlist`, `--max-attempts`, `--max-seconds`, `--rate`)',
  'mqtt.loginRestriction': 'intrusive failed-login series (`--intrusive`, `--login-attempts`, `--max-seconds`, `--rate`)',
  'mqtt.takeover': 'intrusive client-ID takeover test (`--intrusive`)',
  'sys.updates': 'package-manager simulation (`apt-get -s dist-upgrade`, offline against the root\'s dpkg status and lists; dnf/yum/zypper/apk live only)',
  'sys.reboot': '`/run/reboot-required` and, live, the running kernel against `/lib/modules`',
  'sys.software': 'OpenSSL/Mosquitto/EMQX versions (package database; live: `openssl version`, `mosquitto -h`, libcrypto mapped by broker processes, Node\'s OpenSSL; EMQX release files) and the offline advisory database (`--advisories`, `advisories update`)',
  'sys.keys': 'TLS files referenced by broker configs (`--config`) and found in the packages\' certificate directories: mode, owner, key type/size/encryption, certificate validity (`--expiry-warn-days`)',
  'sys.brokers': 'broker configs (listeners, `user`), running broker processes (live only)',
  'sys.listeners': 'listening sockets from `/proc/net/{tcp,tcp6,udp,udp6}`, mapped to processes on the live host',
  'sys.firewall': 'live: `nft -j list ruleset`, `iptables-save`, `ip6tables-save`, `ufw status`, `firewall-cmd --state`; offline: persisted rules',
  'sys.mac': 'SELinux/AppArmor state from /sys (offline: their configs) and the broker processes\' labels',
  'sys.disk': 'mount table and `/sys/block/dm-*/dm/uuid` (dm-crypt), `/proc/swaps`',
  'sys.logging': 'broker logging directives, journald.conf, auditd',
  'sys.hardening': 'Lynis/OpenSCAP binaries and the Lynis report (`--lynis-report`)',
  'sys.ssh': '/etc/ssh/sshd_config and its Include files',
  'sys.accounts': '/etc/shadow (root only)',
  'erlang.exposure': 'epmd NAMES on 4369 and the Erlang distribution handshake on 4370–4373, the ports epmd names and those of `--port-plan` (with `--intrusive`: the packaged cookies `emqxsecretcookie` and `emqx50elixir`)',
  'mgmt.http': 'HTTP(S) requests to the management interfaces of the host (EMQX dashboard and REST API on 18083/18084, NanoMQ HTTP server on 8081, Mosquitto `http_api` on 9883, plus the dashboard and `http_api` ports of the configs the host audit reads and the other TCP ports the broker processes of this machine listen on); the certificate chain an HTTPS interface serves; with `--intrusive` exactly one login with the shipped default credentials per interface (docs/management-probes.md)',
  'drill.journal': 'the journal of `mqtt-warden drill run`: what each inject step sent and what the broker answered, every expectation observed (met, failed, not verified) with its time, the steady-state probes before and after, the rollback and the safety caps used (docs/drill.md)',
  'ports.check': 'the port plan (`mqtt-warden ports --check`, `audit --port-plan FILE`) against the listening sockets of /proc/net and the live nftables table',
};

const SCOPE_TEXT: Record<CheckMeta['scope'], string> = {
  endpoint: 'one result per MQTT endpoint',
  host: 'one result per audited host',
  system: 'results for the machine inspected by the host audit (this host, or `--root DIR`)',
  drill: 'one result per `drill run` (its journal), see [docs/drill.md](../drill.md)',
};

export function checkDocPage(m: CheckMeta, controls: readonly ControlRef[] = []): string {
  const s = STRATEGIES.find((x) => x.id === m.strategy)!;
  return [
    `# ${m.id} — ${m.title}`,
    '',
    '<!-- Generated from the check\'s meta by `npm run docs`; edit the check, not this page. -->',
    '',
    '| | |',
    '|---|---|',
    `| ID | \`${m.id}\` (\`${m.name}\`) |`,
    `| Strategy | ${s.number}. ${s.title} |`,
    `| Default severity | ${m.severity} |`,
    `| Scope | ${SCOPE_TEXT[m.scope]} |`,
    `| Intrusive | ${m.intrusive ? 'yes: runs only with `--intrusive`' : 'no'} |`,
    '',
    '## What it checks',
    '',
    m.description,
    '',
    '## Facts it needs',
    '',
    ...m.needs.map((n) => `- \`${n}\`: ${FACT_SOURCES[n] ?? n}`),
    '',
    'When a fact could not be collected the result is SKIP (with the reason) or ERROR (with the error), never PASS.',
    '',
    '## How to fix',
    '',
    m.remediation,
    '',
    '## Controls',
    '',
    ...(controls.length
      ? [
          'The controls this check gives evidence for (data/compliance.json, which names the source of every identifier):',
          '',
          ...[...new Set(controls.map((c) => c.frameworkTitle))].map((fw) => `- ${fw}: ${controls.filter((c) => c.frameworkTitle === fw).map((c) => `${c.id} (${c.title})`).join(', ')}`),
        ]
      : ['Not mapped to a control yet.']),
    '',
    '## References',
    '',
    ...m.references.map((r) => `- <${r}>`),
    '',
  ].join('\n');
}
