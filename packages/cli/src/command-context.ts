import type { Io, Output } from './output.ts';

/** What every command's action receives besides its options. */
export interface CommandContext {
  io: Io;
  output: Output;
  /** The exit code the command asks for (errors are thrown instead). */
  setExitCode: (code: number) => void;
}

/** Collects a repeatable option's values (commander's reducer). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
