import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { deriveSigningKey, formatTrace, nodeSha256, redact, type TraceStep } from '@glassbox/sigv4';
import type { CommandContext } from '../command-context.ts';
import { EXAMPLE_CREDENTIALS } from '../example-credentials.ts';

/**
 * The demo's key pair: the example keys from the AWS documentation, accepted only by the local
 * emulator. They are not secrets, which is why the demo may show the derived signing key.
 */
const DEMO_CREDENTIALS = EXAMPLE_CREDENTIALS;
const DEMO_ACCOUNT = '123456789012';
const DEMO_REGION = 'us-east-1';

/** The guide's step (docs/sigv4-step-by-step.md, after AWS's own numbering) that each trace entry belongs to. */
const GUIDE_STEP: Readonly<Record<string, string>> = {
  'canonical-uri': '1',
  'canonical-query': '1',
  'canonical-headers': '1',
  'signed-headers': '1',
  'payload-hash': '1',
  'canonical-request': '1',
  'canonical-request-hash': '2',
  'credential-scope': '3',
  'string-to-sign': '3',
  signature: '4',
  authorization: '5',
};

/**
 * The trace with the guide's numbering: "Step 1 · Canonical URI" where the trace alone counts " 1." and tags
 * "(step 1)", so a reader goes from the demo to the guide by one number.
 */
