// `docker-credential-glassbox --help`: the variables the helper reads and its cache, wrapped for a terminal;
// without an action, or with an unknown one, the protocol's line on stdout and the help on stderr.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { helperHelp } from '../src/helper/helper-help.ts';
import { runCredentialHelper } from '../src/helper/run-credential-helper.ts';

const help = helperHelp('docker-credential-glassbox');
const lines = help.trimEnd().split('\n');

function sink(): { text: string; write(chunk: string): void } {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

test('starts with the usage line and has the four sections', () => {
  assert.is(lines[0], 'Usage: docker-credential-glassbox <store|get|erase|list|version>');
  for (const heading of ['Actions:', 'Environment:', 'Cache:']) assert.ok(lines.includes(heading), heading);
});

test('names every variable the helper reads', () => {
  const variables = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_REGION',
    'AWS_ENDPOINT_URL_ECR',
    'AWS_ENDPOINT_URL_ECR_PUBLIC',
    'HTTPS_PROXY',
    'GLASSBOX_REGISTRY_ALIASES',
    'XDG_CONFIG_HOME',
    'GLASSBOX_CACHE_DIR',
    'XDG_CACHE_HOME',
    'GLASSBOX_LOG',
    'HOME',
  ];
  for (const name of variables) assert.match(help, new RegExp(`\\b${name}\\b`), name);
  // ...and any variable a helper file reads later: `env['NAME']` or a quoted name in a list.
  const dir = new URL('../src/helper/', import.meta.url);
  for (const file of readdirSync(dir)) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [, name] of source.matchAll(/env\['([A-Z][A-Z0-9_]+)'\]|'((?:AWS|GLASSBOX|XDG)_[A-Z0-9_]+)'/g)) {
      if (name !== undefined) assert.match(help, new RegExp(`\\b${name}\\b`), `${file} reads ${name}, which --help does not name`);
    }
  }
});

test('says where the cache is, what it is keyed on, when it is refreshed and how to clear it', () => {
  const text = lines.join(' ').replace(/\s+/g, ' ');
  assert.match(text, 'Tokens are kept in GLASSBOX_CACHE_DIR, else $XDG_CACHE_HOME/glassbox, else ~/.cache/glassbox');
  assert.match(text, 'ecr-<registry-host>-<identity-hash>.json, mode 0600');
  assert.match(text, 'An entry is fresh until a quarter of its lifetime remains (9 hours of a 12-hour ECR token)');
  assert.match(text, 'To clear it, delete the files: rm ~/.cache/glassbox/ecr-*.json');
});

test('wrapped at 78 columns, and only where the next word would not fit', () => {
  for (const line of lines) assert.ok(line.length <= 78, `${line.length} columns: ${line}`);
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1]!;
    const line = lines[i]!;
    const indent = /^ */.exec(line)![0].length;
    // A continuation: same indent as the line before, which is not a heading; not a new `term    definition` line.
    if (
      line.trim() === '' ||
      previous.trim() === '' ||
      /^ */.exec(previous)![0].length !== indent ||
      previous.endsWith(':') ||
      /^ {2}\S+ {2,}/.test(line)
    )
      continue;
    const firstWord = line.trim().split(' ')[0]!;
    assert.ok(previous.length + 1 + firstWord.length > 78, `line ${i + 1} was broken early: "${previous}" / "${line}"`);
  }
});

test("--help prints it on stdout (exit 0); no action or an unknown one keeps stdout to the protocol's line and puts it on stderr", async () => {
  const out = sink();
  assert.is(await runCredentialHelper({ argv: ['--help'], stdin: '', stdout: out, stderr: sink(), env: {} }), 0);
  assert.is(out.text, help);
  for (const [argv, line] of [
    [[], 'Usage: docker-credential-glassbox <store|get|erase|list|version>\n'],
    [['fetch'], 'docker-credential-glassbox: unknown action: fetch\n'],
  ] as const) {
    const stdout = sink();
    const stderr = sink();
    assert.is(await runCredentialHelper({ argv, stdin: '', stdout, stderr, env: {} }), 1);
    assert.is(stdout.text, line);
    assert.is(stderr.text, `\n${help}`);
  }
});

test.run();
