/** What Docker writes on the helper's stdin: a server URL, or for `store` a small JSON object. */

/**
 * Stdin as text, or as a stream of chunks.
 */
export type StdinSource = AsyncIterable<Uint8Array | string> | string;

/** stdin is a host name or a small JSON object; anything longer is not Docker talking. */
const MAX_STDIN_BYTES = 64 * 1024;

/**
 * Reads all of stdin (at most 64 KiB) as UTF-8. `source` may be a function, called only now, so that
 * actions that never read stdin (`version`) never wait on a terminal.
 *
 * @example
 * ```ts
 * await readStdin('123456789012.dkr.ecr.eu-west-1.amazonaws.com\n'); // the same text
 * ```
 */
export async function readStdin(source: StdinSource | (() => StdinSource)): Promise<string> {
  const stdin = typeof source === 'function' ? source() : source;
  if (typeof stdin === 'string') return stdin;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
