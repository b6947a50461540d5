// What the page says when a request cannot be signed: the library's SigV4Error turned into plain
// words about the text in the page — which line, or which field of the form, and what to write
// there. The library's messages name its API (`parseHttpRequest:`, `request.url:`); a reader of the
// page never called either, so this mapping belongs to the page, not to @glassbox/sigv4.
import { SigV4Error } from '@glassbox/sigv4';

/** A problem with what was typed: where it is and what to change, in words for the page. */
export interface PlainProblem {
  /** The 1-based line of the raw request that holds the problem, when there is one. */
  line?: number | undefined;
  /** The form field that holds it, by its label, when the request text is fine. */
  field?: string | undefined;
  /** What to fix, as a sentence. */
  text: string;
}

/** The lines of the request's header section (request line first), as the page's textarea shows them. */
function headLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blank = lines.indexOf('');
  return blank === -1 ? lines : lines.slice(0, blank);
}

/** The 1-based line whose header name is `name` (any case), if the text has one. */
function lineOfHeader(text: string, name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = headLines(text).findIndex((line, i) => i > 0 && line.slice(0, line.indexOf(':')).trim().toLowerCase() === lower);
  return index === -1 ? undefined : index + 1;
}

/** Where a problem is said to be, as the start of the sentence. */
function at(problem: Omit<PlainProblem, 'text'>): string {
  if (problem.line !== undefined) return `Line ${problem.line}: `;
  if (problem.field !== undefined) return `${problem.field} (in the signing settings): `;
  return '';
}

/** The problem as one sentence, with its place first: what the status line shows. */
export function describeProblem(problem: PlainProblem): string {
  return at(problem) + problem.text;
}

/**
 * Turns an error from parsing or signing `text` into a plain problem. The codes are the library's
 * stable ones; within a code the message tells the cases apart, and the line is found in `text` by
 * the page itself.
 */
export function plainProblem(error: unknown, text: string): PlainProblem {
  if (!(error instanceof SigV4Error))
    return { text: 'Something unexpected went wrong while signing; the details are in the browser console.' };
  const message = error.message;
  const head = headLines(text);
  switch (error.code) {
    case 'INVALID_REQUEST': {
      if (/first line must be|request\.method/.test(message)) {
        return { line: 1, text: 'write the request line as a method, a path and the version, for example GET / HTTP/1.1.' };
      }
      if (/has no "Name:"/.test(message)) {
        const index = head.findIndex((line, i) => i > 0 && !/^[ \t]/.test(line) && line.indexOf(':') <= 0);
        return {
          line: index === -1 ? undefined : index + 1,
          text: 'this is not a header. Write it as Name:value (for example Host:example.amazonaws.com), or leave a blank line before it if it is the body.',
        };
      }
      if (/NUL/.test(message)) {
        const index = head.findIndex((line) => line.includes('\0'));
        return { line: index === -1 ? undefined : index + 1, text: 'remove the NUL character: a request line or header cannot hold one.' };
      }
      if (/no host/.test(message)) {
        return {
          line: 1,
          text: 'the request names no host. Add a header line such as Host:example.amazonaws.com, or write an absolute URL (https://host/path).',
        };
      }
      if (/request\.url/.test(message)) {
        return { line: 1, text: 'the target after the method must be a path starting with / or an absolute URL (https://host/path).' };
      }
      if (/UTF-8/.test(message)) return { text: 'the request line and headers must be plain text (UTF-8).' };
      break;
    }
    case 'INVALID_HEADER': {
      const name = /'([^']*)'/.exec(message)?.[1] ?? /\['([^']*)'\]/.exec(message)?.[1];
      const line = name === undefined ? undefined : lineOfHeader(text, name);
      if (/not a valid header name/.test(message)) {
        const index = name === undefined ? -1 : head.findIndex((l, i) => i > 0 && l.startsWith(name));
        return {
          line: index === -1 ? line : index + 1,
          text: `'${name ?? ''}' is not a header name: use letters, digits and - only (no spaces).`,
        };
      }
      if (/NUL, CR or LF/.test(message))
        return { line, text: `the value of ${name ?? 'this header'} holds a control character: remove it.` };
      break;
    }
    case 'INVALID_DATE':
      if (/X-Amz-Date header/.test(message)) {
        return {
          line: lineOfHeader(text, 'x-amz-date'),
          text: 'write X-Amz-Date as YYYYMMDDTHHMMSSZ, for example X-Amz-Date:20150830T123600Z.',
        };
      }
      return { field: 'Signing time', text: 'write it as YYYYMMDDTHHMMSSZ, for example 20150830T123600Z, or leave it empty.' };
    case 'INVALID_REGION':
      return { field: 'Region', text: 'write a region name such as us-east-1 (letters, digits and -).' };
    case 'INVALID_SERVICE':
      return { field: 'Service', text: 'write the signing name, such as ecr, s3 or execute-api.' };
    case 'MISSING_CREDENTIALS':
      if (/sessionToken/.test(message)) return { field: 'Session token', text: 'remove the line breaks from it.' };
      if (/secretAccessKey/.test(message))
        return { field: 'Secret access key', text: "fill it in (the page starts with the test suite's example key)." };
      return { field: 'Access key ID', text: 'fill it in, without spaces, "/" or "," (the example key is AKIDEXAMPLE).' };
    default:
      break;
  }
  // A case this table does not know yet: the library's sentence, without the name of the function
  // or option it starts with (the page's reader called neither).
  const sentence = message.replace(/^[\w.[\]'-]+: /, '');
  return { text: sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.' };
}
