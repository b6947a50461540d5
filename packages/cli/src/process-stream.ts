import type { OutputStream } from './output.ts';

/**
 * `process.stdout` or `process.stderr` as an {@link OutputStream} that cannot crash the process.
 *
 * Node reports a failed write to a pipe or file as an `'error'` event, after the write returned;
 * with no listener that event is an uncaught exception with a stack trace. It happens in ordinary
 * use: `glassbox sign --help | head -1` closes the pipe after one line (EPIPE), and `> /dev/full`
 * or a full disk refuses the bytes (ENOSPC). So the first failure is kept, every later write is
 * dropped (there is no one left to read it), and {@link OutputStream.flush} reports it once the
 * command is done, for `main()` to decide the exit status.
 */
export function guardedStream(stream: NodeJS.WriteStream): OutputStream {
  let failure: NodeJS.ErrnoException | undefined;
  const fail = (error: Error | null | undefined): void => {
    if (error && failure === undefined) failure = error as NodeJS.ErrnoException;
  };
  stream.on('error', fail);
  return {
    isTTY: stream.isTTY,
    // Read when help is printed: the terminal may have been resized since start.
    get columns() {
      return stream.columns;
    },
    write(chunk) {
      if (failure === undefined) stream.write(chunk, fail);
    },
    flush() {
      // An empty write calls back after every earlier write has been handed to the system.
      return new Promise<void>((resolve, reject) => {
        const settle = (): void => (failure === undefined ? resolve() : reject(failure));
        if (failure !== undefined || stream.destroyed) settle();
        else stream.write('', (error) => (fail(error), settle()));
      });
    },
  };
}
