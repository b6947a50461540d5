import { removeDotSegments } from './canonical-uri.ts';
import { EMPTY_BODY_SHA256, UNSIGNED_PAYLOAD } from './constants.ts';
import type { DiagnosisCode } from './diagnose/diagnosis-code.ts';
import { readServerError, type ErrorBodyFormat, type ServerSignatureReport } from './diagnose/error-body.ts';
import { reconstruct, type Reconstruction, type ReconstructOptions } from './diagnose/reconstruct.ts';
import type { SignedRequestInput } from './diagnose/captured-request.ts';
import { redactTokens } from './diagnose/redact-tokens.ts';
import { checkServerText, expectedSignature, type ServerChecks, type ServerTextCheck } from './diagnose/server-check.ts';
import type { BehaviourPart } from './diagnose/signer-behaviour.ts';
import { SigV4Error } from './errors.ts';
import type { Sha256 } from './hash.ts';
import type { Sha256Constructor } from './hash-js.ts';
import type { TraceStepId } from './trace.ts';
import type { Credentials } from './types.ts';
import { uriDecodeText } from './uri-encode.ts';
import { lineChanges } from '#line-diff';
import { hashFrom } from './validate.ts';

export type { DiagnosisCode } from './diagnose/diagnosis-code.ts';
export type { ServerSignatureReport, ErrorBodyFormat } from './diagnose/error-body.ts';

/** One named cause: what differs, in one line, and what to change. */
export interface DiagnosisCause {
  /** A stable code: see {@link DiagnosisCode}. */
  readonly code: DiagnosisCode;
  /** What differs, in one line. Never holds a secret: session tokens are redacted. */
  readonly message: string;
  /** What to change so the signatures agree. */
  readonly fix: string;
  /** The step of the algorithm the cause belongs to, when there is one. */
  readonly step: TraceStepId | undefined;
}

/** What {@link diagnose} needs from our side: the `SignResult` of `sign` or the `PresignResult` of `presign` fits. */
export interface DiagnoseInput {
  /** The canonical request we signed. */
  readonly canonicalRequest: string;
  /** The string to sign we signed. */
  readonly stringToSign: string;
  /** Our hex signature, to compare with the one the server received. */
  readonly signature?: string | undefined;
}

/** What {@link diagnose} found: where we and the server part ways, why, and the line diff. */
export interface Diagnosis {
  /** The server sent its canonical request and string to sign, and both equal ours. */
  readonly matched: boolean;
  /** Which error format the body is in. */
  readonly format: ErrorBodyFormat;
  /** The first step at which ours and the server's differ (the likely cause's step). */
  readonly firstDifferentStep: TraceStepId | undefined;
  /** Every cause found, most likely first; never empty (`UNKNOWN` when nothing is recognised). */
  readonly causes: readonly DiagnosisCause[];
  /** The first of {@link causes}. */
  readonly likelyCause: DiagnosisCause;
  /**
   * A unified-style line diff of canonical request and string to sign: ours (`-`) vs the server's (`+`);
   * with a reconstruction, what the client signed (`-`) vs the server's, or the service's rules when the
   * server quoted nothing (`+`).
   */
  readonly lineDiff: string;
  /** What the server said, read into fields. */
  readonly server: ServerSignatureReport;
  /** What the client signed, when the request and credentials were given (see {@link reconstruct}). */
  readonly reconstruction?: Reconstruction | undefined;
  /**
   * The checks of the server's own text (its canonical request hashes to its string to sign) and, with
   * credentials, of the signature it expected. Undefined when neither a hash nor credentials were given.
   */
  readonly serverCheck?: ServerChecks | undefined;
}

/** Options of {@link diagnose}: with the captured request and credentials, it reconstructs what the client signed. */
export interface DiagnoseOptions {
  /** The signed request as it was sent (by any client), for {@link reconstruct}. */
  readonly request?: SignedRequestInput | undefined;
  /** The user's credentials: the secret is only an HMAC key, never part of the result. */
  readonly credentials?: Credentials | undefined;
  /** Where the credentials came from (`environment`, `profile dev`…), named when nothing reproduces the signature. */
  readonly credentialsSource?: string | undefined;
  /**
   * SHA-256, to check the server's text (its canonical request must hash to its string to sign): that
   * check runs when this or credentials are given. `node:crypto` by default.
   */
  readonly sha256?: Sha256Constructor | Sha256 | undefined;
  /** The reconstruction's budget and hints. */
  readonly reconstruct?: Omit<ReconstructOptions, 'sha256' | 'server'> | undefined;
}

