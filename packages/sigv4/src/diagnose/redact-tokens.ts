/**
 * Replaces session-token values in canonical requests, strings and messages: a token is a credential.
 * Covers the canonical header line (`x-amz-security-token:…`) and the query parameter of a presigned
 * URL (`X-Amz-Security-Token=…`), which is all a canonical request can hold of it.
 *
 * @example
 * ```ts
 * redactTokens('x-amz-security-token:IQoJb3'); // 'x-amz-security-token:[redacted: session token, 6 chars]'
 * ```
 */
export function redactTokens(text: string): string {
  return text
    .replace(/^(x-amz-security-token:)(.*)$/gim, (_, name: string, value: string) => `${name}[redacted: session token, ${value.length} chars]`)
    .replace(/((?:^|&|\?)X-Amz-Security-Token=)([^&\s']*)/gi, (_, name: string, value: string) => `${name}[redacted: session token, ${value.length} chars]`);
}
