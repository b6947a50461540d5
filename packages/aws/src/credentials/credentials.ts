/**
 * The credentials object every provider returns, built so that the secret access key and the session
 * token cannot leak through `console.log`, `util.inspect` (even with `showHidden`), `JSON.stringify`,
 * string interpolation or object spread: they live in private fields and are read through getters.
 */
import { inspect } from 'node:util';
import { REDACTED, rememberSecret } from '@glassbox/sigv4/redaction';

/** What a provider knows about a set of AWS credentials. */
export interface CredentialsInit {
  /** The access key ID (`AKIA…` for long-term keys, `ASIA…` for temporary ones). Not a secret. */
  accessKeyId: string;
  /** The secret access key. Never printed. */
  secretAccessKey: string;
  /** The session token of temporary credentials. Never printed. */
  sessionToken?: string | undefined;
  /** When temporary credentials stop working; absent for long-term keys. */
  expiration?: Date | undefined;
  /** Which source produced them, e.g. `environment`, `shared-credentials-file (profile dev)`. */
  source: string;
}

/**
 * AWS credentials as @glassbox/ecr returns them. Usable wherever `@glassbox/sigv4` wants credentials
 * (`accessKeyId`, `secretAccessKey`, `sessionToken` are readable properties), but printing, inspecting
 * or serialising one shows `[redacted]` in place of the secret and the token.
 */
export interface Credentials {
  /** The access key ID. Not a secret: it is printed in traces. */
  readonly accessKeyId: string;
  /** The secret access key: readable for signing, `[redacted]` in every printout. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials: `[redacted]` in every printout. */
  readonly sessionToken?: string | undefined;
  /** When temporary credentials expire; absent for long-term keys. */
  readonly expiration?: Date | undefined;
  /** Which source produced them, e.g. `environment`, `assume-role (profile deploy, …)`. */
  readonly source: string;
}

/**
 * The concrete credentials class. The secret and token are `#private` fields: they are not own
 * properties, so `Object.keys`, spread, `JSON.stringify` and `util.inspect({ showHidden: true })` cannot
 * reach them; only the getters on the prototype can.
 */
class SecretSafeCredentials implements Credentials {
  readonly accessKeyId: string;
  readonly expiration?: Date | undefined;
  readonly source: string;
  readonly #secretAccessKey: string;
  readonly #sessionToken: string | undefined;

  constructor(init: CredentialsInit) {
    this.accessKeyId = init.accessKeyId;
    if (init.expiration !== undefined) this.expiration = init.expiration;
    this.source = init.source;
    this.#secretAccessKey = init.secretAccessKey;
    this.#sessionToken = init.sessionToken;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  get sessionToken(): string | undefined {
    return this.#sessionToken;
  }

  /** What `JSON.stringify` writes: everything but the secrets. */
  toJSON(): Record<string, unknown> {
    return {
      accessKeyId: this.accessKeyId,
      secretAccessKey: REDACTED,
      ...(this.#sessionToken === undefined ? {} : { sessionToken: REDACTED }),
      ...(this.expiration === undefined ? {} : { expiration: this.expiration.toISOString() }),
      source: this.source,
    };
  }

  toString(): string {
    return `[Credentials ${this.accessKeyId} from ${this.source}]`;
  }

  [inspect.custom](): string {
    return `Credentials ${inspect(this.toJSON())}`;
  }
}

/**
 * Wraps credentials so the secret and token are never printed. Every provider in this folder returns
 * the result of this function.
 *
 * @example
 * ```ts
 * const credentials = createCredentials({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's', source: 'test' });
 * String(credentials);          // '[Credentials AKIDEXAMPLE from test]'
 * JSON.stringify(credentials);  // '{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"[redacted]","source":"test"}'
 * credentials.secretAccessKey;  // 's' — readable, for signing
 * ```
 */
export function createCredentials(init: CredentialsInit): Credentials {
  // Every provider builds its answer here, so this is where the process learns which values to scrub.
  rememberSecret(init.secretAccessKey, 'secret access key');
  rememberSecret(init.sessionToken, 'session token');
  return new SecretSafeCredentials(init);
}

/**
 * Credentials with a different `source` label (the secret is carried across without being exposed).
 *
 * @example
 * ```ts
 * withSource(credentials, 'cache').source; // 'cache'
 * ```
 */
export function withSource(credentials: Credentials, source: string): Credentials {
  return createCredentials({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
    source,
  });
}
