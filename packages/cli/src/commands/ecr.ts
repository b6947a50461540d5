import type { Command } from 'commander';
import type { AuthorizationToken } from '@glassbox/ecr';
import { usageError } from '../cli-error.ts';
import { collect, type CommandContext } from '../command-context.ts';
import { EXIT_CODES_HELP } from '../exit-codes.ts';
import { timeoutOptions, withTimeoutOptions, type TimeoutFlags } from '../network-options.ts';
import { isRegionName } from '../service-from-host.ts';

interface TokenFlags extends TimeoutFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  public?: boolean;
  registry?: string;
}

interface LoginFlags extends TokenFlags {
  dockerConfig?: string;
  json?: boolean;
}

/**
 * The refusal for a --registry that is neither an ECR registry host nor an alias: writing the ECR password
 * under a look-alike or a typo would hand it to whoever answers that name. An ECR-looking typo is told
 * so, rather than failing later for want of a region.
 */
function notAnEcrHost(host: string): Error {
  const looksLikeEcr = /ecr/i.test(host) || /amazonaws|\.on\.aws/i.test(host);
  const what = looksLikeEcr
    ? `'${host}' looks like an Amazon ECR host but is not one: ECR registry hosts are <12-digit account>.dkr.ecr.<region>.amazonaws.com (.amazonaws.com.cn in China) or public.ecr.aws; check the account, region and suffix`
    : `'${host}' is not an Amazon ECR registry host (<12-digit account>.dkr.ecr.<region>.amazonaws.com or public.ecr.aws)`;
  return usageError(
    `${what}. To use another name for an ECR registry, declare it as a registry alias: ` +
      `GLASSBOX_REGISTRY_ALIASES='${host}=<ECR registry host>' or "registryAliases" in ~/.config/glassbox/config.json (docs/registry-aliases.md). Nothing was written.`,
  );
}

/** The name Docker runs as `docker-credential-<name>`: our helper binary. */
const HELPER_NAME = 'glassbox';

/**
 * Calls GetAuthorizationToken with the chain's credentials, a spinner on stderr while it waits, and
 * (with --debug) the call's trace on stderr — which never holds the password, key or token.
 */
async function fetchToken(ctx: CommandContext, flags: TokenFlags): Promise<AuthorizationToken> {
  const registry = flags.registry;
  if (flags.region !== undefined && !isRegionName(flags.region)) {
    throw usageError(`unknown region '${flags.region}': expected a region name such as us-east-1 or eu-west-2`);
  }
  if (flags.endpointUrl !== undefined && !/^https?:\/\/[^/]/i.test(flags.endpointUrl)) {
    throw usageError(`--endpoint-url '${flags.endpointUrl}' must be an http:// or https:// URL`);
  }
  // Loaded on use, so `--help` and the signing commands start fast; the entries a token needs, not the
  // package roots (@glassbox/ecr's loads every credential provider and the transport's whole surface).
  const [{ getAuthorizationToken }, { describeAlias, resolveRegistry }, { closeConnections }] = await Promise.all([
    import('@glassbox/ecr/get-authorization-token'),
    import('@glassbox/ecr/registry-aliases'),
    import('@glassbox/aws/http'),
  ]);
  // An aliased host (GLASSBOX_REGISTRY_ALIASES, the Glassbox config file) asks for its target registry's token.
  const resolved = registry === undefined ? undefined : resolveRegistry(registry, { env: ctx.io.env });
  if (registry !== undefined && resolved === undefined) throw notAnEcrHost(registry);
  const ecrRegistry = resolved?.registry.host;
  if (resolved?.alias && ctx.output.debug) ctx.output.err(`${describeAlias(resolved.alias, resolved.registry.host)}\n`);
  // Registered up front: the chain may print a reason that quotes the environment.
  ctx.output.addSecret(ctx.io.env.AWS_SECRET_ACCESS_KEY);
  ctx.output.addSecret(ctx.io.env.AWS_SESSION_TOKEN);
  const progress = ctx.output.progress('Getting an authorization token…');
  try {
    const timeouts = timeoutOptions(flags);
    const token = await getAuthorizationToken({
      env: ctx.io.env,
      trace: ctx.output.debug,
      ...(timeouts.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: timeouts.connectTimeoutMs }),
      ...(timeouts.readTimeoutMs === undefined ? {} : { requestTimeoutMs: timeouts.readTimeoutMs }),
      ...(flags.region === undefined ? {} : { region: flags.region }),
      ...(flags.profile === undefined ? {} : { profile: flags.profile }),
      ...(flags.endpointUrl === undefined ? {} : { endpoint: flags.endpointUrl }),
      ...(flags.public ? { public: true } : {}),
      ...(ecrRegistry === undefined ? {} : { registry: ecrRegistry }),
      // The token will be stored under the alias: a proxyEndpoint naming it is as good as the ECR host.
      ...(resolved?.alias ? { registryAlias: resolved.alias.from } : {}),
    });
    ctx.output.addSecret(token.password);
    if (ctx.output.debug && token.trace) {
      const t = token.trace;
      ctx.output.err(
        [
          `credentials: ${t.credentials.source} (${t.credentials.accessKeyId})`,
          `endpoint: ${t.endpoint.url} (${t.endpoint.region}, ${t.endpoint.source})`,
          ...(t.transport === undefined
            ? []
            : [
                `retries: ${t.transport.maxAttempts} attempts in all (${t.transport.maxAttemptsFrom}), retry mode ${t.transport.retryMode} (${t.transport.retryModeFrom})${t.transport.caBundle ? `; CA bundle ${t.transport.caBundle}` : ''}`,
                ...t.transport.notes.map((note) => `note: ${note}`),
              ]),
          `canonical request:\n${t.signing.canonicalRequest}`,
          `string to sign:\n${t.signing.stringToSign}`,
          ...t.attempts.map(
            (a) =>
              `attempt ${a.attempt}: ${a.request.method} ${a.request.url} → ${a.status === undefined ? (a.errorCode ?? 'no response') : `HTTP ${a.status}`}` +
              ` in ${a.durationMs} ms${a.requestId ? ` (request id ${a.requestId})` : ''}${a.errorCode && a.status !== undefined ? `, ${a.errorCode}` : ''}`,
          ),
          `token: user ${t.token?.username ?? '?'}, expires ${t.token?.expiresAt ?? '?'}`,
        ].join('\n') + '\n',
      );
    }
    return token;
  } finally {
    progress.stop();
    await closeConnections();
  }
}

