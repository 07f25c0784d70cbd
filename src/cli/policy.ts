/**
 * `mqtt-warden policy`: the security policy as code and as a document.
 *   policy init [-o FILE] [--force]          the commented policy file with every default
 *   policy validate FILE                     errors at file:line:column (exit 2), else exit 0
 *   policy render [FILE] -f markdown|html    the readable security policy, each rule with its checks
 */
import type { Command } from 'commander';
import type { SetExit } from './commands.js';
import { outputOptions, type OutputFlags } from './options.js';

export function register(program: Command, setExit: SetExit): void {
  const cmd = program.command('policy').description('The security policy: write a commented policy file, validate one, render it as the readable security policy');

  const init = cmd.command('init').description('Write the commented policy file with every default (to -o FILE, else standard output)').option('--force', 'overwrite the -o file if it exists');
  outputOptions(init, { formats: ['yaml'], what: 'policy file' }).action(async (flags: OutputFlags & { force?: boolean }) => {
    const { policyInit } = await import('./impl/policy.js');
    setExit(policyInit(flags));
  });

  const validate = cmd.command('validate').description('Validate a policy file: every problem at file:line:column; exit 0 when valid, 2 when not').argument('<file>', 'policy file (YAML or JSON)');
  outputOptions(validate, { formats: ['terminal', 'json'] }).action(async (file: string, flags: OutputFlags) => {
    const { policyValidate } = await import('./impl/policy.js');
    setExit(policyValidate(file, flags));
  });

  const render = cmd
    .command('render')
    .description('Render the readable security policy from a policy file (default: the built-in defaults): each rule with its value and the checks that enforce it')
    .argument('[file]', 'policy file (YAML or JSON)');
  outputOptions(render, { formats: ['markdown', 'html'], what: 'document' }).action(async (file: string | undefined, flags: OutputFlags) => {
    const { policyRender } = await import('./impl/policy.js');
    setExit(await policyRender(file, flags));
  });
}