/**
 * Explains a SigV4 rejection: reads the error body AWS sent (S3's XML `SignatureDoesNotMatch` with
 * `<CanonicalRequest>` and `<StringToSign>`, the JSON-protocol `InvalidSignatureException` message
 * "The Canonical String for this request should have been …", the query-protocol XML
 * `<ErrorResponse>`, and the clock, scope and token messages; see {@link readServerError} for every
 * shape), compares the server's canonical request and string to sign with ours part by part, and names
 * the cause with a fix. With `options.request` and `options.credentials` it first reconstructs what the
 * client signed ({@link reconstruct}); the secret is blamed (`SECRET_KEY`) only on evidence: the request
 * carries the signature the secret gives for the server's own string to sign, or `ours` is what was
 * sent (its `signature` is the request's) and equals the server's strings.
 *
 * @example
 * ```ts
 * const ours = await sign(request, options);
 * const response = await fetch(ours.request.url, { method: 'POST', headers: ours.request.headers, body });
 * if (response.status === 403) {
 *   const { likelyCause, lineDiff } = diagnose(ours, await response.text());
 *   console.log(likelyCause.message, '\n', likelyCause.fix, '\n', lineDiff);
 * }
 * // A request another client signed: give it and the credentials, and the diagnosis says what it did.
 * const { reconstruction } = diagnose(canonicalByRules(captured), errorBody, { request: captured, credentials });
 * console.log(reconstruction?.explanation); // "Your client encoded the path once, as S3 does; …"
 * ```
 */
