import { ALGORITHM } from './constants.ts';

/**
 * Step 3 — the string to sign: the algorithm, the request time, the credential scope and the hex
 * SHA-256 of the canonical request (step 2), one per line. Only this short string is signed, so the
 * signature covers the whole request through its hash.
 *
 * ```
 * AWS4-HMAC-SHA256 \n YYYYMMDDTHHMMSSZ \n date/region/service/aws4_request \n hex(SHA256(CanonicalRequest))
 * ```
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign
 * @example
 * ```ts
 * stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', nodeSha256.hex(creq));
 * ```
 */
export function stringToSign(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}
