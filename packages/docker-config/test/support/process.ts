/**
 * Running a process with exactly this environment and stdin, in bounded time (the other-user tests). Not a
 * test file (scripts/test.mjs runs only `*.test.ts`).
 */
import { spawn } from 'node:child_process';

/** A finished process. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with exactly `env` and `stdin`, killed after `timeoutMs`. */
export function run(command: string, args: string[], env: Record<string, string>, stdin = '', timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
