/**
 * Mandatory access control: SELinux mode and AppArmor state from the kernel
 * (/sys) on the live host, from their configs offline; broker confinement from
 * the running process's label (live) or an installed, enabled profile (offline).
 */
import { existsSys, listSys, readSys, type SysRoot } from './sysroot.js';
import type { BrokerProcess, BrokerProduct, MacState } from './types.js';

const PROFILE_FILES: Record<BrokerProduct, RegExp> = {
  mosquitto: /^(usr\.sbin\.mosquitto|mosquitto)$/,
  emqx: /^(emqx|usr\.lib\.emqx.*|opt\.emqx.*)$/,
};

export async function collectMac(r: SysRoot, products: BrokerProduct[], processes: BrokerProcess[] | undefined): Promise<MacState> {
  const st: MacState = { looked: [], brokers: [] };
  if (r.live) {
    st.looked.push('/sys/fs/selinux/enforce');
    const enforce = await readSys(r, '/sys/fs/selinux/enforce');
    if (enforce.ok) st.selinux = { mode: enforce.text.trim() === '1' ? 'enforcing' : 'permissive', source: '/sys/fs/selinux/enforce' };
    st.looked.push('/sys/module/apparmor/parameters/enabled');
    const aa = await readSys(r, '/sys/module/apparmor/parameters/enabled');
    if (aa.ok) {
      const profiles = await readSys(r, '/sys/kernel/security/apparmor/profiles');
      st.apparmor = {
        enabled: aa.text.trim() === 'Y',
        ...(profiles.ok && { profiles: profiles.text.split('\n').filter((l) => /\(enforce\)/.test(l)).length }),
        source: '/sys/module/apparmor/parameters/enabled',
      };
    }
  }
  if (!st.selinux) {
    st.looked.push('/etc/selinux/config');
    const conf = await readSys(r, '/etc/selinux/config');
    const mode = conf.ok ? /^\s*SELINUX\s*=\s*(enforcing|permissive|disabled)/m.exec(conf.text)?.[1] : undefined;
    if (mode) st.selinux = { mode: r.live ? 'disabled' : (mode as 'enforcing' | 'permissive' | 'disabled'), source: r.live ? `kernel has no SELinux (/etc/selinux/config says ${mode})` : '/etc/selinux/config' };
  }
  if (!st.apparmor && !r.live) {
    st.looked.push('/etc/apparmor.d');
    const hasParser = await existsSys(r, '/sbin/apparmor_parser') || await existsSys(r, '/usr/sbin/apparmor_parser');
    const profiles = (await listSys(r, '/etc/apparmor.d')).filter((f) => !f.startsWith('.') && !['abstractions', 'tunables', 'local', 'disable', 'force-complain', 'cache'].includes(f));
    if (hasParser || profiles.length) st.apparmor = { enabled: hasParser && profiles.length > 0, profiles: profiles.length, source: `offline: apparmor_parser ${hasParser ? 'installed' : 'absent'}, ${profiles.length} profile(s) in /etc/apparmor.d` };
  }
  for (const product of products) {
    const procs = (processes ?? []).filter((p) => p.product === product);
    if (r.live) {
      for (const p of procs) {
        const label = p.label;
        const confined = Boolean(label && label !== 'unconfined' && !/unconfined_t|\bkernel\b/.test(label) && !/\(complain\)|\(unconfined\)/.test(label));
        st.brokers.push({ product, pid: p.pid, ...(label && { label }), confined, source: `/proc/${p.pid}/attr/current` });
      }
    } else {
      const files = (await listSys(r, '/etc/apparmor.d')).filter((f) => PROFILE_FILES[product].test(f));
      const disabled = new Set(await listSys(r, '/etc/apparmor.d/disable'));
      const enabled = files.filter((f) => !disabled.has(f));
      st.brokers.push({
        product,
        confined: enabled.length > 0 && (st.apparmor?.enabled ?? false),
        source: files.length ? `/etc/apparmor.d/${files[0]}${enabled.length ? '' : ' (disabled)'}` : 'no AppArmor profile in /etc/apparmor.d',
      });
    }
  }
  return st;
}
