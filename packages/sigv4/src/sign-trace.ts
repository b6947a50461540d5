import { headersToSign, type HeaderEntry } from './canonical-headers.ts';
import type { SignatureSteps } from './signing-steps.ts';
import type { Prepared } from './signing-input.ts';
import { signingKeyChain } from './signing-key.ts';
import { toHex } from './text.ts';
import { redact } from './redaction.ts';
import type { TraceStep } from './trace.ts';

/**
 * The trace of one signature: the values {@link computeSignature} produced, each with a sentence
 * saying what the step does. The session token is redacted everywhere; the secret never enters.
 */
export function signTrace(
  input: Prepared,
  steps: SignatureSteps,
  final: { authorization?: string; finalHeaders?: readonly HeaderEntry[]; url?: string },
): TraceStep[] {
  const hide = (text: string): string => redact(text, [input.credentials.sessionToken], 'session token');
  const trace: TraceStep[] = [
    {
      id: 'credentials',
      title: 'Credentials',
      explanation: 'Who signs: the access key ID is sent in the clear; the secret only ever feeds the key derivation.',
      inputs: {
        accessKeyId: input.credentials.accessKeyId,
        sessionToken: input.credentials.sessionToken === undefined ? 'none' : hide(input.credentials.sessionToken),
      },
      output: input.credentials.accessKeyId,
    },
    {
      id: 'signing-time',
      title: 'Signing time',
      explanation: 'The request time in ISO 8601 basic format; the service rejects signatures more than 5 minutes off its clock.',
      inputs: {
        source: input.parts.headers.some(([n]) => n.toLowerCase() === 'x-amz-date')
          ? "the request's X-Amz-Date header"
          : 'the date option, else the clock',
      },
      output: input.time.amzDate,
    },
    {
      id: 'headers-to-sign',
      title: 'Headers to sign',
      explanation: 'Every header is signed except those proxies and HTTP stacks may change in transit.',
      // Worked out here, not while signing: only the trace needs the reasons.
      inputs: Object.fromEntries(headersToSign(input.headers, input.headerRules).decisions.map((d) => [d.name, d.reason])),
      output: steps.signedHeaders,
    },
    {
      id: 'canonical-uri',
      title: 'Canonical URI',
      explanation:
        input.normalizePath || input.doubleEncode
          ? 'The path with . and .. resolved and // collapsed, then URI-encoded as written (so existing %XX is encoded again): the rule for every service except S3.'
          : 'The path as sent, URI-encoded once and not normalised: the S3 rule, because object keys may contain //, . and %.',
      inputs: { path: input.path, normalizePath: String(input.normalizePath), doubleEncode: String(input.doubleEncode) },
      output: steps.canonicalUri,
    },
    {
      id: 'canonical-query',
      title: 'Canonical query string',
      explanation: 'Each parameter URI-encoded, then sorted by encoded name and value, joined with &.',
      inputs: { query: hide(input.parts.query === '' ? '(none)' : input.parts.query) },
      output: hide(steps.canonicalQueryString === '' ? '(empty line)' : steps.canonicalQueryString),
    },
    {
      id: 'canonical-headers',
      title: 'Canonical headers',
      explanation:
        'Signed headers as name:value lines: names lower-cased, values trimmed with inner spaces collapsed, repeats joined with commas, sorted by name.',
      inputs: {},
      output: hide(steps.canonicalHeaders.replace(/\n$/, '')),
    },
    {
      id: 'signed-headers',
      title: 'Signed headers',
      explanation: 'The names of the signed headers, joined with ; so the service knows which headers to include.',
      inputs: {},
      output: steps.signedHeaders,
    },
    {
      id: 'payload-hash',
      title: 'Payload hash',
      explanation: 'Hex SHA-256 of the body (UNSIGNED-PAYLOAD when the body is deliberately left out).',
      inputs: {},
      output: input.payloadHash,
    },
    {
      id: 'canonical-request',
      title: 'Canonical request (step 1)',
      explanation:
        'Method, canonical URI, query, headers, signed headers and payload hash, one per line: the request as one unambiguous string.',
      inputs: {},
      output: hide(steps.canonicalRequest),
    },
    {
      id: 'canonical-request-hash',
      title: 'Hash of the canonical request (step 2)',
      explanation: 'Hex SHA-256 of the canonical request; only this hash enters the string to sign.',
      inputs: {},
      output: steps.canonicalRequestHash,
    },
    {
      id: 'credential-scope',
      title: 'Credential scope',
      explanation: 'Date, region and service: the signature is valid for this day, region and service only.',
      inputs: { date: input.time.dateStamp, region: input.region, service: input.service },
      output: steps.credentialScope,
    },
    {
      id: 'string-to-sign',
      title: 'String to sign (step 3)',
      explanation: 'Algorithm, time, scope and the canonical request hash: the short string that is actually signed.',
      inputs: {},
      output: steps.stringToSign,
    },
    signingKeyStep(input, steps),
    {
      id: 'signature',
      title: 'Signature (step 4b)',
      explanation: 'Hex HMAC-SHA256 of the string to sign under the signing key.',
      inputs: {},
      output: steps.signature,
    },
  ];
  if (final.authorization !== undefined) {
    trace.push({
      id: 'authorization',
      title: 'Authorization header (step 5)',
      explanation: 'Algorithm, credential (key ID and scope), signed headers and signature: what the service needs to recompute it all.',
      inputs: {},
      output: final.authorization,
    });
  }
  if (final.url !== undefined) {
    trace.push({
      id: 'presigned-url',
      title: 'Presigned URL (step 5)',
      explanation: 'The X-Amz-* parameters and the signature travel in the query string instead of headers.',
      inputs: {},
      output: hide(final.url),
    });
  }
  if (final.finalHeaders !== undefined) {
    trace.push({
      id: 'signed-request',
      title: 'Signed request headers',
      explanation: 'The headers to send; signing added Host, X-Amz-Date, the token and Authorization where they were missing.',
      inputs: {},
      output: hide(final.finalHeaders.map(([n, v]) => `${n}: ${v}`).join('\n')),
    });
  }
  return trace;
}

function signingKeyStep(input: Prepared, steps: SignatureSteps): TraceStep {
  const base = {
    id: 'signing-key' as const,
    title: 'Signing key (step 4a)',
    explanation: 'HMAC chain kDate = HMAC("AWS4" + secret, date) → kRegion → kService → kSigning = HMAC(kService, "aws4_request").',
  };
  if (!input.revealSigningKey) {
    return {
      ...base,
      inputs: { date: input.time.dateStamp, region: input.region, service: input.service },
      output: '[hidden: pass revealSigningKey to show it]',
    };
  }
  const chain = signingKeyChain(input.credentials.secretAccessKey, input.time.dateStamp, input.region, input.service, input.hash);
  return { ...base, inputs: { kDate: chain.kDate, kRegion: chain.kRegion, kService: chain.kService }, output: toHex(steps.signingKey) };
}
