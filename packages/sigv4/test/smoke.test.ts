import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeholder } from '@glassbox/sigv4';
test('resolves from source', () => { assert.is(placeholder, 'sigv4'); });
test.run();
