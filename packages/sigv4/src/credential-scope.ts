import { SCOPE_TERMINATOR } from './constants.ts';

/**
 * Step 3a — the credential scope: `date/region/service/aws4_request`. It binds the signature to
 * one day, one region and one service, so a leaked signing key is worth little elsewhere; a wrong
 * region or service here is a classic cause of SignatureDoesNotMatch.
 *
 * @example
 * ```ts
 * credentialScope('20150830', 'us-east-1', 'service'); // '20150830/us-east-1/service/aws4_request'
 * ```
 */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/${SCOPE_TERMINATOR}`;
}
