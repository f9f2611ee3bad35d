// SPDX-License-Identifier: BSD-3-Clause
/**
 * The standard orientation of a cell, as LAMMPS boxes and i-PI's `CELL(abcABC)` headers need it:
 * `a` along +x, `b` in the xy plane with positive y, `c` with positive z — lower-triangular rows
 * `a = (ax, 0, 0)`, `b = (bx, by, 0)`, `c = (cx, cy, cz)`. Writers of those formats rotate the
 * frame into it (positions, forces, torques and orientations alike) when the cell is not already
 * there, so that the file describes the same configuration up to a rigid rotation.
 */
import type { Cell } from '../core/cell.js';
import { quatFromMatrix, quatMultiply } from '../core/quaternion.js';

/** The cell in standard orientation and the rotation that takes lab vectors there. */
export interface StandardOrientation {
  /** Rows a, b, c in standard orientation (lower triangular). */
  h: Float64Array;
  /**
   * Row-major 3×3 `M` with `r' = M r` (column vectors), or null when the cell is already in
   * standard orientation (then nothing is rotated and `h` equals the cell's rows exactly).
   */
  rotation: Float64Array | null;
  /** False when the cell is left-handed: `M` is then a reflection (det −1). */
  proper: boolean;
}

/** Is `h` (rows) lower triangular with a positive diagonal? */
export function isStandardOrientation(h: ArrayLike<number>): boolean {
  return h[1] === 0 && h[2] === 0 && h[5] === 0 && h[0]! > 0 && h[4]! > 0 && h[8]! > 0;
}

/**
 * The standard orientation of `cell` (module doc), by Gram–Schmidt on a, b: `e1 = a/|a|`,
 * `e2 ∝ b − (b·e1) e1`, `e3 = ±e1 × e2` (the sign that makes `c·e3 > 0`). Returns null when `a`
 * and `b` are (nearly) parallel or zero, e.g. for an open cell with zero `h`.
 */
export function standardOrientation(cell: Cell): StandardOrientation | null {
  const h = cell.h;
  if (isStandardOrientation(h)) return { h: Float64Array.from(h), rotation: null, proper: true };
  const la = Math.hypot(h[0]!, h[1]!, h[2]!);
  if (!(la > 0)) return null;
  const e1 = [h[0]! / la, h[1]! / la, h[2]! / la];
  const bd = h[3]! * e1[0]! + h[4]! * e1[1]! + h[5]! * e1[2]!;
  const p = [h[3]! - bd * e1[0]!, h[4]! - bd * e1[1]!, h[5]! - bd * e1[2]!];
  const lp = Math.hypot(p[0]!, p[1]!, p[2]!);
  if (!(lp > 1e-12 * Math.hypot(h[3]!, h[4]!, h[5]!)) || !(lp > 0)) return null;
  const e2 = [p[0]! / lp, p[1]! / lp, p[2]! / lp];
  let e3 = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!];
  const c3 = h[6]! * e3[0]! + h[7]! * e3[1]! + h[8]! * e3[2]!;
  const proper = c3 >= 0;
  if (!proper) e3 = [-e3[0]!, -e3[1]!, -e3[2]!];
  const m = Float64Array.of(...e1, ...e2, ...e3);
  const out = new Float64Array(9);
  for (let v = 0; v < 3; v++) {
    for (let r = 0; r < 3; r++) out[3 * v + r] = m[3 * r]! * h[3 * v]! + m[3 * r + 1]! * h[3 * v + 1]! + m[3 * r + 2]! * h[3 * v + 2]!;
  }
  out[1] = out[2] = out[5] = 0; // zero by construction, up to rounding
  return { h: out, rotation: m, proper };
}

/** `M v` for each 3-vector of `v` (n · 3 entries), as a new array. */
export function rotateVectors(m: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i + 2 < v.length; i += 3) {
    const x = v[i]!, y = v[i + 1]!, z = v[i + 2]!;
    out[i] = m[0]! * x + m[1]! * y + m[2]! * z;
    out[i + 1] = m[3]! * x + m[4]! * y + m[5]! * z;
    out[i + 2] = m[6]! * x + m[7]! * y + m[8]! * z;
  }
  return out;
}

/** Orientations (w, x, y, z) body → lab rotated by the proper rotation `M`: `q' = q(M) ⊗ q`. */
export function rotateQuaternions(m: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  const qm = new Float64Array(4);
  quatFromMatrix(qm, 0, m, 0);
  const out = new Float64Array(q.length);
  for (let i = 0; i + 3 < q.length; i += 4) quatMultiply(out, i, qm, 0, q, i);
  return out;
}
