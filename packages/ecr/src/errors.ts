/**
 * The error class of @glassbox/ecr is the one of @glassbox/aws: the credential chain and the transport
 * moved there, and an `instanceof EcrError` check must keep matching what they throw.
 */
export { AwsError as EcrError } from '@glassbox/aws/errors';
export type { AwsErrorCode as EcrErrorCode } from '@glassbox/aws/errors';
