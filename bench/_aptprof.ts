import { aptPendingFromData } from '../src/collectors/system/apt-data.js';
import { exec } from '../src/firewall/run.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  const res = await exec('/usr/lib/apt/apt-helper', ['cat-file', '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'], { timeoutMs: 60000, maxOutputBytes: 512 << 20 });
  console.log('cat-file via exec', (performance.now() - t).toFixed(0), res.ok && res.stdout.length);
  t = performance.now();
  await aptPendingFromData(makeRoot('/', 3000));
  console.log('whole data path', (performance.now() - t).toFixed(0));
}
