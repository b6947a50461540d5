/**
 * Compares the canonical request and string to sign we computed with the ones a server computed,
 * part by part (the canonical request has a fixed shape: method, URI, query, headers, signed
 * headers, payload hash), and names the likely cause of the first difference.
 */

/** One part that differs. */
export interface PartDifference {
  part: string;
  ours: string;
  server: string;
}

/** The outcome of a comparison. */
export interface SignatureComparison {
  /** Parts that differ, in canonical-request order, then the string to sign's. */
  differences: PartDifference[];
  /** One or two sentences on what probably went wrong and what to do. */
  likelyCause: string;
  /** A `- server` / `+ ours` line diff of the first differing text. */
  lineDiff: string;
}

interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  headers: string[];
  signedHeaders: string;
  payloadHash: string;
}

function splitCanonical(text: string): CanonicalParts {
  const lines = text.split('\n');
  const headers: string[] = [];
  let i = 3;
  while (i < lines.length - 2 && lines[i] !== '') headers.push(lines[i++]!);
  return {
    method: lines[0] ?? '',
    uri: lines[1] ?? '',
    query: lines[2] ?? '',
    headers,
    signedHeaders: lines[lines.length - 2] ?? '',
    payloadHash: lines[lines.length - 1] ?? '',
  };
}

/**
 * Compares ours with the server's; a side the server did not report is skipped.
 *
 * @example
 * ```ts
 * compareSignatures({ canonicalRequest: a, stringToSign: s }, { canonicalRequest: b }).likelyCause;
 * ```
 */
export function compareSignatures(
  ours: { canonicalRequest: string; stringToSign: string },
  server: { canonicalRequest?: string | undefined; stringToSign?: string | undefined },
): SignatureComparison {
  const differences: PartDifference[] = [];
  let cause: string | undefined;
  let lineDiff = '';
  if (server.canonicalRequest !== undefined && server.canonicalRequest !== ours.canonicalRequest) {
    lineDiff = diffLines(server.canonicalRequest, ours.canonicalRequest);
    const a = splitCanonical(ours.canonicalRequest);
    const b = splitCanonical(server.canonicalRequest);
    const push = (part: string, x: string, y: string, why: string): void => {
      if (x === y) return;
      differences.push({ part, ours: x, server: y });
      cause ??= why;
    };
    push('method', a.method, b.method, 'The HTTP method differs: something between you and AWS (a proxy, a redirect) changed it, or the request was signed with another method.');
    push('canonical URI', a.uri, b.uri, 'The path is encoded differently. S3 encodes the path once and does not normalise it (--service s3, or --no-double-encode --no-normalize-path); every other service encodes it twice and removes . and .. segments.');
    push('canonical query string', a.query, b.query, 'The query string differs: parameters must be URI-encoded (space as %20, not +) and sorted by name; a client or proxy may have re-encoded or reordered it.');
    const ourHeaders = new Map(a.headers.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
    const serverHeaders = new Map(b.headers.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
    for (const name of new Set([...ourHeaders.keys(), ...serverHeaders.keys()])) {
      const x = ourHeaders.get(name);
      const y = serverHeaders.get(name);
      if (x === y) continue;
      const why =
        name === 'host'
          ? `The Host differs: signed for '${x ?? ''}', the service saw '${y ?? ''}'. Sign for the host (and port) you actually send to; a proxy or an endpoint override may change it.`
          : y === undefined || y === ''
            ? `The header '${name}' was signed but the service did not receive it: something in between (a proxy, the HTTP client) removed it. Do not sign headers you cannot control.`
            : x === undefined
              ? `The service expected the header '${name}' to be signed.`
              : `The header '${name}' changed in transit: signed as '${x}', received as '${y}'. A client or proxy rewrote it (content-type charset, user-agent, …).`;
      push(`header ${name}`, x ?? '(absent)', y ?? '(absent)', why);
    }
    push('signed headers', a.signedHeaders, b.signedHeaders, 'The list of signed headers differs: a signed header did not arrive.');
    push('payload hash', a.payloadHash, b.payloadHash, 'The body hash differs: the body sent is not the body signed (re-serialised JSON, a changed encoding, a stream read twice), or x-amz-content-sha256 is wrong.');
  }
  if (server.stringToSign !== undefined && server.stringToSign !== ours.stringToSign) {
    if (lineDiff === '') lineDiff = diffLines(server.stringToSign, ours.stringToSign);
    const a = ours.stringToSign.split('\n');
    const b = server.stringToSign.split('\n');
    const names = ['algorithm', 'request time', 'credential scope', 'canonical request hash'];
    names.forEach((name, index) => {
      const x = a[index] ?? '';
      const y = b[index] ?? '';
      // A different canonical request already explains a different hash of it.
      if (x === y || (name === 'canonical request hash' && differences.length > 0)) return;
      differences.push({ part: `string to sign: ${name}`, ours: x, server: y });
      if (name === 'request time') cause ??= 'The signing time differs: the service used another X-Amz-Date (was it changed after signing?).';
      if (name === 'credential scope') cause ??= 'The credential scope differs: check the region and service (--region, --service) and the date.';
    });
  }
  if (differences.length === 0) {
    cause =
      server.canonicalRequest === undefined && server.stringToSign === undefined
        ? 'The service did not say what it computed; sign with --send or compare with verify.'
        : 'The canonical request and string to sign match what the service computed, so the signing key differs: the secret access key is wrong (or belongs to another access key ID), or the credentials are stale.';
  }
  return { differences, likelyCause: cause ?? 'The canonical requests differ.', lineDiff };
}

/**
 * A positional line diff (`-` the server's line, `+` ours, two-space prefix when equal): canonical
 * requests line up by position, so this reads better than a minimal edit script.
 */
export function diffLines(server: string, ours: string): string {
  const x = server.split('\n');
  const y = ours.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const a = x[i];
    const b = y[i];
    if (a === b) out.push(`  ${a}`);
    else {
      if (a !== undefined) out.push(`- ${a}`);
      if (b !== undefined) out.push(`+ ${b}`);
    }
  }
  return out.join('\n');
}
