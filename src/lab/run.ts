/**
 * Starting the lab: the selected scenarios, all or nothing (a port that is taken stops the start before
 * anything runs, and a failure closes what was already up). Loaded only by the process that runs the brokers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { scenarioPort, type LabScenario } from './catalogue.js';
import { startBroker } from './brokers.js';
import { LabLog } from './log.js';
import { findMosquitto, startMosquitto } from './real.js';
import { LabUsageError, PortTakenError } from './select.js';
import type { LabState } from './state.js';

export interface RunningLab {
  state: LabState;
  close(): Promise<void>;
}

function portFree(host: string, port: number, scenario: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(new PortTakenError(port, scenario, e.code ?? e.message)));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve()));
  });
}

export interface StartOptions {
  scenarios: LabScenario[];
  bind: string;
  portBase: number;
  dir: string;
  detached: boolean;
  real: boolean;
}

/** Starts the scenarios; on any failure what was started is closed again before the error is thrown. */
export async function startLab(o: StartOptions): Promise<RunningLab> {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const logFile = join(o.dir, 'broker.log');
  const log = new LabLog(logFile);
  const mosquitto = o.scenarios.some((s) => s.real) ? findMosquitto() : undefined;
  if (o.scenarios.some((s) => s.real) && !mosquitto) throw new LabUsageError('--real needs the mosquitto broker (install the mosquitto package, or set MOSQUITTO_BIN)');
  // Every port first, so that a taken one refuses the start before anything runs.
  for (const s of o.scenarios) await portFree(o.bind, scenarioPort(s, o.portBase), s.name);
  // @peculiar/x509 is the heaviest module of the lab (about 0.2 s of CPU to load): only when a TLS scenario runs.
  const tls = o.scenarios.some((s) => s.scheme === 'mqtts') ? await (await import('./pki.js')).makeWeakCertificate(o.bind) : undefined;
  if (tls) {
    const tlsDir = join(o.dir, 'tls');
    mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(tlsDir, 'legacy-tls.crt'), tls.certPem);
    writeFileSync(join(tlsDir, 'legacy-tls.key'), tls.keyPem, { mode: 0o600 });
  }
  log.notice(`mqtt-warden lab starting: ${o.scenarios.map((s) => s.name).join(', ')} (TRAINING ONLY, deliberately weak)`);
  const started: { close(): Promise<void> }[] = [];
  const brokers: LabState['brokers'] = [];
  try {
    const inProcess = await Promise.allSettled(o.scenarios.filter((s) => !s.real).map((s) => startBroker(s, o.bind, o.portBase, log, tls)));
    for (const r of inProcess) if (r.status === 'fulfilled') started.push(r.value);
    const failed = inProcess.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    for (const r of inProcess) if (r.status === 'fulfilled') brokers.push({ scenario: r.value.scenario, port: r.value.port, url: r.value.url, kind: 'aedes' });
    for (const s of o.scenarios.filter((x) => x.real)) {
      const b = await startMosquitto(mosquitto!, s, o.bind, o.portBase, o.dir);
      started.push(b);
      brokers.push({ scenario: b.scenario, port: b.port, url: b.url, kind: 'mosquitto', pid: b.pid, config: b.config });
    }
  } catch (e) {
    await Promise.all(started.map((b) => b.close()));
    throw e;
  }
  const order = (name: string) => o.scenarios.findIndex((s) => s.name === name);
  brokers.sort((a, b) => order(a.scenario) - order(b.scenario));
  const state: LabState = { pid: process.pid, startedAt: new Date().toISOString(), detached: o.detached, bind: o.bind, portBase: o.portBase, dir: o.dir, logFile, brokers };
  log.notice(`mqtt-warden lab running: ${brokers.map((b) => b.url).join(' ')}`);
  return {
    state,
    close: async () => {
      await Promise.all(started.map((b) => b.close()));
      log.notice('mqtt-warden lab stopped');
    },
  };
}
