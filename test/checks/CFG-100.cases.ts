import type { CheckCases } from './fixtures.js';
import { logging } from './system-fixtures.js';
import { DEFAULT_POLICY as policy, PolicySchema } from '../../src/config/policy.js';
import type { LogrotateRule, LoggingState } from '../../src/collectors/system/types.js';

const LOG = '/var/log/mosquitto/mosquitto.log';
const rule = (over: Partial<LogrotateRule>): LogrotateRule => ({ location: { file: '/etc/logrotate.d/mosquitto', line: 1 }, pattern: LOG, rotate: 13, trigger: { kind: 'time', period: 'weekly' }, ...over });
const withRule = (r: LogrotateRule | undefined, over: Partial<LoggingState['retention']> = {}): LoggingState =>
  logging({}, { retention: { journal: {}, files: [{ file: LOG, ...(r && { rule: r }) }], looked: ['/etc/logrotate.d/mosquitto'], problems: [], ...over } });
const stderr = (rest: Partial<LoggingState>): LoggingState => logging({ destinations: [{ dest: 'stderr (default)' }], durable: false }, rest);
const weekPolicy = PolicySchema.parse({ logging: { minRetentionDays: 7 } });

export default {
  good: [
    { name: 'weekly, rotate 13: about 91 days', facts: { 'sys.logging': withRule(rule({})), policy }, message: 'logrotate keeps about 91 days (weekly, rotate 13, /etc/logrotate.d/mosquitto:1)' },
    { name: 'no logrotate rule removes the file', facts: { 'sys.logging': withRule(undefined), policy }, message: 'nothing removes old entries' },
    { name: 'daily, rotate 7 under a one-week policy', facts: { 'sys.logging': withRule(rule({ rotate: 7, trigger: { kind: 'time', period: 'daily' } })), policy: weekPolicy } },
    {
      name: 'two destinations, the file keeps enough',
      facts: { 'sys.logging': logging({ destinations: [{ dest: 'stderr (default)' }, { dest: `file ${LOG}` }] }, { ...withRule(rule({ trigger: { kind: 'time', period: 'monthly' }, rotate: 12 })), journald: { persistent: false, storage: 'volatile', source: 'x' } }), policy },
    },
  ],
  bad: [
    { name: 'Debian-like daily, rotate 7 against the default 90 days', facts: { 'sys.logging': withRule(rule({ rotate: 7, trigger: { kind: 'time', period: 'daily' } })), policy }, message: "logrotate keeps about 7 days (daily, rotate 7, /etc/logrotate.d/mosquitto:1): less than the policy's 90 days (logging.minRetentionDays)" },
    { name: 'maxage caps a long rotation', facts: { 'sys.logging': withRule(rule({ rotate: 52, maxage: 30 })), policy }, message: 'about 30 days (weekly, rotate 52, maxage 30' },
    { name: 'rotate 0 by size', facts: { 'sys.logging': withRule(rule({ rotate: 0, trigger: { kind: 'size', size: '100k' } })), policy }, message: 'keeps no rotated file (rotate 0, size 100k' },
    { name: 'weekly, rotate 13 against a policy of 180 days', facts: { 'sys.logging': withRule(rule({})), policy: PolicySchema.parse({ logging: { minRetentionDays: 180 } }) }, message: "less than the policy's 180 days" },
    { name: 'stdout (the journal under systemd) to a volatile journal', facts: { 'sys.logging': logging({ destinations: [{ dest: 'stdout' }], durable: false }, { journald: { persistent: false, storage: 'volatile', source: '/etc/systemd/journald.conf' } }), policy }, message: 'stdout goes to the systemd journal, which is not persistent' },
    { name: 'stderr to a volatile journal', facts: { 'sys.logging': stderr({ journald: { persistent: false, storage: 'volatile', source: '/etc/systemd/journald.conf' } }), policy }, message: 'not persistent (Storage=volatile' },
    {
      name: 'stderr to a journal with MaxRetentionSec=1month',
      facts: { 'sys.logging': stderr({ retention: { journal: { maxRetention: { seconds: 2629800, text: '1month', source: '/etc/systemd/journald.conf' } }, files: [], looked: [], problems: [] } }), policy },
      message: 'removes entries after 30.4 days (MaxRetentionSec=1month',
    },
  ],
  skip: [
    { name: 'rotated by size: days depend on volume (Debian\'s mosquitto rule)', facts: { 'sys.logging': withRule(rule({ rotate: 7, trigger: { kind: 'size', size: '100k' } })), policy }, message: 'rotates it by size (100k) and keeps 7 files' },
    { name: 'persistent journal without a time limit', facts: { 'sys.logging': stderr({}), policy }, message: 'has no time limit' },
    { name: 'syslog', facts: { 'sys.logging': logging({ destinations: [{ dest: 'syslog' }] }), policy }, message: 'not judged' },
    { name: 'no rule found but a logrotate file was unreadable', facts: { 'sys.logging': withRule(undefined, { problems: ['/etc/logrotate.d/x: permission denied'] }), policy }, message: 'could not be read' },
    { name: 'no broker', facts: { 'sys.logging': logging({}, { brokers: [] }), policy } },
  ],
} satisfies CheckCases;
