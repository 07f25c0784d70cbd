import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'single node', facts: emqx('node.name = x\n'), message: 'single node' },
    { name: 'rpc.driver is the alias of rpc.protocol', facts: emqx('cluster { discovery_strategy = static, static.seeds = ["emqx1@10.0.0.1", "emqx2@10.0.0.2"], proto_dist = inet_tls }\nrpc.driver = ssl\n') },
    { name: 'encrypted cluster', facts: emqx('cluster { discovery_strategy = static, static.seeds = ["emqx1@10.0.0.1", "emqx2@10.0.0.2"], proto_dist = inet_tls }\nrpc.protocol = ssl\n') },
  ],
  bad: [
    {
      name: 'upstream cluster-with-static example',
      facts: emqx('cluster {\n    name = emqxcl\n    discovery_strategy = static\n    static.seeds = ["emqx1@192.168.0.1", "emqx2@192.168.0.2"]\n}\n'),
      line: 1,
      message: 'proto_dist = inet_tcp',
    },
    { name: 'dns discovery, rpc in clear', facts: emqx('cluster.discovery_strategy = dns\ncluster.proto_dist = inet_tls\nrpc {\n  protocol = tcp\n}\n'), line: 4 },
  ],
} satisfies CheckCases;
