/**
 * One memory measurement of bench/lint.bench.ts, in its own process (run with --expose-gc):
 * generate a config of the given kind and size, parse it, and print JSON with the input size,
 * the parse time, the retained heap (after a full GC, minus the heap before the parse) and the
 * peak RSS growth during the parse (maxRSS after minus RSS before, the text already in memory).
 *   node --expose-gc --import tsx bench/parse-memory.ts hocon|mosquitto MiB
 */
import { parseHocon } from '../src/config/hocon.js';
import { parseMosquittoConfig } from '../src/config/mosquitto.js';
import { memoryIO } from '../src/config/io.js';

const [kind, mib] = process.argv.slice(2);
const target = Number(mib) * 1024 * 1024;

/** Realistic shapes, repeated: EMQX listeners with nested SSL options; Mosquitto listeners with TLS and auth. */
function generate(): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < target; i++) {
    const s =
      kind === 'hocon'
        ? `listeners.ssl.l${i} {\n  bind = "10.0.${(i >> 8) & 255}.${i & 255}:${8000 + (i % 50000)}"\n  # comment ${i}\n  ssl_options { certfile = "/etc/pki/l${i}.pem", verify = verify_peer }\n  max_connections = ${1000 + i}\n  enable = true\n}\n`
        : `# listener ${i}\nlistener ${8000 + (i % 50000)} 10.0.${(i >> 8) & 255}.${i & 255}\ncertfile /etc/pki/l${i}.pem\nkeyfile /etc/pki/l${i}.key\npassword_file /etc/mosquitto/passwd\nacl_file /etc/mosquitto/acl\n`;
    if (n + s.length > target) break;
    parts.push(s);
    n += s.length;
  }
  return (kind === 'mosquitto' ? 'per_listener_settings true\n' : '') + parts.join('');
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const text = generate();
gc();
const heap0 = process.memoryUsage().heapUsed;
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const result: unknown = kind === 'hocon' ? parseHocon(text, 'big.conf', { io: memoryIO({}) }) : parseMosquittoConfig(text, 'big.conf', memoryIO({}));
const ms = performance.now() - t0;
const peakRss = process.resourceUsage().maxRSS * 1024 - rss0;
gc();
const retained = process.memoryUsage().heapUsed - heap0;
console.log(JSON.stringify({ kind, bytes: text.length, ms: Math.round(ms), retainedBytes: retained, peakRssGrowthBytes: peakRss, kept: Boolean(result) }));
