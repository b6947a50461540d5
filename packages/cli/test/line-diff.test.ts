import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLines } from '../src/line-diff.ts';

test('diffLines marks expected lines with -, actual with +, equal lines with two spaces', () => {
  assert.is(diffLines('a\nb\nc', 'a\nB\nc\nd'), '  a\n- b\n+ B\n  c\n+ d');
  assert.is(diffLines('same', 'same'), '  same');
});
test.run();
