import { type Command, Option } from 'commander';
import { usageError } from './cli-error.ts';

/**
 * `--output json|text` beside every `--json`, as AWS CLI users type it: `json` is `--json`, `text` is the
 * command's usual output. Added here, once, to each command that has `--json`, so no command can forget it.
 *
 * @example
 * ```ts
 * addOutputFormat(program); // then: glassbox verify --output json < request.http
 * ```
 */
export function addOutputFormat(command: Command): void {
  for (const sub of command.commands) addOutputFormat(sub);
  if (!command.options.some((option) => option.long === '--json')) return;
  command.addOption(new Option('--output <format>', 'json (the same as --json) or text (the default)').choices(['json', 'text']));
  command.hook('preAction', (self) => {
    const format = self.getOptionValue('output') as 'json' | 'text' | undefined;
    if (format === undefined) return;
    if (format === 'text' && self.getOptionValue('json') === true)
      throw usageError('--json and --output text contradict each other: pass one of them');
    self.setOptionValue('json', format === 'json');
  });
}
