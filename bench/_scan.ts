import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { scanPackagesList, installedPackages } from '../src/collectors/system/apt-data.js';
const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'], { maxBuffer: 1 << 30 }).toString('latin1');
let t = performance.now();
const inst = installedPackages(readFileSync('/var/lib/dpkg/status', 'utf8'));
console.log('status parse', (performance.now() - t).toFixed(0));
const wanted = new Set(inst.map((p) => `${p.name}:amd64`));
for (let i = 0; i < 3; i++) { t = performance.now(); let n = 0; scanPackagesList(text, 'amd64', wanted, () => n++); console.log('scan', (performance.now() - t).toFixed(0), n); }
