import type { Credentials } from '@glassbox/aws';
import type { Output } from './output.ts';

/** Credentials and where they came from (never the secret itself in `source`). */
export interface FoundCredentials {
  credentials: Credentials;
  /** e.g. `environment`, `shared-credentials-file (profile dev)`. */
  source: string;
}

/**
 * Finds the credentials to sign with through the AWS credential chain of @glassbox/aws, in the AWS
 * CLI's order (environment, shared files, credential_process, roles, container, IMDSv2). Credentials
 * are never read from flags — they would show in `ps` and shell history (the reason the AWS CLI
 * deprecated `aws ecr get-login`). Every secret found is registered with the output scrubber.
 *
 * @example
 * ```ts
 * const { credentials, source } = await findCredentials(output, { profile: 'dev' });
 * ```
 */
export async function findCredentials(output: Output, options: { profile?: string | undefined }): Promise<FoundCredentials> {
  // Loaded on use: the chain pulls in undici, which `--help` should not pay for.
  const { formatCredentialTrace, resolveCredentials } = await import('@glassbox/aws');
  const resolved = await resolveCredentials({
    env: output.io.env,
    trace: output.debug,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  // --debug: every source the chain asked, the instance metadata endpoint included (the AWS CLI probes it silently).
  if (output.debug && resolved.trace)
    output.err(`${formatCredentialTrace(resolved.trace).replace(/^/gm, 'credentials: ')}
`);
  output.addSecret(resolved.credentials.secretAccessKey);
  output.addSecret(resolved.credentials.sessionToken);
  const profile = resolved.source === 'environment' ? '' : ` (profile ${resolved.profile.name})`;
  return { credentials: resolved.credentials, source: `${resolved.source}${profile}` };
}
