import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatTrace, signChunked } from '@glassbox/sigv4';

// docs/sigv4a-and-chunked.md shows the chunk trace of the S3 docs' example: it must be what the code prints.
test("the guide's chunk trace is the one the code prints for the S3 example", async () => {
  const guide = readFileSync(new URL('../../../docs/sigv4a-and-chunked.md', import.meta.url), 'utf8');
  const block = /```text\n([\s\S]*?)\n```/.exec(guide)?.[1];
  assert.ok(block, 'the guide has a text block');
  const result = await signChunked(
    {
      method: 'PUT',
      url: 'https://s3.amazonaws.com/examplebucket/chunkObject.txt',
      headers: { 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      body: new Uint8Array(66560).fill(0x61),
    },
    {
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      region: 'us-east-1',
      service: 's3',
      date: '20130524T000000Z',
      doubleEncode: false,
      normalizePath: false,
      decodedContentLength: 66560,
    },
  );
  for await (const _ of result.body) void _;
  const printed = formatTrace(result.chunkTrace())
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
  assert.is(block!.trimEnd(), printed);
});

test.run();
