import { SigV4Error } from '../errors.ts';
import type { Sha256 } from '../hash.ts';
import type { Sha256Constructor } from '../hash-js.ts';
import type { Credentials } from '../types.ts';
import { assertCredentials, hashFrom } from '../validate.ts';
import { readCapturedRequest, type SignedRequestInput } from './captured-request.ts';
import { composeCandidate, searchCandidates, type SpaceLayout } from './candidate-search.ts';
import { candidateSpace, type Dimension } from './candidate-space.ts';
import { checkServerText, expectedSignature, type ServerChecks, type ServerComputed } from './server-check.ts';
import { redactTokens } from './redact-tokens.ts';
import { explainBehaviours, type BehaviourPart, type SignerBehaviour } from './signer-behaviour.ts';

/**
 * What a reconstruction found, as a stable code: `REPRODUCED` (a candidate gives the signature the
 * request carries: see {@link Reconstruction.candidate}), `NOT_REPRODUCED` (none of the candidates
 * tried does), `ACCESS_KEY_MISMATCH` (the credentials given are for another access key ID than the
 * request's, so they cannot reproduce it: nothing was tried).
 */
export type ReconstructionCode = 'REPRODUCED' | 'NOT_REPRODUCED' | 'ACCESS_KEY_MISMATCH';

/** What the server computed, and what it said it expected: checked, and used as hints for the scope. */
export interface ServerHints extends ServerComputed {
  /** The region the server expected, to try in the scope. */
  readonly expectedRegion?: string | undefined;
  /** The service signing name the server expected, to try in the scope. */
  readonly expectedService?: string | undefined;
}

/** A canonical request and the string to sign that hashes it. */
export interface CanonicalStrings {
  /** Step 1: the canonical request. */
  readonly canonicalRequest: string;
  /** Step 3: the string to sign. */
  readonly stringToSign: string;
}

/** Options of {@link reconstruct}. */
export interface ReconstructOptions {
  /** SHA-256: `node:crypto` by default (as for sign()); pass `@aws-crypto/sha256-js`'s `Sha256` in a browser. */
  sha256?: Sha256Constructor | Sha256 | undefined;
  /** What the server computed, from its error body (diagnose() passes it): checked, and used for hints. */
  server?: ServerHints | undefined;
  /** More regions to try in the scope, beyond the host's and the server's. */
  regions?: readonly string[] | undefined;
  /** More service signing names to try in the scope. */
  services?: readonly string[] | undefined;
  /** Stop after this many candidates. Default 250 000. */
  maxCandidates?: number | undefined;
  /** Stop after this many milliseconds. Default 1000. */
  timeBudgetMs?: number | undefined;
  /** The clock for the time budget, in milliseconds. Default `performance.now`. */
  now?: (() => number) | undefined;
}

/** The candidate that reproduced the signature. */
export interface ReconstructedCandidate {
  /** What the client did differently from the service's rules; empty when it followed them. */
  readonly behaviours: readonly SignerBehaviour[];
  /** The canonical request the client signed (a session token in it redacted). */
  readonly canonicalRequest: string;
  /** The string to sign the client signed. */
  readonly stringToSign: string;
}

/** One part of the request and the behaviours tried for it, each on its own, without reproducing the signature. */
export interface RuledOut {
  /** The part of the request. */
  readonly part: BehaviourPart;
  /** `path`, `query`, `header content-type`, … */
  readonly label: string;
  /** What was tried, as "your client …" phrases. */
  readonly tried: readonly string[];
}

/** What {@link reconstruct} found. Holds no secret: canonical requests, strings to sign and signatures only. */
export interface Reconstruction {
  /** What was found: see {@link ReconstructionCode}. */
  readonly code: ReconstructionCode;
  /** One sentence: what the client did, or that nothing tried reproduces the signature. */
  readonly explanation: string;
  /** The candidate that reproduced the signature, for `REPRODUCED`. */
  readonly candidate: ReconstructedCandidate | undefined;
  /** The canonical request and string to sign the service's rules give for this request, as received. */
  readonly rules: CanonicalStrings;
  /** The service whose rules were applied (the request's Credential scope). */
  readonly service: string;
  /** The access key ID the request names. */
  readonly accessKeyId: string;
  /** Whether the request is presigned (query) or signed in its Authorization header. */
  readonly mode: 'header' | 'query';
  /** The request's SignedHeaders, as it gives them. */
  readonly signedHeaders: string;
  /** Candidates hashed and signed. */
  readonly tried: number;
  /** How many candidates the space holds. */
  readonly space: number;
  /** The budget (count or time) ran out before the space did. */
  readonly exhausted: boolean;
  /** For `NOT_REPRODUCED`: the behaviours tried, each on its own, per part. */
  readonly ruledOut: readonly RuledOut[];
  /** The checks of the server's own text and of the signature it expected, when a server report was given. */
  readonly server: ServerChecks | undefined;
}

/**
 * Finds what the client actually signed: searches the behaviours real signers differ on (path encoded
 * once or twice, normalised or not; query order and encoding; header white space, ports, values
 * changed after signing; which payload hash; scope and time), cheapest and most common first, for the
 * candidate whose signature is the one the request carries, with the user's own secret.
 *
 * Bounded: it stops at `maxCandidates` or `timeBudgetMs`, and says how many it tried. Pure: no I/O, no
 * clock but the budget's; the secret is only an HMAC key, never part of the result.
 *
 * @example
 * ```ts
 * const found = reconstruct(capturedRequest, credentials);
 * if (found.code === 'REPRODUCED') console.log(found.explanation, found.candidate.canonicalRequest);
 * // "Your client encoded the path once, as S3 does; execute-api expects it encoded twice."
 * ```
 */
