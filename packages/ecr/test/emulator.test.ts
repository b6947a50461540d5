import { request as httpRequest } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sign } from '@glassbox/sigv4';
import { formatAwsTimestamp, startEcrEmulator, type EcrEmulator } from '../src/emulator.ts';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
const PUBLIC_TARGET = 'SpencerFrontendService.GetAuthorizationToken';
// 2025-02-03T04:01:31.500Z: twelve hours later is 1738598491.5 epoch seconds.
const FIXED_CLOCK = Date.UTC(2025, 1, 3, 4, 1, 31, 500);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends bytes as given, with node:http (no client library in between). */
function raw(url: string, headers: Record<string, string | string[]>, body: string, method = 'POST'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signedCall(
  emulator: EcrEmulator,
  options: {
    target?: string;
    service?: string;
    region?: string;
    secret?: string;
    date?: number;
    sessionToken?: string;
    body?: string;
  } = {},
) {
  const body = options.body ?? '{}';
  const signed = await sign(
    {
      method: 'POST',
      url: `${emulator.url}/`,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': options.target ?? ECR_TARGET },
      body,
    },
    {
      credentials: {
        accessKeyId: KEY.accessKeyId,
        secretAccessKey: options.secret ?? KEY.secretAccessKey,
        sessionToken: options.sessionToken,
      },
      region: options.region ?? 'us-east-1',
      service: options.service ?? 'ecr',
      date: new Date(options.date ?? FIXED_CLOCK),
    },
  );
  const response = await raw(`${emulator.url}/`, signed.request.headers, body);
  return { signed, response };
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.match(String((error as Error).message), pattern);
    return;
  }
  assert.unreachable('expected a rejection');
}

const it = suite<{ emulator: EcrEmulator }>('emulator');
it.before.each(async (context) => {
  context.emulator = await startEcrEmulator({
    credentials: [KEY],
    password: 'pass:word',
    clock: () => FIXED_CLOCK,
    accountId: '210987654321',
  });
});
it.after.each(async (context) => {
  await context.emulator.close();
});

it('answers GetAuthorizationToken exactly as AWS shapes it', async ({ emulator }) => {
  const { response } = await signedCall(emulator);
  assert.is(response.status, 200);
  assert.is(response.headers['content-type'], 'application/x-amz-json-1.1');
  assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.is(
    response.body,
    `{"authorizationData":[{"authorizationToken":"${Buffer.from('AWS:pass:word').toString('base64')}","expiresAt":1.7385984915E9,"proxyEndpoint":"https://210987654321.dkr.ecr.us-east-1.amazonaws.com"}]}`,
  );
  assert.is(emulator.served, 1);
});

it('ECR Public: a single authorizationData object, no proxyEndpoint, service ecr-public', async ({ emulator }) => {
  const { response } = await signedCall(emulator, { target: PUBLIC_TARGET, service: 'ecr-public' });
  assert.is(response.status, 200);
  assert.is(
    response.body,
    `{"authorizationData":{"authorizationToken":"${Buffer.from('AWS:pass:word').toString('base64')}","expiresAt":1.7385984915E9}}`,
  );
});

it('one token per registry ID, and InvalidParameterException for a malformed one', async ({ emulator }) => {
  const { response } = await signedCall(emulator, { body: '{"registryIds":["111111111111","222222222222"]}' });
  const data = JSON.parse(response.body).authorizationData as Array<{ proxyEndpoint: string }>;
  assert.equal(
    data.map((item) => item.proxyEndpoint),
    ['https://111111111111.dkr.ecr.us-east-1.amazonaws.com', 'https://222222222222.dkr.ecr.us-east-1.amazonaws.com'],
  );
  const bad = await signedCall(emulator, { body: '{"registryIds":["12"]}' });
  assert.is(bad.response.status, 400);
  assert.is(JSON.parse(bad.response.body).__type, 'InvalidParameterException');
});

