// SPDX-License-Identifier: BSD-3-Clause
/**
 * Exact gradients of the pair features, for both radial bases: forces, lab torques and virial of a
 * linear energy against central differences (≤ 1e-7 relative), the dense gradients of
 * `sumGradients` against differences of the feature sums and against `linearForces` (the MD kernel
 * of `linear-kernel.ts`, ≤ 1e-12), and the spline kernel along a dimer scan through every interval.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { PairCalculator } from '../../src/features/pair/calculator.js';
import type { PairHypers } from '../../src/features/pair/hypers.js';
import { expectFdMatch } from '../support/assertions.js';
import { fdErrors, maxRelativeError, numericalVirial } from '../support/finite-difference.js';
import { GB_PAIR_HYPERS, linearProvider, randomUniaxialSystem, randomWeights } from '../support/pair-fixtures.js';
import { seededRandom } from '../support/random.js';
import { quatFromAxisAngle, quatMultiply, quatToMatrix } from '../../src/core/quaternion.js';
import { contactDistance } from '../../src/features/pair/contact-distance.js';
import type { SplineGrid } from '../../src/features/pair/spline-grid.js';

const TRICLINIC = Cell.fromRows([5.2, 0, 0, 0.7, 4.9, 0, -0.4, 0.5, 5.4]);

const GAUSSIAN_CASES: { label: string; hypers: PairHypers; cell: Cell; n: number; ntypes: number }[] = [
  { label: 'contact, head–tail, triclinic cell (rc > half the cell: several images)', hypers: GB_PAIR_HYPERS, cell: TRICLINIC, n: 9, ntypes: 1 },
  {
    label: 'contact, polar, two species, oblate, open cell',
    hypers: { species: [3, 7], cutoff: 3.5, switchWidth: 1, shape: [1.2, 0.4, 1.2], headTail: false, maxDegree: 3, nRadial: 5 },
    cell: Cell.open(), n: 10, ntypes: 2,
  },
  {
    label: 'bare distance, prolate along body x',
    hypers: { species: [0], cutoff: 3, shape: [1.5, 0.5, 0.5], radialCoordinate: 'distance', maxDegree: 4, nRadial: 6 },
    cell: Cell.orthorhombic(6, 6, 6), n: 12, ntypes: 1,
  },
];

/** Every case with each radial basis. */
const CASES = [
  ...GAUSSIAN_CASES.map((c) => ({ ...c, label: `${c.label}, Gaussians` })),
  ...GAUSSIAN_CASES.map((c) => ({ ...c, label: `${c.label}, splines`, hypers: { ...c.hypers, radialBasis: 'spline' as const } })),
];

describe('pair linearForces against finite differences', () => {
  for (const c of CASES) {
    it(c.label, () => {
      const calc = new PairCalculator(c.hypers);
      const rand = seededRandom(17);
      const sys = randomUniaxialSystem(rand, c.cell, c.n, { ntypes: c.ntypes, box: 4 });
      const weights = randomWeights(rand, calc);
      const err = fdErrors(linearProvider(calc, weights), sys, { torques: true });
      expect(Math.abs(err.result.energy)).toBeGreaterThan(1e-3);
      expectFdMatch(err, 1e-7, `pair ${c.label}`);
    });
  }
});

/** Σ_t Σ_f w[t, f] · d[(t·K + k)·F + f] for each of the K rows of a dense gradient. */
function contract(d: Float64Array, w: Float64Array, T: number, K: number, F: number): Float64Array {
  const out = new Float64Array(K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) for (let f = 0; f < F; f++) out[k]! += w[t * F + f]! * d[(t * K + k) * F + f]!;
  return out;
}

