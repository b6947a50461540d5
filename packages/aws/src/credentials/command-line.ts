/**
 * Splits a `credential_process` command line into argv the way botocore does on POSIX
 * (`compat_shell_split` → Python `shlex.split`): whitespace separates words, single quotes are literal,
 * double quotes allow `\"` and `\\`, a backslash outside quotes escapes the next character, and no
 * comments. The command then runs without a shell, so `;`, `|` and `$VAR` are just characters.
 */
import { AwsError } from '../errors.ts';

/**
 * Splits a command line into words.
 *
 * @example
 * ```ts
 * splitCommandLine(`/opt/bin/creds --profile "my dev" 'a b'`); // ['/opt/bin/creds', '--profile', 'my dev', 'a b']
 * ```
 */
export function splitCommandLine(commandLine: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < commandLine.length; i++) {
    const c = commandLine[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (commandLine[i + 1] === '"' || commandLine[i + 1] === '\\')) word += commandLine[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < commandLine.length) word += commandLine[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new AwsError('PROFILE_INVALID', `credential_process has an unclosed ${quote === '"' ? 'double' : 'single'} quote: close it.`);
  }
  if (inWord) words.push(word);
  return words;
}
