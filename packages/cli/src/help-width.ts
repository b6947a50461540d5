import type { Io, OutputStream } from './output.ts';

/**
 * The width commander wraps help to: `COLUMNS` when set (as `less`, `man` and most CLIs honour it, so a
 * pipe or a script can ask for a width), else the terminal's width, else 80 — a pipe has no width, and
 * 80 is commander's own default.
 *
 * @example
 * ```ts
 * helpWidth({ env: { COLUMNS: '120' } }, process.stdout); // 120
 * ```
 */
export function helpWidth(io: Pick<Io, 'env'>, stream: OutputStream & { columns?: number | undefined }): number {
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 20) return fromEnv;
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return stream.columns;
  return 80;
}
