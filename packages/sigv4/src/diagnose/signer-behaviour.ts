import type { DiagnosisCode } from './diagnosis-code.ts';

/**
 * A rule on which real signers differ, as a stable code. Path: `PATH_ENCODED_ONCE`,
 * `PATH_ENCODED_TWICE`, `PATH_NOT_NORMALIZED`, `PATH_NORMALIZED`, `PATH_TRAILING_SLASH_DROPPED`,
 * `PATH_TRAILING_SLASH_ADDED`, `PATH_PLUS_AS_SPACE`, `PATH_RESERVED_NOT_ENCODED`, `PATH_NOT_ENCODED`.
 * Query: `QUERY_UNSORTED`, `QUERY_SORTED_BY_NAME_ONLY`, `QUERY_PLUS_AS_SPACE`,
 * `QUERY_EMPTY_VALUE_WITHOUT_EQUALS`, `QUERY_RESERVED_NOT_ENCODED`, `QUERY_NOT_ENCODED`,
 * `QUERY_DOUBLE_ENCODED`, `QUERY_TOKEN_ADDED_AFTER_SIGNING`. Headers: `SIGNED_HEADERS_UNSORTED`,
 * `HEADER_NOT_TRIMMED`, `HEADER_SPACES_NOT_COLLAPSED`, `HEADER_REPEATS_JOINED_WITH_SPACE`,
 * `HOST_PORT_ADDED`, `HOST_PORT_DROPPED`, `HEADER_CHARSET_ADDED_AFTER_SIGNING`,
 * `HEADER_CHANGED_AFTER_SIGNING`, `HEADER_DROPPED_AFTER_SIGNING`. Payload: `PAYLOAD_UNSIGNED`,
 * `PAYLOAD_EMPTY_HASH`, `PAYLOAD_BODY_HASH`, `PAYLOAD_HEADER_VALUE`, `PAYLOAD_STREAMING`,
 * `PAYLOAD_BODY_CHANGED`. Scope and time: `SCOPE_REGION`, `SCOPE_SERVICE`, `SCOPE_DATE`,
 * `TIME_FROM_DATE_HEADER`.
 */
export type SignerBehaviourCode =
  | 'PATH_ENCODED_ONCE'
  | 'PATH_ENCODED_TWICE'
  | 'PATH_NOT_NORMALIZED'
  | 'PATH_NORMALIZED'
  | 'PATH_TRAILING_SLASH_DROPPED'
  | 'PATH_TRAILING_SLASH_ADDED'
  | 'PATH_PLUS_AS_SPACE'
  | 'PATH_RESERVED_NOT_ENCODED'
  | 'PATH_NOT_ENCODED'
  | 'QUERY_UNSORTED'
  | 'QUERY_SORTED_BY_NAME_ONLY'
  | 'QUERY_PLUS_AS_SPACE'
  | 'QUERY_EMPTY_VALUE_WITHOUT_EQUALS'
  | 'QUERY_RESERVED_NOT_ENCODED'
  | 'QUERY_NOT_ENCODED'
  | 'QUERY_DOUBLE_ENCODED'
  | 'QUERY_TOKEN_ADDED_AFTER_SIGNING'
  | 'SIGNED_HEADERS_UNSORTED'
  | 'HEADER_NOT_TRIMMED'
  | 'HEADER_SPACES_NOT_COLLAPSED'
  | 'HEADER_REPEATS_JOINED_WITH_SPACE'
  | 'HOST_PORT_ADDED'
  | 'HOST_PORT_DROPPED'
  | 'HEADER_CHARSET_ADDED_AFTER_SIGNING'
  | 'HEADER_CHANGED_AFTER_SIGNING'
  | 'HEADER_DROPPED_AFTER_SIGNING'
  | 'PAYLOAD_UNSIGNED'
  | 'PAYLOAD_EMPTY_HASH'
  | 'PAYLOAD_BODY_HASH'
  | 'PAYLOAD_HEADER_VALUE'
  | 'PAYLOAD_STREAMING'
  | 'PAYLOAD_BODY_CHANGED'
  | 'SCOPE_REGION'
  | 'SCOPE_SERVICE'
  | 'SCOPE_DATE'
  | 'TIME_FROM_DATE_HEADER';

/** The part of the canonical request (or string to sign) a behaviour changes. */
export type BehaviourPart = 'path' | 'query' | 'headers' | 'payload' | 'scope' | 'time';

/** One way a client departed from the service's rules, in words. Never holds a secret. */
export interface SignerBehaviour {
  /** A stable code: see {@link SignerBehaviourCode}. */
  readonly code: SignerBehaviourCode;
  /** The part of the request it changes. */
  readonly part: BehaviourPart;
  /** What the client did, completing "your client …". */
  readonly did: string;
  /** What the service's rules say instead. */
  readonly expected: string;
  /** What to change in the client. */
  readonly fix: string;
  /** The diagnosis code this behaviour is an instance of. */
  readonly diagnosis: DiagnosisCode;
}

/** Services that sign the path as sent, encoded once (S3 and its relatives). */
export function signsPathOnce(service: string): boolean {
  return service === 's3' || service === 's3-object-lambda' || service === 's3-outposts' || service === 's3express';
}

/**
 * The sentence that names what the client did: "your client encoded the path once, as S3 does;
 * execute-api expects it encoded twice". An empty list means the client followed the rules.
 *
 * @example
 * ```ts
 * explainBehaviours([], 'ecr'); // 'Your client signed this request by ecr's rules.'
 * ```
 */
export function explainBehaviours(behaviours: readonly SignerBehaviour[], service: string): string {
  if (behaviours.length === 0) return `Your client signed this request by ${service}'s rules.`;
  if (behaviours.length === 1) return `Your client ${behaviours[0]!.did}; ${behaviours[0]!.expected}.`;
  const clauses = behaviours.map((b) => `${b.did} (${b.expected})`);
  return `Your client ${clauses.slice(0, -1).join(', ')} and ${clauses[clauses.length - 1]!}.`;
}
