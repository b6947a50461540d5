/**
 * `docker-credential-glassbox --help`: what the helper does, the variables it reads and its token cache,
 * wrapped to fit a terminal. Written as paragraphs and term/definition pairs and wrapped here, so no
 * sentence carries a hard newline of its own.
 */
import { REFRESH_FRACTION } from '@glassbox/docker-config/token-cache';

/** Lines are wrapped to this many columns. */
const WIDTH = 78;
/** Definitions start at this column. */
const INDENT = 11;

/** Words of `text` joined into lines of at most `width` columns, each after `indent` (a longer word stands alone). */
function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A term and its definition: the term in the margin, the definition wrapped beside it (below, when the term is long). */
function definition(term: string, text: string): string[] {
  const pad = ' '.repeat(INDENT);
  const head = `  ${term}`;
  if (head.length < INDENT - 1) return wrap(text, WIDTH, pad, head.padEnd(INDENT));
  return [...wrap(term, WIDTH, '  '), ...wrap(text, WIDTH, pad)];
}

/**
 * The help text, ending with a newline.
 *
 * @example
 * ```ts
 * process.stdout.write(helperHelp('docker-credential-glassbox'));
 * ```
 */
export function helperHelp(program: string): string {
  const freshHours = 12 * (1 - REFRESH_FRACTION);
  const blocks: string[][] = [
    [`Usage: ${program} <store|get|erase|list|version>`],
    wrap(
      "Docker's credential helper for Amazon ECR and ECR Public. Docker runs it with the action as the only " +
        'argument and the registry on stdin, and reads the answer on stdout; errors are text on stdout with exit ' +
        'status 1 (3 for a token ECR should never have issued). Route registries to it in ~/.docker/config.json ' +
        'with "credHelpers": { "<registry host>": "glassbox" }, or run `glassbox ecr configure-helper`.',
      WIDTH,
      '',
    ),
    [
      'Actions:',
      ...definition(
        'get',
        'Prints {"ServerURL","Username","Secret"} for the ECR registry read on stdin, from the cache or from GetAuthorizationToken. Any other host gets "credentials not found in native keychain".',
      ),
      ...definition('store', 'Accepted and ignored for ECR hosts (the password comes from AWS credentials); refused for any other host.'),
      ...definition('erase', 'The same: accepted for ECR hosts, "not found" for others.'),
      ...definition('list', 'Prints the registries with a valid cached token for the current identity (no network call).'),
      ...definition('version', 'Prints the version.'),
    ],
    [
      'Environment:',
      ...definition(
        'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN',
        'Keys to sign with; first in the credential chain, ahead of any profile.',
      ),
      ...definition(
        'AWS_PROFILE, AWS_DEFAULT_PROFILE',
        'The profile of the AWS config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE; default ~/.aws/config and ~/.aws/credentials).',
      ),
      ...definition(
        'AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI',
        'Web identity and container credentials, as the AWS SDKs read them.',
      ),
      ...definition(
        'AWS_REGION',
        'Not used for the registry: its region is the one in the host name. The credential chain may use it (STS for a role).',
      ),
      ...definition(
        'AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_ECR_PUBLIC, AWS_ENDPOINT_URL',
        'Another ECR endpoint (a local emulator, a VPC endpoint); AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT pick those variants.',
      ),
      ...definition('HTTPS_PROXY, NO_PROXY, AWS_CA_BUNDLE', 'The proxy and the CA bundle for the call to ECR.'),
      ...definition(
        'GLASSBOX_REGISTRY_ALIASES',
        'host[:port]=<ECR registry host> pairs, comma-separated: serve a host that is not ECR-shaped the token of the registry it names. Aliases are also read from $XDG_CONFIG_HOME/glassbox/config.json (else ~/.config/glassbox/config.json), "registryAliases"; the variable wins per host.',
      ),
      ...definition('GLASSBOX_CACHE_DIR, XDG_CACHE_HOME', 'Where the token cache lives (see Cache).'),
      ...definition('HOME', 'The home folder (~ above): the AWS files, the alias file and the cache default to places in it.'),
      ...definition(
        'GLASSBOX_LOG',
        'A file to append one line per request to (mode 0600): cache hits and misses, aliases, failures, the identity. Never a secret; stdout stays the protocol.',
      ),
    ],
    [
      'Cache:',
      ...wrap(
        'Tokens are kept in GLASSBOX_CACHE_DIR, else $XDG_CACHE_HOME/glassbox, else ~/.cache/glassbox, one file ' +
          'per registry and identity: ecr-<registry-host>-<identity-hash>.json, mode 0600, in a 0700 folder. The ' +
          'identity is who the credential chain signs in as, without secrets: the profile and its role or source ' +
          'settings, the config file, the web identity or container settings, or the access key ID of keys in the ' +
          'environment; so rotating temporary credentials keep the same entry, and another profile or role gets its own.',
        WIDTH,
        '  ',
      ),
      '',
      ...wrap(
        `An entry is fresh until a quarter of its lifetime remains (${freshHours} hours of a 12-hour ECR token); then the next get asks ECR again. ` +
          'If ECR cannot be reached, an entry still valid for a minute or more is served with a warning. An alias and the registry it names share one entry.',
        WIDTH,
        '  ',
      ),
      '',
      ...wrap(
        `To clear it, delete the files: rm ~/.cache/glassbox/ecr-*.json (or those in the folder above). \`${program} list\` shows what is cached.`,
        WIDTH,
        '  ',
      ),
    ],
  ];
  return blocks.map((block) => block.join('\n')).join('\n\n') + '\n';
}
