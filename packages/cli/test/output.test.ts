import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { colorEnabled, Output, type Io } from '../src/output.ts';

const io = (env: Record<string, string>, isTTY: boolean): Io & { written: string[] } => {
  const written: string[] = [];
  return {
    written,
    stdout: { isTTY, write: (t: string) => written.push(t) },
    stderr: { isTTY, write: (t: string) => written.push(t) },
    env,
    cwd: '/',
    readStdin: async () => '',
  };
};

test('colour follows NO_COLOR, FORCE_COLOR and the terminal', () => {
  assert.is(colorEnabled({ write: () => 0, isTTY: true }, {}), true);
  assert.is(colorEnabled({ write: () => 0, isTTY: false }, {}), false);
  assert.is(colorEnabled({ write: () => 0, isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.is(colorEnabled({ write: () => 0, isTTY: true }, { NO_COLOR: '1' }), false);
  assert.is(colorEnabled({ write: () => 0, isTTY: true }, { FORCE_COLOR: '0' }), true);
  assert.is(colorEnabled({ write: () => 0, isTTY: false }, { FORCE_COLOR: '0' }), false);
});

test('the scrubber replaces the environment secrets, raw and URI-encoded', () => {
  const streams = io({ AWS_SECRET_ACCESS_KEY: 'abc/def+ghi=jkl', AWS_SESSION_TOKEN: 'token/with+chars==' }, false);
  const output = new Output(streams);
  output.out('secret abc/def+ghi=jkl and token%2Fwith%2Bchars%3D%3D\n');
  assert.not.ok(streams.written.join('').includes('abc/def+ghi=jkl'));
  assert.not.ok(streams.written.join('').includes('token%2Fwith%2Bchars%3D%3D'));
  assert.match(streams.written.join(''), /\[redacted: secret, 15 chars\]/);
});

test('no spinner when stderr is not a terminal', () => {
  const streams = io({}, false);
  const progress = new Output(streams).progress('waiting');
  progress.stop();
  assert.equal(streams.written, []);
});
test.run();
