import type { CheckCases } from './fixtures.js';
import { side } from './config-fixtures.js';

const acl = (text: string) => side('emqx-acl', '/repo/acl.conf', text);

export default {
  good: [
    { name: '$SYS denied above the broad rule, deny all at the end', facts: acl('{deny, all, all, ["$SYS/#"]}.\n{allow, {username, "a"}, all, ["a/#"]}.\n{deny, all}.\n') },
  ],
  bad: [
    { name: 'a user with # also gets $SYS', facts: acl('{allow, {username, "gw"}, all, ["#"]}.\n{deny, all}.\n'), line: 1, severity: 'medium', message: 'publish to $SYS' },
    { name: 'monitoring user subscribes to $SYS', facts: acl('{allow, {username, "mon"}, subscribe, ["$SYS/#"]}.\n{deny, all}.\n'), line: 1, severity: 'low', message: 'subscribe to $SYS' },
    { name: 'allow all: everyone', facts: acl('{allow, all}.\n'), line: 1, severity: 'medium' },
  ],
  skip: [],
} satisfies CheckCases;