export function diagnose(ours: DiagnoseInput, awsErrorBody: string, options: DiagnoseOptions = {}): Diagnosis {
  if (typeof ours !== 'object' || ours === null || typeof ours.canonicalRequest !== 'string' || typeof ours.stringToSign !== 'string') {
    throw new SigV4Error(
      'INVALID_OPTION',
      'diagnose: expected our sign() result (with canonicalRequest and stringToSign) as the first argument',
    );
  }
  if (typeof awsErrorBody !== 'string') {
    throw new SigV4Error('INVALID_OPTION', 'diagnose: expected the error response body as a string');
  }
  const read = readServerError(awsErrorBody);
  const format = read.format;
  let server = read.server;
  const { credentials } = options;
  const hash = options.sha256 !== undefined || credentials !== undefined ? hashFrom(options.sha256) : undefined;

  // §2: the server's own text must hold together; S3's byte forms are exact where the text was re-wrapped.
  let serverCheck: Diagnosis['serverCheck'];
  if (hash !== undefined) {
    let text: ServerTextCheck = { ...checkServerText(server, hash), source: 'text' };
    if (text.consistent === false && (server.canonicalRequestFromBytes !== undefined || server.stringToSignFromBytes !== undefined)) {
      const exact = {
        canonicalRequest: server.canonicalRequestFromBytes ?? server.canonicalRequest,
        stringToSign: server.stringToSignFromBytes ?? server.stringToSign,
      };
      const bytes = checkServerText(exact, hash);
      if (bytes.consistent === true) {
        server = { ...server, ...exact };
        text = { ...bytes, source: 'bytes' };
      }
    }
    serverCheck = { text, expected: undefined };
  }
  const reconstruction =
    options.request !== undefined && credentials !== undefined
      ? reconstruct(options.request, credentials, { ...options.reconstruct, sha256: hash, server })
      : undefined;
  if (serverCheck !== undefined && credentials !== undefined) {
    serverCheck = {
      ...serverCheck,
      expected: reconstruction?.server?.expected ?? expectedSignature(server, credentials.secretAccessKey, hash!),
    };
  }

  const causes: DiagnosisCause[] = [...causesFromMessage(server, ours)];
  if (serverCheck?.text.consistent === false) {
    causes.push(
      cause(
        'SERVER_TEXT_INCONSISTENT',
        'canonical-request',
        `The canonical request in the error body does not hash to the last line of its string to sign (${serverCheck.text.canonicalRequestHash?.slice(0, 12)}… vs ${serverCheck.text.quotedHash?.slice(0, 12) ?? '?'}…): the body was pasted, re-wrapped or trimmed, so its lines cannot be trusted one by one.`,
        'Use the error body exactly as received (saved from the response, not copied from a terminal); S3 also sends <CanonicalRequestBytes>, which Glassbox prefers when present.',
      ),
    );
  }
  const theirsCreq = server.canonicalRequest;
  const theirsSts = server.stringToSign;
  const source = options.credentialsSource === undefined ? '' : ` (credentials from ${options.credentialsSource})`;
  const candidate = reconstruction?.candidate;
  if (serverCheck?.expected?.requestCarriesExpected === true) {
    causes.push(
      cause(
        'SECRET_KEY',
        'signing-key',
        `The request carries exactly the signature this secret gives for the server's own string to sign${source}: the client and the server agree on everything but the key, so the server's copy of the secret for this access key ID differs (rotated, or another key pair).`,
        'Use the current secret of this access key ID (check it in IAM, or the user on an S3-compatible server), and update the profile the client reads.',
      ),
    );
  } else if (candidate !== undefined && candidate.behaviours.length > 0) {
    candidate.behaviours.forEach((b, i) => {
      causes.push(
        cause(b.diagnosis, STEP_OF_PART[b.part], i === 0 ? reconstruction!.explanation : `Your client ${b.did}; ${b.expected}.`, b.fix),
      );
    });
  } else {
    const theirs = candidate !== undefined ? reconstruction!.rules : ours;
    if (theirsCreq !== undefined && theirsCreq !== theirs.canonicalRequest)
      causes.push(...compareCanonicalRequests(theirs.canonicalRequest, theirsCreq));
    if (theirsSts !== undefined && theirsSts !== theirs.stringToSign)
      causes.push(...compareStringsToSign(theirs.stringToSign, theirsSts, theirsCreq === undefined));
    if (candidate !== undefined && !causes.some((c) => c.code !== 'UNKNOWN')) {
      causes.push(
        cause(
          'SIGNATURE_UNEXPLAINED',
          'signing-key',
          `${reconstruction!.explanation.replace(/\.$/, '')}, with this secret${source}${theirsCreq === undefined ? ', and the server did not say what it computed' : ''}: if this is the request the server received, the server's copy of the secret differs; otherwise the request changed on the way.`,
          "Capture the request where the server receives it (or get the server's canonical request) and compare; check the secret the server holds for this access key ID.",
        ),
      );
    } else if (reconstruction !== undefined && reconstruction.code === 'NOT_REPRODUCED' && reconstruction.mode === 'query') {
      // The most common presign failure: a header the URL signs, sent with a value no common one matches.
      for (const name of reconstruction.signedHeaders.split(';').filter((n) => n !== 'host')) {
        const sent = options.request === undefined ? undefined : sentValue(options.request, name);
        causes.push(
          cause(
            sent === undefined ? 'HEADER_REMOVED' : 'HEADER_VALUE_CHANGED',
            'canonical-headers',
            `The URL signs ${name} (X-Amz-SignedHeaders=${reconstruction.signedHeaders}), and the upload sent ${sent === undefined ? 'none' : `'${sent}'`}; no common value reproduces the signature, so the URL was presigned with another value, which it does not say.`,
            `Send ${name} with exactly the value given when the URL was presigned (ask whoever presigned it), or presign without it.`,
          ),
        );
      }
      causes.push(
        cause(
          'NOT_REPRODUCED',
          undefined,
          `${reconstruction.explanation}${source}`,
          'Check that the client reads the same secret as this profile (environment variables win over files), or look for a rule the client applies that is not in the list ruled out.',
        ),
      );
    } else if (reconstruction !== undefined && reconstruction.code !== 'REPRODUCED') {
      causes.push(
        cause(
          'NOT_REPRODUCED',
          undefined,
          `${reconstruction.explanation}${source}`,
          reconstruction.code === 'ACCESS_KEY_MISMATCH'
            ? `Give Glassbox the credentials of ${reconstruction.accessKeyId} (another profile), so it can reproduce the signature.`
            : 'Check that the client reads the same secret as this profile (environment variables win over files), or look for a rule the client applies that is not in the list ruled out.',
        ),
      );
    }
  }
  const matched = theirsCreq === ours.canonicalRequest && theirsSts === ours.stringToSign;
  if (matched && reconstruction === undefined && !causes.some((c) => c.code !== 'UNKNOWN')) {
    // Same canonical request, same string to sign, different signature. The secret is to blame only
    // when `ours` is what was sent (its signature is the request's): then we signed the server's string.
    const sentByUs =
      ours.signature !== undefined &&
      (server.signatureProvided === undefined || server.signatureProvided.toLowerCase() === ours.signature.toLowerCase());
    causes.push(
      sentByUs
        ? cause(
            'SECRET_KEY',
            'signing-key',
            "The canonical request and string to sign match the server's exactly, and the request carries the signature of that string under our secret: the server's copy of the secret for this access key ID differs.",
            'Use the secret access key that belongs to the access key ID (check the profile, the environment and for stray spaces or newlines in the secret).',
          )
        : cause(
            'SIGNATURE_UNEXPLAINED',
            'signing-key',
            "Glassbox's canonical request and string to sign for this request equal the server's; only the signature differs. Either the client signed it by other rules than the service's, or with another secret.",
            'Give the credentials that signed the request (glassbox diff reads the credential chain; diagnose() takes request and credentials) to reconstruct what the client signed.',
          ),
    );
  }
  const unique = dedupe(causes);
  if (unique.length === 0) {
    const signatureError =
      server.code !== undefined && /^(SignatureDoesNotMatch|InvalidSignatureException|InvalidSignature)$/.test(server.code);
    unique.push(
      cause(
        'UNKNOWN',
        undefined,
        signatureError && theirsCreq === undefined && theirsSts === undefined
          ? `The server says ${server.code}${server.message === undefined ? '' : ` ("${oneLine(redactTokens(server.message))}")`} but does not quote what it computed (Ceph RGW, MinIO and most S3-compatible servers do not), so there is nothing to compare with.`
          : server.message !== undefined
            ? `The server said: ${oneLine(redactTokens(server.message))}`
            : 'The error body holds no canonical request, string to sign or message that Glassbox recognises.',
        signatureError && theirsCreq === undefined
          ? 'Give the signed request and the credentials that signed it (glassbox diff reads the credential chain): Glassbox then reconstructs what the client signed.'
          : "Sign with trace: true and compare each step with the service's rules (S3 and most services return their canonical request on SignatureDoesNotMatch).",
      ),
    );
  }
  const likelyCause = unique[0]!;
  const client = candidate ?? ours;
  const names =
    candidate === undefined
      ? { ours: 'ours', theirs: 'server' }
      : { ours: 'client (reconstructed)', theirs: theirsCreq === undefined ? `${reconstruction!.service} rules` : 'server' };
  const against =
    candidate !== undefined && theirsCreq === undefined ? reconstruction!.rules : { canonicalRequest: theirsCreq, stringToSign: theirsSts };
  return {
    matched,
    format,
    firstDifferentStep: likelyCause.step,
    causes: unique,
    likelyCause,
    lineDiff: [
      sectionDiff('canonical request', client.canonicalRequest, against.canonicalRequest, names),
      sectionDiff('string to sign', client.stringToSign, against.stringToSign ?? theirsSts, names),
    ].join('\n'),
    server: {
      ...server,
      canonicalRequest: theirsCreq === undefined ? undefined : redactTokens(theirsCreq),
      canonicalRequestFromBytes:
        server.canonicalRequestFromBytes === undefined ? undefined : redactTokens(server.canonicalRequestFromBytes),
      message: server.message === undefined ? undefined : redactTokens(server.message),
    },
    ...(reconstruction === undefined ? {} : { reconstruction }),
    ...(serverCheck === undefined ? {} : { serverCheck }),
  };
}

