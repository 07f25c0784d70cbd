import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf } from './config-fixtures.js';

export default {
  good: [
    { name: 'deny', facts: emqx('authorization {\n  no_match = deny\n}\n') },
    { name: 'unset on 6.x: deny by default', facts: emqx('node.name = x\n') },
    { name: 'unset on 6.0 (--emqx-version)', facts: emqxOf('node.name = x\n', { version: '6.0' }) },
    { name: 'version from the packaged docs link: 6.1', facts: emqxOf('## See https://docs.emqx.com/en/emqx/v6.1.0/configuration/configuration.html\nnode.name = x\n') },
  ],
  bad: [
    { name: 'default allow on 5.8', facts: emqxOf('node.name = x\n', { version: '5.8' }), line: 1, message: 'EMQX default of 5.8 (--emqx-version)' },
    { name: 'version from the packaged docs link: 5.8', facts: emqxOf('## See https://docs.emqx.com/en/emqx/v5.8.4/hocon/\nnode.name = x\n'), line: 1, message: 'from /etc/emqx/emqx.conf:1' },
    { name: 'explicit allow', facts: emqx('node.name = x\nauthorization.no_match = allow\n'), line: 2 },
  ],
} satisfies CheckCases;
