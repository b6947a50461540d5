import { SCOPE_TERMINATOR } from '../constants.ts';
import { ALGORITHM_V4A } from './constants.ts';

/**
 * The SigV4a credential scope: `date/service/aws4_request`. No region: the signature is valid in
 * every region of the signed `X-Amz-Region-Set`.
 *
 * @example
 * ```ts
 * credentialScopeV4a('20150830', 'service'); // '20150830/service/aws4_request'
 * ```
 */
export function credentialScopeV4a(dateStamp: string, service: string): string {
  return `${dateStamp}/${service}/${SCOPE_TERMINATOR}`;
}

/**
 * The SigV4a string to sign: the same four lines as SigV4 with algorithm `AWS4-ECDSA-P256-SHA256`
 * and the region-less scope.
 *
 * ```
 * AWS4-ECDSA-P256-SHA256 \n YYYYMMDDTHHMMSSZ \n date/service/aws4_request \n hex(SHA256(CanonicalRequest))
 * ```
 *
 * @example
 * ```ts
 * stringToSignV4a('20150830T123600Z', '20150830/service/aws4_request', nodeSha256.hex(creq));
 * ```
 */
export function stringToSignV4a(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM_V4A}\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}