/** A header's value in the signed request as given, values joined with ','. */
function sentValue(request: SignedRequestInput, name: string): string | undefined {
  const headers = request.headers;
  if (headers === undefined) return undefined;
  const values: string[] = [];
  const entries: Iterable<readonly [string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [n, v] of entries)
    if (n.toLowerCase() === name) values.push(...(Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]));
  return values.length === 0 ? undefined : values.join(',');
}

const STEP_OF_PART: Record<BehaviourPart, TraceStepId> = {
  path: 'canonical-uri',
  query: 'canonical-query',
  headers: 'canonical-headers',
  payload: 'payload-hash',
  scope: 'credential-scope',
  time: 'signing-time',
};

// ---------------------------------------------------------------------------------------------
// Causes the message names outright.

function causesFromMessage(server: ServerSignatureReport, ours: DiagnoseInput): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  const message = server.message ?? '';
  const code = server.code ?? '';
  const weSentToken = /^x-amz-security-token:/m.test(ours.canonicalRequest) || /(^|&)X-Amz-Security-Token=/m.test(ours.canonicalRequest);

  if (/Signature expired:/.test(message) || code === 'RequestTimeTooSkewed' || /Signature not yet current:/.test(message)) {
    const serverTime = server.serverTime === undefined ? '' : ` (server time ${server.serverTime})`;
    causes.push(
      cause(
        'CLOCK_SKEW',
        'signing-time',
        `The signing time is more than 5 minutes from the server's clock${serverTime}: ${oneLine(message)}`,
        'Sync the clock (NTP), or sign with the time from the response Date header as the AWS SDKs do (systemClockOffset); sign right before sending.',
      ),
    );
  }
  if (/Request has expired/.test(message)) {
    causes.push(
      cause(
        'EXPIRED',
        'signing-time',
        `The presigned URL has expired: X-Amz-Date plus X-Amz-Expires is before the server's clock${server.serverTime === undefined ? '' : ` (${server.serverTime})`}.`,
        "Presign a new URL, with a longer expiresIn (at most 604800 s, and no longer than the credentials live), and check the signer's clock.",
      ),
    );
  }
  if (server.rejectedRegion !== undefined || (code === 'AuthorizationHeaderMalformed' && server.expectedRegion !== undefined)) {
    const expected = server.expectedRegion === undefined ? '' : `; the server expects '${server.expectedRegion}'`;
    causes.push(
      cause(
        'WRONG_REGION',
        'credential-scope',
        `The credential scope names region '${server.rejectedRegion ?? '?'}'${expected}.`,
        'Sign with the region of the endpoint you call (the region in its host name), not the default region.',
      ),
    );
  }
  if (server.expectedService !== undefined) {
    causes.push(
      cause(
        'WRONG_SERVICE',
        'credential-scope',
        `The credential scope names the wrong service; the server expects '${server.expectedService}'.`,
        `Sign with service '${server.expectedService}' (the signing name, which can differ from the host prefix).`,
      ),
    );
  }
  if (/security token included in the request is expired/i.test(message) || /^ExpiredToken/.test(code)) {
    causes.push(
      cause(
        'SESSION_TOKEN_EXPIRED',
        'credentials',
        'The temporary credentials have expired.',
        'Refresh the credentials (assume the role again, or let the credential provider refresh them) and sign again.',
      ),
    );
  } else if (
    /security token included in the request is invalid/i.test(message) ||
    code === 'InvalidToken' ||
    code === 'UnrecognizedClientException'
  ) {
    causes.push(
      weSentToken
        ? cause(
            'SESSION_TOKEN_INVALID',
            'credentials',
            'The server does not accept the session token (or the access key ID) we sent.',
            'Use the session token issued with this access key ID, unchanged and complete; check it is not from another partition or already revoked.',
          )
        : cause(
            'SESSION_TOKEN_MISSING',
            'credentials',
            'No session token was signed, and the server does not recognise the access key ID on its own: temporary credentials (ASIA…) need their session token.',
            'Pass sessionToken with the credentials (AWS_SESSION_TOKEN); if the key is long-term (AKIA…), check it is active and in this partition.',
          ),
    );
  }
  if (code === 'InvalidAccessKeyId' || /Access Key Id you provided does not exist/i.test(message)) {
    causes.push(
      cause(
        'UNKNOWN_ACCESS_KEY',
        'credentials',
        `The server does not know the access key ID${server.accessKeyId === undefined ? '' : ` '${server.accessKeyId}'`}.`,
        'Use an active access key ID of this account and partition; temporary keys (ASIA…) also need their session token.',
      ),
    );
  }
  if (server.headersNotSigned !== undefined || /headers present in the request which were not signed/i.test(message)) {
    const names = server.headersNotSigned?.join(', ') ?? 'some headers';
    causes.push(
      cause(
        'HEADER_NOT_SIGNED',
        'headers-to-sign',
        `The server requires these headers to be signed, but they were sent unsigned: ${names}.`,
        `Sign them: add ${names} to the request before signing (and to signableHeaders if they are unsignable by default).`,
      ),
    );
  }
  // S3 checks X-Amz-Content-Sha256 against the body before it looks at the signature.
  if (code === 'XAmzContentSHA256Mismatch') {
    causes.push(
      cause(
        'PAYLOAD_HASH',
        'payload-hash',
        'The x-amz-content-sha256 header does not match the body the server received: the body changed after it was hashed.',
        'Sign after the body is final and send exactly those bytes (no re-serialising, re-encoding or re-reading a stream); over HTTPS, UNSIGNED-PAYLOAD avoids hashing.',
      ),
    );
  }
  return causes;
}

