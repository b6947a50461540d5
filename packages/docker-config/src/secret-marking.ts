/**
 * Secrets this package reads (registry passwords, identity and registry tokens), marked for the one
 * redaction without depending on the package that owns it. The owner, @glassbox/sigv4 `redaction.ts`, keeps
 * every secret the process has seen in a registry on `globalThis` under `Symbol.for('glassbox.redaction.secrets')`
 * (secret → what it is), so that every copy of it shares one registry. This file writes to that same registry —
 * so whatever output the caller redacts with Glassbox (the CLI, the credential helper) hides these values too —
 * and reads it back to keep them out of this package's own error messages, which is all the redaction
 * @glassbox/docker-config needs: its messages quote files and helpers, never credentials it did not read.
 */

const REGISTRY = Symbol.for('glassbox.redaction.secrets');

/** As the owner's `MIN_SECRET_LENGTH`: shorter values would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** As the owner's bound: a long-running process must not grow without limit; the oldest go first. */
const MAX_REMEMBERED = 512;

/** What a `toJSON` / `util.inspect` view shows in place of a secret field (the owner's `REDACTED`). */
export const REDACTED = '[redacted]';

/** The shared registry: secret value → label, in the order first seen. */
function registry(): Map<string, string> {
  const holder = globalThis as { [REGISTRY]?: Map<string, string> };
  return (holder[REGISTRY] ??= new Map());
}

/** Marks a secret for the rest of the process (the owner's `rememberSecret`); short or absent values are ignored. */
export function markSecret(value: string | undefined, label = 'secret'): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const known = registry();
  if (known.has(value)) return;
  if (known.size >= MAX_REMEMBERED) known.delete(known.keys().next().value as string);
  known.set(value, label);
}

/**
 * Replaces every marked secret in `text`, raw or URI-encoded, with the owner's placeholder
 * (`[redacted: <label>, N chars]`), longest first so that a secret holding a shorter one goes whole.
 */
export function redactMarked(text: string): string {
  if (typeof text !== 'string' || text === '') return text;
  let out = text;
  const known = [...registry()].sort((a, b) => b[0].length - a[0].length);
  for (const [secret, label] of known) {
    const placeholder = `[redacted: ${label}, ${secret.length} chars]`;
    for (const form of new Set([secret, encodeURIComponentSafe(secret)]))
      if (form !== '' && out.includes(form)) out = out.split(form).join(placeholder);
  }
  return out;
}

/** `encodeURIComponent`, or the value itself for a lone surrogate (which it throws on). */
function encodeURIComponentSafe(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}