export function reconstruct(signedRequest: SignedRequestInput, credentials: Credentials, options: ReconstructOptions = {}): Reconstruction {
  assertCredentials(credentials);
  const sha256 = hashFrom(options.sha256);
  const maxCandidates = options.maxCandidates ?? 250_000;
  const timeBudgetMs = options.timeBudgetMs ?? 1000;
  if (!Number.isInteger(maxCandidates) || maxCandidates < 1)
    throw new SigV4Error('INVALID_OPTION', 'maxCandidates: expected a positive whole number');
  if (typeof timeBudgetMs !== 'number' || !(timeBudgetMs > 0))
    throw new SigV4Error('INVALID_OPTION', 'timeBudgetMs: expected a positive number of milliseconds');
  const captured = readCapturedRequest(signedRequest);
  const server = options.server;
  const dimensions = candidateSpace(captured, {
    sha256,
    regions: [...(options.regions ?? []), ...(server?.expectedRegion === undefined ? [] : [server.expectedRegion])],
    services: [...(options.services ?? []), ...(server?.expectedService === undefined ? [] : [server.expectedService])],
  });
  const layout = layoutOf(dimensions);
  const rulesParts = composeCandidate(captured.method, layout, (d) => dimensions[d]!.variants[0]!.value, sha256);
  const rules = { canonicalRequest: redactTokens(rulesParts.canonical), stringToSign: rulesParts.sts };
  const serverChecks =
    server === undefined
      ? undefined
      : {
          text: checkServerText(server, sha256),
          expected: expectedSignature(server, credentials.secretAccessKey, sha256, captured.signature),
        };
  const common = {
    rules,
    service: captured.service,
    accessKeyId: captured.accessKeyId,
    mode: captured.mode,
    signedHeaders: captured.signedHeaders,
    server: serverChecks,
  };

  if (credentials.accessKeyId !== captured.accessKeyId) {
    return {
      ...common,
      code: 'ACCESS_KEY_MISMATCH',
      explanation: `The request was signed by access key ${captured.accessKeyId}, and the credentials given are for ${credentials.accessKeyId}: only the secret of ${captured.accessKeyId} can reproduce its signature.`,
      candidate: undefined,
      tried: 0,
      space: 0,
      exhausted: false,
      ruledOut: [],
    };
  }
  const now = options.now ?? (() => performance.now());
  const outcome = searchCandidates(captured.method, dimensions, layout, credentials.secretAccessKey, captured.signature, sha256, {
    maxCandidates,
    timeBudgetMs,
    now,
  });
  if (outcome.hit !== undefined) {
    const behaviours = outcome.hit.choices.flatMap((v) => v.behaviours);
    return {
      ...common,
      code: 'REPRODUCED',
      explanation: explainBehaviours(behaviours, captured.service),
      candidate: { behaviours, canonicalRequest: redactTokens(outcome.hit.canonicalRequest), stringToSign: outcome.hit.stringToSign },
      tried: outcome.tried,
      space: outcome.space,
      exhausted: false,
      ruledOut: [],
    };
  }
  const ruledOut = dimensions
    .map((dimension, d) => ({
      part: dimension.part,
      label: dimension.label,
      tried: [...outcome.triedAlone[d]!].sort((x, y) => x - y).map((i) => dimension.variants[i]!.behaviours.map((b) => b.did).join(', ')),
    }))
    .filter((r) => r.tried.length > 0);
  const budget = outcome.exhausted
    ? ` (the search stopped at its budget, after ${outcome.tried} of ${outcome.space} candidates)`
    : ` (all ${outcome.tried} candidates)`;
  return {
    ...common,
    code: 'NOT_REPRODUCED',
    explanation: `No signer behaviour Glassbox tried${budget} reproduces the request's signature with this secret: the client signed with another secret access key, or by a rule Glassbox does not try.`,
    candidate: undefined,
    tried: outcome.tried,
    space: outcome.space,
    exhausted: outcome.exhausted,
    ruledOut,
  };
}

/**
 * The canonical request and string to sign that the service's rules give for a signed request as it
 * was received (the service is the request's Credential scope; the headers are its SignedHeaders):
 * what the server computes. Needs no secret.
 *
 * @example
 * ```ts
 * canonicalByRules(capturedRequest).canonicalRequest; // what the service hashed
 * ```
 */
export function canonicalByRules(signedRequest: SignedRequestInput, options: Pick<ReconstructOptions, 'sha256'> = {}): CanonicalStrings {
  const sha256 = hashFrom(options.sha256);
  const captured = readCapturedRequest(signedRequest);
  const dimensions = candidateSpace(captured, { sha256 });
  const { canonical, sts } = composeCandidate(captured.method, layoutOf(dimensions), (d) => dimensions[d]!.variants[0]!.value, sha256);
  return { canonicalRequest: canonical, stringToSign: sts };
}

function layoutOf(dimensions: readonly Dimension[]): SpaceLayout {
  const index = (label: string): number => dimensions.findIndex((d) => d.label === label);
  const headers = new Map<string, number>();
  dimensions.forEach((d, i) => d.header !== undefined && headers.set(d.header, i));
  return {
    path: index('path'),
    query: index('query'),
    signedList: index('SignedHeaders order'),
    headers,
    payload: index('payload hash'),
    scope: index('credential scope'),
    time: index('signing time'),
  };
}