// ---------------------------------------------------------------------------------------------
// Comparing the canonical requests part by part.

interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  headers: Map<string, string>;
  signedHeaders: string;
  payloadHash: string;
}

/** Splits a canonical request into its six parts; undefined when it does not have that shape. */
function canonicalParts(text: string): CanonicalParts | undefined {
  const lines = text.split('\n');
  if (lines.length < 6 || lines[lines.length - 3] !== '') return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(3, -3)) {
    const colon = line.indexOf(':');
    if (colon === -1) return undefined;
    headers.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return {
    method: lines[0]!,
    uri: lines[1]!,
    query: lines[2]!,
    headers,
    signedHeaders: lines[lines.length - 2]!,
    payloadHash: lines[lines.length - 1]!,
  };
}

function compareCanonicalRequests(oursText: string, theirsText: string): DiagnosisCause[] {
  const ours = canonicalParts(oursText);
  const theirs = canonicalParts(theirsText);
  if (!ours || !theirs) {
    return [
      cause(
        'UNKNOWN',
        'canonical-request',
        'The canonical requests differ, and one of them does not have the six-part shape of a canonical request.',
        'Compare the two line by line (see lineDiff).',
      ),
    ];
  }
  const causes: DiagnosisCause[] = [];
  if (ours.method !== theirs.method) {
    causes.push(
      cause(
        'METHOD_CHANGED',
        'canonical-request',
        `We signed method ${ours.method}, the server received ${theirs.method}.`,
        'Sign the method you send, exactly (upper case); a redirect may have changed it.',
      ),
    );
  }
  if (ours.uri !== theirs.uri) causes.push(comparePaths(ours.uri, theirs.uri));
  if (ours.query !== theirs.query) causes.push(compareQueries(ours.query, theirs.query));
  causes.push(...compareHeaders(ours.headers, theirs.headers));
  if (
    ours.signedHeaders !== theirs.signedHeaders &&
    !causes.some((c) => c.step === 'canonical-headers' || c.step === 'signed-headers' || c.code === 'SESSION_TOKEN_MISSING')
  ) {
    causes.push(
      cause(
        'HEADER_NOT_SIGNED',
        'signed-headers',
        `We listed SignedHeaders '${ours.signedHeaders}', the server '${theirs.signedHeaders}'.`,
        'List each signed header once, lower case, sorted, joined with ";".',
      ),
    );
  }
  if (ours.payloadHash !== theirs.payloadHash) causes.push(comparePayloadHashes(ours.payloadHash, theirs.payloadHash));
  return causes;
}