it('the proxy endpoint follows the partition of the region the request is scoped to', async ({ emulator }) => {
  const { response } = await signedCall(emulator, { region: 'cn-north-1' });
  assert.match(response.body, '"proxyEndpoint":"https://210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn"');
});

it('a wrong secret gets InvalidSignatureException with the canonical string and string to sign, formatted as AWS does', async ({
  emulator,
}) => {
  const { signed, response } = await signedCall(emulator, { secret: 'not-the-secret-at-all' });
  assert.is(response.status, 400);
  const error = JSON.parse(response.body) as { __type: string; message: string };
  assert.is(error.__type, 'InvalidSignatureException');
  // The canonical request does not depend on the secret, so the signer's own equals what the server expected.
  assert.ok(
    error.message.endsWith(
      `\n\nThe Canonical String for this request should have been\n'${signed.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${signed.stringToSign}'\n`,
    ),
  );
  assert.ok(error.message.startsWith('The request signature we calculated does not match the signature you provided.'));
  assert.not.match(response.body, 'not-the-secret-at-all');
});

it('maps each authentication failure to its AWS error', async ({ emulator }) => {
  await emulator.close();
  const keys = [
    KEY,
    { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret-temp-secret', sessionToken: 'the-session-token-value' },
    { accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret-expired', expired: true },
    { accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret-denied', denied: true, arn: 'arn:aws:iam::210987654321:user/ci' },
  ];
  const emu = await startEcrEmulator({ credentials: keys, clock: () => FIXED_CLOCK });
  try {
    const call = async (
      credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
      extra: { service?: string } = {},
    ) => {
      const signed = await sign(
        {
          method: 'POST',
          url: `${emu.url}/`,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': ECR_TARGET },
          body: '{}',
        },
        { credentials, region: 'us-east-1', service: extra.service ?? 'ecr', date: new Date(FIXED_CLOCK) },
      );
      const response = await raw(`${emu.url}/`, signed.request.headers, '{}');
      return { status: response.status, ...(JSON.parse(response.body) as { __type: string; message: string }) };
    };
    const unknown = await call({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x'.repeat(20) });
    assert.equal(
      [unknown.status, unknown.__type, unknown.message],
      [400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
    );
    const noToken = await call({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret-temp-secret' });
    assert.is(noToken.__type, 'UnrecognizedClientException');
    const withToken = await call({
      accessKeyId: 'ASIATEMP',
      secretAccessKey: 'temp-secret-temp-secret',
      sessionToken: 'the-session-token-value',
    });
    assert.is(withToken.status, 200);
    const expired = await call({ accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'expired-secret-expired' });
    assert.equal([expired.__type, expired.message], ['ExpiredTokenException', 'The security token included in the request is expired']);
    const denied = await call({ accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret-denied' });
    assert.is(denied.__type, 'AccessDeniedException');
    assert.match(
      denied.message,
      'User: arn:aws:iam::210987654321:user/ci is not authorized to perform: ecr:GetAuthorizationToken on resource: *',
    );
    const wrongService = await call(KEY, { service: 'ecr-public' });
    assert.equal(
      [wrongService.__type, wrongService.message],
      ['InvalidSignatureException', "Credential should be scoped to correct service: 'ecr'."],
    );
    const unsigned = await raw(`${emu.url}/`, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': ECR_TARGET }, '{}');
    assert.equal(JSON.parse(unsigned.body), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    const unknownTarget = await raw(`${emu.url}/`, { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DeleteRepository' }, '{}');
    assert.is(JSON.parse(unknownTarget.body).__type, 'UnknownOperationException');
  } finally {
    await emu.close();
  }
});

it('a request signed more than 5 minutes off says "Signature expired" and sends its Date', async ({ emulator }) => {
  const { response } = await signedCall(emulator, { date: FIXED_CLOCK - 10 * 60_000 });
  const error = JSON.parse(response.body) as { __type: string; message: string };
  assert.is(error.__type, 'InvalidSignatureException');
  assert.is(error.message, 'Signature expired: 20250203T035131Z is now earlier than 20250203T035631Z (20250203T040131Z - 5 min.)');
  assert.is(response.headers['date'], new Date(FIXED_CLOCK).toUTCString());
});

it('a skewed clock shows in the Date header, in expiresAt, and in what it accepts', async ({ emulator }) => {
  emulator.setFaults({ clockSkewSeconds: 3600 });
  const late = await signedCall(emulator);
  assert.is(late.response.status, 400);
  assert.is(late.response.headers['date'], new Date(FIXED_CLOCK + 3_600_000).toUTCString());
  const onTime = await signedCall(emulator, { date: FIXED_CLOCK + 3_600_000 });
  assert.is(onTime.response.status, 200);
  assert.match(onTime.response.body, '"expiresAt":1.7386020915E9');
});

it('injects throttling, server errors and dropped connections, counting every call', async ({ emulator }) => {
  emulator.setFaults({ dropFirst: 1, failFirst: 1, failStatus: 503, throttleFirst: 1 });
  await rejects(signedCall(emulator), /socket hang up|ECONNRESET|other side closed/);
  const failed = await signedCall(emulator);
  assert.equal([failed.response.status, JSON.parse(failed.response.body).__type], [503, 'ServerException']);
  const throttled = await signedCall(emulator);
  assert.equal(
    [throttled.response.status, JSON.parse(throttled.response.body)],
    [400, { __type: 'ThrottlingException', message: 'Rate exceeded' }],
  );
  const ok = await signedCall(emulator);
  assert.is(ok.response.status, 200);
  assert.equal(
    emulator.calls.map((call) => call.outcome),
    ['dropped', 'ServerException', 'ThrottlingException', 'ok'],
  );
  assert.equal(
    emulator.calls.map((call) => call.status),
    [0, 503, 400, 200],
  );
  assert.is(emulator.served, 1);
  emulator.resetCalls();
  assert.is(emulator.calls.length, 0);
});

it('delays answers, and closes promptly with a request still waiting', async ({ emulator }) => {
  emulator.setFaults({ delayMs: 150 });
  const started = Date.now();
  const { response } = await signedCall(emulator);
  assert.is(response.status, 200);
  assert.ok(Date.now() - started >= 140);
  emulator.setFaults({ delayMs: 60_000 });
  const pending = signedCall(emulator).catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = Date.now();
  await emulator.close();
  assert.ok(Date.now() - closing < 1000);
  assert.instance(await pending, Error);
});

it('a random password by default, fresh per call', async ({ emulator }) => {
  await emulator.close();
  const emu = await startEcrEmulator({ credentials: [KEY], clock: () => FIXED_CLOCK });
  try {
    const tokens = [];
    for (let i = 0; i < 2; i++) {
      const { response } = await signedCall(emu);
      tokens.push(JSON.parse(response.body).authorizationData[0].authorizationToken as string);
    }
    assert.is.not(tokens[0], tokens[1]);
    assert.ok(
      Buffer.from(tokens[0] as string, 'base64')
        .toString()
        .startsWith('AWS:'),
    );
  } finally {
    await emu.close();
  }
});

it('formats timestamps as Java doubles, the way AWS writes expiresAt', () => {
  assert.is(formatAwsTimestamp(1738598491.5), '1.7385984915E9');
  assert.is(formatAwsTimestamp(1688712875), '1.688712875E9');
  assert.is(formatAwsTimestamp(1688712875.123), '1.688712875123E9');
});

it('rejects unusable options with EcrError', async () => {
  await rejects(startEcrEmulator({ credentials: [{ accessKeyId: '', secretAccessKey: 'x' }] }), /non-empty/);
  await rejects(startEcrEmulator({} as never), /credentials/);
  await rejects(startEcrEmulator({ credentials: [KEY], accountId: '42' }), /12 digits/);
  await rejects(startEcrEmulator({ credentials: [KEY], faults: { throttleFirst: -1 } }), /throttleFirst/);
  await rejects(startEcrEmulator({ credentials: [KEY], faults: { failStatus: 404 } }), /5xx/);
});

it.run();
