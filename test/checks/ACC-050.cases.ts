import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';

export default {
  good: [
    { name: 'long random cookie', facts: emqx('node {\n  name = "emqx@10.0.0.1"\n  cookie = "Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA"\n}\n') },
    { name: 'hardened profile, long random cookie', facts: emqxOf('node.cookie = "Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA"\n', HARDENED) },
  ],
  bad: [
    { name: 'unset on 6.x: the 6.x packaged default', facts: emqx('node.name = "emqx@10.0.0.1"\n'), line: 1, message: 'packaged default "emqx50elixir" (EMQX default of 6.3', severity: 'critical' },
    { name: 'unset on 5.8: the 5.x packaged default', facts: emqxOf('node.name = "emqx@10.0.0.1"\n', { version: '5.8' }), line: 1, message: 'packaged default "emqxsecretcookie" (EMQX default of 5.8', severity: 'critical' },
    { name: 'explicit 6.x default on a 6.x node', facts: emqx('node.name = x\nnode.cookie = emqx50elixir\n'), line: 2, severity: 'critical' },
    { name: 'hardened profile refuses to start with the default', facts: emqxOf('node.name = x\n', HARDENED), line: 1, severity: 'low', message: 'refuses to start' },
    { name: 'explicit default', facts: emqx('node {\n  cookie = emqxsecretcookie\n}\n'), line: 2 },
    { name: 'upstream emqx.conf template placeholder', facts: emqx('node {\n  name = "emqx@127.0.0.1"\n  cookie = "{{ emqx_default_erlang_cookie }}"\n}\n'), line: 3, message: 'placeholder' },
    { name: 'node.conf.example: 12 characters', facts: emqx('node {\n    cookie = "Yzc0NGExM2Rj"\n}\n'), line: 2, severity: 'high' },
  ],
  skip: [
    { name: 'emqx.conf does not parse: not judged with defaults', facts: emqx('authentication = [\n  { mechanism = password_based, backend = built_in_database }\n]\nnode {\n  cookie = "unterminated\n}\n'), message: 'did not parse' },{ name: 'only acl.conf given', facts: { 'config.emqx': { configs: [], aclFiles: [] }, policy: DEFAULT_POLICY } }],
} satisfies CheckCases;
