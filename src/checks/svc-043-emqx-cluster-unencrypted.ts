import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-043',
    name: 'emqx-cluster-unencrypted',
    title: 'EMQX cluster traffic unencrypted between nodes',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'In a multi-node cluster (static seeds of several nodes, or a discovery strategy other than manual/singleton), `cluster.proto_dist = inet_tcp` (default) sends Erlang distribution — including the cookie challenge and every replicated message — in clear text, and `rpc.protocol = tcp` (default) does the same for gen_rpc. Single nodes are not reported.',
    remediation: 'Use `cluster.proto_dist = inet_tls` (with `etc/ssl_dist.conf` set to `verify_peer` and your own certificates) and `rpc.protocol = ssl` with `rpc.certfile/keyfile/cacertfile`, or keep cluster traffic on an isolated network.',
    references: ['https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html'],
  },
  judge({ 'config.emqx': e }) {
    const clustered = e.configs.filter((cfg) => cfg.cluster.staticSeeds.length > 1 || !['manual', 'singleton', 'static'].includes(cfg.cluster.discoveryStrategy)).length;
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const strategy = cfg.cluster.discoveryStrategy;
        const multi = cfg.cluster.staticSeeds.length > 1 || !['manual', 'singleton', 'static'].includes(strategy);
        if (!multi) return fails;
        const dist = emqx(cfg, 'cluster.proto_dist');
        if (!/tls/.test(String(dist.v?.value))) fails.push({ status: 'FAIL', message: `cluster.proto_dist = ${String(dist.v?.value)} (${dist.origin}): Erlang distribution in clear text between ${strategy === 'static' ? cfg.cluster.staticSeeds.join(', ') : `nodes found by ${strategy}`}`, location: dist.loc });
        // `rpc.driver` is the schema alias of `rpc.protocol` (cfg.rpc.protocol has the one in force).
        const rpc = emqx(cfg, emqx(cfg, 'rpc.protocol').v?.default && emqx(cfg, 'rpc.driver').v ? 'rpc.driver' : 'rpc.protocol');
        if (cfg.rpc.protocol !== 'ssl') fails.push({ status: 'FAIL', message: `rpc.protocol = ${cfg.rpc.protocol} (${rpc.origin}): cluster RPC in clear text`, location: rpc.loc });
        return fails;
      },
      clustered ? 'cluster traffic is encrypted' : 'single node: no cluster traffic',
    );
  },
});
