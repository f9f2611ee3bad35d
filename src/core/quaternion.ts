// SPDX-License-Identifier: BSD-3-Clause
/**
 * Unit quaternions `(w, x, y, z)`, scalar first, rotating **body → lab**: `v_lab = R(q) v_body`
 * (the LAMMPS and AniSOAP convention). The columns of `R(q)` are the body axes in the lab frame.
 * All functions read and write flat arrays at an offset, so 4N quaternion arrays can be used in
 * place without allocation.
 */

/** `out[io..io+8] = R(q)` (row-major) for the quaternion `q[iq..iq+3]`, which need not be unit. */
export function quatToMatrix(out: Float64Array, io: number, q: ArrayLike<number>, iq: number): void {
  let w = q[iq]!, x = q[iq + 1]!, y = q[iq + 2]!, z = q[iq + 3]!;
  const n = Math.sqrt(w * w + x * x + y * y + z * z);
  w /= n; x /= n; y /= n; z /= n;
  out[io] = w * w + x * x - y * y - z * z;
  out[io + 1] = 2 * (x * y - w * z);
  out[io + 2] = 2 * (x * z + w * y);
  out[io + 3] = 2 * (x * y + w * z);
  out[io + 4] = w * w - x * x + y * y - z * z;
  out[io + 5] = 2 * (y * z - w * x);
  out[io + 6] = 2 * (x * z - w * y);
  out[io + 7] = 2 * (y * z + w * x);
  out[io + 8] = w * w - x * x - y * y + z * z;
}

/**
 * `out[io..io+3]` = the unit quaternion of the proper rotation matrix `m[im..im+8]` (row-major),
 * with `w ≥ 0`. Uses Shepperd's method (largest diagonal pivot) for accuracy.
 */
export function quatFromMatrix(out: Float64Array, io: number, m: ArrayLike<number>, im = 0): void {
  const m00 = m[im]!, m01 = m[im + 1]!, m02 = m[im + 2]!;
  const m10 = m[im + 3]!, m11 = m[im + 4]!, m12 = m[im + 5]!;
  const m20 = m[im + 6]!, m21 = m[im + 7]!, m22 = m[im + 8]!;
  const tr = m00 + m11 + m22;
  let w: number, x: number, y: number, z: number;
  if (tr >= m00 && tr >= m11 && tr >= m22) {
    const s = 2 * Math.sqrt(1 + tr);
    w = 0.25 * s; x = (m21 - m12) / s; y = (m02 - m20) / s; z = (m10 - m01) / s;
  } else if (m00 >= m11 && m00 >= m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    w = (m21 - m12) / s; x = 0.25 * s; y = (m01 + m10) / s; z = (m02 + m20) / s;
  } else if (m11 >= m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    w = (m02 - m20) / s; x = (m01 + m10) / s; y = 0.25 * s; z = (m12 + m21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    w = (m10 - m01) / s; x = (m02 + m20) / s; y = (m12 + m21) / s; z = 0.25 * s;
  }
  const sign = w < 0 ? -1 : 1;
  const n = sign / Math.sqrt(w * w + x * x + y * y + z * z);
  out[io] = w * n; out[io + 1] = x * n; out[io + 2] = y * n; out[io + 3] = z * n;
}

/** Hamilton product `out = a ⊗ b` (apply b first, then a). `out` may alias neither input. */
export function quatMultiply(
  out: Float64Array, io: number, a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number,
): void {
  const aw = a[ia]!, ax = a[ia + 1]!, ay = a[ia + 2]!, az = a[ia + 3]!;
  const bw = b[ib]!, bx = b[ib + 1]!, by = b[ib + 2]!, bz = b[ib + 3]!;
  out[io] = aw * bw - ax * bx - ay * by - az * bz;
  out[io + 1] = aw * bx + ax * bw + ay * bz - az * by;
  out[io + 2] = aw * by - ax * bz + ay * bw + az * bx;
  out[io + 3] = aw * bz + ax * by - ay * bx + az * bw;
}

/** Normalise `q[iq..iq+3]` in place; returns the old norm. */
export function quatNormalize(q: Float64Array, iq: number): number {
  const n = Math.hypot(q[iq]!, q[iq + 1]!, q[iq + 2]!, q[iq + 3]!);
  q[iq]! /= n; q[iq + 1]! /= n; q[iq + 2]! /= n; q[iq + 3]! /= n;
  return n;
}

/** `out[io..io+3]` = rotation by `angle` (rad) about the unit axis `(ax, ay, az)`. */
export function quatFromAxisAngle(out: Float64Array, io: number, ax: number, ay: number, az: number, angle: number): void {
  const n = Math.hypot(ax, ay, az);
  const s = n > 0 ? Math.sin(angle / 2) / n : 0;
  out[io] = Math.cos(angle / 2); out[io + 1] = ax * s; out[io + 2] = ay * s; out[io + 3] = az * s;
}

/**
 * `out[io..io+3]` = the smallest rotation taking the body z axis `(0, 0, 1)` to the unit vector
 * `u[iu..iu+2]`. Well defined for every `u` except exactly `−z`, where a rotation by π about x is
 * returned. Used where only a symmetry axis is known (uniaxial particles, dumbbells).
 */
export function quatFromZAxis(out: Float64Array, io: number, u: ArrayLike<number>, iu: number): void {
  const ux = u[iu]!, uy = u[iu + 1]!, uz = u[iu + 2]!;
  // q = (1 + z·u, z × u) normalised; z × u = (-uy, ux, 0). For uz < 0, 1 + uz is computed as
  // (ux² + uy²) / (1 − uz) (equal for unit u) to avoid cancellation near −z; only u = −z exactly
  // (no rotation axis at all) needs the fallback.
  const rho2 = ux * ux + uy * uy;
  const w = uz >= 0 ? 1 + uz : rho2 / (1 - uz);
  const n = Math.sqrt(w * w + rho2);
  if (!(n > 0)) {
    out[io] = 0; out[io + 1] = 1; out[io + 2] = 0; out[io + 3] = 0;
    return;
  }
  out[io] = w / n; out[io + 1] = -uy / n; out[io + 2] = ux / n; out[io + 3] = 0;
}

/** `out[io..io+2] = R(q) v` for `v = v[iv..iv+2]` (body → lab). */
export function quatRotate(
  out: Float64Array, io: number, q: ArrayLike<number>, iq: number, v: ArrayLike<number>, iv: number,
): void {
  const w = q[iq]!, x = q[iq + 1]!, y = q[iq + 2]!, z = q[iq + 3]!;
  const vx = v[iv]!, vy = v[iv + 1]!, vz = v[iv + 2]!;
  // t = 2 (q_vec × v); v' = v + w t + q_vec × t  (unit q)
  const tx = 2 * (y * vz - z * vy), ty = 2 * (z * vx - x * vz), tz = 2 * (x * vy - y * vx);
  out[io] = vx + w * tx + (y * tz - z * ty);
  out[io + 1] = vy + w * ty + (z * tx - x * tz);
  out[io + 2] = vz + w * tz + (x * ty - y * tx);
}
