import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { SigV4Error } from '../errors.ts';

/** The trailing checksums this package computes: `x-amz-checksum-crc32` and `x-amz-checksum-sha256`. */
export type ChecksumAlgorithm = 'crc32' | 'sha256';

/** An incremental checksum of the decoded data, written as S3 expects it (base64 of the big-endian digest). */
export interface RunningChecksum {
  /** The trailer name, e.g. `x-amz-checksum-crc32`. */
  readonly header: string;
  /** Adds data. */
  update(data: Uint8Array): void;
  /** The base64 value. */
  digest(): string;
}

/**
 * CRC-32 (IEEE 802.3, as zlib and S3's `x-amz-checksum-crc32`), continuing from `previous`.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array, previous = 0): number {
  // zlib.crc32 is in every Node this package supports (engines: >=20.19; it arrived in 20.15).
  return zlib.crc32(data, previous);
}

/**
 * A running checksum for a trailer.
 *
 * @example
 * ```ts
 * const sum = runningChecksum('crc32'); sum.update(bytes); sum.digest(); // e.g. 'sOO8/Q=='
 * ```
 */
export function runningChecksum(algorithm: ChecksumAlgorithm): RunningChecksum {
  if (algorithm === 'crc32') {
    let value = 0;
    return {
      header: 'x-amz-checksum-crc32',
      update: (data) => void (value = crc32(data, value)),
      digest: () => {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(value >>> 0);
        return bytes.toString('base64');
      },
    };
  }
  if (algorithm === 'sha256') {
    const hash = createHash('sha256');
    return { header: 'x-amz-checksum-sha256', update: (data) => void hash.update(data), digest: () => hash.digest('base64') };
  }
  throw new SigV4Error('INVALID_OPTION', "checksum: expected 'crc32' or 'sha256'");
}

/** The base64 length of each checksum, for the encoded Content-Length. */
export const CHECKSUM_LENGTH: Readonly<Record<ChecksumAlgorithm, number>> = { crc32: 8, sha256: 44 };
