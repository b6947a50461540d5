// Step 3a, the credential scope: date/region/service/aws4_request, as the suite and smithy write it.
import { createScope } from '@smithy/signature-v4';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentialScope } from '@glassbox/sigv4';
import { loadVectors, suiteParameters } from '../../../test/vectors.ts';

test('gives the scope on line 3 of every suite string to sign', () => {
  const scope = credentialScope(suiteParameters.date.slice(0, 8), suiteParameters.region, suiteParameters.service);
  for (const vector of loadVectors()) assert.is(scope, vector.sts.split('\n')[2], vector.name);
});

const table: [date: string, region: string, service: string, expected: string][] = [
  // The IAM example of the AWS SigV4 documentation.
  ['20150830', 'us-east-1', 'iam', '20150830/us-east-1/iam/aws4_request'],
  ['20260101', 'eu-west-3', 'ecr', '20260101/eu-west-3/ecr/aws4_request'],
  ['20130524', 'us-east-1', 's3', '20130524/us-east-1/s3/aws4_request'],
];
for (const [date, region, service, expected] of table) {
  test(`scopes ${service} in ${region} on ${date} as ${expected}`, () => {
    assert.is(credentialScope(date, region, service), expected);
    assert.is(credentialScope(date, region, service), createScope(date, region, service));
  });
}

test.run();
