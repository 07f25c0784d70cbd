/** Builders of `mgmt.http` facts for the management-interface check cases. */
import type { ManagementProbes, MgmtInterface } from '../../src/core/facts.js';

const NOT_INTRUSIVE = { tested: false as const, reason: 'intrusive probe: run with --intrusive to try the default credentials once' };

/** A port where nothing answers. */
export function closed(port: number): MgmtInterface {
  return { port, sources: [{ kind: 'default', product: port === 8081 ? 'nanomq' : port === 9883 ? 'mosquitto' : 'emqx' }], reach: 'closed', detail: 'connection refused', disclosures: [], auth: 'unknown', login: { tested: false, reason: 'no management interface was recognised on this port' }, requests: [], anomalies: [] };
}

/** An EMQX dashboard that needs a token, discloses its status page (version and node name). */
export function emqx(over: Partial<MgmtInterface> = {}): MgmtInterface {
  return {
    port: 18083,
    sources: [{ kind: 'default', product: 'emqx' }],
    anomalies: [],
    reach: 'http',
    product: 'emqx',
    version: '5.8.6',
    disclosures: [
      { path: '/status?format=json', kind: 'version', value: '5.8.6' },
      { path: '/status?format=json', kind: 'node-name', value: 'emqx@10.0.0.11' },
    ],
    auth: 'required',
    login: NOT_INTRUSIVE,
    requests: [{ method: 'GET', path: '/status?format=json', credentials: false, status: 200, bytes: 120, ms: 3 }],
    ...over,
  };
}

/** A NanoMQ HTTP server with basic auth. */
export function nanomq(over: Partial<MgmtInterface> = {}): MgmtInterface {
  return { port: 8081, sources: [{ kind: 'default', product: 'nanomq' }], reach: 'http', product: 'nanomq', disclosures: [], auth: 'required', login: NOT_INTRUSIVE, requests: [], anomalies: [], ...over };
}

/** A Mosquitto http_api without authentication. */
export function mosquittoOpen(over: Partial<MgmtInterface> = {}): MgmtInterface {
  return {
    port: 9883,
    sources: [{ kind: 'default', product: 'mosquitto' }],
    requests: [],
    anomalies: [],
    reach: 'http',
    product: 'mosquitto',
    version: '2.1.2',
    auth: 'not-required',
    openApiPath: '/api/v1/version',
    disclosures: [
      { path: '/api/v1/version', kind: 'version', value: '2.1.2' },
      { path: '/api/v1/listeners', kind: 'listeners', value: '1883/mqtt anonymous, 9883/httpapi' },
    ],
    login: { tested: false, reason: 'the API answers without credentials (/api/v1/version): no login is needed' },
    ...over,
  };
}

/** The interface without the version it disclosed. */
export function versionless(i: MgmtInterface): MgmtInterface {
  const { version: _version, ...rest } = i;
  return rest;
}

export function mgmt(interfaces: MgmtInterface[], host = '203.0.113.10'): ManagementProbes {
  return { host, loopback: host.startsWith('127.'), intrusive: false, interfaces, configProblems: [] };
}

export const NOTHING = () => mgmt([closed(18083), closed(18084), closed(8081), closed(9883)]);
