/**
 * One wording for a failed file-system call, so that every writer and reader of this package reports a
 * permission problem the same way: at once, as `PERMISSION_DENIED`, naming the path that refused, and
 * saying what to check. (Before this, a read-only folder surfaced as "another process holds the lock"
 * after half a minute of retries.)
 */
import { DockerConfigError, type DockerConfigErrorCode } from './errors.ts';
import { isPermissionError } from './file-access.ts';

/**
 * The error to throw when `action` (`read`, `write`, `create the folder`, ...) on `path` failed with
 * `error`: `PERMISSION_DENIED` for EACCES, EPERM and EROFS, else `fallback`.
 *
 * @example
 * ```ts
 * throw fileSystemError('WRITE_FAILED', 'write', '/home/me/.docker/config.json', error);
 * ```
 */
export function fileSystemError(fallback: DockerConfigErrorCode, action: string, path: string, error: unknown): DockerConfigError {
  const errno = (error as NodeJS.ErrnoException).code;
  const detail = (error as Error).message;
  if (isPermissionError(error)) {
    const why = errno === 'EROFS' ? 'the file system is read-only' : 'permission denied';
    return new DockerConfigError(
      'PERMISSION_DENIED',
      `Cannot ${action} ${path}: ${why} (${errno}). Check the owner and mode of ${path} and its folder, or point DOCKER_CONFIG / GLASSBOX_CACHE_DIR at a folder you own.`,
      { path, cause: error },
    );
  }
  return new DockerConfigError(fallback, `Cannot ${action} ${path}: ${detail}`, { path, cause: error });
}
