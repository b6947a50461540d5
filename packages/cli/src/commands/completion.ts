import { Argument, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';

/** One command's words: its path under `glassbox`, its subcommands and its long flags. */
interface CompletionEntry {
  path: string;
  commands: string[];
  flags: string[];
}

/** Every command's words, read from commander's own definitions (so a new flag completes without a second list). */
function entries(program: Command): CompletionEntry[] {
  const all: CompletionEntry[] = [];
  const walk = (command: Command, path: string[]): void => {
    const flags = command.options.flatMap((option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined));
    all.push({ path: path.join(' '), commands: command.commands.map((sub) => sub.name()), flags: [...flags, '--help'] });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return all;
}

/**
 * bash: the words typed so far, minus flags and their values, name the command; its subcommands and
 * flags are the candidates. zsh runs the same function through bashcompinit.
 */
function bashScript(program: Command): string {
  const cases = entries(program)
    .map((e) => `    '${e.path}') words='${[...e.commands, ...e.flags].join(' ')}' ;;`)
    .join('\n');
  return `# glassbox completion for bash: eval "$(glassbox completion bash)" (or save it in ~/.local/share/bash-completion/completions/glassbox)
_glassbox() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path='' word words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    case "$word" in -*) continue ;; esac
    case " $(_glassbox_words "$path") " in *" $word "*) path=\${path:+$path }$word ;; esac
  done
  COMPREPLY=($(compgen -W "$(_glassbox_words "$path")" -- "$cur"))
}
_glassbox_words() {
  local words=''
  case "$1" in
${cases}
  esac
  printf '%s' "$words"
}
complete -F _glassbox glassbox
`;
}

function zshScript(program: Command): string {
  return `# glassbox completion for zsh: eval "$(glassbox completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(program)}`;
}

function fishScript(program: Command): string {
  const lines = ['# glassbox completion for fish: glassbox completion fish | source', 'complete -c glassbox -f'];
  for (const e of entries(program)) {
    const parts = e.path === '' ? [] : e.path.split(' ');
    // fish: the condition that exactly this command's words have been typed.
    const seen = parts.map((p) => `__fish_seen_subcommand_from ${p}`);
    const notDeeper = e.commands.length > 0 ? [`not __fish_seen_subcommand_from ${e.commands.join(' ')}`] : [];
    const condition = [...(parts.length === 0 ? ['__fish_use_subcommand'] : seen), ...notDeeper].join('; and ');
    for (const sub of e.commands) lines.push(`complete -c glassbox -n '${condition}' -a ${sub}`);
    for (const flag of e.flags.filter((f) => f.startsWith('--'))) lines.push(`complete -c glassbox -n '${condition}' -l ${flag.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `glassbox completion bash|zsh|fish`: prints a completion script generated from the program's own
 * definitions. Only `glassbox` is completed: `docker-credential-glassbox` is run by Docker, not typed,
 * and loads none of this.
 *
 * @example
 * ```sh
 * eval "$(glassbox completion bash)"
 * ```
 */
export function registerCompletion(program: Command, ctx: CommandContext): Command {
  return program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description("Print a completion script for glassbox's commands and flags, generated from its own definitions.")
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `\nExamples:\n  $ eval "$(glassbox completion bash)"\n  $ eval "$(glassbox completion zsh)"\n  $ glassbox completion fish | source`,
    )
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      ctx.output.out(shell === 'bash' ? bashScript(program) : shell === 'zsh' ? zshScript(program) : fishScript(program));
    });
}
