import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';

export default {
  good: [{ name: 'long random cookie', facts: emqx('node {\n  name = "emqx@10.0.0.1"\n  cookie = "Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA"\n}\n') }],
  bad: [
    { name: 'unset: the default', facts: emqx('node.name = "emqx@10.0.0.1"\n'), line: 1, message: 'well-known default', severity: 'critical' },
    { name: 'explicit default', facts: emqx('node {\n  cookie = emqxsecretcookie\n}\n'), line: 2 },
    { name: 'upstream emqx.conf template placeholder', facts: emqx('node {\n  name = "emqx@127.0.0.1"\n  cookie = "{{ emqx_default_erlang_cookie }}"\n}\n'), line: 3, message: 'placeholder' },
    { name: 'node.conf.example: 12 characters', facts: emqx('node {\n    cookie = "Yzc0NGExM2Rj"\n}\n'), line: 2, severity: 'high' },
  ],
  skip: [{ name: 'only acl.conf given', facts: { 'config.emqx': { configs: [], aclFiles: [] }, policy: DEFAULT_POLICY } }],
} satisfies CheckCases;
