// SPDX-License-Identifier: BSD-3-Clause
/** Growing the per-particle column buffers of the streaming readers. */

/**
 * A copy of `a` with room for `capacity` rows of `width` values (the old contents first), or null
 * when `a` is null (a column the file does not have).
 */
export function grownColumn<T extends Float64Array | Int32Array>(a: T | null, width: number, capacity: number): T | null {
  if (!a) return null;
  const b = new (a.constructor as new (length: number) => T)(width * capacity);
  b.set(a);
  return b;
}
