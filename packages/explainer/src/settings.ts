// The form's settings: their own file so that explain.ts and verdict.ts both read them without importing each other.
/** What the settings form holds. Strings as typed; checkboxes as booleans. */
export interface Settings {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  signSessionToken: boolean;
  region: string;
  service: string;
  /** Used only when the request has no X-Amz-Date of its own. */
  date: string;
  s3: boolean;
  unsignedPayload: boolean;
  contentSha256Header: boolean;
}
