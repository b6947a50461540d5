import { ALGORITHM, SCOPE_TERMINATOR } from '../constants.ts';
import type { Sha256 } from '../hash.ts';
import { signature } from '../signature.ts';
import { deriveSigningKey } from '../signing-key.ts';

/** What the server quoted, as far as the checks need it. */
export interface ServerComputed {
  /** The canonical request the server quotes. */
  readonly canonicalRequest?: string | undefined;
  /** The string to sign the server quotes. */
  readonly stringToSign?: string | undefined;
  /** The signature the request carried, as the server quotes it (S3 `<SignatureProvided>`). */
  readonly signatureProvided?: string | undefined;
}

/** Does the server's text hold together: its canonical request hashes to the last line of its string to sign. */
export interface ServerTextCheck {
  /** Both were quoted and the hash agrees; false when it does not; undefined when one is missing. */
  readonly consistent: boolean | undefined;
  /** SHA-256 of the quoted canonical request. */
  readonly canonicalRequestHash?: string | undefined;
  /** The last line of the quoted string to sign. */
  readonly quotedHash?: string | undefined;
  /** Which form was checked: the text, or S3's `<CanonicalRequestBytes>` when the text failed and they hold. */
  readonly source?: 'text' | 'bytes' | undefined;
}

/** Both checks of the server's side: its own text, and (with credentials) the signature it expected. */
export interface ServerChecks {
  /** Whether its canonical request hashes to its string to sign. */
  readonly text: ServerTextCheck;
  /** The signature it expected under the user's secret, when credentials were given. */
  readonly expected: ExpectedSignatureCheck | undefined;
}

/**
 * Checks the server's own text: the canonical request it quotes must hash to the last line of the
 * string to sign it quotes. A body that was pasted, re-wrapped or trimmed (a lost trailing space, CRLF
 * line ends, an XML pretty-printer) fails this, and then its canonical request cannot be trusted
 * line by line.
 *
 * @example
 * ```ts
 * checkServerText({ canonicalRequest, stringToSign }, nodeSha256).consistent; // true for an intact body
 * ```
 */
export function checkServerText(server: ServerComputed, sha256: Sha256): ServerTextCheck {
  if (server.canonicalRequest === undefined || server.stringToSign === undefined) return { consistent: undefined };
  const canonicalRequestHash = sha256.hex(server.canonicalRequest);
  const quotedHash = server.stringToSign.split('\n')[3]?.trim();
  return { consistent: canonicalRequestHash === quotedHash, canonicalRequestHash, quotedHash };
}

/** The signature the server expected, as far as the user's secret can tell. */
export interface ExpectedSignatureCheck {
  /** HMAC of the server's string to sign under the key derived from the user's secret and its scope. */
  readonly expectedSignature: string;
  /** The signature the request carried (given, or quoted by the server), when known. */
  readonly signatureProvided: string | undefined;
  /**
   * The request carries exactly the signature the user's secret gives for the server's string to
   * sign: the client and the server agree on everything but the secret, so the server's copy of the
   * secret for this access key ID differs from the user's. Undefined when the request's signature is
   * not known.
   */
  readonly requestCarriesExpected: boolean | undefined;
}

/**
 * §2 of the diagnosis: computes the signature the server expected, from the string to sign it quotes
 * and the user's secret, and compares it with the signature the request carried. Undefined when the
 * server quoted no well-formed string to sign. The secret is only an HMAC key here; the result holds
 * signatures, which the request itself carries in clear.
 *
 * @example
 * ```ts
 * expectedSignature(server, credentials.secretAccessKey, nodeSha256, request.signature)?.requestCarriesExpected;
 * ```
 */
export function expectedSignature(
  server: ServerComputed,
  secretAccessKey: string,
  sha256: Sha256,
  requestSignature?: string,
): ExpectedSignatureCheck | undefined {
  const lines = server.stringToSign?.split('\n');
  if (lines === undefined || lines.length !== 4 || lines[0] !== ALGORITHM) return undefined;
  const scope = lines[2]!.split('/');
  if (scope.length !== 4 || scope[3] !== SCOPE_TERMINATOR) return undefined;
  const key = deriveSigningKey(secretAccessKey, scope[0]!, scope[1]!, scope[2]!, sha256);
  const expected = signature(key, server.stringToSign!, sha256);
  const provided = (requestSignature ?? server.signatureProvided)?.trim().toLowerCase();
  return {
    expectedSignature: expected,
    signatureProvided: provided,
    requestCarriesExpected: provided === undefined ? undefined : provided === expected,
  };
}
