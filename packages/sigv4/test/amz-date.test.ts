// The signing time in SigV4's two forms: every accepted input and every rejected one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SigV4Error, toAmzDate } from '@glassbox/sigv4';

// 2015-08-30T12:36:00Z, the suite's signing time, in every form the option accepts.
const suiteTime: [what: string, input: Date | string | number][] = [
  ['a Date', new Date(Date.UTC(2015, 7, 30, 12, 36, 0))],
  ['epoch milliseconds', Date.UTC(2015, 7, 30, 12, 36, 0)],
  ['an ISO 8601 string', '2015-08-30T12:36:00Z'],
  ['an ISO 8601 string with milliseconds', '2015-08-30T12:36:00.000Z'],
  ['an ISO 8601 string with an offset', '2015-08-30T14:36:00+02:00'],
  ['the basic YYYYMMDDTHHMMSSZ form', '20150830T123600Z'],
];
for (const [what, input] of suiteTime) {
  test(`reads ${what} as 20150830T123600Z`, () => {
    assert.equal(toAmzDate(input), { amzDate: '20150830T123600Z', dateStamp: '20150830' });
  });
}

const table: [input: Date | string | number, expected: string, why: string][] = [
  ['2015-08-30T12:36:00.999Z', '20150830T123600Z', 'drops milliseconds rather than rounding up'],
  [new Date(Date.UTC(2015, 11, 31, 23, 59, 59, 999)), '20151231T235959Z', 'stays on the last second of the year'],
  ['20160229T000000Z', '20160229T000000Z', 'accepts 29 February in a leap year'],
  ['00500101T000000Z', '00500101T000000Z', 'keeps a year below 100 (Date.UTC would read it as 1950)'],
  ['99991231T235959Z', '99991231T235959Z', 'accepts the last second YYYYMMDD can write'],
  [0, '19700101T000000Z', 'reads epoch 0'],
];
for (const [input, expected, why] of table) {
  test(`${why}: ${String(input)} → ${expected}`, () => {
    const result = toAmzDate(input);
    assert.is(result.amzDate, expected);
    assert.is(result.dateStamp, expected.slice(0, 8));
  });
}

const invalid: [input: unknown, why: string][] = [
  ['yesterday', 'words'],
  ['', 'an empty string'],
  ['2015-08-30', 'an ISO date without a time'],
  ['20151332T000000Z', 'month 13'],
  ['20150229T000000Z', '29 February outside a leap year'],
  ['20150830T240000Z', 'hour 24'],
  ['20150830T123660Z', 'second 60'],
  ['20150830T123600', 'the basic form without Z'],
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  [1e20, 'epoch milliseconds past year 9999'],
  [Date.UTC(10000, 0, 1), 'the first instant of year 10000'],
  [-1e14, 'a year before 0000'],
  [new Date(Number.NaN), 'an invalid Date'],
  [{}, 'an object'],
  [null, 'null'],
];
for (const [input, why] of invalid) {
  test(`rejects ${why} with INVALID_DATE naming the accepted forms`, () => {
    try {
      toAmzDate(input as string);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, SigV4Error);
      assert.is((error as SigV4Error).code, 'INVALID_DATE');
      assert.match((error as SigV4Error).message, /YYYYMMDDTHHMMSSZ/);
    }
  });
}

test('names the option in the message', () => {
  try {
    toAmzDate('nope', 'X-Amz-Date header');
    assert.unreachable('accepted');
  } catch (error) {
    assert.match((error as Error).message, /^X-Amz-Date header:/);
  }
});

test.run();
