import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrError } from '../src/errors.ts';
import { endpointFromRules, partitionOf, resolveEndpoint, resolveRegion, type ResolveEndpointOptions } from '../src/endpoints.ts';

// The rule set's outputs, written out by hand from the tables in the reference notes (§1.2, §1.7).
const ruleRows: Array<[service: 'ecr' | 'ecr-public', region: string, fips: boolean, dualStack: boolean, url: string]> = [
  ['ecr', 'us-east-1', false, false, 'https://api.ecr.us-east-1.amazonaws.com'],
  ['ecr', 'us-east-1', true, false, 'https://api.ecr-fips.us-east-1.amazonaws.com'],
  ['ecr', 'us-east-1', false, true, 'https://ecr.us-east-1.api.aws'],
  ['ecr', 'us-east-1', true, true, 'https://ecr-fips.us-east-1.api.aws'],
  ['ecr', 'eu-central-2', false, false, 'https://api.ecr.eu-central-2.amazonaws.com'],
  ['ecr', 'mx-central-1', false, false, 'https://api.ecr.mx-central-1.amazonaws.com'],
  ['ecr', 'cn-north-1', false, false, 'https://api.ecr.cn-north-1.amazonaws.com.cn'],
  ['ecr', 'cn-north-1', true, false, 'https://api.ecr-fips.cn-north-1.amazonaws.com.cn'],
  ['ecr', 'cn-northwest-1', false, true, 'https://ecr.cn-northwest-1.api.amazonwebservices.com.cn'],
  ['ecr', 'us-gov-west-1', false, false, 'https://api.ecr.us-gov-west-1.amazonaws.com'],
  ['ecr', 'us-gov-west-1', true, false, 'https://api.ecr-fips.us-gov-west-1.amazonaws.com'],
  ['ecr', 'us-gov-east-1', false, true, 'https://ecr.us-gov-east-1.api.aws'],
  ['ecr', 'us-gov-east-1', true, true, 'https://ecr-fips.us-gov-east-1.api.aws'],
  ['ecr', 'us-iso-east-1', false, false, 'https://api.ecr.us-iso-east-1.c2s.ic.gov'],
  ['ecr', 'us-iso-east-1', false, true, 'https://ecr.us-iso-east-1.api.aws.ic.gov'],
  ['ecr', 'us-isob-east-1', false, false, 'https://api.ecr.us-isob-east-1.sc2s.sgov.gov'],
  ['ecr', 'us-isob-east-1', false, true, 'https://ecr.us-isob-east-1.api.aws.scloud'],
  ['ecr', 'eu-isoe-west-1', false, false, 'https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk'],
  ['ecr', 'eu-isoe-west-1', false, true, 'https://ecr.eu-isoe-west-1.api.cloud-aws.adc-e.uk'],
  ['ecr', 'us-isof-south-1', false, false, 'https://api.ecr.us-isof-south-1.csp.hci.ic.gov'],
  ['ecr', 'us-isof-south-1', false, true, 'https://ecr.us-isof-south-1.api.aws.hci.ic.gov'],
  ['ecr', 'eusc-de-east-1', false, false, 'https://api.ecr.eusc-de-east-1.amazonaws.eu'],
  ['ecr', 'eusc-de-east-1', false, true, 'https://ecr.eusc-de-east-1.api.amazonwebservices.eu'],
  // A region no partition names or matches falls back to aws.
  ['ecr', 'mars-north-1', false, false, 'https://api.ecr.mars-north-1.amazonaws.com'],
  ['ecr-public', 'us-east-1', false, false, 'https://api.ecr-public.us-east-1.amazonaws.com'],
  ['ecr-public', 'us-east-1', false, true, 'https://ecr-public.us-east-1.api.aws'],
  ['ecr-public', 'us-east-1', true, false, 'https://api.ecr-public-fips.us-east-1.amazonaws.com'],
  ['ecr-public', 'us-east-1', true, true, 'https://api.ecr-public-fips.us-east-1.api.aws'],
  ['ecr-public', 'cn-north-1', false, true, 'https://api.ecr-public.cn-north-1.api.amazonwebservices.com.cn'],
];

test('the rule set gives the endpoint table of the reference notes', () => {
  for (const [service, region, fips, dualStack, url] of ruleRows) {
    assert.is(endpointFromRules({ service, region, fips, dualStack }), url, `${service} ${region} fips=${fips} dualStack=${dualStack}`);
  }
});