describe('pair sumGradients', () => {
  for (const c of CASES) {
    it(`agrees with values and linearForces: ${c.label}`, () => {
      const calc = new PairCalculator(c.hypers);
      const rand = seededRandom(29);
      const sys = randomUniaxialSystem(rand, c.cell, c.n, { ntypes: c.ntypes, box: 4 });
      const T = calc.metadata.species.length, F = calc.metadata.featureCount, n = sys.n;
      const d = calc.sumGradients(sys);
      const values = calc.values(sys);
      expect(maxRelativeError(d.values, values)).toBeLessThan(1e-14);
      const sums = new Float64Array(T * F);
      for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) sums[sys.types![i]! * F + f]! += values[i * F + f]!;
      expect(maxRelativeError(d.sums, sums)).toBeLessThan(1e-13);
      const w = randomWeights(rand, calc);
      const lf = calc.linearForces(sys, w);
      let e = 0;
      for (let k = 0; k < T * F; k++) e += w[k]! * d.sums[k]!;
      expect(Math.abs(e - lf.energy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(e)));
      expect(maxRelativeError(contract(d.dPos, w, T, 3 * n, F).map((v) => -v), lf.forces)).toBeLessThan(1e-12);
      expect(maxRelativeError(contract(d.dRot!, w, T, 3 * n, F).map((v) => -v), lf.torques!)).toBeLessThan(1e-12);
      expect(maxRelativeError(contract(d.dStrain, w, T, 9, F).map((v) => -v), lf.virial)).toBeLessThan(1e-12);
    });
  }

  for (const c of [CASES[1]!, CASES[GAUSSIAN_CASES.length + 1]!]) {
    it(`dPos, dRot and dStrain of every feature sum match central differences: ${c.label}`, () => {
      const calc = new PairCalculator(c.hypers);
      const sys = randomUniaxialSystem(seededRandom(5), c.cell, 6, { ntypes: 2, box: 3 });
      const T = calc.metadata.species.length, F = calc.metadata.featureCount, n = sys.n, TF = T * F;
      const d = calc.sumGradients(sys);
      const sumsOf = (s: ParticleSystem) => calc.sumGradients(s).sums;
      const h = 1e-5;
      const numPos = new Float64Array(T * n * 3 * F), numRot = new Float64Array(T * n * 3 * F);
      const dq = new Float64Array(4);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < 3; a++) {
          const shifted = (x: number) => {
            const p = Float64Array.from(sys.positions);
            p[3 * i + a]! += x;
            return sumsOf({ ...sys, positions: p });
          };
          const rotated = (x: number) => {
            const q = Float64Array.from(sys.orientations!);
            quatFromAxisAngle(dq, 0, a === 0 ? 1 : 0, a === 1 ? 1 : 0, a === 2 ? 1 : 0, x);
            quatMultiply(q, 4 * i, dq, 0, sys.orientations!.slice(4 * i, 4 * i + 4), 0);
            return sumsOf({ ...sys, orientations: q });
          };
          const sp = shifted(h), sm = shifted(-h), rp = rotated(h), rm = rotated(-h);
          for (let t = 0; t < T; t++) {
            for (let f = 0; f < F; f++) {
              numPos[((t * n + i) * 3 + a) * F + f] = (sp[t * F + f]! - sm[t * F + f]!) / (2 * h);
              numRot[((t * n + i) * 3 + a) * F + f] = (rp[t * F + f]! - rm[t * F + f]!) / (2 * h);
            }
          }
        }
      }
      expect(maxRelativeError(d.dPos, numPos)).toBeLessThan(1e-7);
      expect(maxRelativeError(d.dRot!, numRot)).toBeLessThan(1e-7);
      // the strain gradient of each feature sum, through numericalVirial of that sum (−∂/∂ε)
      const numStrain = new Float64Array(T * 9 * F);
      for (let tf = 0; tf < TF; tf++) {
        const v = numericalVirial((s) => -sumsOf(s)[tf]!, sys);
        const t = Math.floor(tf / F), f = tf % F;
        for (let k = 0; k < 9; k++) numStrain[(t * 9 + k) * F + f] = v[k]!;
      }
      expect(maxRelativeError(d.dStrain, numStrain)).toBeLessThan(1e-7);
    });
  }
});

describe('pair spline kernel along a dimer scan', () => {
  it('agrees with the dense path in every interval and past the inner end of the support (all splines 0)', () => {
    const calc = new PairCalculator({ ...GB_PAIR_HYPERS, radialBasis: 'spline' });
    const w = randomWeights(seededRandom(23), calc), F = calc.metadata.featureCount, N = calc.hypers.nRadial;
    const grid = calc.radial as SplineGrid;
    // particle 0 unrotated (long axis z ⊥ r̂ = x), particle 1 tilted by 0.4 rad about x
    const q1 = new Float64Array(4), R = new Float64Array(9), sig = new Float64Array(4), loc = new Float64Array(2);
    quatFromAxisAngle(q1, 0, 1, 0, 0, 0.4);
    quatToMatrix(R, 0, q1, 0);
    contactDistance(sig, 0, R[2]!, R[8]!, 0.8, 1);
    const intervals = new Set<number>();
    let zeros = 0;
    for (let r = 0.05; r < 4; r += 0.01) {
      const sys: ParticleSystem = { n: 2, positions: Float64Array.of(0, 0, 0, r, 0, 0), cell: Cell.open(), orientations: Float64Array.of(1, 0, 0, 0, ...q1) };
      grid.locate(r - sig[0]! + 1, loc);
      intervals.add(Math.floor(loc[0]!));
      const d = calc.sumGradients(sys), lf = calc.linearForces(sys, w);
      let e = 0;
      for (let f = 0; f < F; f++) e += w[f]! * d.sums[f]!;
      expect(Math.abs(e - lf.energy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(e)));
      if (Math.floor(loc[0]!) > N) {
        expect(lf.energy).toBe(0);
        expect(Array.from(lf.forces).every((v) => v === 0)).toBe(true);
        zeros++;
      } else {
        expect(maxRelativeError(contract(d.dPos, w, 1, 6, F).map((v) => -v), lf.forces)).toBeLessThan(1e-12);
        expect(maxRelativeError(contract(d.dRot!, w, 1, 6, F).map((v) => -v), lf.torques!)).toBeLessThan(1e-12);
      }
    }
    // every interval the scan can reach: k = 0 at the cutoff (ξ ≤ r < rc keeps s > 0) to k = N + 1 past the inner end
    for (let k = 0; k <= N + 1; k++) expect(intervals.has(k)).toBe(true);
    expect(zeros).toBeGreaterThan(0);
  });
});
