import type { HeaderEntry, HeaderRules } from './canonical-headers.ts';
import type { EncodedParameter } from './canonical-query.ts';
import type { Credentials } from './credentials.ts';
import type { Sha256 } from './hash.ts';
import type { SigningKeyCache } from './signing-key.ts';

// The shapes the steps pass along: what steps 1 to 4 take (already validated by step 0,
// `signing-input.ts`) and what they produce. Types only, so every step file and the trace can name
// them without importing the composition in `sign.ts`.

/** Everything steps 1 to 4 produce, for sign, presign, verify and the trace: steps 1–2 ({@link CanonicalRequestSteps}), then SigV4's own. */
export interface SignatureSteps extends CanonicalRequestSteps {
  /** Step 3a: `date/region/service/aws4_request`. */
  credentialScope: string;
  /** Step 3: the string to sign. */
  stringToSign: string;
  /** Step 4a: the derived signing key (a secret for its day, region and service: never print it). */
  signingKey: Uint8Array;
  /** Step 4b: the hex signature. */
  signature: string;
}

/** What steps 1 to 4 need, already validated. */
export interface SignatureInput {
  /** The HTTP method as sent (case-sensitive). */
  method: string;
  /** The path exactly as written, before normalisation and encoding. */
  path: string;
  /** The query parameters, each key and value URI-encoded once. */
  queryParameters: readonly EncodedParameter[];
  /** The headers as sent, in order, including the ones the signer added. */
  headers: readonly HeaderEntry[];
  /** Which headers to leave out of (or force into) the signature. */
  headerRules: HeaderRules;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD` / a `STREAMING-*` value. */
  payloadHash: string;
  /** Resolve `.`/`..` and collapse `//` (false for S3). */
  normalizePath: boolean;
  /** Encode the path as written, so `%XY` is encoded again (false for S3). */
  doubleEncode: boolean;
  /** The signing time in both forms. */
  time: {
    /** `YYYYMMDDTHHMMSSZ`. */
    amzDate: string;
    /** `YYYYMMDD`. */
    dateStamp: string;
  };
  /** Who signs; only the secret feeds the key derivation. */
  credentials: Credentials;
  /** The region of the credential scope. */
  region: string;
  /** The signing name of the credential scope. */
  service: string;
  /** The SHA-256 and HMAC implementation. */
  hash: Sha256;
  /** Where signing keys are cached, or `false` to derive every time. */
  signingKeyCache: SigningKeyCache | false;
}

/** Steps 1 and 2: what every AWS signature algorithm (SigV4, SigV4a) computes the same way. */
export interface CanonicalRequestSteps {
  /** Step 1a: the normalised, encoded path. */
  canonicalUri: string;
  /** Step 1b: the sorted, encoded query (empty when there is none). */
  canonicalQueryString: string;
  /** Step 1c: `name:value` lines, each ending in a newline. */
  canonicalHeaders: string;
  /** Step 1d: the `;`-joined lower-case names of the signed headers. */
  signedHeaders: string;
  /** Step 1: the canonical request. */
  canonicalRequest: string;
  /** Step 2: hex SHA-256 of the canonical request. */
  canonicalRequestHash: string;
}
