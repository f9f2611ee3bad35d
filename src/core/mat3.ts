// SPDX-License-Identifier: BSD-3-Clause
/**
 * 3×3 matrices as flat row-major `Float64Array(9)`: `m[3*r + c]`.
 */

/** A new 3×3 identity. */
export function identity3(): Float64Array {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

/** Determinant of the row-major 3×3 matrix `m`. */
export function det3(m: ArrayLike<number>): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/**
 * `out = m^-1`, row-major. Returns `out`, or `null` if `|det| <= tiny · scale³`, with `scale` the
 * largest absolute entry (a relative singularity test).
 */
export function invert3(out: Float64Array, m: ArrayLike<number>, tiny = 1e-12): Float64Array | null {
  const d = det3(m);
  let scale = 0;
  for (let k = 0; k < 9; k++) scale = Math.max(scale, Math.abs(m[k]!));
  if (scale === 0 || Math.abs(d) <= tiny * scale * scale * scale) return null;
  const a = m[0]!, b = m[1]!, c = m[2]!, e = m[3]!, f = m[4]!, g = m[5]!, h = m[6]!, i = m[7]!, j = m[8]!;
  out[0] = (f * j - g * i) / d;
  out[1] = (c * i - b * j) / d;
  out[2] = (b * g - c * f) / d;
  out[3] = (g * h - e * j) / d;
  out[4] = (a * j - c * h) / d;
  out[5] = (c * e - a * g) / d;
  out[6] = (e * i - f * h) / d;
  out[7] = (b * h - a * i) / d;
  out[8] = (a * f - b * e) / d;
  return out;
}

/** `out = a · b` (row-major). `out` may not alias the inputs. */
export function multiply3(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!;
    }
  }
  return out;
}

/** `out = mᵀ`. `out` may not alias `m`. */
export function transpose3(out: Float64Array, m: ArrayLike<number>): Float64Array {
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = m[3 * c + r]!;
  return out;
}
