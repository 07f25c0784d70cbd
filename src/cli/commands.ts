/**
 * Sub-commands that live in their own modules. Each registers itself on the
 * program; every action's implementation returns its exit code, which the
 * action hands to `setExit`; only src/cli.ts ends the process.
 */
import type { Command } from 'commander';
import { register as acl } from './acl.js';
import { register as advisories } from './advisories.js';
import { register as drill } from './drill.js';
import { register as guard } from './guard.js';
import { register as lab } from './lab.js';
import { register as history } from './history.js';
import { register as lint } from './lint.js';
import { register as passwd } from './passwd.js';
import { register as policy } from './policy.js';
import { register as ports } from './ports.js';

export type SetExit = (code: number) => void;
export type RegisterCommand = (program: Command, setExit: SetExit) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  // one entry per sub-command module, in --help order
  advisories,
  lint,
  passwd,
  ports,
  guard,
  history,
  policy,
  lab,
  drill,
  acl,
];