function guideSteps(steps: readonly TraceStep[], color: boolean): string {
  return steps
    .map((step) =>
      formatTrace([step], { color }).replace(
        /^(\x1b\[[0-9;]*m)? 1\. (.*?)(?: \(step [0-9a-z]+\))?(\x1b\[[0-9;]*m)?$/m,
        (_line, open = '', title: string, close = '') => `${open}Step ${GUIDE_STEP[step.id] ?? '?'} · ${title}${close}`,
      ),
    )
    .join('\n');
}

/**
 * `glassbox demo`: the whole ECR login story, offline — a local ECR emulator, example credentials,
 * every signing step, the HTTP exchange, the token, and the Docker config it becomes.
 *
 * @example
 * ```sh
 * glassbox demo
 * ```
 */
export function registerDemo(program: Command, ctx: CommandContext): Command {
  return program
    .command('demo')
    .summary('the whole ECR login story, offline: sign, call a local ECR emulator, write a Docker config')
    .description(
      'Runs entirely on this machine: starts the local ECR emulator on 127.0.0.1, signs GetAuthorizationToken ' +
        'with example credentials, and shows each step, the HTTP exchange, the token and the config.json it becomes.',
    )
    .addHelpText('after', '\nExample:\n  $ glassbox demo')
    .action(async () => runDemo(ctx));
}

async function runDemo(ctx: CommandContext): Promise<void> {
  const { getAuthorizationToken, closeConnections } = await import('@glassbox/ecr');
  const { startEcrEmulator } = await import('@glassbox/ecr/emulator');
  const { setAuth } = await import('@glassbox/docker-config');
  const out = ctx.output;
  const c = out.color;
  // Sections have titles, not numbers: the one numbering is the guide's "Step N" (see guideSteps).
  const section = (_n: number, title: string, text: string): void => {
    out.out(`\n${c.bold(c.cyan(`── ${title} `.padEnd(78, '─')))}\n${text.replace(/\n?$/, '\n')}`);
  };
  const indent = (text: string): string =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');

  out.out(
    `${c.bold('Glassbox demo')}: how IAM credentials become a Docker registry password.\n` +
      `Everything runs here, offline: a local Amazon ECR emulator on 127.0.0.1 plays AWS, and the example keys\n` +
      `from the AWS documentation play your credentials. Nothing is sent to AWS.\n` +
      `"Step N" is the step of AWS's signing guide, as docs/sigv4-step-by-step.md numbers it (0 to 5).\n` +
      `Shown: every value the public example key computes, once, in the step that computes it. Redacted: the\n` +
      `secret key, the token and the password everywhere, and the signature wherever it travels in a request,\n` +
      `as glassbox does with real keys.\n`,
  );

  const emulator = await startEcrEmulator({ credentials: [DEMO_CREDENTIALS], accountId: DEMO_ACCOUNT, region: DEMO_REGION });
  const home = await mkdtemp(join(tmpdir(), 'glassbox-demo-'));
  const dockerConfig = join(home, 'docker');
  try {
    // The demo's own environment: the example keys, an empty HOME, no instance metadata — so the
    // credential chain finds exactly these keys and never looks at the user's.
    const env = {
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
      AWS_REGION: DEMO_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    };
    out.out(`\nStarted the ECR emulator at ${c.underline(emulator.url)} (account ${DEMO_ACCOUNT}, ${DEMO_REGION}).\n`);

    const token = await getAuthorizationToken({ env, endpoint: emulator.url, region: DEMO_REGION, trace: true });
    const trace = token.trace!;

    section(
      1,
      'Credentials',
      `The AWS credential chain is tried in the AWS CLI's order; the first source that answers signs.\n` +
        indent(
          [
            `source        ${trace.credentials.source}`,
            `access key    ${trace.credentials.accessKeyId}  (sent in the clear, inside the Authorization header)`,
            `secret key    [never printed: it only feeds the signing key, Step 4]`,
            `temporary     ${trace.credentials.temporary ? 'yes (a session token is sent too)' : 'no (long-term keys)'}`,
          ].join('\n'),
        ),
    );

    section(
      2,
      'The request',
      `ECR's API speaks JSON 1.1: one POST to / with the operation named in X-Amz-Target.\n` +
        indent(
          [
            `endpoint      ${trace.endpoint.url}${trace.endpoint.source ? `  (${trace.endpoint.source})` : ''}`,
            `X-Amz-Target  ${trace.operation.target}`,
            `body          ${trace.operation.body}`,
          ].join('\n'),
        ),
    );

    const steps: readonly TraceStep[] = trace.signing.steps ?? [];
    const pick = (...ids: string[]): TraceStep[] => steps.filter((step) => ids.includes(step.id));
    const traced = (...ids: string[]): string => guideSteps(pick(...ids), c.isColorSupported);
    section(
      3,
      'Canonical request and string to sign',
      `SigV4 reduces the request to one unambiguous string, hashes it, and wraps the hash with the time and scope.\n\n` +
        traced(
          'canonical-uri',
          'canonical-query',
          'canonical-headers',
          'signed-headers',
          'payload-hash',
          'canonical-request',
          'canonical-request-hash',
          'credential-scope',
          'string-to-sign',
        ),
    );

    const dateStamp = trace.signing.amzDate.slice(0, 8);
    const signingKey = Buffer.from(deriveSigningKey(DEMO_CREDENTIALS.secretAccessKey, dateStamp, DEMO_REGION, 'ecr', nodeSha256)).toString(
      'hex',
    );
    section(
      4,
      'Signing key and signature',
      `${c.bold('Step 4 · Signing key')}: the secret never signs directly; a chain of HMACs narrows it to this day, region and service.\n` +
        indent(
          [
            `kDate     = HMAC("AWS4" + secret, "${dateStamp}")`,
            `kRegion   = HMAC(kDate, "${DEMO_REGION}")`,
            `kService  = HMAC(kRegion, "ecr")`,
            `kSigning  = HMAC(kService, "aws4_request")`,
            `          = ${signingKey}   ${c.dim('(shown only because the demo key is public)')}`,
          ].join('\n'),
        ) +
        '\n\n' +
        traced('signature', 'authorization'),
    );

    const exchange = trace.attempts
      .map((attempt) => {
        const headers = Object.entries(attempt.request.headers).map(([name, value]) => `${name}: ${value}`);
        return [
          `> ${attempt.request.method} ${attempt.request.url}`,
          ...headers.map((h) => `> ${h}`),
          `>`,
          `> ${trace.operation.body}`,
          `< HTTP ${attempt.status ?? '(no response)'}${attempt.requestId ? `  x-amzn-requestid: ${attempt.requestId}` : ''}`,
          `< {"authorizationData":[{"authorizationToken":"[redacted]","expiresAt":…,"proxyEndpoint":"${token.proxyEndpoint}"}]}`,
          `  ${c.dim(`attempt ${attempt.attempt}, ${attempt.durationMs} ms`)}`,
        ].join('\n');
      })
      .join('\n\n');
    section(
      5,
      'The HTTP exchange',
      `What went over the wire (the signature and the token redacted, as the rule above says):\n${indent(exchange)}`,
    );

    const secondsLeft = Math.round((token.expiresAt.getTime() - Date.now()) / 1000);
    section(
      6,
      'The token',
      `authorizationToken is base64 of "user:password"; split at the first colon only.\n` +
        indent(
          [
            `username      ${token.username}`,
            `password      [redacted, ${token.password.length} chars]   ${c.dim('(what `glassbox ecr get-login-password` prints)')}`,
            `expires at    ${token.expiresAt.toISOString()}  (in ${Math.floor(secondsLeft / 3600)} h ${Math.floor((secondsLeft % 3600) / 60)} min; read from expiresAt, never assumed)`,
            `registry      ${token.registryHost}  (the proxyEndpoint without https://)`,
          ].join('\n'),
        ),
    );

    const result = await setAuth(token.registryHost, token.username, token.password, { configDir: dockerConfig, env });
    const written = await readFile(result.path, 'utf8');
    const mode = `0${((await stat(result.path)).mode & 0o777).toString(8)}`;
    const auth = Buffer.from(`${token.username}:${token.password}`).toString('base64');
    const shown = redact(written, [auth], `base64 of ${token.username}:<password>`);
    section(
      7,
      "Docker's config.json",
      `Written atomically to a temporary DOCKER_CONFIG, mode ${mode}, exactly as \`docker login\` would write it:\n` +
        `    ${result.path}\n\n${indent(shown.trimEnd())}`,
    );

    section(
      8,
      'What Docker does next',
      indent(
        [
          `docker pull ${token.registryHost}/my-app:latest`,
          `  1. GET https://${token.registryHost}/v2/  → 401, WWW-Authenticate: Basic realm=…`,
          `  2. reads auths["${token.registryHost}"] from config.json (credHelpers and credsStore would come first)`,
          `  3. retries with Authorization: Basic <the auth above>, then pulls the manifest and layers`,
          `  4. after ${token.expiresAt.toISOString()} the registry answers 401 again: log in again,`,
          `     or let docker-credential-glassbox fetch fresh tokens on every pull (glassbox ecr configure-helper).`,
        ].join('\n'),
      ),
    );

    out.out(
      `\n${c.bold('With a real AWS account')} (credentials from your environment or ~/.aws, never from flags):\n` +
        indent(
          [
            `glassbox ecr login --region eu-west-1                       # writes config.json, prints Login Succeeded`,
            `glassbox ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin <registry>`,
            `glassbox ecr configure-helper --registry <account>.dkr.ecr.eu-west-1.amazonaws.com`,
            `glassbox sign --send -X POST -H 'Content-Type: application/x-amz-json-1.1' \\`,
            `  -H 'X-Amz-Target: ${trace.operation.target}' -d '{}' https://api.ecr.eu-west-1.amazonaws.com/`,
          ].join('\n'),
        ) +
        `\n\nThe emulator served ${emulator.served} call(s); the temporary config folder is removed now.\n`,
    );
  } finally {
    await closeConnections();
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  }
}
