// SPDX-License-Identifier: BSD-3-Clause
/**
 * The named converters between file conventions and the internal ones (docs/CONVENTIONS.md
 * §2–3), used by every reader and writer in `src/io` so that each conversion happens
 * in one place, at the boundary:
 *
 * | file convention | internal |
 * |---|---|
 * | diameters (LAMMPS `shapex shapey shapez`, AniSOAP `c_diameter[k]`) | semi-axes |
 * | scalar-last quaternions (x, y, z, w): OVITO, chemiscope, AniSOAP's two xyzw benchmark files | (w, x, y, z) |
 * | rotation matrices (AniSOAP `rotation_type="matrix"`, row-major, body → lab) | (w, x, y, z), w ≥ 0 |
 *
 * Internal orientations are unit quaternions (w, x, y, z) rotating body → lab.
 */
import { quatFromMatrix } from '../core/quaternion.js';

/** A diameter (as LAMMPS and AniSOAP files store shapes) → the semi-axis kept in memory. */
export function semiaxisFromDiameter(diameter: number): number {
  return 0.5 * diameter;
}

/** A semi-axis → the diameter written to LAMMPS / AniSOAP-style files. */
export function diameterFromSemiaxis(semiaxis: number): number {
  return 2 * semiaxis;
}

/** `out[io..io+3] = (w, x, y, z)` from a scalar-last `(x, y, z, w)` at `q[iq..iq+3]`. */
export function fromScalarLast(out: Float64Array, io: number, q: ArrayLike<number>, iq: number): void {
  const x = q[iq]!, y = q[iq + 1]!, z = q[iq + 2]!, w = q[iq + 3]!;
  out[io] = w;
  out[io + 1] = x;
  out[io + 2] = y;
  out[io + 3] = z;
}

/** `out[io..io+3] = (x, y, z, w)` (scalar last) from `(w, x, y, z)` at `q[iq..iq+3]`. */
export function toScalarLast(out: Float64Array, io: number, q: ArrayLike<number>, iq: number): void {
  const w = q[iq]!, x = q[iq + 1]!, y = q[iq + 2]!, z = q[iq + 3]!;
  out[io] = x;
  out[io + 1] = y;
  out[io + 2] = z;
  out[io + 3] = w;
}

/** `out[io..io+3]` = the unit quaternion (w ≥ 0) of a row-major body → lab rotation matrix. */
export function fromRotationMatrix(out: Float64Array, io: number, m: ArrayLike<number>, im: number): void {
  quatFromMatrix(out, io, m, im);
}
