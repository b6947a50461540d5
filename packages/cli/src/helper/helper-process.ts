/**
 * docker-credential-glassbox bound to this process: argv, fds 0, 1 and 2, the exit status. All behaviour lives
 * in `run-credential-helper.ts` (`runCredentialHelper`); the bin (`../bin/docker-credential-glassbox.cts`)
 * only loads this module, which starts the run as it loads and exports `finished`, settled once the exit
 * status is set.
 *
 * Docker runs the helper on every pull and push, so start-up time is the product here: this imports the
 * helper alone rather than the package index (commander, the commands), and talks to fds 0 and 1 directly
 * where it can, because creating `process.stdin` / `process.stdout` streams over a pipe costs more than
 * the whole cache lookup. No top-level await: the bin loads this module with `require()`.
 */
import { runCredentialHelper, type StdinSource } from './run-credential-helper.ts';

// node:fs through getBuiltinModule, not `import`: an ESM import of node:fs builds a facade that touches every
// lazy export (streams, promises) and costs a warm `get` several milliseconds; this reads the same module.
const { readSync, writeSync } = process.getBuiltinModule('node:fs');

// A cache miss through a proxy loads undici, whose WebAssembly HTTP parser V8 would recompile with TurboFan
// on a background thread that Node waits for before exiting: Liftoff only then, as in ../bin/glassbox.ts (which
// says why). Direct exchanges never load undici, and a warm `get` should not pay for node:v8.
if (Object.keys(process.env).some((name) => /^https?_proxy$/i.test(name))) {
  process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
}

/**
 * Stdin is a few bytes that Docker writes and then closes: read them synchronously. (No `fstatSync(0)` to
 * look at what fd 0 is first: on Node 20.20 that call, on a pipe, breaks later `require`s through pnpm's
 * symlinks — "Cannot find module 'graceful-fs'" from proper-lockfile.)
 */
function readStdin(): StdinSource {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (let total = 0; total <= 64 * 1024; ) {
    let count: number;
    try {
      count = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') break; // Windows reports the end of a pipe this way
      if (code !== 'EAGAIN') throw error;
      // A non-blocking descriptor with nothing yet: hand what we have plus the rest of the stream to the engine.
      const head = Buffer.concat(chunks);
      return (async function* () {
        yield head;
        yield* process.stdin;
      })();
    }
    if (count === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, count)));
    total += count;
  }
  return Buffer.concat(chunks).toString('utf8');
}

const quieted = new Set<NodeJS.WriteStream>();
/** The stream, with its write errors (EPIPE: Docker closed the pipe) ignored instead of thrown. */
function quiet(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!quieted.has(stream)) stream.on('error', () => undefined);
  quieted.add(stream);
  return stream;
}

let writeFailure: NodeJS.ErrnoException | undefined;

/**
 * Writes synchronously to fd 1 (answers are under a kilobyte); falls back to the stream if fd 1 refuses
 * for a while (EAGAIN on a non-blocking pipe). A reader that went away (EPIPE) gets nothing more, and no
 * stack trace: nobody is left to read, and the exit status stays the one the answer had. Any other
 * failure (ENOSPC) loses the answer: it is reported once the helper is done, with exit 5.
 */
const stdout = {
  write(text: string): void {
    try {
      writeSync(1, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code === 'EAGAIN') quiet(process.stdout).write(text);
      else writeFailure ??= error as NodeJS.ErrnoException;
    }
  },
};

/** Runs the helper once; sets the exit status when it is done. */
async function run(): Promise<void> {
  const status = await runCredentialHelper({
    argv: process.argv.slice(2),
    stdin: readStdin,
    stdout,
    // Created only if something is written: most runs write nothing to stderr.
    stderr: { write: (text: string) => quiet(process.stderr).write(text) },
  });
  if (writeFailure === undefined) process.exitCode = status;
  else {
    quiet(process.stderr).write(`error: cannot write to standard output: ${writeFailure.message}\n`);
    process.exitCode = 5; // the CLI's output-error code
  }
}

/** The run, started as this module loads; settled once `process.exitCode` is set. */
export const finished: Promise<void> = run();
