// Regenerates the example blocks of the guides in docs/ from the code and the official vectors, so a
// guide can never show output the code does not produce. Blocks sit between marker comments:
//   <!-- gen:NAME -->  …generated…  <!-- /gen:NAME -->
// Usage: node --conditions=glassbox-source --import tsx scripts/gen-guide.ts [--check]
// --check writes nothing and exits 1 naming every block that differs (CI runs it via test/guide.test.ts).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// The root package does not depend on the workspace packages yet, so the signer is imported by path.
import {
  canonicalUri,
  diagnose,
  formatTrace,
  parseHttpRequest,
  serializeHttpRequest,
  sign,
  verify,
  type SignOptions,
  type TraceStep,
  type TraceStepId,
} from '../packages/sigv4/src/index.ts';
import { getAuthorizationToken } from '../packages/ecr/src/index.ts';
import { startEcrEmulator } from '../packages/ecr/src/emulator.ts';
import { setAuth, setCredentialHelper } from '../packages/docker-config/src/index.ts';
import { main as glassbox } from '../packages/cli/src/index.ts';
import {
  broken,
  RECIPES,
  reconstructionBlock,
  RECONSTRUCTION_RECIPES,
  run,
  startServers,
  type Answer,
  type Wire,
} from '../test/cookbook-recipes.ts';
import { loadVectors, repoRoot, suiteParameters, type VectorCase } from '../test/vectors.ts';

/** The guides whose blocks this script owns. */
export const GUIDES = ['docs/sigv4-step-by-step.md', 'docs/debugging-signature-does-not-match.md', 'docs/ecr-docker.md'] as const;

/** The official case the step-by-step guide walks through: a query to sort, the smallest header set. */
export const SUITE_CASE = 'get-vanilla-query-order-key-case';

/** The ECR call of the guide: what `aws ecr get-login-password` sends, signed with the suite's example key. */
export const ECR_REQUEST = {
  method: 'POST',
  url: 'https://api.ecr.us-east-1.amazonaws.com/',
  headers: {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  },
  body: '{}',
};
export const ECR_OPTIONS: SignOptions = {
  credentials: suiteParameters.credentials,
  region: 'us-east-1',
  service: 'ecr',
  date: '20260115T093000Z',
};

const fence = (text: string, lang = 'text'): string => `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;

function traceStep(trace: readonly TraceStep[], id: TraceStepId): TraceStep {
  const step = trace.find((s) => s.id === id);
  if (step === undefined) throw new Error(`gen-guide: the trace has no '${id}' step`);
  return step;
}

/** One step as the CLI prints it, without the numbering (the guide numbers its own sections). */
function stepBlock(trace: readonly TraceStep[], ids: readonly TraceStepId[]): string {
  return fence(ids.map((id) => formatTrace([traceStep(trace, id)]).replace(/^ ?1\. /, '')).join('\n'));
}

/** Shows the invisible: each line of a multi-line value ends in ↵, so the blank line and trailing spaces are visible. */
function visibleLines(text: string): string {
  return text
    .split('\n')
    .map((line) => `${line}↵`)
    .join('\n')
    .replace(/↵$/, '   (no newline at the end)');
}

function requireEqual(actual: string, expected: string, what: string): void {
  if (actual !== expected) throw new Error(`gen-guide: ${what} differs from the official suite; fix the signer before the guide`);
}

type Generator = () => Promise<string> | string;

async function suiteWalkthrough(): Promise<Record<string, Generator>> {
  const vector: VectorCase | undefined = loadVectors().find((v) => v.name === SUITE_CASE);
  if (vector === undefined) throw new Error(`gen-guide: official case ${SUITE_CASE} not found`);
  const result = await sign(parseHttpRequest(vector.req), { ...suiteParameters, trace: true, revealSigningKey: true });
  const trace = result.trace!;
  requireEqual(result.canonicalRequest, vector.creq, `${SUITE_CASE}.creq`);
  requireEqual(result.stringToSign, vector.sts, `${SUITE_CASE}.sts`);
  requireEqual(result.authorization, vector.authz, `${SUITE_CASE}.authz`);
  const file = (ext: string): string => `${SUITE_CASE}.${ext}`;
  return {
    'suite-parameters': () =>
      fence(
        [
          `access key ID      ${suiteParameters.credentials.accessKeyId}`,
          `secret access key  ${suiteParameters.credentials.secretAccessKey}   (the suite's published example key)`,
          `region             ${suiteParameters.region}`,
          `service            ${suiteParameters.service}`,
          `signing time       ${suiteParameters.date}`,
        ].join('\n'),
      ),
    'suite-request': () => fence(`# ${file('req')}\n${vector.req}`, 'http'),
    'suite-headers-to-sign': () => stepBlock(trace, ['signing-time', 'headers-to-sign']),
    'suite-canonical-uri': () => stepBlock(trace, ['canonical-uri']),
    'suite-canonical-query': () => stepBlock(trace, ['canonical-query']),
    'suite-canonical-headers': () => stepBlock(trace, ['canonical-headers', 'signed-headers']),
    'suite-payload-hash': () => stepBlock(trace, ['payload-hash']),
    'suite-canonical-request': () =>
      fence(`# the canonical request, ↵ marking each newline; identical to ${file('creq')}\n${visibleLines(result.canonicalRequest)}`),
    'suite-canonical-request-hash': () => stepBlock(trace, ['canonical-request-hash']),
    'suite-string-to-sign': () => fence(`# identical to ${file('sts')}\n${visibleLines(result.stringToSign)}`),
    'suite-signing-key': () => stepBlock(trace, ['credential-scope', 'signing-key']),
    'suite-signature': () => stepBlock(trace, ['signature']),
    'suite-authorization': () => fence(`# identical to ${file('authz')}\n${result.authorization}`),
    'suite-signed-request': () => fence(serializeHttpRequest(result.request), 'http'),
  };
}