test('the AWS SDK for JavaScript resolves every ECR row of the table the same way', () => {
  // A peer we did not write: @aws-sdk/client-ecr's own compiled rule set.
  const client = new ECRClient({ region: 'us-east-1' });
  try {
    for (const [service, region, fips, dualStack, url] of ruleRows) {
      if (service !== 'ecr') continue;
      const theirs = client.config.endpointProvider({ Region: region, UseFIPS: fips, UseDualStack: dualStack });
      assert.is(theirs.url.href, new URL(url).href, `${region} fips=${fips} dualStack=${dualStack}`);
    }
  } finally {
    client.destroy();
  }
});

test('partitions: a region listed by name wins over the regexes', () => {
  assert.is(partitionOf('us-gov-west-1').id, 'aws-us-gov');
  assert.is(partitionOf('us-iso-west-1').id, 'aws-iso');
  assert.is(partitionOf('aws-global').id, 'aws');
  assert.is(partitionOf('cn-south-9').id, 'aws-cn');
  assert.is(partitionOf('us-gov-south-9').id, 'aws-us-gov');
  assert.is(partitionOf('nowhere').id, 'aws');
});

// resolveEndpoint rows: [description, options, expected url | error code, expected source/region checks]
type Row = [
  string,
  ResolveEndpointOptions,
  { url?: string; code?: string; source?: string; region?: string; regionSource?: string; service?: string },
];
const resolveRows: Row[] = [
  [
    'region option',
    { region: 'eu-west-1' },
    { url: 'https://api.ecr.eu-west-1.amazonaws.com/', source: 'rules', region: 'eu-west-1', regionSource: 'option' },
  ],
  [
    'AWS_REGION beats AWS_DEFAULT_REGION',
    { env: { AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-3' } },
    { region: 'eu-west-2', regionSource: 'AWS_REGION' },
  ],
  ['AWS_DEFAULT_REGION', { env: { AWS_DEFAULT_REGION: 'eu-west-3' } }, { region: 'eu-west-3', regionSource: 'AWS_DEFAULT_REGION' }],
  [
    'empty AWS_REGION is unset',
    { env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-3' } },
    { region: 'eu-west-3', regionSource: 'AWS_DEFAULT_REGION' },
  ],
  ['option beats environment', { region: 'sa-east-1', env: { AWS_REGION: 'eu-west-2' } }, { region: 'sa-east-1', regionSource: 'option' }],
  [
    'environment beats profile',
    { env: { AWS_REGION: 'eu-west-2' }, profile: { region: 'ap-south-1' } },
    { region: 'eu-west-2', regionSource: 'AWS_REGION' },
  ],
  [
    'profile region',
    { profile: { region: 'ap-south-1' } },
    { url: 'https://api.ecr.ap-south-1.amazonaws.com/', region: 'ap-south-1', regionSource: 'profile' },
  ],
  [
    'profile beats registry host',
    { profile: { region: 'ap-south-1' }, registry: '123456789012.dkr.ecr.eu-north-1.amazonaws.com' },
    { region: 'ap-south-1', regionSource: 'profile' },
  ],
  [
    'registry host region as last resort',
    { registry: 'https://123456789012.dkr.ecr.eu-north-1.amazonaws.com/app' },
    { url: 'https://api.ecr.eu-north-1.amazonaws.com/', regionSource: 'registry' },
  ],
  [
    'FIPS registry host implies the FIPS API',
    { registry: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com' },
    { url: 'https://api.ecr-fips.us-gov-west-1.amazonaws.com/' },
  ],
  [
    'China registry host',
    { registry: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn' },
    { url: 'https://api.ecr.cn-north-1.amazonaws.com.cn/' },
  ],
  [
    'public registry host means ECR Public in us-east-1',
    { registry: 'public.ecr.aws', env: { AWS_REGION: 'eu-west-1' } },
    { url: 'https://api.ecr-public.us-east-1.amazonaws.com/', service: 'ecr-public', regionSource: 'ecr-public' },
  ],
  [
    'public ignores AWS_REGION',
    { public: true, env: { AWS_REGION: 'eu-west-1' } },
    { url: 'https://api.ecr-public.us-east-1.amazonaws.com/', region: 'us-east-1' },
  ],
  [
    'public honours an explicit region',
    { public: true, region: 'us-west-2' },
    { url: 'https://api.ecr-public.us-west-2.amazonaws.com/', region: 'us-west-2' },
  ],
  [
    'AWS_USE_FIPS_ENDPOINT',
    { region: 'us-east-2', env: { AWS_USE_FIPS_ENDPOINT: 'TRUE' } },
    { url: 'https://api.ecr-fips.us-east-2.amazonaws.com/' },
  ],
  [
    'AWS_USE_DUALSTACK_ENDPOINT',
    { region: 'us-west-2', env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' } },
    { url: 'https://ecr.us-west-2.api.aws/' },
  ],
  [
    'both from env',
    { region: 'us-west-2', env: { AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_USE_FIPS_ENDPOINT: 'true' } },
    { url: 'https://ecr-fips.us-west-2.api.aws/' },
  ],
  [
    'profile use_fips_endpoint',
    { region: 'us-west-1', profile: { useFipsEndpoint: true } },
    { url: 'https://api.ecr-fips.us-west-1.amazonaws.com/' },
  ],
  [
    'profile use_dualstack_endpoint',
    { region: 'us-west-1', profile: { useDualstackEndpoint: true } },
    { url: 'https://ecr.us-west-1.api.aws/' },
  ],
  [
    'env false beats profile true',
    { region: 'us-west-1', env: { AWS_USE_FIPS_ENDPOINT: 'false' }, profile: { useFipsEndpoint: true } },
    { url: 'https://api.ecr.us-west-1.amazonaws.com/' },
  ],
  [
    'option false beats env true',
    { region: 'us-west-1', useFipsEndpoint: false, env: { AWS_USE_FIPS_ENDPOINT: 'true' } },
    { url: 'https://api.ecr.us-west-1.amazonaws.com/' },
  ],
  ['endpoint option', { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' }, { url: 'http://127.0.0.1:4566/', source: 'option' }],
  [
    'endpoint option keeps a path',
    { region: 'us-east-1', endpoint: 'https://proxy.example/ecr' },
    { url: 'https://proxy.example/ecr', source: 'option' },
  ],
  [
    'AWS_ENDPOINT_URL_ECR',
    { region: 'us-east-1', env: { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' } },
    { url: 'http://127.0.0.1:1/', source: 'AWS_ENDPOINT_URL_ECR' },
  ],
  [
    'AWS_ENDPOINT_URL_ECR_PUBLIC for public only',
    { public: true, env: { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://127.0.0.1:3' } },
    { url: 'http://127.0.0.1:3/', source: 'AWS_ENDPOINT_URL_ECR_PUBLIC' },
  ],
  [
    'AWS_ENDPOINT_URL_ECR does not apply to public',
    { public: true, env: { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' } },
    { url: 'https://api.ecr-public.us-east-1.amazonaws.com/', source: 'rules' },
  ],
  [
    'AWS_ENDPOINT_URL',
    { region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' } },
    { url: 'http://127.0.0.1:2/', source: 'AWS_ENDPOINT_URL' },
  ],
  [
    'env global beats profile service',
    { region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, profile: { serviceEndpointUrl: 'http://127.0.0.1:5' } },
    { source: 'AWS_ENDPOINT_URL' },
  ],
  [
    'profile services',
    { region: 'us-east-1', profile: { serviceEndpointUrl: 'http://127.0.0.1:5', endpointUrl: 'http://127.0.0.1:6' } },
    { url: 'http://127.0.0.1:5/', source: 'profile services' },
  ],
  [
    'profile endpoint_url',
    { region: 'us-east-1', profile: { endpointUrl: 'http://127.0.0.1:6' } },
    { url: 'http://127.0.0.1:6/', source: 'profile endpoint_url' },
  ],
  [
    'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    { region: 'us-east-1', env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' } },
    { url: 'https://api.ecr.us-east-1.amazonaws.com/', source: 'rules' },
  ],
  [
    'profile ignore_configured_endpoint_urls',
    { region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, profile: { ignoreConfiguredEndpointUrls: true } },
    { source: 'rules' },
  ],
  [
    'env ignore=false beats profile ignore=true',
    {
      region: 'us-east-1',
      env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' },
      profile: { ignoreConfiguredEndpointUrls: true },
    },
    { source: 'AWS_ENDPOINT_URL' },
  ],
  [
    'ignoring never drops the option',
    { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } },
    { url: 'http://127.0.0.1:9/', source: 'option' },
  ],
  [
    'custom endpoint + FIPS',
    { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', env: { AWS_USE_FIPS_ENDPOINT: 'true' } },
    { code: 'INVALID_CONFIGURATION' },
  ],
  [
    'custom endpoint + dual-stack',
    { region: 'us-east-1', env: { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' }, useDualstackEndpoint: true },
    { code: 'INVALID_CONFIGURATION' },
  ],
  ['missing region', { env: {} }, { code: 'MISSING_REGION' }],
  ['missing region with a custom endpoint', { endpoint: 'http://127.0.0.1:9' }, { code: 'MISSING_REGION' }],
  ['non-ECR registry gives no region', { registry: 'docker.io' }, { code: 'MISSING_REGION' }],
  ['a region cannot smuggle a host', { region: 'us-east-1.evil.example' }, { code: 'INVALID_REGION' }],
  ['a region cannot hold a slash', { env: { AWS_REGION: 'us-east-1/x' } }, { code: 'INVALID_REGION' }],
  ['bad boolean in env', { region: 'us-east-1', env: { AWS_USE_FIPS_ENDPOINT: 'yes' } }, { code: 'INVALID_CONFIGURATION' }],
  ['endpoint that is not a URL', { region: 'us-east-1', endpoint: 'localhost:4566' }, { code: 'INVALID_ENDPOINT' }],
  ['endpoint with credentials', { region: 'us-east-1', endpoint: 'https://user:pw@example.com' }, { code: 'INVALID_ENDPOINT' }],
  ['endpoint with an odd scheme', { region: 'us-east-1', endpoint: 'ftp://example.com' }, { code: 'INVALID_ENDPOINT' }],
];

test(`resolveEndpoint: ${resolveRows.length} rows of region, flag and override precedence`, () => {
  for (const [name, options, expected] of resolveRows) {
    if (expected.code) {
      try {
        resolveEndpoint(options);
        assert.unreachable(`${name}: expected ${expected.code}`);
      } catch (error) {
        assert.instance(error, EcrError, name);
        assert.is((error as EcrError).code, expected.code, name);
      }
      continue;
    }
    const resolved = resolveEndpoint(options);
    if (expected.url !== undefined) assert.is(resolved.url, expected.url, name);
    if (expected.source !== undefined) assert.is(resolved.source, expected.source, name);
    if (expected.region !== undefined) assert.is(resolved.region, expected.region, name);
    if (expected.regionSource !== undefined) assert.is(resolved.regionSource, expected.regionSource, name);
    if (expected.service !== undefined) assert.is(resolved.service, expected.service, name);
  }
});

test('the signing name follows the service, and the host carries a non-default port', () => {
  assert.is(resolveEndpoint({ region: 'us-east-1' }).service, 'ecr');
  assert.is(resolveEndpoint({ public: true }).service, 'ecr-public');
  assert.is(resolveEndpoint({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' }).host, '127.0.0.1:4566');
  assert.is(resolveEndpoint({ region: 'us-east-1', endpoint: 'https://example.com:443' }).host, 'example.com');
});

test('why explains each decision, including the FIPS host drift and ignored overrides', () => {
  const fips = resolveEndpoint({ region: 'us-east-1', env: { AWS_USE_FIPS_ENDPOINT: 'true' } });
  const text = fips.why.join('\n');
  assert.match(text, 'FIPS: from AWS_USE_FIPS_ENDPOINT');
  assert.match(text, 'ecr-fips.us-east-1.amazonaws.com');
  assert.match(text, 'partition aws');
  const ignored = resolveEndpoint({
    region: 'us-east-1',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' },
  });
  assert.match(ignored.why.join('\n'), 'configured endpoint from AWS_ENDPOINT_URL ignored');
});

test('warns when the region chosen is not the registry host’s', () => {
  const mismatch = resolveEndpoint({ registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', env: { AWS_REGION: 'us-east-1' } });
  assert.is(mismatch.region, 'us-east-1');
  assert.match(
    mismatch.why.join('\n'),
    'warning: the registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com is in eu-west-1, but the region us-east-1 came from AWS_REGION',
  );
  const match = resolveEndpoint({ registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', region: 'eu-west-1' });
  assert.not.match(match.why.join('\n'), 'warning');
});

test('the missing-region error says how to set one', () => {
  try {
    resolveRegion({});
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, 'Invalid Configuration: Missing Region');
    assert.match((error as Error).message, 'AWS_REGION');
  }
});

test.run();
