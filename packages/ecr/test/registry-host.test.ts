import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRegistryHost, registryEndpointAuthority, registryHostname, type RegistryHost } from '../src/registry-host.ts';

const A = '123456789012';
const ecr = (host: string, region: string, partition: string, extra: Partial<RegistryHost> = {}): RegistryHost => ({
  host,
  account: A,
  region,
  partition,
  fips: false,
  dualStack: false,
  public: false,
  ...extra,
});
const pub = (host: string, dualStack: boolean): RegistryHost => ({
  host,
  region: 'us-east-1',
  partition: 'aws',
  fips: false,
  dualStack,
  public: true,
});

const vpce = (label: string, region: string, partition: string, cn = ''): RegistryHost => ({
  host: `${label}.dkr.ecr.${region}.vpce.amazonaws.com${cn}`,
  region,
  partition,
  fips: false,
  dualStack: false,
  public: false,
  vpcEndpoint: label,
});

// [input, expected]; undefined means "not an ECR registry".
const rows: Array<[string, RegistryHost | undefined]> = [
  // Standard commercial hosts, bare and dressed up as Docker and users write them.
  [`${A}.dkr.ecr.us-east-1.amazonaws.com`, ecr(`${A}.dkr.ecr.us-east-1.amazonaws.com`, 'us-east-1', 'aws')],
  [`https://${A}.dkr.ecr.eu-west-1.amazonaws.com`, ecr(`${A}.dkr.ecr.eu-west-1.amazonaws.com`, 'eu-west-1', 'aws')],
  [`http://${A}.dkr.ecr.eu-west-1.amazonaws.com/`, ecr(`${A}.dkr.ecr.eu-west-1.amazonaws.com`, 'eu-west-1', 'aws')],
  [`${A}.dkr.ecr.ap-southeast-2.amazonaws.com/team/app:1.2`, ecr(`${A}.dkr.ecr.ap-southeast-2.amazonaws.com`, 'ap-southeast-2', 'aws')],
  [`https://${A}.dkr.ecr.us-west-2.amazonaws.com/v2/app/manifests/latest`, ecr(`${A}.dkr.ecr.us-west-2.amazonaws.com`, 'us-west-2', 'aws')],
  [`${A}.dkr.ecr.us-west-2.amazonaws.com:443`, ecr(`${A}.dkr.ecr.us-west-2.amazonaws.com`, 'us-west-2', 'aws')],
  [`https://${A}.dkr.ecr.us-west-2.amazonaws.com:443/v2/`, ecr(`${A}.dkr.ecr.us-west-2.amazonaws.com`, 'us-west-2', 'aws')],
  [`${A}.DKR.ECR.US-EAST-2.AMAZONAWS.COM`, ecr(`${A}.dkr.ecr.us-east-2.amazonaws.com`, 'us-east-2', 'aws')],
  [`  ${A}.dkr.ecr.us-east-1.amazonaws.com  `, ecr(`${A}.dkr.ecr.us-east-1.amazonaws.com`, 'us-east-1', 'aws')],
  [`${A}.dkr.ecr.us-east-1.amazonaws.com.`, ecr(`${A}.dkr.ecr.us-east-1.amazonaws.com`, 'us-east-1', 'aws')],
  [`${A}.dkr.ecr.il-central-1.amazonaws.com`, ecr(`${A}.dkr.ecr.il-central-1.amazonaws.com`, 'il-central-1', 'aws')],
  // FIPS, GovCloud, China, dual-stack.
  [`${A}.dkr.ecr-fips.us-east-1.amazonaws.com`, ecr(`${A}.dkr.ecr-fips.us-east-1.amazonaws.com`, 'us-east-1', 'aws', { fips: true })],
  [`${A}.dkr.ecr.us-gov-west-1.amazonaws.com`, ecr(`${A}.dkr.ecr.us-gov-west-1.amazonaws.com`, 'us-gov-west-1', 'aws-us-gov')],
  [
    `${A}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`,
    ecr(`${A}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`, 'us-gov-west-1', 'aws-us-gov', { fips: true }),
  ],
  [`${A}.dkr.ecr.cn-north-1.amazonaws.com.cn`, ecr(`${A}.dkr.ecr.cn-north-1.amazonaws.com.cn`, 'cn-north-1', 'aws-cn')],
  [
    `https://${A}.dkr.ecr.cn-northwest-1.amazonaws.com.cn/repo`,
    ecr(`${A}.dkr.ecr.cn-northwest-1.amazonaws.com.cn`, 'cn-northwest-1', 'aws-cn'),
  ],
  [`${A}.dkr-ecr.us-west-2.on.aws`, ecr(`${A}.dkr-ecr.us-west-2.on.aws`, 'us-west-2', 'aws', { dualStack: true })],
  [`${A}.dkr-ecr-fips.us-west-2.on.aws`, ecr(`${A}.dkr-ecr-fips.us-west-2.on.aws`, 'us-west-2', 'aws', { dualStack: true, fips: true })],
  [`${A}.dkr-ecr.us-gov-east-1.on.aws`, ecr(`${A}.dkr-ecr.us-gov-east-1.on.aws`, 'us-gov-east-1', 'aws-us-gov', { dualStack: true })],
  [
    `${A}.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn`,
    ecr(`${A}.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn`, 'cn-north-1', 'aws-cn', { dualStack: true }),
  ],
  // Isolated and sovereign partitions.
  [`${A}.dkr.ecr.us-iso-east-1.c2s.ic.gov`, ecr(`${A}.dkr.ecr.us-iso-east-1.c2s.ic.gov`, 'us-iso-east-1', 'aws-iso')],
  [`${A}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov`, ecr(`${A}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov`, 'us-isob-east-1', 'aws-iso-b')],
  [`${A}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk`, ecr(`${A}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk`, 'eu-isoe-west-1', 'aws-iso-e')],
  [`${A}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov`, ecr(`${A}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov`, 'us-isof-south-1', 'aws-iso-f')],
  [`${A}.dkr.ecr.eusc-de-east-1.amazonaws.eu`, ecr(`${A}.dkr.ecr.eusc-de-east-1.amazonaws.eu`, 'eusc-de-east-1', 'aws-eusc')],
  // ECR Public.
  ['public.ecr.aws', pub('public.ecr.aws', false)],
  ['https://public.ecr.aws/docker/library/alpine', pub('public.ecr.aws', false)],
  ['public.ecr.aws/nginx/nginx:latest', pub('public.ecr.aws', false)],
  ['ecr-public.aws.com', pub('ecr-public.aws.com', true)],
  ['https://ECR-PUBLIC.aws.com/v2/', pub('ecr-public.aws.com', true)],
  // Interface VPC endpoint names (private DNS off): Regional and zonal, GovCloud, China; no account in them.
  ['vpce-0a1b2c3d4e5f67890-abcd1234.dkr.ecr.eu-west-1.vpce.amazonaws.com', vpce('vpce-0a1b2c3d4e5f67890-abcd1234', 'eu-west-1', 'aws')],
  [
    'https://vpce-0a1b2c3d4e5f67890-abcd1234.dkr.ecr.eu-west-1.vpce.amazonaws.com/v2/app',
    vpce('vpce-0a1b2c3d4e5f67890-abcd1234', 'eu-west-1', 'aws'),
  ],
  [
    'vpce-0a1b2c3d4e5f67890-abcd1234-eu-west-1a.dkr.ecr.eu-west-1.vpce.amazonaws.com',
    vpce('vpce-0a1b2c3d4e5f67890-abcd1234-eu-west-1a', 'eu-west-1', 'aws'),
  ],
  ['VPCE-1A2B3C4D-5E6F.DKR.ECR.US-EAST-1.VPCE.AMAZONAWS.COM:443', vpce('vpce-1a2b3c4d-5e6f', 'us-east-1', 'aws')],
  ['vpce-1a2b3c4d.dkr.ecr.us-gov-west-1.vpce.amazonaws.com', vpce('vpce-1a2b3c4d', 'us-gov-west-1', 'aws-us-gov')],
  ['vpce-1a2b3c4d-5e6f.dkr.ecr.cn-north-1.vpce.amazonaws.com.cn', vpce('vpce-1a2b3c4d-5e6f', 'cn-north-1', 'aws-cn', '.cn')],
  // ...but not the API endpoint's names, look-alikes, or names missing the service or the vpce label.
  ['vpce-1a2b3c4d-5e6f.api.ecr.us-east-1.vpce.amazonaws.com', undefined],
  ['vpce-1a2b3c4d-5e6f.dkr.ecr.us-east-1.vpce.amazonaws.com.example.com', undefined],
  ['evil.vpce-1a2b3c4d-5e6f.dkr.ecr.us-east-1.vpce.amazonaws.com', undefined],
  ['vpce-1a2b3c4d-5e6f.dkr.ecr.us-east-1.amazonaws.com', undefined],
  ['vpce-.dkr.ecr.us-east-1.vpce.amazonaws.com', undefined],
  ['vpce-1a2b3c4d.ecr.us-east-1.vpce.amazonaws.com', undefined],
  ['vpc-1a2b3c4d.dkr.ecr.us-east-1.vpce.amazonaws.com', undefined],
  ['vpce-1a2b3c4d.dkr.ecr.us.east.1.vpce.amazonaws.com', undefined],
  // Look-alikes and near misses.
  [`${A}.dkr.ecr.us-east-1.amazonaws.com.example.com`, undefined],
  [`${A}.dkr.ecr.us-east-1.amazonaws.com.cn.evil.example`, undefined],
  [`evil.${A}.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  [`12345678901.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  [`1234567890123.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  [`abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  [`${A}.dkr.ecr.amazonaws.com`, undefined],
  [`${A}.dkr.ecr.us-east-1.example.com`, undefined],
  [`${A}.ecr.us-east-1.amazonaws.com`, undefined],
  [`${A}.dkr.ecr-fips.us-east-1.amazonaws.co`, undefined],
  [`${A}.dkr.ecr.us.east.1.amazonaws.com`, undefined],
  [`user@${A}.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  ['public.ecr.aws.example.com', undefined],
  ['notpublic.ecr.aws', undefined],
  ['ecr.aws', undefined],
  ['docker.io', undefined],
  ['registry-1.docker.io/library/alpine', undefined],
  ['localhost:5000', undefined],
  ['127.0.0.1:5000', undefined],
  ['[::1]:5000', undefined],
  ['', undefined],
  ['https://', undefined],
];

test(`parses ${rows.length} registry hosts as the credential helper's grammar says`, () => {
  assert.ok(rows.length >= 30);
  for (const [input, expected] of rows) {
    assert.equal(parseRegistryHost(input), expected, `input: ${JSON.stringify(input)}`);
  }
});

test('ECR Public hosts carry no account', () => {
  assert.not.ok('account' in (parseRegistryHost('public.ecr.aws') as object));
});

test('VPC endpoint names carry no account: it comes from an alias or the token', () => {
  assert.not.ok('account' in (parseRegistryHost('vpce-1a2b3c4d-5e6f.dkr.ecr.us-east-1.vpce.amazonaws.com') as object));
});

test('non-string input is not a registry rather than a TypeError', () => {
  assert.is(parseRegistryHost(undefined as unknown as string), undefined);
  assert.is(parseRegistryHost(42 as unknown as string), undefined);
});

// Hosts that contain "ecr" without being ECR: the credential helper once let every one of them through to a
// second parse (`includes('ecr')`); the one parser says no at once.
const containsEcr: string[] = [
  'ecr.example.com',
  'my-ecr-mirror.corp.example',
  'https://ecr.internal:5000/v2/',
  'registry.example/ecr/app',
  'secret.example.org',
  'dkr.ecr.us-east-1.amazonaws.com',
  'public.ecr.aws.evil.example',
];

test('hosts that merely contain "ecr" are not ECR', () => {
  for (const input of containsEcr) assert.is(parseRegistryHost(input), undefined, input);
});

// [input, hostname]: what Docker keys credentials on; undefined when the input names no host.
const hostnames: Array<[string, string | undefined]> = [
  [`${A}.dkr.ecr.eu-west-1.amazonaws.com`, `${A}.dkr.ecr.eu-west-1.amazonaws.com`],
  [`https://${A}.dkr.ecr.eu-west-1.amazonaws.com:443/v2/app?x=1#f`, `${A}.dkr.ecr.eu-west-1.amazonaws.com`],
  [`HTTP://${A}.DKR-ECR.US-WEST-2.ON.AWS/`, `${A}.dkr-ecr.us-west-2.on.aws`],
  [`${A}.dkr.ecr-fips.us-gov-west-1.amazonaws.com.`, `${A}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`],
  [`${A}.dkr.ecr.cn-north-1.amazonaws.com.cn/repo:tag`, `${A}.dkr.ecr.cn-north-1.amazonaws.com.cn`],
  [`${A}.dkr.ecr.eusc-de-east-1.amazonaws.eu`, `${A}.dkr.ecr.eusc-de-east-1.amazonaws.eu`],
  ['public.ecr.aws/nginx/nginx:latest', 'public.ecr.aws'],
  ['  localhost:5000  ', 'localhost'],
  ['ecr.example.com:8443/v2/', 'ecr.example.com'],
  ['index.docker.io/v1/', 'index.docker.io'],
  [`user@${A}.dkr.ecr.us-east-1.amazonaws.com`, undefined],
  ['[::1]:5000', undefined],
  ['https://', undefined],
  ['', undefined],
];

test('registryHostname drops scheme, port, path and a final dot, and lower-cases', () => {
  for (const [input, expected] of hostnames) assert.is(registryHostname(input), expected, JSON.stringify(input));
});

// [proxyEndpoint, host[:port]]: only `https://` plus a DNS name, a port and at most a slash.
const endpoints: Array<[string, string | undefined]> = [
  [`https://${A}.dkr.ecr.eu-west-1.amazonaws.com`, `${A}.dkr.ecr.eu-west-1.amazonaws.com`],
  [`https://${A}.DKR.ECR.EU-WEST-1.AMAZONAWS.COM/`, `${A}.dkr.ecr.eu-west-1.amazonaws.com`],
  ['https://public.ecr.aws', 'public.ecr.aws'],
  ['https://127.0.0.1:5000/', '127.0.0.1:5000'],
  [`http://${A}.dkr.ecr.eu-west-1.amazonaws.com`, undefined],
  [`https://${A}.dkr.ecr.eu-west-1.amazonaws.com/v2/`, undefined],
  [`https://user@${A}.dkr.ecr.eu-west-1.amazonaws.com`, undefined],
  [`https://${A}.dkr.ecr.eu-west-1.amazonaws.com\n`, undefined],
  ['https://a"b.example', undefined],
  [`${A}.dkr.ecr.eu-west-1.amazonaws.com`, undefined],
];

test('registryEndpointAuthority accepts only an https:// URL naming a host (and port)', () => {
  for (const [input, expected] of endpoints) assert.is(registryEndpointAuthority(input), expected, JSON.stringify(input));
});

test("registry-host.ts imports nothing: it is the helper's warm-path parser", () => {
  const text = readFileSync(new URL('../src/registry-host.ts', import.meta.url), 'utf8');
  assert.not.match(text, /^\s*import\b|\bimport\(|\brequire\(/m);
});

test.run();
