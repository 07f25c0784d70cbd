/** Parsing of audit targets: mqtt://, mqtts://, ws://, wss:// URLs and host[:port]. */
import net from 'node:net';
import type { Endpoint, TransportScheme } from './types.js';

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const DEFAULT_PORTS: Record<TransportScheme, number> = { mqtt: 1883, mqtts: 8883, ws: 8083, wss: 8084 };
const SCHEME_BY_PORT: Record<number, TransportScheme> = { 1883: 'mqtt', 8883: 'mqtts', 8083: 'ws', 8084: 'wss' };

export interface ParsedTarget {
  endpoint: Endpoint;
  /** Credentials embedded in the URL (mqtt://user:pass@host); never echoed. */
  username?: string;
  password?: string;
}

/** A host as it appears in a URI authority: IPv6 literals in brackets. */
export function formatHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

export function endpointUri(scheme: TransportScheme, host: string, port: number, path?: string): string {
  const p = scheme === 'ws' || scheme === 'wss' ? (path ?? '/mqtt') : '';
  return `${scheme}://${formatHost(host)}:${port}${p}`;
}

export function makeEndpoint(scheme: TransportScheme, host: string, port: number, explicit: boolean, path?: string): Endpoint {
  const isWs = scheme === 'ws' || scheme === 'wss';
  return {
    uri: endpointUri(scheme, host, port, path),
    scheme,
    host,
    port,
    ...(isWs ? { path: path ?? '/mqtt' } : {}),
    explicit,
  };
}

function parsePort(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new TargetError(`${where}: port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new TargetError(`${where}: port ${port} is out of range 1-65535`);
  return port;
}

/**
 * A host must be a host name or an IP address that can exist: checked here, so that a typo is a usage error and
 * never a DNS query. Four dotted numbers are an IPv4 address or nothing (`256.256.256.256`, `999.1.1.1`);
 * an all-numeric name cannot be a host name either (no top-level domain is numeric).
 */
function checkHost(host: string, where: string): void {
  if (host.includes(':')) {
    if (!net.isIPv6(host)) throw new TargetError(`${where}: ${JSON.stringify(host)} is not a valid IPv6 address`);
    return;
  }
  if (/^[0-9.]+$/.test(host) || /^\d+(\.\d+){3}$/.test(host)) {
    if (!net.isIPv4(host)) throw new TargetError(`${where}: ${JSON.stringify(host)} is not a valid IPv4 address (four numbers 0-255, like 192.0.2.10), nor a host name`);
    return;
  }
  const name = host.replace(/\.$/, '');
  const label = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
  if (name.length > 253 || !name.split('.').every((l) => label.test(l))) {
    throw new TargetError(`${where}: ${JSON.stringify(host)} is not a valid host name (letters, digits, '-' and '.', labels of 1-63 characters)`);
  }
}

/** Parses one target. `where` names its origin (argument, file:line) for error messages. */
export function parseTarget(raw: string, where = 'target'): ParsedTarget {
  const text = raw.trim();
  if (!text) throw new TargetError(`${where}: empty target`);
  if (text.includes('://')) {
    let url: URL;
    try {
      // ws/wss are "special" WHATWG schemes whose default ports (80/443) would be
      // dropped from url.port; parse under a non-special alias to keep every port.
      url = new URL(text.replace(/^([a-z][a-z0-9+.-]*):\/\//i, 'x-$1://'));
    } catch {
      const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i.exec(text)?.[1];
      if (port !== undefined) parsePort(port, where);
      throw new TargetError(`${where}: "${redactSecrets(text)}" is not a valid URL`);
    }
    const scheme = url.protocol.replace(/^x-|:$/g, '').toLowerCase() as TransportScheme;
    if (!(scheme in DEFAULT_PORTS)) {
      throw new TargetError(`${where}: unsupported scheme "${scheme}:" (use mqtt, mqtts, ws or wss)`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!host) throw new TargetError(`${where}: missing host`);
    checkHost(host, where);
    const port = url.port ? parsePort(url.port, where) : DEFAULT_PORTS[scheme];
    const path = scheme === 'ws' || scheme === 'wss' ? (url.pathname && url.pathname !== '/' ? url.pathname : '/mqtt') : undefined;
    let username: string | undefined;
    let password: string | undefined;
    try {
      username = url.username ? decodeURIComponent(url.username) : undefined;
      password = url.password ? decodeURIComponent(url.password) : undefined;
    } catch {
      throw new TargetError(`${where}: the credentials in the URL are not valid percent-encoding`);
    }
    return {
      endpoint: makeEndpoint(scheme, host, port, true, path),
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    };
  }
  // host, host:port, [v6], [v6]:port, bare v6
  if (text.includes('@')) {
    throw new TargetError(`${where}: credentials are only accepted in URLs (mqtt://user:password@host); prefer --username and --password-file`);
  }
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if (net.isIPv6(text)) {
    host = text;
  } else {
    const i = text.lastIndexOf(':');
    host = i >= 0 ? text.slice(0, i) : text;
    portText = i >= 0 ? text.slice(i + 1) : undefined;
  }
  if (!host || /[\s/@]/.test(host)) throw new TargetError(`${where}: ${JSON.stringify(text)} is not a host[:port]`);
  checkHost(host, where);
  const port = portText !== undefined ? parsePort(portText, where) : 1883;
  const scheme = SCHEME_BY_PORT[port] ?? 'mqtt';
  return { endpoint: makeEndpoint(scheme, host, port, true) };
}

/** Bad lines of a targets file reported at most. */
export const MAX_TARGET_LINE_ERRORS = 20;

/**
 * Parses a targets file: one target per line, blank lines and # comments ignored. Every bad line is reported
 * as `FILE:LINE: why` (up to MAX_TARGET_LINE_ERRORS), in one TargetError.
 */
export function parseTargetsFile(text: string, file: string): ParsedTarget[] {
  if (text.includes('\0')) throw new TargetError(`targets file ${file}: a binary file (NUL bytes), not a list of targets`);
  const out: ParsedTarget[] = [];
  const errors: string[] = [];
  let bad = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/(^|\s)#.*$/, '').trim();
    if (!t) return;
    try {
      out.push(parseTarget(t, `${file}:${i + 1}`));
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      if (++bad <= MAX_TARGET_LINE_ERRORS) errors.push(e.message);
    }
  });
  if (bad) {
    const more = bad > MAX_TARGET_LINE_ERRORS ? [`… and ${bad - MAX_TARGET_LINE_ERRORS} more bad line(s)`] : [];
    throw new TargetError([`targets file ${file}: ${bad} bad line(s); one target per line (URL or host[:port], # comments):`, ...errors, ...more].join('\n'));
  }
  return out;
}

/**
 * Hides credentials in any text the CLI prints about its arguments. On every
 * line that has an `@`, whatever could be userinfo is replaced, up to the last
 * `@`: after a `scheme://`, after an opening quote (a password may hold spaces
 * and quotes), and in any word. Errs towards hiding too much.
 */
export function redactSecrets(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.includes('@')
        ? line
            .replace(/:\/\/.*@/, '://***@')
            .replace(/(['"]).*@/, '$1***@')
            .replace(/\S*@/g, (m) => (m.endsWith('***@') ? m : '***@'))
        : line,
    )
    .join('\n');
}
