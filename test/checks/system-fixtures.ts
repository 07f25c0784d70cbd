/** Builders of host ("system") fact fixtures for the check tests. */
import { advisoriesFrom, loadBundle, SHIPPED_DB } from '../../src/advisories/db.js';
import type * as Sys from '../../src/collectors/system/types.js';
import type { ListeningSocket } from '../../src/collectors/system/sockets.js';

export const SYS_CTX = { subject: 'broker-host', host: 'broker-host', loopback: false };

const bundle = loadBundle(SHIPPED_DB);
export const DB: Sys.SoftwareInventory['db'] = { snapshot: bundle.snapshot, file: SHIPPED_DB, advisories: advisoriesFrom(bundle.records) };

export function updates(pending: Partial<Sys.PendingUpdate>[] = [], over: Partial<Sys.UpdateStatus> = {}): Sys.UpdateStatus {
  return {
    manager: 'apt',
    source: 'apt-get -s dist-upgrade',
    pending: pending.map((p, i) => ({ name: `pkg${i}`, from: '1.0-1', to: '1.0-2', security: false, ...p })),
    listsAgeDays: 1,
    ...over,
  };
}

export function component(over: Partial<Sys.SoftwareComponent>): Sys.SoftwareComponent {
  return { product: 'openssl', version: '3.0.19', release: '3.0.19', source: 'binary', where: '/usr/local/bin/openssl', ...over };
}

export function software(components: Sys.SoftwareComponent[]): Sys.SoftwareInventory {
  return { components, looked: ['dpkg database /var/lib/dpkg/status'], db: DB };
}

export const NOW = '2026-06-01T00:00:00.000Z';

export function keyFile(over: Partial<Sys.KeyFile>): Sys.KeyFile {
  return {
    path: '/etc/mosquitto/certs/server.key',
    file: '/etc/mosquitto/certs/server.key',
    role: 'key',
    product: 'mosquitto',
    refs: [{ file: '/etc/mosquitto/conf.d/tls.conf', line: 4, column: 1 }],
    exists: true,
    mode: 0o640,
    uid: 0,
    gid: 107,
    owner: 'root',
    group: 'mosquitto',
    key: { type: 'ec', bits: 256, curve: 'prime256v1', encrypted: false },
    ...over,
  };
}

export function cert(over: Partial<NonNullable<Sys.KeyFile['certs']>[number]> = {}) {
  return { subject: 'CN=broker', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', keyType: 'ec', bits: 256, ...over };
}

export function keys(files: Sys.KeyFile[], over: Partial<Sys.KeyMaterial> = {}): Sys.KeyMaterial {
  return { files, brokerUsers: ['mosquitto'], searched: ['/etc/mosquitto/certs'], now: NOW, warnDays: [30, 60], ...over };
}

export function sock(address: string, port: number, over: Partial<ListeningSocket> = {}): ListeningSocket {
  return {
    proto: 'tcp',
    family: address.includes(':') ? 6 : 4,
    address,
    port,
    wildcard: address === '0.0.0.0' || address === '::',
    loopback: address.startsWith('127.') || address === '::1',
    uid: 0,
    inode: port,
    processes: [],
    ...over,
  };
}

export function listeners(sockets: ListeningSocket[], over: Partial<Sys.Listeners> = {}): Sys.Listeners {
  return { sockets, problems: [], processesMapped: true, live: true, ...over };
}

export function brokers(over: Partial<Sys.BrokerSetup> = {}): Sys.BrokerSetup {
  return {
    configs: [{ product: 'mosquitto', file: '/etc/mosquitto/mosquitto.conf', problems: [] }],
    declared: [
      { product: 'mosquitto', port: 8883, kind: 'mqtts', location: { file: '/etc/mosquitto/conf.d/tls.conf', line: 1, column: 1 } },
      { product: 'mosquitto', port: 1883, bind: '127.0.0.1', kind: 'mqtt', location: { file: '/etc/mosquitto/conf.d/local.conf', line: 1, column: 1 } },
    ],
    runAs: [{ product: 'mosquitto', user: 'mosquitto', source: 'default' }],
    processes: [{ product: 'mosquitto', pid: 812, name: 'mosquitto', uid: 107, user: 'mosquitto', libs: [{ path: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', deleted: false, range: '7f00-7f10' }] }],
    live: true,
    notes: [],
    ...over,
  };
}

export function chain(over: Partial<Sys.FwChain>): Sys.FwChain {
  return { name: 'inet filter input', input: true, family: 'inet', policy: 'drop', rules: [], ...over };
}

export function rule(over: Partial<Sys.FwRule>): Sys.FwRule {
  return { restricted: false, establishedOnly: false, loopbackOnly: false, verdict: 'accept', text: '', ...over };
}

export function firewall(chains: Sys.FwChain[], over: Partial<Sys.FirewallState> = {}): Sys.FirewallState {
  return {
    looked: ['nft -j list ruleset'],
    source: 'live',
    backends: [{ name: 'nftables', active: chains.some((c) => c.input), detail: `${chains.length} chain(s)`, chains }],
    ports: [{ port: 1883, kind: 'mqtt', product: 'mosquitto' }],
    ...over,
  };
}

export function logging(over: Partial<Sys.LoggingState['brokers'][number]> = {}, rest: Partial<Sys.LoggingState> = {}): Sys.LoggingState {
  return {
    brokers: [
      {
        product: 'mosquitto',
        file: '/etc/mosquitto/mosquitto.conf',
        destinations: [{ dest: 'file /var/log/mosquitto/mosquitto.log', location: { file: '/etc/mosquitto/mosquitto.conf', line: 11, column: 1 } }],
        connectionMessages: { value: true },
        durable: true,
        ...over,
      },
    ],
    journald: { persistent: true, storage: 'persistent', source: '/etc/systemd/journald.conf' },
    auditd: { installed: true, running: true, source: '/usr/sbin/auditd' },
    retention: {
      journal: {},
      files: [{ file: '/var/log/mosquitto/mosquitto.log', rule: { location: { file: '/etc/logrotate.d/mosquitto', line: 1 }, pattern: '/var/log/mosquitto/mosquitto.log', rotate: 13, trigger: { kind: 'time', period: 'weekly' } } }],
      looked: ['/etc/logrotate.conf', '/etc/logrotate.d/mosquitto'],
      problems: [],
    },
    ...rest,
  };
}

export function hardening(over: Partial<Sys.HardeningTools> = {}): Sys.HardeningTools {
  return { lynis: { installed: true, where: '/usr/sbin/lynis' }, openscap: { installed: false }, looked: ['lynis', 'oscap'], ...over };
}

export function lynisReport(over: Partial<Sys.LynisReport> = {}): Sys.LynisReport {
  return { file: '/var/log/lynis-report.dat', hardeningIndex: 78, version: '3.0.8', date: '2026-05-30 10:00:00', warnings: [], suggestions: [], ...over };
}

export function ssh(over: Partial<Sys.SshState> = {}): Sys.SshState {
  return {
    files: ['/etc/ssh/sshd_config'],
    permitRootLogin: { value: 'no', isDefault: false, location: { file: '/etc/ssh/sshd_config', line: 33, column: 1 } },
    passwordAuthentication: { value: 'no', isDefault: false, location: { file: '/etc/ssh/sshd_config', line: 57, column: 1 } },
    matchOverrides: [],
    problems: [],
    ...over,
  };
}
