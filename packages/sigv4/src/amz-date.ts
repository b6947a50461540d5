import { SigV4Error } from './errors.ts';

/** The signing time in the two forms SigV4 uses. */
export interface AmzDate {
  /** ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`: the `X-Amz-Date` value and line 2 of the string to sign. */
  readonly amzDate: string;
  /** `YYYYMMDD`: the first part of the credential scope. */
  readonly dateStamp: string;
}

let last: { second: number; value: AmzDate } = { second: NaN, value: { amzDate: '', dateStamp: '' } };
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Reads a signing time given as a `Date`, epoch milliseconds, an ISO 8601 string or the basic
 * `YYYYMMDDTHHMMSSZ` form, and writes it the way SigV4 does (UTC, whole seconds).
 *
 * @example
 * ```ts
 * toAmzDate('2015-08-30T12:36:00Z'); // { amzDate: '20150830T123600Z', dateStamp: '20150830' }
 * ```
 */
export function toAmzDate(input: Date | string | number, label = 'date'): AmzDate {
  const time = parseTime(input);
  if (time === undefined || Number.isNaN(time)) {
    throw new SigV4Error(
      'INVALID_DATE',
      `${label}: expected a Date, epoch milliseconds, an ISO 8601 string or YYYYMMDDTHHMMSSZ (e.g. 20150830T123600Z)`,
    );
  }
  const second = Math.floor(time / 1000);
  if (second === last.second) return last.value; // signing many requests in the same second is the norm
  const iso = new Date(time).toISOString(); // 2015-08-30T12:36:00.000Z
  const amzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  last = { second, value: { amzDate, dateStamp: amzDate.slice(0, 8) } };
  return last.value;
}


function parseTime(input: unknown): number | undefined {
  if (input instanceof Date) return input.getTime();
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const basic = BASIC.exec(input);
  if (basic) {
    const [, y, mo, d, h, mi, s] = basic.map(Number) as [number, number, number, number, number, number, number];
    const time = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC silently rolls 20151332 over into the next year; a signing time must be exact.
    return new Date(time).getUTCDate() === d && new Date(time).getUTCMonth() === mo - 1 ? time : undefined;
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(input) ? Date.parse(input) : undefined;
}
