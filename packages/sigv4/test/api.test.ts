// The public surface of @glassbox/sigv4, committed: adding, renaming or removing an export fails this
// test until the list below changes with it, so every API change is a deliberate, reviewed edit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const EXPORTS = [
  'ALGORITHM',
  'ALGORITHM_V4A',
  'ChunkTraceRecorder',
  'DEFAULT_CHUNK_SIZE',
  'EMPTY_BODY_SHA256',
  'GlassboxSigner',
  'MAX_PRESIGN_SECONDS',
  'REGION_SET_HEADER',
  'STREAMING_PAYLOAD',
  'STREAMING_SIGNED_PAYLOAD',
  'STREAMING_SIGNED_PAYLOAD_TRAILER',
  'STREAMING_UNSIGNED_PAYLOAD_TRAILER',
  'SigV4Error',
  'SignatureV4',
  'SigningKeyCache',
  'UNSIGNABLE_HEADERS',
  'UNSIGNED_PAYLOAD',
  'authorizationHeader',
  'readAuthorizationHeader', // step 5 read back: verify, SigV4a verify, the diagnosis and the CLI read it through it
  'awsChunkedLength',
  'byteChunks',
  'canonicalHeaderEntries',
  'canonicalHeaderValue',
  'canonicalHeaders',
  'canonicalQueryString',
  'canonicalRequest',
  'canonicalRequestSteps',
  'canonicalTrailers',
  'canonicalUri',
  'chunkSignature',
  'chunkStringToSign',
  'clearV4aKeyCache',
  'computeSignature',
  'crc32',
  'credentialScope',
  'credentialScopeV4a',
  'decodeAwsChunked',
  'defaultSigningKeyCache',
  'deriveSigningKey',
  'deriveV4aPrivateKey',
  'diagnose',
  'ecdsaSignature',
  'ecdsaVerify',
  'encodeAwsChunked',
  'formatTrace',
  'headersToSign',
  'keyPairFromScalar',
  'nodeSha256',
  'parseHttpRequest',
  'payloadHash',
  'presign',
  'presignV4a',
  'queryParameters',
  'redact',
  'regionSetIncludes',
  'regionSetValue',
  'removeDotSegments',
  'runningChecksum',
  'serializeHttpRequest',
  'sha256FromConstructor',
  'sign',
  'signChunked',
  'signV4a',
  'signature',
  'signedHeaders',
  'stringToSign',
  'stringToSignV4a',
  'toAmzDate',
  'trailerStringToSign',
  'uriEncode',
  'uriEncodeOnce',
  'v4aKeyPair',
  'verify',
  'verifyChunked',
  'verifyV4a',
  // The diff issue: what another client signed, and the server's own text checked.
  'canonicalByRules',
  'checkServerText',
  'expectedSignature',
  'readServerError',
  'reconstruct',
  // The one redaction (redaction.ts).
  'REDACTED',
  'MIN_SECRET_LENGTH',
  'redactSecrets',
  'redactCredentialShapes',
  'redactDeep',
  'redactHeaderValue',
  'rememberSecret',
  'forgetSecrets',
];

test('exports exactly the committed names', async () => {
  const actual = Object.keys(await import('@glassbox/sigv4')).sort();
  assert.equal(actual, [...EXPORTS].sort());
});

test('exports the names issue 2 §3b promises to other packages and outside checks', async () => {
  const api = await import('@glassbox/sigv4');
  for (const name of [
    'sign',
    'presign',
    'verify',
    'diagnose',
    'formatTrace',
    'parseHttpRequest',
    'serializeHttpRequest',
    'SigV4Error',
  ] as const) {
    assert.type(api[name], 'function', name);
  }
  // The step functions, in the specification's order.
  for (const name of [
    'canonicalUri',
    'canonicalQueryString',
    'canonicalHeaders',
    'signedHeaders',
    'payloadHash',
    'canonicalRequest',
    'credentialScope',
    'stringToSign',
    'deriveSigningKey',
    'signature',
    'authorizationHeader',
  ] as const) {
    assert.type(api[name], 'function', name);
  }
});

test.run();
