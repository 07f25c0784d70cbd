/**
 * The parser's listener model against a real mosquitto: each config runs in its own
 * network namespace (so 1883 never collides with anything), and the TCP sockets it
 * opens must be exactly the listeners parseMosquittoConfig computes, including the
 * 2.0 local-only mode and the default listener created by options before the first
 * `listener` line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable, type Lab } from './helpers/netns.js';
import { mosquittoPath, mosquittoSkipReason } from './helpers/mosquitto.js';
import { parseMosquittoConfig } from '../src/config/mosquitto.js';
import { fsIO } from '../src/config/io.js';

const unavailable = (await netnsUnavailable()) ?? mosquittoSkipReason();

describe('listener model = sockets of a real mosquitto', { skip: unavailable || false }, () => {
  let lab: Lab;
  const dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-model-${process.pid}-`));
  chmodSync(dir, 0o755); // mosquitto drops privileges before reading some files
  before(async () => {
    lab = await createLab(['broker']);
  });
  after(async () => {
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string][] = [
    ['no listener: local-only mode', 'log_dest stderr\n'],
    ['explicit listeners only', 'listener 9001 127.0.0.1\nlistener 9002\n'],
    ['certfile before the first listener', 'certfile /nonexistent.pem\nlistener 9001 127.0.0.1\n'],
    ['require_certificate before the first listener', 'require_certificate true\nlistener 9001 127.0.0.1\n'],
    ['max_connections before the first listener', 'max_connections 10\nlistener 9001 127.0.0.1\n'],
    ['tls_version before the first listener: no default listener', 'tls_version tlsv1.2\nlistener 9001 127.0.0.1\n'],
    ['allow_anonymous (global) before the first listener', 'allow_anonymous true\nlistener 9001 127.0.0.1\n'],
    ['per_listener_settings + allow_anonymous before the first listener', 'per_listener_settings true\nallow_anonymous true\nlistener 9001 127.0.0.1\n'],
    ['per_listener_settings + allow_zero_length_clientid before the first listener', 'per_listener_settings true\nallow_zero_length_clientid false\nlistener 9001 127.0.0.1\n'],
    ['deprecated port', 'port 9003\n'],
  ];

  for (const [name, conf] of cases) {
    test(name, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.conf`);
      writeFileSync(file, conf, { mode: 0o644 });
      const model = parseMosquittoConfig(conf, file, fsIO());
      const expected = model.listeners
        .map((l) => `${l.bind ?? '*'}:${l.port}`)
        .flatMap((x) => (x === '127.0.0.1:1883' ? ['127.0.0.1:1883', '[::1]:1883'] : x.startsWith('*:') ? [`0.0.0.0:${x.slice(2)}`, `[::]:${x.slice(2)}`] : [x]))
        .sort();
      const proc = lab.spawn('broker', mosquittoPath()!, ['-c', file]);
      try {
        let seen: string[] = [];
        // Generous: on a loaded CI machine mosquitto may take seconds to open its sockets.
        const deadline = Date.now() + 15_000;
        // Poll until the socket set is stable and non-empty (or the deadline passes).
        for (let prev = ''; Date.now() < deadline; ) {
          await new Promise((r) => setTimeout(r, 150));
          const { stdout } = await lab.exec('broker', 'ss', ['-ltnH']);
          seen = stdout
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => l.trim().split(/\s+/)[3]!)
            .sort();
          const key = seen.join(',');
          if (seen.length && key === prev) break;
          prev = key;
        }
        assert.deepEqual(seen, expected, `${name}: mosquitto opened ${seen.join(', ')}; the model says ${expected.join(', ')}`);
      } finally {
        proc.kill('SIGKILL');
      }
    });
  }
});
