// SPDX-License-Identifier: BSD-3-Clause
/**
 * Invariances of the pair features: global rotation (features invariant, forces and torques
 * rotate), translation and lattice shifts of single particles (wrapping), permutation of particle
 * indices, exchange of the two particles of a pair, spin about the uniaxial axis, head–tail flips,
 * periodic images (a replicated cell), continuity at the cutoff, finiteness in overlap; each for
 * both radial bases.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { quatFromAxisAngle, quatMultiply, quatRotate } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { PairCalculator } from '../../src/features/pair/calculator.js';
import { maxRelativeError } from '../support/finite-difference.js';
import { GB_PAIR_HYPERS, randomUniaxialSystem, randomWeights } from '../support/pair-fixtures.js';
import { randomQuaternion, rotateSystem, seededRandom } from '../support/random.js';

const CELL = Cell.fromRows([6.1, 0, 0, 0.5, 5.8, 0, -0.3, 0.4, 6.4]);
const TWO_SPECIES = { ...GB_PAIR_HYPERS, species: [1, 2], headTail: false, maxDegree: 3 };
const RADIAL_BASES = ['gaussian', 'spline'] as const;

/** `sys` with every orientation right-multiplied (body frame) by the rotation of `angle` about body axis `axis`. */
function bodyRotated(sys: ParticleSystem, axis: [number, number, number], angle: (i: number) => number): ParticleSystem {
  const q = Float64Array.from(sys.orientations!), dq = new Float64Array(4);
  for (let i = 0; i < sys.n; i++) {
    quatFromAxisAngle(dq, 0, axis[0], axis[1], axis[2], angle(i));
    quatMultiply(q, 4 * i, sys.orientations!.slice(4 * i, 4 * i + 4), 0, dq, 0);
  }
  return { ...sys, orientations: q };
}

