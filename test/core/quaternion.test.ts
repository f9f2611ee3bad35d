// SPDX-License-Identifier: BSD-3-Clause
import { describe, it, expect } from 'vitest';
import { det3, multiply3 } from '../../src/core/mat3.js';
import {
  quatFromAxisAngle,
  quatFromMatrix,
  quatFromZAxis,
  quatMultiply,
  quatNormalize,
  quatRotate,
  quatToMatrix,
} from '../../src/core/quaternion.js';
import { seededRandom } from '../support/random.js';

const r = seededRandom(42);

/** A random unit quaternion with w ≥ 0. */
function randomQuat(): Float64Array {
  const q = Float64Array.of(2 * r() - 1, 2 * r() - 1, 2 * r() - 1, 2 * r() - 1);
  quatNormalize(q, 0);
  if (q[0]! < 0) for (let k = 0; k < 4; k++) q[k] = -q[k]!;
  return q;
}

function matrixOf(q: ArrayLike<number>): Float64Array {
  const m = new Float64Array(9);
  quatToMatrix(m, 0, q, 0);
  return m;
}

function matVec(m: ArrayLike<number>, v: ArrayLike<number>): number[] {
  return [0, 1, 2].map((i) => m[3 * i]! * v[0]! + m[3 * i + 1]! * v[1]! + m[3 * i + 2]! * v[2]!);
}

/** Which of Shepperd's four branches `quatFromMatrix` takes for `m` (mirrors its pivot test). */
function shepperdBranch(m: ArrayLike<number>): number {
  const tr = m[0]! + m[4]! + m[8]!;
  if (tr >= m[0]! && tr >= m[4]! && tr >= m[8]!) return 0;
  if (m[0]! >= m[4]! && m[0]! >= m[8]!) return 1;
  if (m[4]! >= m[8]!) return 2;
  return 3;
}

/** q and p represent the same rotation (q = ±p). */
function expectSameRotation(q: ArrayLike<number>, p: ArrayLike<number>, digits = 12): void {
  const dot = q[0]! * p[0]! + q[1]! * p[1]! + q[2]! * p[2]! + q[3]! * p[3]!;
  const s = dot < 0 ? -1 : 1;
  for (let k = 0; k < 4; k++) expect(q[k]).toBeCloseTo(s * p[k]!, digits);
}