function comparePaths(ours: string, theirs: string): DiagnosisCause {
  const plainOurs = decodeFully(ours);
  const plainTheirs = decodeFully(theirs);
  if (plainOurs === plainTheirs) {
    const doubleOurs = count(ours, '%25');
    const doubleTheirs = count(theirs, '%25');
    if (doubleTheirs > doubleOurs) {
      return cause(
        'PATH_ENCODING',
        'canonical-uri',
        `The server encodes the path twice ('${theirs}'); we encoded it once ('${ours}').`,
        'Every service but S3 URI-encodes the already-encoded path again: sign with doubleEncode: true (the default).',
      );
    }
    if (doubleOurs > doubleTheirs) {
      return cause(
        'PATH_ENCODING',
        'canonical-uri',
        `The server encodes the path once ('${theirs}'); we encoded it twice ('${ours}').`,
        'S3 encodes the path exactly once: sign with doubleEncode: false and normalizePath: false.',
      );
    }
    return cause(
      'PATH_ENCODING',
      'canonical-uri',
      `The path is encoded differently: ours '${ours}', the server's '${theirs}'.`,
      'Encode every byte of the path except A-Z a-z 0-9 - _ . ~ and /, as %XY with upper-case hex, and send the path exactly as signed.',
    );
  }
  if (removeDotSegments(plainOurs) === removeDotSegments(plainTheirs)) {
    return removeDotSegments(theirs) === theirs
      ? cause(
          'PATH_NOT_NORMALIZED',
          'canonical-uri',
          `The server resolves '.', '..' and '//' in the path ('${theirs}'); we signed it as written ('${ours}').`,
          'Sign with normalizePath: true (the default for every service but S3), or send the normalised path.',
        )
      : cause(
          'PATH_NOT_NORMALIZED',
          'canonical-uri',
          `The server signs the path as written ('${theirs}'); we normalised it ('${ours}').`,
          'S3 keeps ., .. and // in keys: sign with normalizePath: false and doubleEncode: false.',
        );
  }
  return cause(
    'PATH_CHANGED',
    'canonical-uri',
    `The server received another path: we signed '${ours}', it saw '${theirs}'.`,
    'Sign the exact path you send: a proxy, a base path or an API stage prefix may have rewritten it.',
  );
}

