import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatTrace, parseHttpRequest, sign } from '@glassbox/sigv4';
import { CliError } from '../cli-error.ts';
import type { CommandContext } from '../command-context.ts';
import { ExitCode } from '../exit-codes.ts';

/** The repository root, found from this file's own location (src/commands or dist/commands). */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * `glassbox demo`: the offline walk-through.
 *
 * @example
 * ```sh
 * glassbox demo
 * ```
 */
export function registerDemo(program: Command, ctx: CommandContext): Command {
  return program
    .command('demo')
    .summary('the whole story offline: sign, call a local ECR emulator, write a Docker config')
    .addHelpText('after', '\nExample:\n  $ glassbox demo')
    .action(async () => {
      const suite = ctx.io.env.GLASSBOX_VECTORS ?? join(REPO_ROOT, '..', 'shared', 'vectors', 'aws-sig-v4-test-suite');
      const file = join(suite, 'get-vanilla', 'get-vanilla.req');
      if (!existsSync(file)) throw new CliError(ExitCode.USAGE, `the demo request ${file} is missing: set GLASSBOX_VECTORS to the AWS SigV4 test suite folder`);
      const result = await sign(parseHttpRequest(readFileSync(file, 'utf8')), {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
        region: 'us-east-1',
        service: 'service',
        trace: true,
        revealSigningKey: true,
      });
      ctx.output.out(formatTrace(result.trace ?? [], { color: ctx.output.color.isColorSupported }));
    });
}
