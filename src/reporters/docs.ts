/** Renders the docs page of a check (docs/checks/<ID>.md) from its metadata, so docs never drift from code. */
import { STRATEGIES, type CheckMeta } from '../core/types.js';

const FACT_SOURCES: Record<string, string> = {
  'net.ports': 'TCP connect scan of the standard ports of the host (`--ports`, `--no-port-scan`)',
  'mqtt.endpoints': 'the MQTT probes of every endpoint on the host',
  'mqtt.probe': 'the non-intrusive MQTT probe of the endpoint (anonymous CONNECT, session with the identity used, `#` and `$SYS/#` subscriptions for `--window` ms, `$SYS` publish, zero-length client ID)',
  'mqtt.credentials': 'intrusive credential guessing (`--intrusive`, `--wordlist`, `--max-attempts`, `--max-seconds`, `--rate`)',
  'mqtt.loginRestriction': 'intrusive failed-login series (`--intrusive`, `--login-attempts`, `--max-seconds`, `--rate`)',
  'mqtt.takeover': 'intrusive client-ID takeover test (`--intrusive`)',
  'erlang.exposure': 'epmd NAMES on 4369 and the Erlang distribution handshake on 4370–4373, the ports epmd names and those of `--port-plan` (with `--intrusive`: the default cookie `emqxsecretcookie`)',
  'ports.check': 'the port plan (`mqtt-warden ports --check`, `audit --port-plan FILE`) against the listening sockets of /proc/net and the live nftables table',
};

const SCOPE_TEXT: Record<CheckMeta['scope'], string> = {
  endpoint: 'one result per MQTT endpoint',
  host: 'one result per audited host',
  system: 'results for the machine inspected by the host audit (this host, or `--root DIR`)',
};

export function checkDocPage(m: CheckMeta): string {
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
    '## References',
    '',
    ...m.references.map((r) => `- <${r}>`),
    '',
  ].join('\n');
}