function compareQueries(ours: string, theirs: string): DiagnosisCause {
  const oursPairs = ours === '' ? [] : ours.split('&');
  const theirsPairs = theirs === '' ? [] : theirs.split('&');
  if (sameMultiset(oursPairs, theirsPairs)) {
    return cause(
      'QUERY_ORDER',
      'canonical-query',
      `The query parameters are the same but in another order: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
      'Sort the parameters by encoded name, then by encoded value (byte order, after encoding, not before).',
    );
  }
  const loose = (pairs: string[]) => pairs.map((p) => decodeFully(p.replace(/\+/g, ' ')).replace(/\+/g, ' '));
  if (sameMultiset(loose(oursPairs), loose(theirsPairs))) {
    return cause(
      'QUERY_ENCODING',
      'canonical-query',
      `The query is encoded differently: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
      'Encode names and values as RFC 3986 (space is %20 and + is %2B, never form encoding), every reserved character as %XY, exactly once.',
    );
  }
  return cause(
    'QUERY_CHANGED',
    'canonical-query',
    `The server received other query parameters: ours '${redactTokens(ours)}', the server's '${redactTokens(theirs)}'.`,
    'Sign the query you send, every parameter, including empty ones (a=); a client or proxy may have added or dropped one.',
  );
}

function compareHeaders(ours: Map<string, string>, theirs: Map<string, string>): DiagnosisCause[] {
  const causes: DiagnosisCause[] = [];
  const names = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  for (const name of names) {
    const mine = ours.get(name);
    const seen = theirs.get(name);
    if (mine === seen) continue;
    if (mine === undefined) {
      causes.push(
        name === 'x-amz-security-token'
          ? cause(
              'SESSION_TOKEN_MISSING',
              'credentials',
              'The server signs a session token (x-amz-security-token) and we signed none.',
              'Pass sessionToken with temporary credentials (AWS_SESSION_TOKEN), and keep signSessionToken on.',
            )
          : cause(
              'HEADER_NOT_SIGNED',
              'headers-to-sign',
              `The server signs '${name}' but we left it unsigned.`,
              `Sign '${name}': remove it from unsignableHeaders (or add it to signableHeaders), and sign after it is set.`,
            ),
      );
    } else if (seen === undefined) {
      causes.push(
        cause(
          'HEADER_REMOVED',
          'canonical-headers',
          `We signed '${name}', but the server's canonical request has no such header: it was removed on the way, or the server does not sign it.`,
          `Leave '${name}' unsigned (unsignableHeaders), or make sure it reaches the server unchanged.`,
        ),
      );
    } else if (collapse(mine) === collapse(seen)) {
      causes.push(
        cause(
          'HEADER_VALUE_WHITESPACE',
          'canonical-headers',
          `The value of '${name}' differs only in white space: ours ${JSON.stringify(shown(name, mine))}, the server's ${JSON.stringify(shown(name, seen))}.`,
          'Trim each header value and collapse inner runs of white space to one space before signing (the signer does this; check hand-built canonical requests).',
        ),
      );
    } else if (name === 'x-amz-date') {
      causes.push(
        cause(
          'CLOCK_SKEW',
          'signing-time',
          `We signed X-Amz-Date ${mine}, the server received ${seen}.`,
          'Sign and send the same X-Amz-Date; do not add a second date or re-sign with another clock.',
        ),
      );
    } else if (name === 'x-amz-security-token') {
      causes.push(
        cause(
          'SESSION_TOKEN_INVALID',
          'credentials',
          'The session token the server received differs from the one we signed.',
          'Send the session token exactly as signed, from the same credentials as the access key ID.',
        ),
      );
    } else {
      const why =
        name === 'host' ? ' (a proxy, a load balancer or a non-default port rewrote Host)' : ' (a proxy or client library rewrote it)';
      causes.push(
        cause(
          'HEADER_VALUE_CHANGED',
          'canonical-headers',
          `The server received another value for '${name}'${why}: ours '${mine}', the server's '${seen}'.`,
          name === 'host'
            ? 'Sign the Host the server sees: the endpoint host name with its port when it is not 80/443, as the proxy forwards it.'
            : `Set '${name}' before signing and keep it unchanged on the way, or leave it unsigned.`,
        ),
      );
    }
  }
  return causes;
}

function comparePayloadHashes(ours: string, theirs: string): DiagnosisCause {
  let detail: string;
  if (theirs === UNSIGNED_PAYLOAD || ours === UNSIGNED_PAYLOAD)
    detail = `one side signs ${UNSIGNED_PAYLOAD} (x-amz-content-sha256), the other the body hash`;
  else if (theirs === EMPTY_BODY_SHA256) detail = 'the server hashed an empty body: the body was not sent';
  else if (ours === EMPTY_BODY_SHA256) detail = 'we signed an empty body, but a body was sent';
  else detail = 'the body the server received is not the one we hashed (re-serialised, re-encoded or compressed after signing)';
  return cause(
    'PAYLOAD_HASH',
    'payload-hash',
    `The payload hash differs: ${detail}.`,
    'Sign the exact bytes you send, after every transformation; or send x-amz-content-sha256 with the hash (or UNSIGNED-PAYLOAD where the service allows it).',
  );
}

