import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';

/** `glassbox ecr …`: registered once @glassbox/ecr lands. */
export function registerEcr(program: Command, _ctx: CommandContext): Command {
  return program.command('ecr').summary('Amazon ECR: get-login-password, login, configure-helper');
}
