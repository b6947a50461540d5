import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import type { CommandContext } from './command-context.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDiff } from './commands/diff.ts';
import { registerEcr } from './commands/ecr.ts';
import { registerSign } from './commands/sign.ts';
import { registerVerify } from './commands/verify.ts';
import { printDiagnosis } from './diagnosis-report.ts';
import { describeError, diagnosisOf, exitCodeFor, INTERNAL_ERROR_EXIT } from './error-report.ts';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.ts';
import { helpWidth } from './help-width.ts';
import { Output, type Io } from './output.ts';
import { guardedStream } from './process-stream.ts';

/**
 * The CLI's version, from its package.json (the same file from src/ and dist/).
 *
 * @example
 * ```ts
 * console.error(`glassbox ${VERSION} on node ${process.version}`); // a bug report's first line; `glassbox --version` prints VERSION alone
 * ```
 */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

function buildProgram(ctx: CommandContext): Command {
  const program = new Command('glassbox');
  program
    .description('AWS Signature Version 4 and Amazon ECR authentication you can see through.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces on errors (secrets stay redacted)')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => ctx.output.out(text),
      writeErr: (text) => ctx.output.err(text),
      getOutHelpWidth: () => helpWidth(ctx.io, ctx.io.stdout),
      getErrHelpWidth: () => helpWidth(ctx.io, ctx.io.stderr),
      outputError: (text, write) => write(text.replace(/^error:/, ctx.output.errColor.red('error:'))),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ glassbox demo                                   # the whole ECR login story, offline
  $ glassbox sign --request-file request.http --region us-east-1 --service ecr
  $ glassbox ecr login --region eu-west-1

${EXIT_CODES_HELP}

Credentials come only from the environment, shared files (~/.aws) and the rest of the AWS credential chain.`,
    );
  registerSign(program, ctx);
  registerVerify(program, ctx);
  registerDiff(program, ctx);
  registerEcr(program, ctx);
  registerDemo(program, ctx);
  registerCompletion(program, ctx);
  // Each command's help ends with the exit codes too.
  for (const command of program.commands) {
    if (command.name() !== 'ecr') command.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  }
  return program;
}

/**
 * Runs the `glassbox` command line with the given arguments (without `node` and the script) and
 * returns the exit code. All input and output goes through `io`, so tests can run it in-process.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIo());
 * ```
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const output = new Output(io, { debug });
  let exitCode: number = ExitCode.OK;
  const ctx: CommandContext = { io, output, setExitCode: (code) => (exitCode = code) };
  const program = buildProgram(ctx);
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = exitCode;
  } catch (error) {
    // commander has already printed its message (with a "did you mean" suggestion).
    if (error instanceof CommanderError) code = error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    else code = report(error, ctx);
  }
  return settleStdout(io, output, code);
}

/**
 * The exit status once stdout has taken (or refused) the output. A reader that went away early
 * (`| head`: EPIPE) changes nothing: the command did its work, and `head` has what it asked for.
 * Any other write failure (ENOSPC on `> /dev/full` or a full disk) means the output is lost: one
 * line on stderr and exit 5.
 */
async function settleStdout(io: Io, output: Output, code: number): Promise<number> {
  try {
    await io.stdout.flush?.();
    return code;
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (errno.code === 'EPIPE') return code;
    output.err(`${output.errColor.red('error:')} cannot write to standard output: ${errno.code === 'ENOSPC' ? 'no space left on the device' : errno.message}${errno.code ? ` (${errno.code})` : ''}\n`);
    return ExitCode.OUTPUT;
  }
}

function report(error: unknown, ctx: CommandContext): number {
  const output = ctx.output;
  const code = exitCodeFor(error);
  const c = output.errColor;
  const message = describeError(error);
  // A signature mismatch carries the diagnosis (`ecr login` with a wrong secret): the message's hint points at it.
  const diagnosis = diagnosisOf(error);
  if (diagnosis !== undefined) printDiagnosis(ctx, diagnosis, 'err');
  output.err(`${c.red('error:')} ${message}\n`);
  if (output.debug) {
    let current: unknown = error;
    for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
      output.err(c.dim(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}\n`));
      current = current.cause;
    }
  } else if (code === INTERNAL_ERROR_EXIT) {
    output.err('This is a bug in glassbox: run again with --debug and report what it prints.\n');
  } else if (!(error instanceof CliError) && code !== ExitCode.USAGE) {
    output.err(c.dim('(run with --debug for details)\n'));
  }
  return code;
}

/**
 * The real process's streams and environment, as an {@link Io}.
 *
 * @example
 * ```ts
 * await main(['--version'], processIo());
 * ```
 */
export function processIo(): Io {
  return {
    stdout: guardedStream(process.stdout),
    stderr: guardedStream(process.stderr), // its failures go unreported: there is nowhere left to say so

    env: process.env,
    cwd: process.cwd(),
    // Bytes, never decoded here: `-d @- < photo.jpg` must sign and send the photo, not its UTF-8 mangling.
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
