import { QUERY } from './constants.ts';
import { uriEncodeOnce } from './uri-encode.ts';

/** One query parameter as it will be signed: key and value, each URI-encoded once. */
export type EncodedParameter = readonly [key: string, value: string];

/**
 * Splits a raw query string (`a=1&b&c=`) into parameters, each key and value URI-encoded exactly
 * once (escapes already present are kept, raw characters are encoded). A parameter without `=`
 * has an empty value; empty pieces (`a=1&&b=2`) are skipped. `+` is a literal plus, not a space:
 * AWS reads the query as RFC 3986, not as an HTML form.
 *
 * @example
 * ```ts
 * queryParameters('Param1=value2&Param1=Value1'); // [['Param1','value2'], ['Param1','Value1']]
 * ```
 */
export function queryParameters(query: string): EncodedParameter[] {
  const parameters: EncodedParameter[] = [];
  if (query === '') return parameters;
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? '' : piece.slice(eq + 1);
    parameters.push([uriEncodeOnce(key), uriEncodeOnce(value)]);
  }
  return parameters;
}

/**
 * Step 1b — the canonical query string: every parameter `key=value`, URI-encoded, sorted by
 * encoded key and then by encoded value, joined with `&`. Sorting the *encoded* form matters:
 * `%E1%88%B4` sorts before `Param` (the suite's `get-vanilla-query-order-encoded`). The signature
 * of a presigned URL (`X-Amz-Signature`) is never part of what it signs.
 *
 * @example
 * ```ts
 * canonicalQueryString(queryParameters('b=2&a=1&a=0')); // 'a=0&a=1&b=2'
 * ```
 */
export function canonicalQueryString(parameters: readonly EncodedParameter[]): string {
  const signed: EncodedParameter[] = [];
  for (const parameter of parameters) if (parameter[0] !== QUERY.signature) signed.push(parameter);
  sortParameters(signed);
  let out = '';
  for (let i = 0; i < signed.length; i++) out += `${i === 0 ? '' : '&'}${signed[i]![0]}=${signed[i]![1]}`;
  return out;
}

// A query has a handful of parameters, for which insertion sort beats Array.prototype.sort's set-up
// (it was the costliest line of a presign); a long query gets the built-in sort.
function sortParameters(parameters: EncodedParameter[]): void {
  if (parameters.length > 16) {
    parameters.sort(byKeyThenValue);
    return;
  }
  for (let i = 1; i < parameters.length; i++) {
    const parameter = parameters[i]!;
    let at = i;
    while (at > 0 && byKeyThenValue(parameters[at - 1]!, parameter) > 0) {
      parameters[at] = parameters[at - 1]!;
      at--;
    }
    parameters[at] = parameter;
  }
}

function byKeyThenValue([keyA, valueA]: EncodedParameter, [keyB, valueB]: EncodedParameter): number {
  return keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0;
}
