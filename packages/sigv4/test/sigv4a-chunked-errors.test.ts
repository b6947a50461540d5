import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeAwsChunked, presignV4a, signChunked, signV4a, SigV4Error, verifyChunked, verifyV4a } from '@glassbox/sigv4';

// Bad input to the SigV4a and aws-chunked entry points is reported as a SigV4Error with a code,
// never as a raw TypeError or a string.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const request = { method: 'GET', url: 'https://example.amazonaws.com/' };
const junk = fc.oneof(
  fc.anything(),
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(NaN),
  fc.constant(-1),
  fc.constant('*'),
  fc.constant([]),
);

async function onlySigV4Error(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SigV4Error)) throw new Error(`escaped: ${String(error)}`);
  }
}

test('one junk option in an otherwise good call raises only SigV4Error', async () => {
  const good = { credentials, regionSet: 'us-east-1', service: 'service', date: '20150830T123600Z' };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('credentials', 'regionSet', 'service', 'date', 'privateKey', 'expiresIn', 'trace', 'sha256'),
      junk,
      async (field, value) => {
        const options = { ...good, [field]: value } as never;
        await onlySigV4Error(() => signV4a(request, options));
        await onlySigV4Error(() => presignV4a(request, options));
      },
    ),
    { numRuns: 150 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('now', 'maxSkewSeconds', 'region', 'service', 'doubleEncode', 'normalizePath', 'sha256'),
      junk,
      async (field, value) => {
        const { request: signed } = await signV4a(request, good);
        await onlySigV4Error(() => verifyV4a(signed, { credentials: () => credentials.secretAccessKey, [field]: value } as never));
      },
    ),
    { numRuns: 100 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('decodedContentLength', 'mode', 'chunkSize', 'checksum', 'region', 'credentials'),
      junk,
      async (field, value) => {
        const options = { credentials, region: 'us-east-1', service: 's3', decodedContentLength: 3, [field]: value } as never;
        await onlySigV4Error(async () => {
          const { body } = await signChunked({ ...request, method: 'PUT', body: 'abc' }, options);
          for await (const _ of body) void _;
        });
      },
    ),
    { numRuns: 100 },
  );
});

test('junk requests and bodies raise only SigV4Error', async () => {
  await fc.assert(
    fc.asyncProperty(junk, junk, async (req, body) => {
      await onlySigV4Error(() => signV4a(req as never, { credentials, regionSet: '*', service: 's3' }));
      await onlySigV4Error(() => verifyV4a(req as never, { credentials: () => undefined }));
      await onlySigV4Error(async () => {
        for await (const _ of decodeAwsChunked(body as never, { mode: 'unsigned-trailer' })) void _;
      });
      await onlySigV4Error(() => verifyChunked(req as never, { credentials: () => 'secret' }));
    }),
    { numRuns: 150 },
  );
});

test('a wrong regionSet type names the option', async () => {
  try {
    await signV4a(request, { credentials, regionSet: 42 as never, service: 's3' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, SigV4Error);
    assert.is((error as SigV4Error).code, 'INVALID_REGION');
    assert.match((error as Error).message, 'regionSet');
  }
});

test.run();
