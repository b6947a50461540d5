/** AWS credentials. The secret and the session token never appear in any output of this package. */
export interface Credentials {
  /** The access key ID: public, sent in every signature's `Credential=`. */
  readonly accessKeyId: string;
  /** The secret access key: only ever an HMAC key, never sent. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials, sent as `X-Amz-Security-Token`. */
  readonly sessionToken?: string | undefined;
}
