/**
 * Build step after tsc: the command line as one esbuild bundle (dist/bundle/), with dist/cli.js
 * reduced to an import of it.
 *
 * Why: on Node 20 a command's start is mostly module loading. Resolving, reading and compiling
 * hundreds of small files is what costs: `guard test` paid about 0.08 s CPU for some 50 of our ES
 * modules and commander's files (docs/guard.md#benchmark), and an audit of one plaintext endpoint
 * opened 619 files of node_modules (zod, yaml, @peculiar/x509 with tsyringe and the asn1 schemas,
 * pkijs, mqtt-packet, ...). The bundle holds our code and every pure-JavaScript dependency; it keeps
 * the lazy loading of each command's implementation (`await import()` becomes a chunk). External stay:
 * native code, packages only rare paths load, and what src/credentials/strength.ts loads on first use
 * (keepExternal below). Node 22's module.enableCompileCache() does not exist on Node 20.
 * Measured, one plaintext endpoint, whole CLI process, interleaved medians on the 2-core machine:
 * 0.90 s before, 0.55 s with the dependencies bundled and the PKI and password libraries loaded only
 * when used (src/collectors/endpoint.ts, src/cli/audit.ts, src/credentials/strength.ts).
 *
 * Modules that find files next to themselves (`new URL('../../data/…', import.meta.url)`) keep
 * their own location: their `import.meta.url` is rewritten to the URL their tsc output has.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const out = path.join(dist, 'bundle');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Kept external: native code (better-sqlite3), packages only the lab, the guard's Redis sharing or its
// metrics load, and the password estimator that src/credentials/strength.ts loads on first use.
const keepExternal = new Set(['better-sqlite3', 'aedes', 'ioredis', 'prom-client', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common']);
const bundled = new Set(Object.keys(pkg.dependencies).filter((n) => !keepExternal.has(n)));
const external = [...Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !bundled.has(n)), 'bufferutil', 'utf-8-validate']
  .flatMap((n) => [n, `${n}/*`]);

const entry = path.join(dist, 'cli.js');
if (readFileSync(entry, 'utf8').includes("import './bundle/cli.js'")) throw new Error(`${entry} is already the bundle's stub: run tsc first (npm run build does)`);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [entry],
  outdir: out,
  bundle: true,
  // Without splitting, every command's modules would be evaluated at start (measured: 0.9 s).
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // jsonc-parser's main is a UMD build whose require() calls esbuild cannot follow; its ES build has none.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
  // commander is CommonJS: its require() calls need a require in an ES module.
  banner: { js: "import { createRequire as __mwCreateRequire } from 'node:module'; const require = __mwCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'own-location',
      setup(b) {
        b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
          const text = readFileSync(args.path, 'utf8');
          if (!text.includes('import.meta.url')) return undefined;
          const rel = path.relative(out, args.path).split(path.sep).join('/');
          return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
        });
      },
    },
  ],
});
writeFileSync(entry, '#!/usr/bin/env node\n// The command line is bundled (scripts/bundle-cli.mjs); its sources are src/cli.ts and what it imports.\nimport \'./bundle/cli.js\';\n');
chmodSync(entry, 0o755);
