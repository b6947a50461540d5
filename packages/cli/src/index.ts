/**
 * @glassbox/cli — the `glassbox` command line: sign, presign, verify and diff any AWS request from the
 * terminal, log in to Amazon ECR without the AWS CLI or a Docker daemon, and `glassbox demo`, the
 * whole story offline. Programmatic use is for tests and embedding: {@link main} runs the CLI with
 * injected streams.
 *
 * @example
 * ```ts
 * import { main, processIo } from '@glassbox/cli';
 * process.exitCode = await main(['sign', '--help'], processIo());
 * ```
 * @packageDocumentation
 */
export { main, processIo, VERSION } from './program.ts';
export { ExitCode, EXIT_CODES_HELP } from './exit-codes.ts';
export type { ExitCodeValue } from './exit-codes.ts';
export { CliError } from './cli-error.ts';
export type { Io, OutputStream } from './output.ts';
export { inferScope } from './service-from-host.ts';
export type { InferredScope } from './service-from-host.ts';
// docker-credential-glassbox as a function: moved here from @glassbox/docker-config, which keeps only the protocol.
export { runCredentialHelper } from './helper/run-credential-helper.ts';
export type { CredentialHelperOptions, EcrTokenRequest, StdinSource, TextSink } from './helper/run-credential-helper.ts';
