/** Prometheus metrics of the daemon (prom-client), served on a loopback port. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class GuardMetrics {
  readonly registry = new Registry();
  readonly lines = new Counter({ name: 'mqtt_warden_guard_lines_total', help: 'Log lines read', labelNames: ['source'], registers: [this.registry] });
  readonly skipped = new Counter({ name: 'mqtt_warden_guard_lines_skipped_total', help: 'Lines skipped as garbage (too long, binary, invalid UTF-8)', labelNames: ['source'], registers: [this.registry] });
  readonly failures = new Counter({ name: 'mqtt_warden_guard_failures_total', help: 'Refused logins seen', labelNames: ['kind'], registers: [this.registry] });
  readonly bansTotal = new Counter({ name: 'mqtt_warden_guard_bans_total', help: 'Bans issued or applied', labelNames: ['origin', 'reason'], registers: [this.registry] });
  readonly bansActive = new Gauge({ name: 'mqtt_warden_guard_bans_active', help: 'Bans in force (addresses and networks)', registers: [this.registry] });
  readonly bansActiveNetworks = new Gauge({ name: 'mqtt_warden_guard_bans_active_networks', help: 'Bans of whole networks (detect.subnet) in force', registers: [this.registry] });
  readonly swarmAlarms = new Counter({ name: 'mqtt_warden_guard_swarm_alarms_total', help: 'Swarm alarms raised (detect.swarm: refused logins from many addresses listener-wide)', registers: [this.registry] });
  readonly swarmActive = new Gauge({ name: 'mqtt_warden_guard_swarm_active', help: '1 while a swarm alarm holds the per-address threshold at detect.swarm.maxretry', registers: [this.registry] });
  readonly parseErrors = new Counter({ name: 'mqtt_warden_guard_parse_errors_total', help: 'Failures without a unique source address (not bannable)', registers: [this.registry] });
  readonly lag = new Gauge({ name: 'mqtt_warden_guard_lag_bytes', help: 'Bytes written to followed files and not read yet', labelNames: ['source'], registers: [this.registry] });
  readonly tracked = new Gauge({ name: 'mqtt_warden_guard_tracked_addresses', help: 'Addresses tracked by the detector', registers: [this.registry] });
  readonly trackedNetworks = new Gauge({ name: 'mqtt_warden_guard_tracked_networks', help: 'Networks tracked by the detector (detect.subnet)', registers: [this.registry] });
  readonly banLatency = new Histogram({ name: 'mqtt_warden_guard_ban_latency_seconds', help: 'From reading the deciding log line to the ban being in force', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  private server: http.Server | undefined;

  async listen(host: string, port: number): Promise<number> {
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }
}