async function ecrWalkthrough(): Promise<Record<string, Generator>> {
  const result = await sign(ECR_REQUEST, { ...ECR_OPTIONS, trace: true, revealSigningKey: true });
  const trace = result.trace!;
  return {
    'ecr-parameters': () =>
      fence(
        [
          `access key ID      ${suiteParameters.credentials.accessKeyId}   (the suite's example credentials, never real ones)`,
          `region             ${ECR_OPTIONS.region}`,
          `service            ${ECR_OPTIONS.service}   (the signing name, although the host says api.ecr)`,
          `signing time       ${String(ECR_OPTIONS.date)}`,
        ].join('\n'),
      ),
    'ecr-request': () => fence(serializeHttpRequest(ECR_REQUEST), 'http'),
    'ecr-headers-to-sign': () => stepBlock(trace, ['headers-to-sign']),
    'ecr-payload-hash': () => stepBlock(trace, ['payload-hash']),
    'ecr-canonical-request': () => fence(visibleLines(result.canonicalRequest)),
    'ecr-string-to-sign': () => stepBlock(trace, ['canonical-request-hash', 'credential-scope', 'string-to-sign']),
    'ecr-signing-key': () => stepBlock(trace, ['signing-key', 'signature']),
    'ecr-signed-request': () => fence(serializeHttpRequest(result.request), 'http'),
    'ecr-verify': async () => {
      // The server side: the same request checked by verify(), then again with one byte of the body changed.
      const secret = (id: string): string | undefined =>
        id === suiteParameters.credentials.accessKeyId ? suiteParameters.credentials.secretAccessKey : undefined;
      const now = Date.parse('2026-01-15T09:31:00Z');
      const good = await verify(result.request, { credentials: secret, now, region: 'us-east-1', service: 'ecr' });
      const tampered = await verify({ ...result.request, body: '{ }' }, { credentials: secret, now, region: 'us-east-1', service: 'ecr' });
      const lines = [
        `verify(signed request)        → ok: ${String(good.ok)}`,
        `verify(body changed to '{ }') → ok: ${String(tampered.ok)}${tampered.ok ? '' : `, reason: ${tampered.reason}, first different step: ${tampered.firstDifferentStep}`}`,
      ];
      return fence(lines.join('\n'));
    },
  };
}

/** The registry password the local emulator hands out in the ECR guide: obviously not a real one. */
export const EXAMPLE_PASSWORD = 'example-registry-password-not-a-real-token';
const ECR_CLOCK = Date.parse('2026-01-15T09:30:00Z');

