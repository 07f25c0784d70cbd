/**
 * The lab's broker log, written in Mosquitto 2.0 format (`log_timestamp true`, `connection_messages
 * true`) so that `mqtt-warden guard --log` and `guard test` read it as they read a real broker's log:
 *
 *   1733480000: New connection from 127.0.0.1:40312 on port 21884.
 *   1733480000: New client connected from 127.0.0.1:40312 as lab-1 (p2, c1, k60, u'admin').
 *   1733480000: Client lab-2 disconnected, not authorised.
 *   1733480000: Client lab-1 disconnected.
 *
 * (the line shapes of Mosquitto 2.0.13+, as src/guard/parsers/mosquitto.ts documents them). Lines are
 * appended synchronously: the log is small and a line must be on disk before the CONNACK goes out.
 */
import { appendFileSync } from 'node:fs';

export class LabLog {
  constructor(readonly file: string) {}

  private write(text: string): void {
    try {
      appendFileSync(this.file, `${Math.floor(Date.now() / 1000)}: ${text}\n`);
    } catch {
      // The log is a training aid: a full disk or a removed directory must not stop the brokers.
    }
  }

  notice(text: string): void {
    this.write(text);
  }

  newConnection(ip: string, port: number, listenerPort: number): void {
    this.write(`New connection from ${ip}:${port} on port ${listenerPort}.`);
  }

  connected(ip: string, port: number, clientId: string, protocolVersion: number, clean: boolean, keepalive: number, username: string | undefined): void {
    const id = clientId === '' ? '<empty>' : clientId;
    this.write(`New client connected from ${ip}:${port} as ${id} (p${protocolVersion === 5 ? 5 : 2}, c${clean ? 1 : 0}, k${keepalive}${username !== undefined ? `, u'${username}'` : ''}).`);
  }

  notAuthorised(clientId: string): void {
    this.write(`Client ${clientId === '' ? '<unknown>' : clientId} disconnected, not authorised.`);
  }

  disconnected(clientId: string): void {
    this.write(`Client ${clientId} disconnected.`);
  }
}
