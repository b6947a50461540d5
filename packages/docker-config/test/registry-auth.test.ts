import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DockerConfigError } from '../src/errors.ts';
import { authRoute, getAuth, hiddenAuthsWarning, removeAuth, setAuth, setCredentialHelper } from '../src/registry-auth.ts';
import { tempDir } from './support.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * Installs `docker-credential-<name>` shell scripts in `dir`: each answers `get` with its own name as the
 * user, `<token>` for token.example, an error for broken.example and "not found" otherwise.
 */
async function installHelpers(dir: string, names: string[]): Promise<Record<string, string | undefined>> {
  for (const name of names) {
    const script = [
      '#!/bin/sh',
      '[ "$1" = get ] || { echo "unsupported action $1"; exit 1; }',
      'read -r host',
      'case "$host" in',
      `  known.example|https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"${name}","Secret":"${name}-secret"}\\n' "$host" ;;`,
      `  token.example) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-token"}\\n' "$host" ;;`,
      '  broken.example) echo "the keychain is locked"; exit 1 ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n');
    const path = join(dir, `docker-credential-${name}`);
    await writeFile(path, script);
    await chmod(path, 0o755);
  }
  return { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` };
}

async function withConfig(data: unknown, run: (configDir: string, binDir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  try {
    if (data !== undefined) await writeFile(join(dir, 'config.json'), JSON.stringify(data), { mode: 0o600 });
    await run(dir, dir);
  } finally {
    await cleanup();
  }
}

test('getAuth: credHelpers[host] wins over credsStore, which wins over auths (real helpers on PATH)', async () => {
  const config = {
    auths: { 'known.example': { auth: b64('file-user:file-pw') }, 'plain.example': { auth: b64('p:q') } },
    credsStore: 'store',
    credHelpers: { 'known.example': 'perhost' },
  };
  await withConfig(config, async (configDir, binDir) => {
    const env = await installHelpers(binDir, ['store', 'perhost']);
    const viaHelper = await getAuth('https://known.example/v2/', { configDir, env });
    assert.is(viaHelper?.source, 'credHelpers');
    assert.is(viaHelper?.helper, 'perhost');
    assert.is(viaHelper?.username, 'perhost');
    assert.is(viaHelper?.password, 'perhost-secret');

    // No credHelpers entry: the credsStore answers, and its "not found" is final (no fallback to auths).
    const hub = await getAuth('docker.io', { configDir, env });
    assert.is(hub?.source, 'credsStore');
    assert.is(hub?.username, 'store');
    assert.is(hub?.key, 'https://index.docker.io/v1/');
    assert.is(await getAuth('plain.example', { configDir, env }), undefined);
  });
});

test('getAuth: without helpers, auths is used, legacy https:// keys included', async () => {
  const config = { auths: { 'https://legacy.example/v1/': { auth: b64('old:pw:with:colons') }, 'empty.example': {} } };
  await withConfig(config, async (configDir) => {
    const found = await getAuth('legacy.example', { configDir });
    assert.is(found?.source, 'auths');
    assert.is(found?.key, 'https://legacy.example/v1/');
    assert.is(found?.username, 'old');
    assert.is(found?.password, 'pw:with:colons');
    assert.is(await getAuth('empty.example', { configDir }), undefined, '{} is a placeholder, not credentials');
    assert.is(await getAuth('nothing.example', { configDir }), undefined);
  });
});

test('getAuth: an identity token from a helper, and helper failures as typed errors', async () => {
  const config = { credsStore: 'store', credHelpers: { 'missing.example': 'absent' } };
  await withConfig(config, async (configDir, binDir) => {
    const env = await installHelpers(binDir, ['store']);
    const token = await getAuth('token.example', { configDir, env });
    assert.is(token?.username, '<token>');
    assert.is(token?.identityToken, 'refresh-token');
    try {
      await getAuth('broken.example', { configDir, env });
      assert.unreachable();
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'HELPER_FAILED');
      assert.match((error as Error).message, /the keychain is locked/);
    }
    try {
      await getAuth('missing.example', { configDir, env });
      assert.unreachable();
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'HELPER_NOT_FOUND');
      assert.match((error as Error).message, /docker-credential-absent/);
    }
  });
});

test('getAuth: a bad auth value is AUTH_ENTRY_INVALID', async () => {
  await withConfig({ auths: { 'r.example': { auth: b64('no-colon') } } }, async (configDir) => {
    try {
      await getAuth('r.example', { configDir });
      assert.unreachable();
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'AUTH_ENTRY_INVALID');
    }
  });
});

test('credentials found are redacted in JSON and util.inspect', async () => {
  await withConfig({ auths: { 'r.example': { auth: b64('u:very-secret-pw') } } }, async (configDir) => {
    const found = await getAuth('r.example', { configDir });
    assert.is(found?.password, 'very-secret-pw');
    assert.not.match(JSON.stringify(found), /very-secret-pw/);
    assert.not.match(inspect(found), /very-secret-pw/);
    assert.match(JSON.stringify(found), /\[redacted\]/);
  });
});

test('a credsStore hides auths: setAuth refuses, names the fix, and leaves the file alone', async () => {
  const original = { credsStore: 'desktop', auths: {} };
  await withConfig(original, async (configDir) => {
    const before = await readFile(join(configDir, 'config.json'), 'utf8');
    try {
      await setAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', 'pw', { configDir });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, DockerConfigError);
      assert.is((error as DockerConfigError).code, 'CREDS_STORE_HIDES_AUTHS');
      assert.match((error as Error).message, /"credsStore": "desktop"/);
      assert.match((error as Error).message, /"credHelpers": \{ "123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com": "glassbox" \}/);
    }
    assert.is(await readFile(join(configDir, 'config.json'), 'utf8'), before);

    // Asked to write anyway (skopeo reads auths): written, with the structured warning.
    const result = await setAuth('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'AWS', 'pw', { configDir, allowHiddenAuths: true });
    assert.equal(
      result.warnings.map((w) => w.code),
      ['CREDS_STORE_HIDES_AUTHS'],
    );
    const data = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    assert.ok(data.auths['123456789012.dkr.ecr.eu-west-1.amazonaws.com']);
  });
});

test('the credHelpers route works despite a credsStore, and removes the warning', async () => {
  await withConfig({ credsStore: 'desktop' }, async (configDir) => {
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    assert.equal(authRoute({ credsStore: 'desktop' }, host), { kind: 'credsStore', helper: 'desktop' });
    const result = await setCredentialHelper(`https://${host}/`, 'glassbox', { configDir });
    assert.is(result.key, host);
    const data = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(data['credHelpers'], { [host]: 'glassbox' });
    assert.is(data['credsStore'], 'desktop');
    assert.equal(authRoute(data, host), { kind: 'credHelpers', helper: 'glassbox' });
    assert.is(hiddenAuthsWarning(data, host, 'config.json')?.code, 'CRED_HELPER_HIDES_AUTHS');
    assert.is(hiddenAuthsWarning(data, 'other.example', 'config.json')?.code, 'CREDS_STORE_HIDES_AUTHS');
    assert.is(hiddenAuthsWarning({ auths: {} }, host, 'config.json'), undefined);
  });
});

