/**
 * The fixed texts of the docker-credential-helpers protocol (docker/docker-credential-helpers
 * `credentials/error.go`). Docker compares trimmed stdout with them verbatim, so they live in one place.
 */

/** "Nothing stored for this server": Docker then goes on without credentials. */
export const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';

/** `get`, `erase` or `store` was given no server URL. */
export const MISSING_SERVER_URL_MESSAGE = 'no credentials server URL';

/** `store` was given no user name. */
export const MISSING_USERNAME_MESSAGE = 'no credentials username';