function tokenOptions(command: Command): Command {
  return withTimeoutOptions(command)
    .option('--region <region>', 'region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, or the --registry host)')
    .option('--profile <name>', 'AWS profile (credentials and settings from ~/.aws)')
    .option('--endpoint-url <url>', 'ECR API endpoint instead of the AWS one (e.g. a local emulator)')
    .option('--public', 'ECR Public (public.ecr.aws, signed for ecr-public in us-east-1)');
}

/**
 * `glassbox ecr get-login-password | login | configure-helper`.
 *
 * @example
 * ```sh
 * glassbox ecr get-login-password --region eu-west-1 | skopeo login --username AWS --password-stdin HOST
 * ```
 */
export function registerEcr(program: Command, ctx: CommandContext): Command {
  const ecr = program
    .command('ecr')
    .summary('Amazon ECR: get-login-password, login, configure-helper')
    .description('Log in to Amazon ECR without the AWS CLI or a Docker daemon.')
    .addHelpText('after', `\nExample:\n  $ glassbox ecr login --region eu-west-1\n\n${EXIT_CODES_HELP}`);

  tokenOptions(ecr.command('get-login-password'))
    .option(
      '--registry <host>',
      "the registry the password is for: its region, or an alias's target (GLASSBOX_REGISTRY_ALIASES); not an ECR host nor an alias: refused",
    )
    .summary('print the registry password, as aws ecr get-login-password does')
    .description('Print the registry password and a newline, byte for byte what `aws ecr get-login-password` prints.')
    .addHelpText(
      'after',
      `\nExamples:\n  $ glassbox ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n  $ glassbox ecr get-login-password --public | skopeo login --username AWS --password-stdin public.ecr.aws\n\n${EXIT_CODES_HELP}`,
    )
    .action(async (flags: TokenFlags) => {
      const token = await fetchToken(ctx, flags);
      // The password goes straight to stdout, unscrubbed: printing it is this command's whole job.
      ctx.io.stdout.write(`${token.password}\n`);
    });

  tokenOptions(ecr.command('login'))
    .summary("get a token and write it to Docker's config.json (no Docker daemon needed)")
    .description(
      '`aws ecr get-login-password | docker login` in one step, without a Docker daemon: writes the auth for ' +
        '--registry, or for the registry the API returned, to config.json (DOCKER_CONFIG or ~/.docker).',
    )
    .option(
      '--registry <host>',
      "the registry to write the auth for: an ECR host, or an aliased host (GLASSBOX_REGISTRY_ALIASES) that gets its target's token; anything else is refused (default: the proxyEndpoint host the API returns)",
    )
    .option('--docker-config <dir>', 'the Docker config folder (default: DOCKER_CONFIG, else ~/.docker)')
    .option('--json', 'print { registry, configFile, expiresAt } instead of "Login Succeeded"')
    .addHelpText(
      'after',
      `\nExamples:\n  $ glassbox ecr login --region eu-west-1\n  $ glassbox ecr login --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com --docker-config ./docker\n\n${EXIT_CODES_HELP}`,
    )
    .action(async (flags: LoginFlags) => {
      const token = await fetchToken(ctx, flags);
      const registry = flags.registry ?? token.registryHost;
      const { setAuth } = await import('@glassbox/docker-config');
      const result = await setAuth(registry, token.username, token.password, {
        env: ctx.io.env,
        // With a credsStore, Docker ignores auths entries; skopeo, podman and buildah still read them. Write it and say so.
        allowHiddenAuths: true,
        warn: (warning) => {
          ctx.output.warn(warning.message);
          if (warning.code === 'CREDS_STORE_HIDES_AUTHS' || warning.code === 'CRED_HELPER_HIDES_AUTHS') {
            ctx.output.warn(`to make Docker use glassbox for this registry: glassbox ecr configure-helper --registry ${registry}`);
          }
        },
        ...(flags.dockerConfig === undefined ? {} : { configDir: flags.dockerConfig }),
      });
      if (flags.json)
        ctx.output.json({
          registry: result.key,
          configFile: result.path,
          expiresAt: token.expiresAt.toISOString(),
          changed: result.changed,
        });
      else ctx.output.out('Login Succeeded\n');
    });

  ecr
    .command('configure-helper')
    .summary('route registries to docker-credential-glassbox (credHelpers)')
    .description(
      'Add "credHelpers": { "<host>": "glassbox" } entries to config.json so Docker (and skopeo, podman, buildah, ' +
        'crane, kaniko) ask docker-credential-glassbox for a fresh token on every pull and push.',
    )
    .option('--registry <host>', 'a registry host to route to the helper (repeatable; give at least one)', collect)
    .option('--docker-config <dir>', 'the Docker config folder (default: DOCKER_CONFIG, else ~/.docker)')
    .option('--json', 'print what was written as JSON')
    .addHelpText(
      'after',
      `\nExample:\n  $ glassbox ecr configure-helper --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n\n${EXIT_CODES_HELP}`,
    )
    .action(async (flags: { registry?: string[]; dockerConfig?: string; json?: boolean }) => {
      if (flags.registry === undefined || flags.registry.length === 0)
        throw usageError('give at least one --registry HOST (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com)');
      const written = [];
      const { describeAlias, resolveRegistry } = await import('@glassbox/ecr/registry-aliases');
      const { setCredentialHelper } = await import('@glassbox/docker-config');
      for (const host of flags.registry) {
        // Resolved first: a malformed alias stops the command before config.json is touched.
        const resolved = resolveRegistry(host, { env: ctx.io.env });
        const result = await setCredentialHelper(host, HELPER_NAME, {
          env: ctx.io.env,
          warn: (warning) => ctx.output.warn(warning.message),
          ...(flags.dockerConfig === undefined ? {} : { configDir: flags.dockerConfig }),
        });
        if (resolved === undefined) {
          ctx.output.warn(
            `${host} is not an Amazon ECR host and has no registry alias: docker-credential-glassbox will answer "credentials not found" for it (see GLASSBOX_REGISTRY_ALIASES)`,
          );
        }
        written.push({
          registry: result.key,
          configFile: result.path,
          changed: result.changed,
          ...(resolved?.alias ? { alias: { to: resolved.registry.host, source: resolved.alias.source } } : {}),
        });
        if (resolved?.alias && !flags.json) ctx.output.err(`${describeAlias(resolved.alias, resolved.registry.host)}\n`);
      }
      if (flags.json) ctx.output.json(written);
      else
        for (const w of written)
          ctx.output.out(`${w.registry} → docker-credential-${HELPER_NAME} (${w.changed ? 'added to' : 'already in'} ${w.configFile})\n`);
    });
  return ecr;
}
