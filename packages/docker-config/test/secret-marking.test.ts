// docker-config marks secrets in the registry the one redaction (@glassbox/sigv4 `redaction.ts`) owns, without
// importing it: these tests hold the two to the same registry and the same rules.
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forgetSecrets, MIN_SECRET_LENGTH, REDACTED as OWNER_REDACTED, redactSecrets, rememberSecret } from '@glassbox/sigv4/redaction';
import { DockerConfigError } from '../src/errors.ts';
import { markSecret, redactMarked, REDACTED } from '../src/secret-marking.ts';

test.before.each(() => forgetSecrets());

test('a secret marked here is redacted by the owner, and one the owner remembers is redacted here', () => {
  markSecret('marked-by-docker-config-0123', 'registry password');
  assert.is(redactSecrets('echo marked-by-docker-config-0123 end'), 'echo [redacted: registry password, 28 chars] end');
  rememberSecret('remembered-by-the-owner-456', 'session token');
  assert.is(redactMarked('x remembered-by-the-owner-456 y'), 'x [redacted: session token, 27 chars] y');
});

test("the same rules: values shorter than the owner's minimum are not secrets; the placeholder is the owner's", () => {
  assert.is(MIN_SECRET_LENGTH, 8);
  markSecret('1234567', 'short');
  assert.is(redactMarked('1234567'), '1234567');
  markSecret('12345678', 'eight');
  assert.is(redactMarked('a 12345678 b'), 'a [redacted: eight, 8 chars] b');
  assert.is(REDACTED, OWNER_REDACTED);
});

test('URI-encoded and longest-first: a password holding a shorter secret goes whole', () => {
  markSecret('pass/word+with=chars', 'registry password');
  markSecret('pass/word', 'short one');
  assert.is(redactMarked(`q=${encodeURIComponent('pass/word+with=chars')}`), 'q=[redacted: registry password, 20 chars]');
  assert.is(redactMarked('pass/word+with=chars'), '[redacted: registry password, 20 chars]');
});

test('a DockerConfigError never quotes a secret this process has read', () => {
  markSecret('read-from-config-json-789', 'registry password');
  const error = new DockerConfigError('HELPER_FAILED', 'the helper said read-from-config-json-789');
  assert.is(error.message, 'the helper said [redacted: registry password, 25 chars]');
  assert.not.match(inspect(error), /read-from-config-json-789/);
});

test.run();
