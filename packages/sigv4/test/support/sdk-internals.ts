// Packages of the AWS SDK that the tests use as peers but that are not direct dependencies: they
// are resolved from @aws-sdk/client-s3, which depends on them, so the peer is exactly the code
// the S3 client runs.
import { createRequire } from 'node:module';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest, RequestPresigningArguments, RequestSigningArguments } from '@smithy/types';

const fromS3Client = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-s3'));

/** The shape of `@aws-sdk/signature-v4-multi-region`'s `SignatureV4SignWithCredentials`. */
export interface SignatureV4SignWithCredentials extends SignatureV4 {
  signWithCredentials(request: HttpRequest, credentials: AwsCredentialIdentity, options?: RequestSigningArguments): Promise<HttpRequest>;
  presignWithCredentials(
    request: HttpRequest,
    credentials: AwsCredentialIdentity,
    options?: RequestPresigningArguments,
  ): Promise<HttpRequest>;
}

/** `@aws-sdk/signature-v4-multi-region`'s `SignatureV4SignWithCredentials`, the S3 client's own signer class (S3 Express). */
export const SignatureV4SignWithCredentials = (
  fromS3Client('@aws-sdk/signature-v4-multi-region') as {
    SignatureV4SignWithCredentials: new (init: ConstructorParameters<typeof SignatureV4>[0]) => SignatureV4SignWithCredentials;
  }
).SignatureV4SignWithCredentials;
