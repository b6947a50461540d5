// Event-stream signing (sdk-event-signer.ts, through GlassboxSigner.signEvent/signMessage) against
// the AWS SDK's own pieces: the header encoding against @smithy/eventstream-codec's
// HeaderMarshaller, the signatures and their chain against @smithy/signature-v4's SignatureV4.
import { EventStreamCodec, HeaderMarshaller, Int64 } from '@smithy/eventstream-codec';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 as SmithySignatureV4 } from '@smithy/signature-v4';
import type { MessageHeaders } from '@smithy/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GlassboxSigner, SigV4Error } from '../src/index.ts';
import { eventHeaderBytes } from '../src/sdk-event-signer.ts';

const credentials = { accessKeyId: 'AKIDEVENTS', secretAccessKey: 'event-signer-test-secret' };
const init = { credentials, region: 'us-west-2', service: 'transcribe' };
const ours = new GlassboxSigner(init);
const theirs = new SmithySignatureV4({ ...init, sha256: Hash.bind(null, 'sha256') });
const fromUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const toUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const marshaller = new HeaderMarshaller(toUtf8, fromUtf8);

/** One header of every type the event-stream format has, with edge values. */
const EVERY_TYPE: MessageHeaders = {
  ':date': { type: 'timestamp', value: new Date('2026-11-29T05:00:00.123Z') },
  t: { type: 'boolean', value: true },
  f: { type: 'boolean', value: false },
  byte: { type: 'byte', value: -7 },
  short: { type: 'short', value: -32768 },
  integer: { type: 'integer', value: 2_147_483_647 },
  long: { type: 'long', value: Int64.fromNumber(-1_234_567_890_123) },
  binary: { type: 'binary', value: Uint8Array.of(0, 255, 1, 254) },
  string: { type: 'string', value: 'caf\u00e9 \u4e16' },
  uuid: { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' },
  'before-1970': { type: 'timestamp', value: new Date(-86_400_000) },
};

test('encodes event headers of every type byte for byte as @smithy/eventstream-codec does', () => {
  for (const [name, header] of Object.entries(EVERY_TYPE)) {
    assert.equal([...eventHeaderBytes({ [name]: header })], [...marshaller.format({ [name]: header })], name);
  }
  assert.equal([...eventHeaderBytes(EVERY_TYPE)], [...marshaller.format(EVERY_TYPE)], 'all in order');
  assert.equal([...eventHeaderBytes({})], []);
});

test('encodes :date as the format documents it: name length, name, type 8, 8-byte big-endian epoch milliseconds', () => {
  assert.equal(
    [...eventHeaderBytes({ ':date': { type: 'timestamp', value: new Date(0x0102030405) } })],
    [5, 0x3a, 0x64, 0x61, 0x74, 0x65, 8, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05],
  );
});

test('signMessage gives the signature SignatureV4.signMessage gives, chained over a stream of events', async () => {
  let ourPrior = 'f'.repeat(64); // the seed: the request's own signature
  let theirPrior = ourPrior;
  for (let i = 0; i < 4; i++) {
    const date = new Date(Date.UTC(2026, 10, 29, 5, 0, i));
    const body = i === 3 ? new Uint8Array(0) : fromUtf8(`audio chunk ${i}`); // the stream ends with an empty event
    const headers: MessageHeaders = { ':date': { type: 'timestamp', value: date } };
    const a = await ours.signMessage({ message: { headers, body }, priorSignature: ourPrior }, { signingDate: date });
    const b = await theirs.signMessage({ message: { headers, body }, priorSignature: theirPrior }, { signingDate: date });
    assert.is(a.signature, b.signature, `event ${i}`);
    assert.is(a.message.body, body);
    ourPrior = a.signature;
    theirPrior = b.signature;
  }
});

test('signMessage with headers of every type, eventStreamCredentials, signingRegion and signingService, as SignatureV4', async () => {
  const date = new Date('2026-11-29T05:00:00Z');
  const options = {
    signingDate: date,
    signingRegion: 'eu-west-1',
    signingService: 'bedrock',
    eventStreamCredentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' },
  };
  const message = { message: { headers: EVERY_TYPE, body: fromUtf8('{"x":1}') }, priorSignature: 'a'.repeat(64) };
  assert.is((await ours.signMessage(message, options)).signature, (await theirs.signMessage(message, options)).signature);
});

test('signEvent (pre-encoded headers) and sign() given an event or a message dispatch as SignatureV4.sign does', async () => {
  const date = 1_796_000_000; // epoch seconds, as SignatureV4 reads numbers
  const event = {
    headers: marshaller.format({ ':date': { type: 'timestamp', value: new Date(date * 1000) } }),
    payload: fromUtf8('payload'),
  };
  const expected = await theirs.sign(event, { signingDate: date, priorSignature: 'b'.repeat(64) });
  assert.is(await ours.signEvent(event, { signingDate: date, priorSignature: 'b'.repeat(64) }), expected);
  assert.is(await ours.sign(event, { signingDate: date, priorSignature: 'b'.repeat(64) }), expected);
  const message = { message: { headers: {}, body: fromUtf8('m') }, priorSignature: 'c'.repeat(64) };
  assert.is((await ours.sign(message, { signingDate: date })).signature, (await theirs.sign(message, { signingDate: date })).signature);
});

test('an event signed by GlassboxSigner and encoded by the SDK codec decodes with its :chunk-signature', async () => {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const date = new Date('2026-11-29T05:00:00Z');
  const inner = codec.encode({ headers: { ':event-type': { type: 'string', value: 'AudioEvent' } }, body: Uint8Array.of(1, 2, 3) });
  const { signature } = await ours.signMessage(
    { message: { headers: { ':date': { type: 'timestamp', value: date } }, body: inner }, priorSignature: '' },
    { signingDate: date },
  );
  const outer = codec.decode(
    codec.encode({
      headers: {
        ':date': { type: 'timestamp', value: date },
        ':chunk-signature': { type: 'binary', value: Buffer.from(signature, 'hex') },
      },
      body: inner,
    }),
  );
  assert.is(Buffer.from(outer.headers[':chunk-signature']!.value as Uint8Array).toString('hex'), signature);
  const again = await theirs.signMessage(
    { message: { headers: { ':date': outer.headers[':date']! }, body: outer.body }, priorSignature: '' },
    { signingDate: date },
  );
  assert.is(again.signature, signature, 'the receiver recomputes the same signature from the decoded message');
});

test('refuses an event header it cannot encode, with a code', () => {
  for (const headers of [
    { u: { type: 'uuid', value: 'not-a-uuid' } },
    { ['n'.repeat(256)]: { type: 'boolean', value: true } },
    { s: { type: 'string', value: 'x'.repeat(65536) } },
  ] as MessageHeaders[]) {
    try {
      eventHeaderBytes(headers);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, SigV4Error);
      assert.is((error as SigV4Error).code, 'INVALID_HEADER');
    }
  }
});

test.run();
