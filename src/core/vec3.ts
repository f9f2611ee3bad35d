// SPDX-License-Identifier: BSD-3-Clause
/**
 * Tiny helpers on 3-vectors stored inside flat `Float64Array`s (xyz interleaved). Every function
 * takes an array and an offset so that hot loops never allocate.
 */

/** Dot product of `a[ia..ia+2]` and `b[ib..ib+2]`. */
export function dot3(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number): number {
  return a[ia]! * b[ib]! + a[ia + 1]! * b[ib + 1]! + a[ia + 2]! * b[ib + 2]!;
}

/** `out[io..io+2] = a[ia..] × b[ib..]`. `out` may not alias the inputs. */
export function cross3(
  out: Float64Array,
  io: number,
  a: ArrayLike<number>,
  ia: number,
  b: ArrayLike<number>,
  ib: number,
): void {
  const ax = a[ia]!, ay = a[ia + 1]!, az = a[ia + 2]!;
  const bx = b[ib]!, by = b[ib + 1]!, bz = b[ib + 2]!;
  out[io] = ay * bz - az * by;
  out[io + 1] = az * bx - ax * bz;
  out[io + 2] = ax * by - ay * bx;
}

/** Euclidean norm of `a[ia..ia+2]`. */
export function norm3(a: ArrayLike<number>, ia: number): number {
  return Math.hypot(a[ia]!, a[ia + 1]!, a[ia + 2]!);
}
