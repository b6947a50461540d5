/**
 * `glassbox emulator` as a real background process: started from the built bin, its stdout and stderr
 * collected, waited on for a line, and stopped by a signal. Not a test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { glassboxBin, repoRoot } from '../run-bin.ts';

/** A running `glassbox emulator`. */
export interface EmulatorProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stdout or stderr (`stream`) matches `pattern`; rejects after 15 s or if the process ends first. */
  waitFor: (stream: 'stdout' | 'stderr', pattern: RegExp) => Promise<RegExpExecArray>;
  /** Sends `signal` and resolves with the exit code (null: killed by a signal). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `glassbox emulator ARGS` with exactly `env`. */
export function startEmulatorProcess(args: readonly string[], env: Record<string, string>): EmulatorProcess {
  const child = spawn(process.execPath, [glassboxBin, 'emulator', ...args], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const text = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      for (const watcher of watchers) watcher();
      resolve(code);
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      text[stream] += chunk;
      for (const watcher of watchers) watcher();
    });
  }
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`no ${pattern} on ${stream} within 15 s; it printed:\n${text.stdout}\n${text.stderr}`)),
        15_000,
      );
      const check = (): void => {
        const match = pattern.exec(text[stream]);
        if (match) finish(undefined, match);
        else if (ended || child.exitCode !== null)
          finish(new Error(`the emulator ended (${child.exitCode}) before ${pattern}:\n${text.stdout}\n${text.stderr}`));
      };
      const finish = (error?: Error, match?: RegExpExecArray): void => {
        clearTimeout(timer);
        watchers.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      watchers.add(check);
      check();
    });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(killer);
    }
  };
  return { child, stdout: () => text.stdout, stderr: () => text.stderr, waitFor, stop, exited };
}
