/**
 * Build step after tsc: the command line as one esbuild bundle (dist/bundle/), with dist/cli.js
 * reduced to an import of it.
 *
 * Why: on Node 20 a command's start is mostly module loading: resolving and compiling some 50
 * of our ES modules and commander's CommonJS files cost about 0.08 s CPU of `guard test`'s
 * start on the 2-core development machine (docs/guard.md#benchmark). The bundle keeps the lazy
 * loading of each command's implementation (`await import()` becomes a chunk) and bundles only
 * our code, commander and ipaddr.js; every other package stays an ordinary import from node_modules
 * (native modules, data files, optional dependencies). Node 22's module.enableCompileCache()
 * does not exist on Node 20.
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
const bundled = new Set(['commander', 'picocolors', 'ipaddr.js']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((n) => !bundled.has(n))
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
