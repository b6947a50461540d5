import { redactSecrets } from '@glassbox/sigv4/redaction';

/**
 * Every failure @glassbox/aws and @glassbox/ecr report, as a stable code to switch on. Add codes here (and document
 * them) rather than throwing ad-hoc errors.
 *
 * Credentials: `CREDENTIALS_NOT_FOUND` (no source in the chain answered), `CREDENTIALS_INVALID`
 * (a source answered with something unusable), `CREDENTIAL_PROCESS_FAILED`, `PROFILE_NOT_FOUND`,
 * `PROFILE_INVALID`, `ASSUME_ROLE_FAILED`, `CONTAINER_CREDENTIALS_FAILED`, `IMDS_FAILED`,
 * `WEB_IDENTITY_FAILED` (the token file could not be read, or STS `AssumeRoleWithWebIdentity` refused it),
 * `SSO_FAILED` (IAM Identity Center: no cached or an expired `aws sso login` token, or `GetRoleCredentials` refused it).
 * Endpoints: `MISSING_REGION`, `INVALID_REGION`, `INVALID_ENDPOINT`, `INVALID_CONFIGURATION`.
 * The call: `NETWORK_ERROR`, `TIMEOUT`, `ABORTED`, `INVALID_RESPONSE`.
 * The token: `TOKEN_EXPIRED` (its `expiresAt` is past, or too close to use), `TOKEN_INVALID` (an empty
 * password, or a `proxyEndpoint` that is not an https URL of an ECR registry of the region asked for).
 * Shared files: `SHARED_FILE_INVALID` (`~/.aws/config` or `~/.aws/credentials` cannot be parsed; the
 * message names the file, the line and the problem).
 * Registry aliases: `INVALID_REGISTRY_ALIAS` (a `GLASSBOX_REGISTRY_ALIASES` entry or a `registryAliases` entry of
 * the Glassbox config file that cannot be used; the message names the entry).
 * Service errors are `AwsServiceError` instead, carrying the AWS error code.
 */
export type AwsErrorCode =
  | 'CREDENTIALS_NOT_FOUND'
  | 'CREDENTIALS_INVALID'
  | 'CREDENTIAL_PROCESS_FAILED'
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_INVALID'
  | 'ASSUME_ROLE_FAILED'
  | 'CONTAINER_CREDENTIALS_FAILED'
  | 'IMDS_FAILED'
  | 'WEB_IDENTITY_FAILED'
  | 'SSO_FAILED'
  | 'MISSING_REGION'
  | 'INVALID_REGION'
  | 'INVALID_ENDPOINT'
  | 'INVALID_CONFIGURATION'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'INVALID_RESPONSE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'SHARED_FILE_INVALID'
  | 'INVALID_REGISTRY_ALIAS';

/**
 * The error class of @glassbox/aws (and of @glassbox/ecr, which exports it as `EcrError`) for everything
 * that is not an AWS service error. Match on `code`. It is one class for both packages, and its `name`
 * stays `'EcrError'`, because code written before the split matches on `instanceof EcrError` and on that
 * name (the CLI maps exit codes by `name` and `code`).
 *
 * @example
 * ```ts
 * try {
 *   await getAuthorizationToken({ region: 'us-east-1' });
 * } catch (error) {
 *   if (error instanceof AwsError && error.code === 'CREDENTIALS_NOT_FOUND') console.error(error.message);
 * }
 * ```
 */
export class AwsError extends Error {
  /** The stable code: see {@link AwsErrorCode}. */
  readonly code: AwsErrorCode;

  constructor(code: AwsErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages quote what sources and services said; every one passes the one redaction, once, here.
    super(redactSecrets(message), options);
    this.name = 'EcrError';
    this.code = code;
  }
}
