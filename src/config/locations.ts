/**
 * Where broker packages put their configs on a host: the one list the host audit
 * (src/collectors/system/brokers.ts) and the config checks (src/collectors/config.ts)
 * both search, so they always look at the same files.
 */
import { posix } from 'node:path';

export interface EmqxLocation {
  /** ${EMQX_ETC_DIR}: holds base.hocon and emqx.conf. */
  etc: string;
  /** cluster.hocon written by the running node (data dir). */
  cluster: string;
}

export const HOST_CONFIG_PATHS: { mosquitto: readonly string[]; emqx: readonly EmqxLocation[]; nanomq: readonly string[] } = {
  mosquitto: ['/etc/mosquitto/mosquitto.conf'],
  // NanoMQ's packages and Docker image read /etc/nanomq.conf by default.
  nanomq: ['/etc/nanomq.conf'],
  emqx: [
    // deb/rpm packages
    { etc: '/etc/emqx', cluster: '/var/lib/emqx/configs/cluster.hocon' },
    // tarball and Docker image
    { etc: '/opt/emqx/etc', cluster: '/opt/emqx/data/configs/cluster.hocon' },
    // some distribution builds
    { etc: '/usr/lib/emqx/etc', cluster: '/usr/lib/emqx/data/configs/cluster.hocon' },
  ],
};

/** The layered files of an EMQX node, lowest precedence first: base.hocon < cluster.hocon < emqx.conf. */
export function emqxLayerFiles(loc: EmqxLocation): string[] {
  return [posix.join(loc.etc, 'base.hocon'), loc.cluster, posix.join(loc.etc, 'emqx.conf')];
}

/** The known location an emqx.conf path belongs to, or one derived from its directory. */
export function emqxLocationOf(emqxConf: string): EmqxLocation {
  const etc = posix.dirname(emqxConf);
  const known = HOST_CONFIG_PATHS.emqx.find((l) => l.etc === etc);
  if (known) return known;
  const home = etc.endsWith('/etc') ? posix.dirname(etc) : undefined;
  return { etc, cluster: home ? posix.join(home, 'data/configs/cluster.hocon') : '/var/lib/emqx/configs/cluster.hocon' };
}