// ---------------------------------------------------------------------------------------------
// Comparing the strings to sign.

function compareStringsToSign(oursText: string, theirsText: string, noCanonicalRequest: boolean): DiagnosisCause[] {
  const ours = oursText.split('\n');
  const theirs = theirsText.split('\n');
  const causes: DiagnosisCause[] = [];
  if (ours[1] !== theirs[1]) {
    causes.push(
      cause(
        'CLOCK_SKEW',
        'signing-time',
        `The signing time differs: ours ${ours[1] ?? '?'}, the server's ${theirs[1] ?? '?'}.`,
        'Sign and send one X-Amz-Date; sign right before sending.',
      ),
    );
  }
  const [oursDate, oursRegion, oursService] = (ours[2] ?? '').split('/');
  const [theirsDate, theirsRegion, theirsService] = (theirs[2] ?? '').split('/');
  if (oursDate !== theirsDate && ours[1] === theirs[1]) {
    causes.push(
      cause(
        'CLOCK_SKEW',
        'credential-scope',
        `The scope date differs: ours ${oursDate ?? '?'}, the server's ${theirsDate ?? '?'}.`,
        'The scope date must be the UTC date of X-Amz-Date.',
      ),
    );
  }
  if (oursRegion !== theirsRegion) {
    causes.push(
      cause(
        'WRONG_REGION',
        'credential-scope',
        `We signed for region '${oursRegion ?? ''}', the server expects '${theirsRegion ?? ''}'.`,
        'Sign with the region of the endpoint you call (the region in its host name), not the default region.',
      ),
    );
  }
  if (oursService !== theirsService) {
    causes.push(
      cause(
        'WRONG_SERVICE',
        'credential-scope',
        `We signed for service '${oursService ?? ''}', the server expects '${theirsService ?? ''}'.`,
        `Sign with service '${theirsService ?? ''}' (the signing name, which can differ from the host prefix).`,
      ),
    );
  }
  if (ours[3] !== theirs[3] && noCanonicalRequest) {
    causes.push(
      cause(
        'UNKNOWN',
        'canonical-request',
        'The canonical request hashes differ, and the server did not send its canonical request.',
        "Sign with trace: true and check the path encoding, query order, signed headers and payload hash against the service's rules.",
      ),
    );
  }
  return causes;
}

// ---------------------------------------------------------------------------------------------
// The line diff, with secrets out and white space visible.

function sectionDiff(label: string, ours: string, theirs: string | undefined, names = { ours: 'ours', theirs: 'server' }): string {
  if (theirs === undefined) return `(the server did not send its ${label})\n`;
  const mine = redactTokens(ours);
  const seen = redactTokens(theirs);
  if (mine === seen) return `${label}: identical (${mine.split('\n').length} lines)\n`;
  const lines = [`--- ${names.ours}: ${label}`, `+++ ${names.theirs}: ${label}`];
  for (const change of lineChanges(mine, seen)) {
    const prefix = change.added ? '+' : change.removed ? '-' : ' ';
    const body = change.value.endsWith('\n') ? change.value.slice(0, -1) : change.value;
    for (const line of body.split('\n')) lines.push(prefix + (prefix === ' ' ? line : visibleWhitespace(line)));
  }
  return lines.join('\n') + '\n';
}

// A changed line that differs only in a trailing space or a tab must show where.
function visibleWhitespace(line: string): string {
  return line.replace(/\t/g, '→').replace(/ +$/, (spaces) => '·'.repeat(spaces.length));
}

// ---------------------------------------------------------------------------------------------

function cause(code: DiagnosisCode, step: TraceStepId | undefined, message: string, fix: string): DiagnosisCause {
  return { code, message: redactTokens(message), fix, step };
}

function dedupe(causes: DiagnosisCause[]): DiagnosisCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    // One cause per code and step: the message-named cause wins over the diff-named one.
    const key = `${c.code}:${c.step === 'credential-scope' || c.step === 'signing-time' ? 'time-scope' : (c.step ?? '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function shown(name: string, value: string): string {
  return name === 'x-amz-security-token' ? `[redacted: session token, ${value.length} chars]` : value;
}

function collapse(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

// Percent-decodes until nothing changes (bounded: a path is encoded at most a few times).
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = uriDecodeText(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

function count(text: string, piece: string): number {
  return text.split(piece).length - 1;
}

function oneLine(text: string): string {
  const first = text.split('\n', 1)[0]!.trim();
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}