/** POSTs a signed request to the emulator with node:http, headers exactly as signed. */
function post(url: string, headers: Record<string, string | string[]>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function ecrDockerWalkthrough(): Promise<Record<string, Generator>> {
  const credentials = suiteParameters.credentials;
  const emulator = await startEcrEmulator({
    credentials: [credentials],
    password: EXAMPLE_PASSWORD,
    region: 'us-east-1',
    clock: () => ECR_CLOCK,
  });
  const dirs: string[] = [];
  try {
    // The raw exchange: the guide's request, signed for the emulator's address, sent as is.
    const signed = await sign({ ...ECR_REQUEST, url: `${emulator.url}/` }, { ...ECR_OPTIONS, date: ECR_CLOCK });
    const raw = await post(signed.request.url, signed.request.headers, '{}');
    const data = JSON.parse(raw.body) as { authorizationData: { authorizationToken: string; expiresAt: number; proxyEndpoint: string }[] };
    const first = data.authorizationData[0]!;
    const decoded = Buffer.from(first.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');

    const token = await getAuthorizationToken({ region: 'us-east-1', endpoint: emulator.url, credentials, env: {}, now: () => ECR_CLOCK });

    const configDir = mkdtempSync(join(tmpdir(), 'glassbox-guide-docker-'));
    dirs.push(configDir);
    await setAuth(token.registryHost, token.username, token.password, { configDir, env: {} });
    const configText = readFileSync(join(configDir, 'config.json'), 'utf8');
    const mode = (statSync(join(configDir, 'config.json')).mode & 0o777).toString(8);
    const auth = (JSON.parse(configText) as { auths: Record<string, { auth: string }> }).auths[token.registryHost]!.auth;

    const helperDir = mkdtempSync(join(tmpdir(), 'glassbox-guide-docker-'));
    dirs.push(helperDir);
    await setCredentialHelper(token.registryHost, 'glassbox', { configDir: helperDir, env: {} });
    const helperText = readFileSync(join(helperDir, 'config.json'), 'utf8');
    let hidden = '';
    try {
      await setAuth(token.registryHost, token.username, token.password, { configDir: helperDir, env: {} });
    } catch (error) {
      hidden = `${(error as { code?: string }).code}: ${(error as Error).message.replace(helperDir, '$DOCKER_CONFIG')}`;
    }

    // The CLI end to end, against an emulator on the real clock (the CLI signs with now).
    const live = await startEcrEmulator({ credentials: [credentials], password: EXAMPLE_PASSWORD, region: 'us-east-1' });
    const cliDir = mkdtempSync(join(tmpdir(), 'glassbox-guide-docker-'));
    dirs.push(cliDir);
    const cli = async (argv: string[]): Promise<string> => {
      let output = '';
      const sink = { write: (text: string) => (output += text), isTTY: false };
      const env = {
        NO_COLOR: '1',
        HOME: cliDir,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      };
      const code = await glassbox(argv, { stdout: sink, stderr: sink, env, cwd: cliDir, readStdin: async () => '' });
      if (code !== 0) throw new Error(`gen-guide: glassbox ${argv.join(' ')} exited ${code}: ${output}`);
      return output;
    };
    let loginOutput: string;
    try {
      const args = ['ecr', 'login', '--region', 'us-east-1', '--endpoint-url', live.url, '--docker-config', join(cliDir, 'docker')];
      loginOutput = await cli(args);
      const debug = await cli([...args, '--debug']);
      // The guide says the password never appears in Glassbox's output, debug included: hold it to that.
      for (const text of [loginOutput, debug]) {
        if (text.includes(EXAMPLE_PASSWORD) || text.includes(Buffer.from(`AWS:${EXAMPLE_PASSWORD}`).toString('base64')))
          throw new Error('gen-guide: glassbox ecr login printed the password');
      }
    } finally {
      await live.close();
    }

    const blocks: Record<string, string> = {
      'glassbox-ecr-login': fence(
        `$ glassbox ecr login --region us-east-1 --endpoint-url "$EMULATOR_URL" --docker-config ./docker\n${loginOutput}`,
        'console',
      ),
      'ecr-raw-response': fence(`HTTP ${raw.status}\n${raw.body}`, 'text'),
      'ecr-token-decoded': fence(
        [
          `authorizationToken, base64-decoded   ${decoded.slice(0, colon)}:${decoded.slice(colon + 1)}`,
          `user name (before the first ':')     ${decoded.slice(0, colon)}`,
          `password (everything after it)       ${decoded.slice(colon + 1)}`,
          `expiresAt                            ${first.expiresAt} = ${new Date(first.expiresAt * 1000).toISOString()}`,
          `valid for                            ${(first.expiresAt * 1000 - ECR_CLOCK) / 3_600_000} hours after the call`,
          `registry host (proxyEndpoint)        ${first.proxyEndpoint.replace(/^https:\/\//, '')}`,
        ].join('\n'),
      ),
      'ecr-get-authorization-token': fence(
        [
          `username       ${token.username}`,
          `password       [${token.password.length} characters; never printed]`,
          `registryHost   ${token.registryHost}`,
          `proxyEndpoint  ${token.proxyEndpoint}`,
          `expiresAt      ${token.expiresAt.toISOString()}`,
        ].join('\n'),
      ),
      'docker-config-auths': fence(`// $DOCKER_CONFIG/config.json, mode 0${mode}\n${configText}`, 'jsonc'),
      'docker-config-auth-decoded': fence(`base64 -d <<< ${auth}\n${Buffer.from(auth, 'base64').toString('utf8')}`, 'text'),
      'docker-config-cred-helpers': fence(`// $DOCKER_CONFIG/config.json\n${helperText}`, 'jsonc'),
      'docker-config-hidden-auths': fence(hidden === '' ? '(no error: expected CREDS_STORE_HIDES_AUTHS)' : hidden),
    };
    return Object.fromEntries(Object.entries(blocks).map(([name, text]) => [name, () => text]));
  } finally {
    await emulator.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** A request as raw HTTP/1.1 text, the way the CLI's --request-file reads it. */
export function wireText(wire: Wire): string {
  return `${wire.method} ${wire.target} HTTP/1.1\n${wire.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}${wire.body === '' ? '' : `\n\n${wire.body}`}`;
}

/** A service's error answer as a reader wants to see it: JSON messages with their newlines, XML one element a line. */
export function answerText(answer: Answer): string {
  if (answer.body.startsWith('{')) {
    const error = JSON.parse(answer.body) as { __type?: string; message?: string };
    return `HTTP ${answer.status}  ${error.__type ?? ''}\n${error.message ?? ''}`.replace(/\n+$/, '');
  }
  return `HTTP ${answer.status}\n${answer.body.replace(/></g, '>\n<')}`;
}

/** Runs `glassbox diff` in-process (the CLI's own main), as a user would on the two files. */
export async function glassboxDiff(serverError: string, request: Wire): Promise<{ exitCode: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-guide-diff-'));
  try {
    writeFileSync(join(dir, 'error.txt'), serverError);
    writeFileSync(join(dir, 'request.http'), wireText(request));
    let output = '';
    const sink = { write: (text: string) => (output += text), isTTY: false };
    const exitCode = await glassbox(['diff', '--server-error', 'error.txt', '--request-file', 'request.http'], {
      stdout: sink,
      stderr: sink,
      env: { NO_COLOR: '1' },
      cwd: dir,
      readStdin: async () => '',
    });
    return { exitCode, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The recipes whose service error quotes its canonical request, so `glassbox diff` can compare. */
export const DIFF_RECIPES: readonly string[] = ['repeated-headers', 'proxy-rewrites-header', 'whitespace-body', 'query-encoding'];

async function cookbook(): Promise<Record<string, Generator>> {
  const servers = await startServers();
  const blocks: Record<string, string> = {};
  try {
    for (const recipe of RECIPES) {
      const { answer } = await run(servers, recipe, 'broken');
      blocks[`cookbook-${recipe.id}-error`] = fence(answerText(answer));
      const signed = await recipe.signed();
      const { likelyCause } = diagnose(signed.ours, answer.body);
      blocks[`cookbook-${recipe.id}-diagnose`] = fence(
        `diagnose(ours, errorBody).likelyCause\n  code     ${likelyCause.code}\n  step     ${likelyCause.step ?? '-'}\n  message  ${likelyCause.message}\n  fix      ${likelyCause.fix}`,
      );
      if (DIFF_RECIPES.includes(recipe.id)) {
        const { output } = await glassboxDiff(answer.body, signed.wire);
        blocks[`cookbook-${recipe.id}-diff`] = fence(
          `$ glassbox diff --server-error error.txt --request-file request.http\n${output}`,
          'console',
        );
      }
      if (recipe.transit) {
        const arrived = await broken(recipe);
        const head = (wire: Wire): string[] => wireText({ ...wire, body: '' }).split('\n');
        const [before, after] = [head(signed.wire), head(arrived)];
        const changed = [
          ...before.filter((l) => !after.includes(l)).map((l) => `signed:  ${l}`),
          ...after.filter((l) => !before.includes(l)).map((l) => `arrived: ${l}`),
        ];
        // Bodies as JSON strings, so a stray newline or space is visible.
        if (signed.wire.body !== arrived.body)
          changed.push(`signed body:  ${JSON.stringify(signed.wire.body)}`, `arrived body: ${JSON.stringify(arrived.body)}`);
        blocks[`cookbook-${recipe.id}-transit`] = fence(changed.join('\n'));
      }
    }
  } finally {
    await servers.close();
  }
  const uriRules = (paths: string[]): string => {
    const rows = paths.flatMap((path) => [
      [`canonicalUri('${path}')`, canonicalUri(path), 'every service but S3'],
      [
        `canonicalUri('${path}', { doubleEncode: false, normalizePath: false })`,
        canonicalUri(path, { doubleEncode: false, normalizePath: false }),
        'S3',
      ],
    ]);
    const width = Math.max(...rows.map((r) => r[0]!.length));
    return fence(rows.map(([call, out, rule]) => `${call!.padEnd(width)}  → ${out!.padEnd(20)} ${rule}`).join('\n'));
  };
  blocks['cookbook-uri-double-encoding'] = uriRules(['/my%20photo.jpg']);
  blocks['cookbook-uri-normalisation'] = uriRules(['/photos//cat.jpg', '/a/./b/../c.txt']);
  for (const recipe of RECONSTRUCTION_RECIPES)
    blocks[`cookbook-reconstruct-${recipe.id.toLowerCase().replace(/_/g, '-')}`] = fence(await reconstructionBlock(recipe));
  return Object.fromEntries(Object.entries(blocks).map(([name, text]) => [name, () => text]));
}

/** Every block generator, by marker name. */
export async function generators(): Promise<Map<string, Generator>> {
  return new Map(
    Object.entries({
      ...(await suiteWalkthrough()),
      ...(await ecrWalkthrough()),
      ...(await ecrDockerWalkthrough()),
      ...(await cookbook()),
    }),
  );
}

const MARKER = /<!-- gen:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/gen:\1 -->/g;

/**
 * Replaces the content of every marker pair in `markdown` with the generated block. Names without a
 * generator are reported in `unknown` and left untouched.
 */
export async function fillBlocks(
  markdown: string,
  blocks: Map<string, Generator>,
): Promise<{ text: string; names: string[]; unknown: string[] }> {
  const names: string[] = [];
  const unknown: string[] = [];
  const rendered = new Map<string, string>();
  for (const match of markdown.matchAll(MARKER)) {
    const name = match[1]!;
    names.push(name);
    const generate = blocks.get(name);
    if (generate === undefined) unknown.push(name);
    else rendered.set(name, await generate());
  }
  const text = markdown.replace(MARKER, (whole, name: string) =>
    rendered.has(name) ? `<!-- gen:${name} -->\n${rendered.get(name)}\n<!-- /gen:${name} -->` : whole,
  );
  return { text, names, unknown };
}

/** The guides as they should be, next to how they are; `blocks` lists the names that differ. */
export async function renderGuides(
  root = repoRoot,
): Promise<{ file: string; current: string; expected: string; differing: string[]; unknown: string[] }[]> {
  const blocks = await generators();
  const out = [];
  for (const file of GUIDES) {
    let current: string;
    try {
      current = readFileSync(join(root, file), 'utf8');
    } catch {
      continue; // a guide not written yet has no blocks to check
    }
    const { text, names, unknown } = await fillBlocks(current, blocks);
    const differing = names.filter((name) => blockOf(current, name) !== blockOf(text, name));
    out.push({ file, current, expected: text, differing, unknown });
  }
  return out;
}

function blockOf(markdown: string, name: string): string | undefined {
  const start = markdown.indexOf(`<!-- gen:${name} -->`);
  const end = markdown.indexOf(`<!-- /gen:${name} -->`);
  return start === -1 || end === -1 ? undefined : markdown.slice(start, end);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let failed = false;
  for (const guide of await renderGuides()) {
    if (guide.unknown.length > 0) {
      console.error(`${guide.file}: no generator for ${guide.unknown.map((n) => `gen:${n}`).join(', ')}`);
      failed = true;
    }
    if (guide.current === guide.expected) continue;
    if (check) {
      console.error(
        `${guide.file}: out of date (${guide.differing.map((n) => `gen:${n}`).join(', ')}); run scripts/gen-guide.ts to regenerate`,
      );
      failed = true;
    } else {
      writeFileSync(join(repoRoot, guide.file), guide.expected);
      console.log(`${guide.file}: regenerated ${guide.differing.length} block(s)`);
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
