import { ALGORITHM } from './constants.ts';

/**
 * Step 5 — the Authorization header: the algorithm, then who signed and for what scope
 * (`Credential`), which headers were signed (`SignedHeaders`) and the `Signature` — everything the
 * service needs to recompute steps 1 to 4 on its side.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
 * @example
 * ```ts
 * authorizationHeader('AKIDEXAMPLE', '20150830/us-east-1/service/aws4_request', 'host;x-amz-date', '5fa00fa3…');
 * // 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa3…'
 * ```
 */
export function authorizationHeader(accessKeyId: string, scope: string, signedHeaders: string, signature: string): string {
  return `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
