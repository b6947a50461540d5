import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inferScope, isRegionName } from '../src/service-from-host.ts';

const rows: Array<[string, { service: string; region?: string } | undefined]> = [
  ['api.ecr.us-east-1.amazonaws.com', { service: 'ecr', region: 'us-east-1' }],
  ['api.ecr.cn-north-1.amazonaws.com.cn', { service: 'ecr', region: 'cn-north-1' }],
  ['ecr-fips.us-gov-west-1.amazonaws.com', { service: 'ecr', region: 'us-gov-west-1' }],
  ['api.ecr-public.us-east-1.amazonaws.com', { service: 'ecr-public', region: 'us-east-1' }],
  ['sts.amazonaws.com', { service: 'sts', region: 'us-east-1' }],
  ['sts.eu-west-1.amazonaws.com', { service: 'sts', region: 'eu-west-1' }],
  ['iam.amazonaws.com', { service: 'iam', region: 'us-east-1' }],
  ['s3.amazonaws.com', { service: 's3', region: 'us-east-1' }],
  ['my-bucket.s3.amazonaws.com', { service: 's3', region: 'us-east-1' }],
  ['my-bucket.s3.eu-west-1.amazonaws.com', { service: 's3', region: 'eu-west-1' }],
  ['my-bucket.s3-eu-west-1.amazonaws.com', { service: 's3', region: 'eu-west-1' }],
  ['my.dotted.bucket.s3.dualstack.ap-south-1.amazonaws.com', { service: 's3', region: 'ap-south-1' }],
  ['s3-external-1.amazonaws.com', { service: 's3', region: 'us-east-1' }],
  ['abc123.execute-api.eu-central-1.amazonaws.com', { service: 'execute-api', region: 'eu-central-1' }],
  ['runtime.sagemaker.us-west-2.amazonaws.com', { service: 'sagemaker', region: 'us-west-2' }],
  ['email.us-east-1.amazonaws.com', { service: 'ses', region: 'us-east-1' }],
  ['dynamodb.us-east-1.amazonaws.com', { service: 'dynamodb', region: 'us-east-1' }],
  ['DynamoDB.US-EAST-1.amazonaws.com.', { service: 'dynamodb', region: 'us-east-1' }],
  ['example.amazonaws.com', { service: 'example' }],
  ['127.0.0.1', undefined],
  ['example.com', undefined],
  ['api.ecr.us-east-1.amazonaws.com.example.com', undefined],
];
for (const [host, expected] of rows) {
  test(`inferScope(${host})`, () => assert.equal(inferScope(host), expected));
}

test('isRegionName accepts region shapes only', () => {
  for (const ok of ['us-east-1', 'eu-west-2', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'us-isob-east-1'])
    assert.ok(isRegionName(ok), ok);
  for (const bad of ['us_east_1', 'moon', 'US-EAST-1', 'us-east', '', 'us-east-1 ']) assert.not.ok(isRegionName(bad), bad);
});

// The region grammar is the partitions' own (@glassbox/aws/regions): the European Sovereign Cloud's
// regions and hosts are recognised, which the CLI's former copy of the grammar refused.
test('isRegionName accepts the aws-eusc partition’s region eusc-de-east-1', () => {
  assert.ok(isRegionName('eusc-de-east-1'));
});

const euscRows: Array<[string, { service: string; region?: string } | undefined]> = [
  ['sts.eusc-de-east-1.amazonaws.eu', { service: 'sts', region: 'eusc-de-east-1' }],
  ['api.ecr.eusc-de-east-1.amazonaws.eu', { service: 'ecr', region: 'eusc-de-east-1' }],
  ['my-bucket.s3.eusc-de-east-1.amazonaws.eu', { service: 's3', region: 'eusc-de-east-1' }],
  ['ecr.eusc-de-east-1.api.amazonwebservices.eu', { service: 'ecr', region: 'eusc-de-east-1' }],
  ['iam.amazonaws.eu', { service: 'iam' }],
];
for (const [host, expected] of euscRows) {
  test(`inferScope(${host}): a host of the aws-eusc partition`, () => assert.equal(inferScope(host), expected));
}
test.run();
