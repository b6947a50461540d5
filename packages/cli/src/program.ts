import { createRequire } from 'node:module';
import type { Diagnosis } from '@glassbox/sigv4';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import type { CommandContext } from './command-context.ts';
import { printDiagnosis } from './diagnosis-report.ts';
import { describeError, exitCodeFor, INTERNAL_ERROR_EXIT } from './error-report.ts';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.ts';
import { helpWidth, Output, type Io } from './output.ts';
import { addOutputFormat } from './output-format.ts';
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

/** Adds one command (and its subcommands) to the program. */
type RegisterCommand = (program: Command, ctx: CommandContext) => Command;

/**
 * The commands, in the order `--help` lists them, each module loaded only when it is needed: each imports
 * what its actions use (the signer, its diagnosis and `diff`, the demo's files), and `ecr get-login-password`
 * should pay for none of that.
 */
const COMMANDS: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  sign: async () => (await import('./commands/sign.ts')).registerSign,
  verify: async () => (await import('./commands/verify.ts')).registerVerify,
  diff: async () => (await import('./commands/diff.ts')).registerDiff,
  ecr: async () => (await import('./commands/ecr.ts')).registerEcr,
  demo: async () => (await import('./commands/demo.ts')).registerDemo,
  emulator: async () => (await import('./commands/emulator.ts')).registerEmulator,
  completion: async () => (await import('./commands/completion.ts')).registerCompletion,
};

/**
 * The commands a run needs: the one argv names (the first word that is not an option: the program's own
 * options take no value), or all of them when it names none or an unknown one (`--help` and `help` list
 * them all; a typo gets its "did you mean" from the names of all).
 */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv.find((arg) => !arg.startsWith('-'));
  // `completion` describes every command, so it needs them all loaded.
  return first !== undefined && first !== 'completion' && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

async function buildProgram(ctx: CommandContext, argv: readonly string[]): Promise<Command> {
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
      getOutHelpWidth: () => helpWidth(ctx.io.stdout, ctx.io.env),
      getErrHelpWidth: () => helpWidth(ctx.io.stderr, ctx.io.env),
      writeErr: (text) => ctx.output.err(text),
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
  const names = commandsFor(argv);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, ctx);
  addOutputFormat(program);
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
  const program = await buildProgram(ctx, argv);
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = exitCode;
  } catch (error) {
    // commander has already printed its message (with a "did you mean" suggestion).
    if (error instanceof CommanderError) code = error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    else code = report(error, output);
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
    output.err(
      `${output.errColor.red('error:')} cannot write to standard output: ${errno.code === 'ENOSPC' ? 'no space left on the device' : errno.message}${errno.code ? ` (${errno.code})` : ''}\n`,
    );
    return ExitCode.OUTPUT;
  }
}

function report(error: unknown, output: Output): number {
  const code = exitCodeFor(error);
  const c = output.errColor;
  const message = describeError(error);
  output.err(`${c.red('error:')} ${message}\n`);
  // A signature mismatch from an AWS API (ecr login, get-login-password) carries the library's diagnosis.
  const diagnosis = (error as { diagnosis?: unknown } | null)?.diagnosis;
  if (isDiagnosis(diagnosis)) printDiagnosis({ io: output.io, output, setExitCode: () => {} }, diagnosis, 'err');
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

function isDiagnosis(value: unknown): value is Diagnosis {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Diagnosis).causes) &&
    typeof (value as Diagnosis).lineDiff === 'string'
  );
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
