import type { Credentials } from '@glassbox/sigv4';
import { CliError } from './cli-error.ts';
import { ExitCode } from './exit-codes.ts';
import type { Output } from './output.ts';

/** Credentials and where they came from (never the secret itself in `source`). */
export interface FoundCredentials {
  credentials: Credentials;
  /** e.g. `environment (AWS_ACCESS_KEY_ID)`. */
  source: string;
}

/**
 * Finds the credentials to sign with: the environment first, as the AWS CLI does. Credentials are
 * never read from flags — they would show in `ps` and shell history (the reason the AWS CLI
 * deprecated `aws ecr get-login`). Every secret found is registered with the output scrubber.
 *
 * @example
 * ```ts
 * const { credentials, source } = await findCredentials(output, {});
 * ```
 */
export async function findCredentials(output: Output, options: { profile?: string | undefined }): Promise<FoundCredentials> {
  const env = output.io.env;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (options.profile === undefined && accessKeyId && secretAccessKey) {
    const sessionToken = env.AWS_SESSION_TOKEN || undefined;
    output.addSecret(secretAccessKey);
    output.addSecret(sessionToken);
    return {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
      source: `environment (AWS_ACCESS_KEY_ID${sessionToken === undefined ? '' : ', AWS_SESSION_TOKEN'})`,
    };
  }
  throw new CliError(
    ExitCode.AWS_ERROR,
    'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment',
  );
}
