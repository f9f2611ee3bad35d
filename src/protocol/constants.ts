// SPDX-License-Identifier: BSD-3-Clause
/**
 * Sizes, header words and defaults of the i-PI socket protocol (see `docs/PROTOCOL.md` §1–2).
 *
 * Every message starts with a 12-byte ASCII header: an upper-case keyword right-padded with
 * spaces. Integers are int32 and reals float64, both little-endian on every platform we meet
 * (the protocol says "native"; we always write little-endian).
 */

/** Length of every header, bytes. */
export const HEADER_BYTES = 12;
/** Size of an int32 field, bytes. */
export const INT_BYTES = 4;
/** Size of a float64 field, bytes. */
export const F64_BYTES = 8;
/** Size of a 3×3 float64 matrix (cell, inverse cell, virial), bytes. */
export const MAT3_BYTES = 9 * F64_BYTES;
/** POSDATA payload before the positions: `h` (9 f64), `h⁻¹` (9 f64), `N` (int32): 148 bytes. */
export const POSDATA_FIXED_BYTES = 2 * MAT3_BYTES + INT_BYTES;
/** INIT payload before the string: `rid` (int32), `len` (int32): 8 bytes. */
export const INIT_FIXED_BYTES = 2 * INT_BYTES;
/** FORCEREADY payload before the forces: `E` (f64), `N` (int32): 12 bytes. */
export const FORCEREADY_HEAD_BYTES = F64_BYTES + INT_BYTES;
/** FORCEREADY payload after the forces, before the extras: `W` (9 f64), `L` (int32): 76 bytes. */
export const FORCEREADY_TAIL_BYTES = MAT3_BYTES + INT_BYTES;

/** Messages a server sends to a driver. */
export const SERVER_HEADERS = ['STATUS', 'INIT', 'POSDATA', 'GETFORCE', 'EXIT'] as const;
/** Messages a driver sends to a server (the first three only as replies to STATUS). */
export const CLIENT_HEADERS = ['READY', 'NEEDINIT', 'HAVEDATA', 'FORCEREADY'] as const;

/** A header word sent by a server. */
export type ServerHeader = (typeof SERVER_HEADERS)[number];
/** A header word sent by a driver. */
export type ClientHeader = (typeof CLIENT_HEADERS)[number];
/** Any header word. */
export type Header = ServerHeader | ClientHeader;

/** Which side of the connection sent a message. */
export type Sender = 'server' | 'client';

/** `word` right-padded with spaces to 12 bytes, as a new Buffer. */
export function paddedHeader(word: string): Buffer {
  if (!/^[A-Z]{1,12}$/.test(word)) throw new RangeError(`not a header word: '${word}'`);
  return Buffer.from(word.padEnd(HEADER_BYTES, ' '), 'latin1');
}

/** Default upper bound (exclusive) on the atom count N a message may announce. */
export const DEFAULT_MAX_ATOMS = 100_000_000;
/** Default upper bound on the length of an INIT string or of FORCEREADY extras, bytes (16 MiB). */
export const DEFAULT_MAX_STRING_BYTES = 16 * 1024 * 1024;

/** i-PI's default prefix of unix socket files: the address `driver` becomes `/tmp/ipi_driver`. */
export const DEFAULT_UNIX_PREFIX = '/tmp/ipi_';
/** Longest unix socket path Linux accepts (`sun_path` is 108 bytes including the final NUL). */
export const SUN_PATH_MAX_BYTES = 107;
