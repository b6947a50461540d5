// An SDK client that sends an input event stream, signing with GlassboxSigner:
// @aws-sdk/client-transcribe-streaming StartStreamTranscription over HTTP/2 (the client's
// NodeHttp2Handler speaks h2c to an http:// endpoint) to the local verifying server, which checks
// the request's seed signature (Glassbox verify and @smithy/signature-v4, both signing :authority
// as HTTP/2 requests do) and recomputes every event's signature in the chain with SignatureV4.
import { randomBytes } from 'node:crypto';
import { StartStreamTranscriptionCommand, TranscribeStreamingClient } from '@aws-sdk/client-transcribe-streaming';
import type { MessageSigningArguments, SignableMessage, SignedMessage } from '@smithy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GlassboxSigner } from '../src/index.ts';
import { startVerifyingServer, type VerifyingServer } from './support/verifying-server.ts';

const credentials = { accessKeyId: 'AKIDTRANSCRIBE', secretAccessKey: 'transcribe-test-secret' };
const region = 'us-west-2';

const test = suite<{ server: VerifyingServer }>('Transcribe streaming with GlassboxSigner');
test.before(async (context) => {
  context.server = await startVerifyingServer({ keys: { [credentials.accessKeyId]: credentials.secretAccessKey }, region, http2: true });
});
test.after(async ({ server }) => server.close());
test.before.each(({ server }) => {
  server.seen.length = 0;
});

function client(server: VerifyingServer, signer: GlassboxSigner, secret = credentials.secretAccessKey): TranscribeStreamingClient {
  const creds = { accessKeyId: credentials.accessKeyId, secretAccessKey: secret };
  return new TranscribeStreamingClient({ region, endpoint: server.endpoint, credentials: creds, maxAttempts: 1, signer });
}

async function transcribe(c: TranscribeStreamingClient, chunks: Uint8Array[]): Promise<string[]> {
  async function* audio() {
    for (const chunk of chunks) yield { AudioEvent: { AudioChunk: chunk } };
  }
  const out = await c.send(
    new StartStreamTranscriptionCommand({ LanguageCode: 'en-US', MediaEncoding: 'pcm', MediaSampleRateHertz: 16000, AudioStream: audio() }),
  );
  const texts: string[] = [];
  for await (const event of out.TranscriptResultStream!)
    texts.push(event.TranscriptEvent?.Transcript?.Results?.[0]?.Alternatives?.[0]?.Transcript ?? '');
  return texts;
}

test('StartStreamTranscription: the seed and every audio event verify, and the server got the audio byte for byte', async ({ server }) => {
  const chunks = [randomBytes(3200), randomBytes(1), randomBytes(6400), randomBytes(0), randomBytes(999)];
  const c = client(server, new GlassboxSigner({ credentials, region, service: 'transcribe' }));
  const texts = await transcribe(c, chunks);
  const seen = server.seen[0]!;
  assert.equal(seen.problems, []);
  assert.ok(seen.glassbox?.ok, 'Glassbox verify accepts the seed signature');
  assert.match(seen.headers.authorization!, /SignedHeaders=:authority;/, 'an HTTP/2 request signs :authority, as SignatureV4 does');
  assert.is(seen.contentSha256, 'STREAMING-AWS4-HMAC-SHA256-EVENTS');
  const audio = (seen.events ?? []).filter((e) => e.headers[':event-type']?.value === 'AudioEvent');
  assert.equal(
    audio.map((e) => Buffer.from(e.body).toString('hex')),
    chunks.map((b) => b.toString('hex')),
  );
  assert.equal(texts, [`${chunks.length} audio events, ${chunks.reduce((n, b) => n + b.length, 0)} bytes, every signature verified`]);
  c.destroy();
});

test('a wrong secret is refused at the seed signature', async ({ server }) => {
  const wrong = { ...credentials, secretAccessKey: 'wrong' };
  const c = client(server, new GlassboxSigner({ credentials: wrong, region, service: 'transcribe' }), 'wrong');
  try {
    await transcribe(c, [randomBytes(10)]);
    assert.unreachable('a wrong secret must be refused');
  } catch (error) {
    assert.is((error as { name?: string }).name, 'SignatureDoesNotMatch');
  }
  assert.is(server.seen[0]!.glassbox?.ok, false);
  c.destroy();
});

// The server checks each event, not only the request: a signer whose event signatures break the
// chain (here: a signature from the wrong prior) is caught at that event.
class ChainBreakingSigner extends GlassboxSigner {
  private count = 0;
  override async signMessage(message: SignableMessage, options: MessageSigningArguments): Promise<SignedMessage> {
    return super.signMessage(this.count++ === 1 ? { ...message, priorSignature: '0'.repeat(64) } : message, options);
  }
}

test('an event signed on the wrong prior signature is caught, at that event', async ({ server }) => {
  const c = client(server, new ChainBreakingSigner({ credentials, region, service: 'transcribe' }));
  try {
    await transcribe(c, [randomBytes(10), randomBytes(10), randomBytes(10)]);
    assert.unreachable('a broken chain must be refused');
  } catch (error) {
    assert.is((error as { name?: string }).name, 'SignatureDoesNotMatch');
  }
  const problems = server.seen[0]!.problems;
  assert.ok(server.seen[0]!.glassbox?.ok, 'the seed signature is right');
  assert.ok(
    problems.some((p) => p.startsWith('event 1: smithy computes')),
    problems.join('\n'),
  );
  assert.not.ok(problems.some((p) => p.startsWith('event 0')));
  c.destroy();
});

test.run();