for (const radialBasis of RADIAL_BASES) {
  describe(`pair feature invariances, ${radialBasis}`, () => {
    const rand = seededRandom(41);
    const sys = randomUniaxialSystem(rand, CELL, 14, { ntypes: 2 });
    const calc = new PairCalculator({ ...TWO_SPECIES, radialBasis });
    const ref = calc.values(sys);
    const F = calc.metadata.featureCount;

    it('has pairs, and features that differ from particle to particle', () => {
      expect(Math.max(...ref)).toBeGreaterThan(0.05);
      expect(maxRelativeError(ref.subarray(0, F), ref.subarray(F, 2 * F))).toBeGreaterThan(1e-3);
    });

    it('global rotation: features unchanged, forces and torques rotated', () => {
      const Q = randomQuaternion(rand);
      const rot = rotateSystem(sys, Q);
      const q = new Float64Array(4 * sys.n);
      for (let i = 0; i < sys.n; i++) quatMultiply(q, 4 * i, Q, 0, sys.orientations!, 4 * i);
      const rotated = { ...rot, orientations: q };
      expect(maxRelativeError(calc.values(rotated), ref)).toBeLessThan(1e-12);
      const w = randomWeights(rand, calc);
      const a = calc.linearForces(sys, w), b = calc.linearForces(rotated, w);
      expect(b.energy).toBeCloseTo(a.energy, 11);
      const fa = new Float64Array(3 * sys.n), ta = new Float64Array(3 * sys.n);
      for (let i = 0; i < sys.n; i++) {
        quatRotate(fa, 3 * i, Q, 0, a.forces, 3 * i);
        quatRotate(ta, 3 * i, Q, 0, a.torques!, 3 * i);
      }
      expect(maxRelativeError(b.forces, fa)).toBeLessThan(1e-11);
      expect(maxRelativeError(b.torques!, ta)).toBeLessThan(1e-11);
    });

    it('translation of all particles and lattice shifts of single particles (wrapping) change nothing', () => {
      const moved = Float64Array.from(sys.positions, (v, k) => v + [0.37, -1.2, 2.9][k % 3]!);
      expect(maxRelativeError(calc.values({ ...sys, positions: moved }), ref)).toBeLessThan(1e-12);
      const shifted = Float64Array.from(sys.positions);
      for (let i = 0; i < sys.n; i += 3) for (let d = 0; d < 3; d++) shifted[3 * i + d]! += 2 * CELL.h[d]! - CELL.h[3 + d]! + 3 * CELL.h[6 + d]!;
      expect(maxRelativeError(calc.values({ ...sys, positions: shifted }), ref)).toBeLessThan(1e-12);
    });

    it('permutation of particle indices permutes the features', () => {
      const perm = Array.from({ length: sys.n }, (_, i) => (i * 5 + 3) % sys.n);
      const positions = new Float64Array(3 * sys.n), orientations = new Float64Array(4 * sys.n), types = new Int32Array(sys.n);
      perm.forEach((src, dst) => {
        positions.set(sys.positions.subarray(3 * src, 3 * src + 3), 3 * dst);
        orientations.set(sys.orientations!.subarray(4 * src, 4 * src + 4), 4 * dst);
        types[dst] = sys.types![src]!;
      });
      const v = calc.values({ ...sys, positions, orientations, types });
      const expected = new Float64Array(sys.n * F);
      perm.forEach((src, dst) => expected.set(ref.subarray(src * F, src * F + F), dst * F));
      expect(maxRelativeError(v, expected)).toBeLessThan(1e-12);
    });

    it('i ↔ j: the two particles of a dimer of different species get the same half of φ_ij', () => {
      const dimer: ParticleSystem = {
        n: 2, positions: Float64Array.of(0.1, -0.2, 0.3, 1.4, 0.9, -0.6), cell: Cell.open(),
        orientations: Float64Array.from([...randomQuaternion(rand), ...randomQuaternion(rand)]), types: Int32Array.of(0, 1),
      };
      const v = calc.values(dimer);
      expect(Math.max(...v)).toBeGreaterThan(1e-3);
      expect(maxRelativeError(v.subarray(0, F), v.subarray(F, 2 * F))).toBeLessThan(1e-14);
      // and the features do not depend on which particle is listed first
      const swapped: ParticleSystem = {
        ...dimer,
        positions: Float64Array.from([...dimer.positions.subarray(3, 6), ...dimer.positions.subarray(0, 3)]),
        orientations: Float64Array.from([...dimer.orientations!.subarray(4, 8), ...dimer.orientations!.subarray(0, 4)]),
        types: Int32Array.of(1, 0),
      };
      expect(maxRelativeError(calc.values(swapped).subarray(0, F), v.subarray(0, F))).toBeLessThan(1e-13);
    });

    it('spin about the uniaxial axis (body z for shape 0.5, 0.5, 1.5) changes nothing', () => {
      const spun = bodyRotated(sys, [0, 0, 1], (i) => 0.3 + 0.7 * i);
      expect(maxRelativeError(calc.values(spun), ref)).toBeLessThan(1e-12);
      // body x for shape (1.5, 0.5, 0.5)
      const alongX = new PairCalculator({ ...TWO_SPECIES, radialBasis, shape: [1.5, 0.5, 0.5] });
      expect(maxRelativeError(alongX.values(bodyRotated(sys, [1, 0, 0], (i) => 1 + i)), alongX.values(sys))).toBeLessThan(1e-12);
      expect(maxRelativeError(alongX.values(bodyRotated(sys, [0, 0, 1], (i) => 1 + i)), alongX.values(sys))).toBeGreaterThan(1e-3);
    });

    it('head–tail: u → −u of single particles changes nothing when headTail, something when not', () => {
      const flip = (s: ParticleSystem) => bodyRotated(s, [1, 0, 0], (i) => (i % 2 === 0 ? Math.PI : 0));
      const ht = new PairCalculator({ ...TWO_SPECIES, radialBasis, headTail: true, maxDegree: 6 });
      expect(maxRelativeError(ht.values(flip(sys)), ht.values(sys))).toBeLessThan(1e-12);
      expect(maxRelativeError(calc.values(flip(sys)), ref)).toBeGreaterThan(1e-3);
    });

    it('periodic images: each particle of a 2 × 1 × 2 replica has the features of its original', () => {
      const reps = [2, 1, 2], m = reps[0]! * reps[1]! * reps[2]!, n = sys.n;
      const positions = new Float64Array(3 * n * m), orientations = new Float64Array(4 * n * m), types = new Int32Array(n * m);
      let k = 0;
      for (let a = 0; a < reps[0]!; a++) {
        for (let b = 0; b < reps[1]!; b++) {
          for (let c = 0; c < reps[2]!; c++) {
            for (let i = 0; i < n; i++, k++) {
              for (let d = 0; d < 3; d++) positions[3 * k + d] = sys.positions[3 * i + d]! + a * CELL.h[d]! + b * CELL.h[3 + d]! + c * CELL.h[6 + d]!;
              orientations.set(sys.orientations!.subarray(4 * i, 4 * i + 4), 4 * k);
              types[k] = sys.types![i]!;
            }
          }
        }
      }
      const big = Cell.fromRows(Array.from({ length: 9 }, (_, e) => reps[Math.floor(e / 3)]! * CELL.h[e]!));
      const v = calc.values({ n: n * m, positions, cell: big, orientations, types });
      for (let copy = 0; copy < m; copy++) expect(maxRelativeError(v.subarray(copy * n * F, (copy + 1) * n * F), ref)).toBeLessThan(1e-12);
    });
  });

  describe(`pair features at the cutoff and in overlap, ${radialBasis}`, () => {
    const calc = new PairCalculator({ ...GB_PAIR_HYPERS, radialBasis });
    const w = randomWeights(seededRandom(3), calc);
    const dimer = (r: number): ParticleSystem => ({
      n: 2, positions: Float64Array.of(0, 0, 0, r * 0.6, r * 0.8, 0), cell: Cell.open(),
      orientations: Float64Array.of(0.9, 0.1, 0.3, -0.2, 0.5, -0.5, 0.5, 0.5),
    });

    it('values, energy and forces go to zero smoothly at the cutoff (C2 switch)', () => {
      const max = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max(calc.values(dimer(4)))).toBe(0);
      expect(max(calc.values(dimer(4.2)))).toBe(0);
      expect(max(calc.values(dimer(3.4)))).toBeGreaterThan(0);
      // S(rc − δ) = 10 (δ/w)³ + O(δ⁴), S' = O(δ²): a tenfold smaller δ gives ~1000× smaller values and
      // energy and ~100× smaller forces, so both reach zero continuously (no jump at the cutoff)
      const at = (d: number) => ({ v: max(calc.values(dimer(4 - d))), r: calc.linearForces(dimer(4 - d), w) });
      const a = at(1e-2), b = at(1e-3);
      expect(a.v / b.v).toBeGreaterThan(900);
      expect(a.v / b.v).toBeLessThan(1100);
      expect(Math.abs(a.r.energy / b.r.energy)).toBeGreaterThan(900);
      expect(Math.abs(a.r.energy / b.r.energy)).toBeLessThan(1100);
      expect(max(a.r.forces) / max(b.r.forces)).toBeGreaterThan(90);
      expect(max(a.r.forces) / max(b.r.forces)).toBeLessThan(110);
    });

    it('stays finite for overlapping particles (ξ below σ0 and below 0)', () => {
      for (const r of [0.05, 0.3, 0.6]) {
        const res = calc.linearForces(dimer(r), w);
        expect(Number.isFinite(res.energy)).toBe(true);
        expect(Array.from(res.forces).every(Number.isFinite)).toBe(true);
        expect(Array.from(calc.values(dimer(r))).every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
      }
    });
  });
}
