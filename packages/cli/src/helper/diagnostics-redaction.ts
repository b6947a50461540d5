/**
 * The one redaction (@glassbox/ecr `redaction`, owned by @glassbox/sigv4) for the helper's diagnostics,
 * loaded on first use: resolving it costs a warm `get` about 5 ms (two packages' export maps), and the warm
 * path writes nothing that needs it — only the answer.
 */
import type * as Redaction from '@glassbox/ecr/redaction';

let redaction: typeof Redaction | undefined;

/** Loads the redaction; every path that writes a diagnostic awaits this first. */
export async function loadRedaction(): Promise<typeof Redaction> {
  return (redaction ??= await import('@glassbox/ecr/redaction'));
}

/** Redacts with the loaded module; throws (a bug, never a leak) if {@link loadRedaction} was not awaited. */
export function redactLoaded(text: string): string {
  if (redaction === undefined) throw new Error('glassbox: internal error: a diagnostic was written before the redaction was loaded');
  return redaction.redactSecrets(text);
}
