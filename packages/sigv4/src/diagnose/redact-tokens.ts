import { redactSecrets } from '../redaction.ts';

/**
 * Secrets out of canonical requests, strings and the server's messages, through the one redaction:
 * session tokens (the canonical header line `x-amz-security-token:…` and a presigned URL's
 * `X-Amz-Security-Token=…`), every credential this process has seen, and credential-shaped fields.
 *
 * @example
 * ```ts
 * redactTokens('x-amz-security-token:IQoJb3'); // 'x-amz-security-token:[redacted: session token, 6 chars]'
 * ```
 */
export function redactTokens(text: string): string {
  return redactSecrets(text);
}
