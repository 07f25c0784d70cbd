/**
 * `acl`: questions about the authorization rules of Mosquitto (acl_file, dynamic security) and
 * EMQX (acl.conf): can, who-can, matrix, and verify against a live broker. The implementation
 * is in ./impl/acl.ts, loaded when a command runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { int } from './common.js';
import { emqxVersionOption, outputOptions, type OutputFlags } from './options.js';
import type { SetExit } from './commands.js';

export const ACL_FORMATS = ['terminal', 'json'] as const;

export interface AclInputFlags extends OutputFlags {
  config: string[];
  mosquittoConf: string[];
  aclFile: string[];
  emqxConf: string[];
  emqxAcl: string[];
  dynsec: string[];
  emqxVersion?: string;
  securityProfile?: 'legacy' | 'hardened';
}

export interface AclCanFlags extends AclInputFlags {
  clientId?: string;
  ip?: string;
}
export interface AclMatrixFlags extends AclInputFlags {
  topics?: string;
}
export interface AclVerifyFlags extends AclInputFlags {
  identities: string;
  topics?: string;
  intrusive?: boolean;
  timeout: number;
  maxSeconds: number;
  settle: number;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function action(v: string): 'read' | 'write' | 'subscribe' {
  if (v === 'read' || v === 'write' || v === 'subscribe') return v;
  throw new InvalidArgumentError('the action is read, write or subscribe');
}

function inputOptions(cmd: Command): Command {
  cmd
    .option('--config <file>', 'a config or ACL file of any supported kind, detected like lint does (repeatable)', collect, [] as string[])
    .option('--mosquitto-conf <file>', 'mosquitto.conf: its acl_file, password_file and dynamic security plugin file are read too (repeatable)', collect, [] as string[])
    .option('--acl-file <file>', 'a Mosquitto acl_file (repeatable)', collect, [] as string[])
    .option('--dynsec <file>', 'a Mosquitto dynamic-security.json (repeatable)', collect, [] as string[])
    .option('--emqx-conf <file>', 'EMQX emqx.conf (with the files of its directory): authorization.sources and no_match (repeatable)', collect, [] as string[])
    .option('--emqx-acl <file>', 'an EMQX acl.conf (repeatable)', collect, [] as string[])
    .addOption(new Option('--security-profile <profile>', 'EMQX security profile ({allow, {security_profile, P}} rules)').choices(['legacy', 'hardened']));
  // As in lint: the release decides authorization.no_match when not set (5.x allow, 6.x deny).
  emqxVersionOption(cmd);
  return outputOptions(cmd, { formats: ACL_FORMATS });
}

export function register(program: Command, setExit: SetExit): void {
  const acl = program
    .command('acl')
    .description(
      'Reason about authorization rules without a broker: Mosquitto acl_file and dynamic security, EMQX acl.conf.\n' +
        'Every answer names the deciding rule (file:line) or the default, and with -v the chain of rules considered.\n' +
        'Without input options: /etc/mosquitto/mosquitto.conf and /etc/emqx/emqx.conf when they exist.',
    );

  const can = acl
    .command('can')
    .description('May USER do ACTION on TOPIC? USER "-" is an anonymous client. Exit 0 with the answer either way.')
    .argument('<user>', 'username, or - for an anonymous client')
    .argument('<action>', 'read, write or subscribe', action)
    .argument('<topic>', 'a topic, or a filter (read/write on a filter: evaluated on a topic standing for all of it)')
    .option('--client-id <id>', 'the client id (for %c / ${clientid} rules)')
    .option('--ip <address>', 'the client address (for EMQX ipaddr rules)');
  inputOptions(can).action(async (user: string, act: 'read' | 'write' | 'subscribe', topic: string, flags: AclCanFlags) => {
    const { aclCan } = await import('./impl/acl.js');
    setExit(aclCan(user, act, topic, flags));
  });

  const who = acl
    .command('who-can')
    .description('Which identities may do ACTION on TOPIC: every user the files name, anonymous, any other user, and the client ids %c / ${clientid} rules need')
    .argument('<action>', 'read, write or subscribe', action)
    .argument('<topic>', 'a topic or filter');
  inputOptions(who).action(async (act: 'read' | 'write' | 'subscribe', topic: string, flags: AclInputFlags) => {
    const { aclWhoCan } = await import('./impl/acl.js');
    setExit(aclWhoCan(act, topic, flags));
  });

  const matrix = acl
    .command('matrix')
    .description('Identities × topic filters: R (read), W (write), RW or - for each; the filters of the rules, or those of --topics')
    .option('--topics <file>', 'topic filters, one per line (# comments)');
  inputOptions(matrix).action(async (flags: AclMatrixFlags) => {
    const { aclMatrix } = await import('./impl/acl.js');
    setExit(aclMatrix(flags));
  });

  const verify = acl
    .command('verify')
    .description(
      'Predict, then check against the live broker: each identity connects, subscribes to each test topic and publishes one canary there (QoS 1, not retained).\n' +
        'Test topics: the filters of the rules with wildcards and placeholders filled in, or --topics. Exit 1 on any disagreement.',
    )
    .argument('<url>', 'the broker: mqtt://host:port (or host:port)')
    .requiredOption('--identities <file>', 'YAML/JSON list of {name, username, password | passwordEnv, clientId}; no username = anonymous')
    .option('--topics <file>', 'test topics, one per line (no wildcards)')
    .option('--intrusive', 'required: verify publishes canary messages on the test topics')
    .option('--timeout <ms>', 'timeout of each network operation', int('--timeout', 100, 60_000), 3000)
    .option('--max-seconds <s>', 'deadline of the whole run', int('--max-seconds', 1, 600), 60)
    .option('--settle <ms>', 'wait for canaries after the last publish', int('--settle', 50, 10_000), 500);
  inputOptions(verify).action(async (url: string, flags: AclVerifyFlags) => {
    const { aclVerify } = await import('./impl/acl.js');
    setExit(await aclVerify(url, flags));
  });
}
