import { Option, type Command } from 'commander';
import { usageError } from './cli-error.ts';

/**
 * `--output json|text`, as AWS CLI users type it, for every command that has `--json`: `json` is
 * `--json`, `text` is the default human output. A value outside the two is commander's usage error
 * (exit 2), which names `--output` and the choices. Pair it with {@link applyOutputFormat}.
 *
 * @example
 * ```ts
 * program.command('verify').option('--json', 'print the result as JSON').addOption(outputFormatOption()).hook('preAction', applyOutputFormat);
 * ```
 */
export function outputFormatOption(): Option {
  return new Option('--output <format>', 'output format, as in the AWS CLI: json is --json, text is the default output').choices(['json', 'text']);
}

/**
 * The preAction hook that turns `--output json` into `--json` before the action reads its flags.
 *
 * @example
 * ```ts
 * command.hook('preAction', applyOutputFormat);
 * ```
 */
export function applyOutputFormat(_program: Command, command: Command): void {
  const { output, json } = command.opts<{ output?: string; json?: boolean }>();
  if (output === 'text' && json === true) throw usageError('--output text and --json contradict each other: give one');
  if (output === 'json') command.setOptionValue('json', true);
}