describe('quaternions (w, x, y, z), body → lab', () => {
  it('quatToMatrix is orthonormal with determinant 1, also for non-unit input', () => {
    for (let t = 0; t < 50; t++) {
      const q = randomQuat();
      const scale = 0.1 + 5 * r();
      const m = matrixOf(q.map((x) => x * scale));
      const mmT = new Float64Array(9);
      const mT = Float64Array.from([m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!]);
      multiply3(mmT, m, mT);
      for (let i = 0; i < 9; i++) expect(mmT[i]).toBeCloseTo(i % 4 === 0 ? 1 : 0, 13);
      expect(det3(m)).toBeCloseTo(1, 13);
    }
  });

  it('quatFromMatrix inverts quatToMatrix on all four Shepperd branches', () => {
    const branches = new Set<number>();
    const cases: Float64Array[] = [];
    for (let t = 0; t < 40; t++) cases.push(randomQuat());
    // Near and exactly 180° about each axis and about oblique axes; tiny and zero rotations.
    const axes = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0.2, -0.3, 0.9], [-0.8, 0.5, 0.3]];
    for (const [ax, ay, az] of axes) {
      for (const angle of [Math.PI, Math.PI - 1e-3, Math.PI - 1e-7, 1e-8, 0]) {
        const q = new Float64Array(4);
        quatFromAxisAngle(q, 0, ax!, ay!, az!, angle);
        cases.push(q);
      }
    }
    for (const q of cases) {
      const m = matrixOf(q);
      branches.add(shepperdBranch(m));
      const back = new Float64Array(4);
      quatFromMatrix(back, 0, m);
      expect(back[0]).toBeGreaterThanOrEqual(0);
      expect(Math.hypot(back[0]!, back[1]!, back[2]!, back[3]!)).toBeCloseTo(1, 14);
      expectSameRotation(back, q, 12);
      // Same matrix again.
      const m2 = matrixOf(back);
      for (let k = 0; k < 9; k++) expect(m2[k]).toBeCloseTo(m[k]!, 13);
    }
    expect([...branches].sort()).toEqual([0, 1, 2, 3]);
  });

  it('quatFromMatrix reads at an offset', () => {
    const q = randomQuat();
    const buf = new Float64Array(12);
    quatToMatrix(buf, 3, q, 0);
    const out = new Float64Array(6);
    quatFromMatrix(out, 2, buf, 3);
    expectSameRotation(out.subarray(2), q);
  });

  it('quatRotate equals the matrix times the vector', () => {
    for (let t = 0; t < 50; t++) {
      const q = randomQuat();
      const v = [4 * r() - 2, 4 * r() - 2, 4 * r() - 2];
      const out = new Float64Array(3);
      quatRotate(out, 0, q, 0, v, 0);
      const want = matVec(matrixOf(q), v);
      for (let k = 0; k < 3; k++) expect(out[k]).toBeCloseTo(want[k]!, 13);
    }
  });

  it('quatMultiply composes rotations: R(a ⊗ b) = R(a) R(b)', () => {
    for (let t = 0; t < 50; t++) {
      const a = randomQuat(), b = randomQuat();
      const ab = new Float64Array(4);
      quatMultiply(ab, 0, a, 0, b, 0);
      const want = new Float64Array(9);
      multiply3(want, matrixOf(a), matrixOf(b));
      const got = matrixOf(ab);
      for (let k = 0; k < 9; k++) expect(got[k]).toBeCloseTo(want[k]!, 13);
      // b is applied first.
      const v = [0.3, -1.2, 0.7];
      const vb = new Float64Array(3), vab = new Float64Array(3), direct = new Float64Array(3);
      quatRotate(vb, 0, b, 0, v, 0);
      quatRotate(vab, 0, a, 0, vb, 0);
      quatRotate(direct, 0, ab, 0, v, 0);
      for (let k = 0; k < 3; k++) expect(direct[k]).toBeCloseTo(vab[k]!, 13);
    }
  });

  it('quatNormalize returns the old norm and normalises in place', () => {
    const q = Float64Array.of(0, 3, 0, 4, 99);
    expect(quatNormalize(q, 1)).toBeCloseTo(Math.hypot(3, 0, 4, 99), 13);
    expect(Math.hypot(q[1]!, q[2]!, q[3]!, q[4]!)).toBeCloseTo(1, 14);
    expect(q[0]).toBe(0);
  });

  it('quatFromAxisAngle rotates right-handedly about the axis', () => {
    const q = new Float64Array(4);
    quatFromAxisAngle(q, 0, 0, 0, 2, Math.PI / 2); // axis need not be unit
    const out = new Float64Array(3);
    quatRotate(out, 0, q, 0, [1, 0, 0], 0);
    expect(out[0]).toBeCloseTo(0, 14);
    expect(out[1]).toBeCloseTo(1, 14);
    expect(out[2]).toBeCloseTo(0, 14);
  });

  it('quatFromZAxis maps body z to u (including u = z and u = −z)', () => {
    // Unit vectors, among them some within 1e-4 … 1e-9 rad of −z.
    const us: number[][] = [[0, 0, 1], [0, 0, -1], [1, 0, 0], [0, -1, 0]];
    for (const e of [1e-4, 1e-6, 3e-7, 1e-9]) {
      us.push([e, 0, -Math.sqrt(1 - e * e)], [0.6 * e, -0.8 * e, -Math.sqrt(1 - e * e)]);
    }
    for (let t = 0; t < 30; t++) {
      const v = [2 * r() - 1, 2 * r() - 1, 2 * r() - 1];
      const n = Math.hypot(v[0]!, v[1]!, v[2]!);
      us.push(v.map((x) => x / n));
    }
    for (const u of us) {
      const q = new Float64Array(4);
      quatFromZAxis(q, 0, u, 0);
      expect(Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!)).toBeCloseTo(1, 14);
      const out = new Float64Array(3);
      quatRotate(out, 0, q, 0, [0, 0, 1], 0);
      for (let k = 0; k < 3; k++) expect(Math.abs(out[k]! - u[k]!)).toBeLessThan(1e-12);
    }
    const id = new Float64Array(4);
    quatFromZAxis(id, 0, [0, 0, 1], 0);
    expect(Array.from(id, (x) => x + 0)).toEqual([1, 0, 0, 0]);
    // Exactly −z: rotation by π about x.
    const flip = new Float64Array(4);
    quatFromZAxis(flip, 0, [0, 0, -1], 0);
    expect(Array.from(flip, (x) => x + 0)).toEqual([0, 1, 0, 0]);
  });

  it('follows the LAMMPS convention: columns of R are the body axes in the lab frame', () => {
    for (let t = 0; t < 10; t++) {
      const q = randomQuat();
      const m = matrixOf(q);
      for (let axis = 0; axis < 3; axis++) {
        const e = [0, 0, 0];
        e[axis] = 1;
        const lab = new Float64Array(3);
        quatRotate(lab, 0, q, 0, e, 0);
        for (let k = 0; k < 3; k++) expect(lab[k]).toBeCloseTo(m[3 * k + axis]!, 13);
      }
    }
    // q = (cos θ/2, 0, sin θ/2, 0): rotation by θ about y, body z → (sin θ, 0, cos θ).
    for (const theta of [0.3, 1.1, 2.5, -0.7]) {
      const q = Float64Array.of(Math.cos(theta / 2), 0, Math.sin(theta / 2), 0);
      const m = matrixOf(q);
      expect(m[2]).toBeCloseTo(Math.sin(theta), 14);
      expect(m[5]).toBeCloseTo(0, 14);
      expect(m[8]).toBeCloseTo(Math.cos(theta), 14);
      const z = new Float64Array(3);
      quatRotate(z, 0, q, 0, [0, 0, 1], 0);
      expect(z[0]).toBeCloseTo(Math.sin(theta), 14);
      expect(z[1]).toBeCloseTo(0, 14);
      expect(z[2]).toBeCloseTo(Math.cos(theta), 14);
    }
  });
});
