/**
 * Why a signature was rejected, as a stable code to switch on.
 *
 * Canonical request: `METHOD_CHANGED`, `PATH_ENCODING` (encoded once vs twice), `PATH_NOT_NORMALIZED`
 * (`.`, `..`, `//`), `PATH_CHANGED`, `QUERY_ORDER`, `QUERY_ENCODING`, `QUERY_CHANGED`,
 * `HEADER_NOT_SIGNED`, `HEADER_REMOVED`, `HEADER_VALUE_WHITESPACE`, `HEADER_VALUE_CHANGED`,
 * `SIGNED_HEADERS_ORDER`, `PAYLOAD_HASH`. String to sign and credentials: `CLOCK_SKEW`, `SCOPE_DATE`,
 * `EXPIRED`, `WRONG_REGION`, `WRONG_SERVICE`, `SESSION_TOKEN_MISSING`, `SESSION_TOKEN_INVALID`,
 * `SESSION_TOKEN_EXPIRED`, `UNKNOWN_ACCESS_KEY`.
 *
 * The key, only on evidence: `SECRET_KEY` (the client signed exactly what the server computed, with the
 * secret given, so the server's copy of the secret differs). Without that evidence:
 * `SIGNATURE_UNEXPLAINED` (everything Glassbox computes matches the server, only the signature differs,
 * and no credentials were given to reconstruct what the client signed), `NOT_REPRODUCED` (credentials
 * were given and no signer behaviour tried reproduces the signature: another secret in the client, or a
 * rule not tried). `SERVER_TEXT_INCONSISTENT`: the server's quoted canonical request does not hash to its
 * string to sign (a pasted, re-wrapped or trimmed body). `UNKNOWN` otherwise.
 */
export type DiagnosisCode =
  | 'METHOD_CHANGED'
  | 'PATH_ENCODING'
  | 'PATH_NOT_NORMALIZED'
  | 'PATH_CHANGED'
  | 'QUERY_ORDER'
  | 'QUERY_ENCODING'
  | 'QUERY_CHANGED'
  | 'HEADER_NOT_SIGNED'
  | 'HEADER_REMOVED'
  | 'HEADER_VALUE_WHITESPACE'
  | 'HEADER_VALUE_CHANGED'
  | 'SIGNED_HEADERS_ORDER'
  | 'PAYLOAD_HASH'
  | 'CLOCK_SKEW'
  | 'SCOPE_DATE'
  | 'EXPIRED'
  | 'WRONG_REGION'
  | 'WRONG_SERVICE'
  | 'SESSION_TOKEN_MISSING'
  | 'SESSION_TOKEN_INVALID'
  | 'SESSION_TOKEN_EXPIRED'
  | 'UNKNOWN_ACCESS_KEY'
  | 'SECRET_KEY'
  | 'SIGNATURE_UNEXPLAINED'
  | 'NOT_REPRODUCED'
  | 'SERVER_TEXT_INCONSISTENT'
  | 'UNKNOWN';