test('setCredentialHelper refuses names that are not a helper suffix', async () => {
  await withConfig(undefined, async (configDir) => {
    for (const name of ['', '../evil', 'a b', '-x']) {
      try {
        await setCredentialHelper('r.example', name, { configDir });
        assert.unreachable(name);
      } catch (error) {
        assert.is((error as DockerConfigError).code, 'INVALID_ARGUMENT', name);
      }
    }
  });
});

test('setAuth replaces old tokens but keeps other entry fields; removeAuth drops legacy keys too', async () => {
  const config = {
    auths: {
      'r.example': { auth: b64('old:old'), identitytoken: 'stale', email: 'me@example.com' },
      'https://r.example/v1/': { auth: b64('legacy:legacy') },
      'other.example': { auth: b64('o:o') },
    },
  };
  await withConfig(config, async (configDir) => {
    await setAuth('r.example', 'new', 'pw', { configDir });
    let data = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    assert.equal(data.auths['r.example'], { auth: b64('new:pw'), email: 'me@example.com' });
    const removed = await removeAuth('https://r.example', { configDir });
    assert.is(removed.changed, true);
    data = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    assert.equal(Object.keys(data.auths), ['other.example']);
    assert.is((await removeAuth('r.example', { configDir })).changed, false);
  });
});

test('setAuth rejects empty or colon-bearing user names and empty passwords', async () => {
  await withConfig(undefined, async (configDir) => {
    // An empty password is a broken token rather than a caller's typo: its own code, which the CLI exits 3 for.
    for (const [user, pw, code] of [
      ['', 'p', 'INVALID_ARGUMENT'],
      ['a:b', 'p', 'INVALID_ARGUMENT'],
      ['u', '', 'PASSWORD_EMPTY'],
    ] as const) {
      try {
        await setAuth('r.example', user, pw, { configDir });
        assert.unreachable();
      } catch (error) {
        assert.is((error as DockerConfigError).code, code);
      }
    }
    try {
      await setAuth('  ', 'u', 'p', { configDir });
      assert.unreachable();
    } catch (error) {
      assert.is((error as DockerConfigError).code, 'INVALID_ARGUMENT');
    }
  });
});

test.run();
