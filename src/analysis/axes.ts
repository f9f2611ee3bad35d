// SPDX-License-Identifier: BSD-3-Clause
/**
 * The molecular axis of each particle, shared by every orientational analysis: a body axis
 * (x, y or z) of a unit quaternion (w, x, y, z) rotating body → lab, i.e. column `axis` of R(q),
 * or a given vector, normalised. For Gay–Berne ellipsoids and the dumbbell mapping the symmetry
 * axis is body z (`u = (2(xz + wy), 2(yz − wx), w² − x² − y² + z²)`).
 */
import { AnisoError } from '../core/errors.js';

/** A body axis. */
export type BodyAxis = 'x' | 'y' | 'z';

/** What an orientation array holds: 4 numbers per particle (quaternions), or 3 (vectors). */
export type OrientationInput = 'quaternions' | 'vectors';

const AXES: readonly BodyAxis[] = ['x', 'y', 'z'];

/**
 * Index 0, 1, 2 of `axis`.
 * @throws AnisoError `E_ARG` (prefixed with `label`) for anything but 'x', 'y', 'z'
 */
export function bodyAxisIndex(axis: BodyAxis, label = 'analysis'): number {
  const k = AXES.indexOf(axis);
  if (k < 0) throw new AnisoError('E_ARG', `${label}: axis '${String(axis)}' is not one of 'x', 'y', 'z'`);
  return k;
}

/**
 * Unit molecular axes (3n) of `orientations`, written into `out` (grown when too short; the
 * returned array may be longer than 3n). Quaternions are normalised before use.
 * @throws AnisoError `E_SIZE` for a length that is not a positive multiple of 4 (or 3), `E_ARG`
 *   naming the particle for a zero or non-finite quaternion or vector; messages start with `label`
 */
export function molecularAxes(
  orientations: ArrayLike<number>,
  input: OrientationInput = 'quaternions',
  axisIndex = 2,
  out?: Float64Array,
  label = 'analysis',
): { n: number; u: Float64Array } {
  if (input !== 'quaternions' && input !== 'vectors') {
    throw new AnisoError('E_ARG', `${label}: input '${String(input)}' is not one of 'quaternions', 'vectors'`);
  }
  const width = input === 'quaternions' ? 4 : 3;
  const len = orientations.length;
  if (len === 0 || len % width !== 0) {
    throw new AnisoError(
      'E_SIZE',
      `${label}: ${input} has length ${len}; expected a positive multiple of ${width} (${width} numbers per particle)`,
    );
  }
  const n = len / width;
  const u = out !== undefined && out.length >= 3 * n ? out : new Float64Array(3 * n);
  if (width === 4) {
    for (let i = 0; i < n; i++) axisOfQuaternion(orientations, i, axisIndex, u, label);
  } else {
    for (let i = 0; i < n; i++) {
      const x = orientations[3 * i]!, y = orientations[3 * i + 1]!, z = orientations[3 * i + 2]!;
      const norm = Math.sqrt(x * x + y * y + z * z);
      if (!(norm > 0 && norm < Infinity)) {
        throw new AnisoError('E_ARG', `${label}: vector ${i} is (${x}, ${y}, ${z}); orientations must be finite and non-zero`);
      }
      u[3 * i] = x / norm; u[3 * i + 1] = y / norm; u[3 * i + 2] = z / norm;
    }
  }
  return { n, u };
}

/** Column `axisIndex` of R(q) for quaternion i (normalised first) into `u[3i..3i+2]`. */
function axisOfQuaternion(q: ArrayLike<number>, i: number, axisIndex: number, u: Float64Array, label: string): void {
  let w = q[4 * i]!, x = q[4 * i + 1]!, y = q[4 * i + 2]!, z = q[4 * i + 3]!;
  const norm = Math.sqrt(w * w + x * x + y * y + z * z);
  if (!(norm > 0 && norm < Infinity)) {
    throw new AnisoError('E_ARG', `${label}: quaternion ${i} is (${w}, ${x}, ${y}, ${z}); it must be finite and non-zero`);
  }
  w /= norm; x /= norm; y /= norm; z /= norm;
  const o = 3 * i;
  switch (axisIndex) {
    case 0:
      u[o] = w * w + x * x - y * y - z * z; u[o + 1] = 2 * (x * y + w * z); u[o + 2] = 2 * (x * z - w * y);
      break;
    case 1:
      u[o] = 2 * (x * y - w * z); u[o + 1] = w * w - x * x + y * y - z * z; u[o + 2] = 2 * (y * z + w * x);
      break;
    default:
      u[o] = 2 * (x * z + w * y); u[o + 1] = 2 * (y * z - w * x); u[o + 2] = w * w - x * x - y * y + z * z;
  }
}
