// SPDX-License-Identifier: BSD-3-Clause
/**
 * One error class for the whole library, with stable `code` strings that callers and tests can
 * match. Messages name the bad value, its unit and, where there is one, the allowed set.
 */

/** Stable error codes. New codes are appended; existing ones never change meaning. */
export type AnisoErrorCode =
  | 'E_ARG' // a bad argument to a library function
  | 'E_CONFIG' // a configuration file or object failed validation
  | 'E_PROTOCOL' // a malformed or unexpected i-PI message
  | 'E_TRANSPORT' // socket could not be opened, or closed mid-message
  | 'E_NONFINITE' // a NaN or infinity in a computed result
  | 'E_SIZE' // arrays of inconsistent length
  | 'E_CELL' // a singular or otherwise unusable cell
  | 'E_MAPPING' // sites cannot be mapped to ellipsoids (degenerate geometry)
  | 'E_IO'; // a file could not be read or written, or is malformed

/** The error thrown by anisodrive code. `code` is stable; `message` is for people. */
export class AnisoError extends Error {
  /** Stable machine-readable code. */
  readonly code: AnisoErrorCode;

  constructor(code: AnisoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnisoError';
    this.code = code;
  }
}

/** Throw `E_ARG` unless `cond` holds. */
export function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new AnisoError('E_ARG', message);
}

/** Throw `E_SIZE` unless `array.length === expected`. `what` names the array in the message. */
export function checkLength(array: ArrayLike<number>, expected: number, what: string): void {
  if (array.length !== expected) {
    throw new AnisoError('E_SIZE', `${what} has length ${array.length}, expected ${expected}`);
  }
}

/**
 * Index of the first non-finite entry of `values`, or −1 if all are finite.
 * Used before anything is sent to a server.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) return i;
  }
  return -1;
}
