/**
 * The example key pair from the AWS documentation ("Understanding and getting your AWS credentials"). It is
 * published, grants nothing anywhere, and only Glassbox's local ECR emulator accepts it: `glassbox demo`
 * signs with it, and `glassbox emulator` accepts it unless told another key.
 */
export const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;
