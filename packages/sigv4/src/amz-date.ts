import { SigV4Error } from './errors.ts';
import { amzDateOfSecond } from './fast-paths.ts';

/** The signing time in the two forms SigV4 uses. */
export interface AmzDate {
  /** ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`: the `X-Amz-Date` value and line 2 of the string to sign. */
  readonly amzDate: string;
  /** `YYYYMMDD`: the first part of the credential scope. */
  readonly dateStamp: string;
}

const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const FIRST_MS = Date.parse('0000-01-01T00:00:00Z'); // Date.UTC would read year 0 as 1900
const AFTER_LAST_MS = Date.UTC(10000, 0, 1); // 10000-01-01T00:00:00Z

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
  // YYYYMMDD has room for years 0000 to 9999 only; outside that a Date cannot even be printed.
  if (time === undefined || Number.isNaN(time) || time < FIRST_MS || time >= AFTER_LAST_MS) {
    throw new SigV4Error(
      'INVALID_DATE',
      `${label}: expected a Date, epoch milliseconds, an ISO 8601 string or YYYYMMDDTHHMMSSZ (e.g. 20150830T123600Z)`,
    );
  }
  return amzDateOfSecond(Math.floor(time / 1000), formatSecond);
}

/** The two forms of a whole second since the epoch. */
export function formatSecond(second: number): AmzDate {
  const iso = new Date(second * 1000).toISOString(); // 2015-08-30T12:36:00.000Z
  const amzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return { amzDate, dateStamp: amzDate.slice(0, 8) };
}

function parseTime(input: unknown): number | undefined {
  if (input instanceof Date) return input.getTime();
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const basic = BASIC.exec(input);
  if (basic) {
    const [, y, mo, d, h, mi, s] = basic.map(Number) as [number, number, number, number, number, number, number];
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0 to 99 as 1900 to 1999
    date.setUTCHours(h, mi, s);
    const time = date.getTime();
    // Date silently rolls 20151332 over into the next year; a signing time must be exact.
    const exact =
      date.getUTCFullYear() === y &&
      date.getUTCMonth() === mo - 1 &&
      date.getUTCDate() === d &&
      date.getUTCHours() === h &&
      date.getUTCMinutes() === mi &&
      date.getUTCSeconds() === s;
    return exact ? time : undefined;
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(input) ? Date.parse(input) : undefined;
}
