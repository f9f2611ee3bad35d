// SPDX-License-Identifier: BSD-3-Clause
/**
 * The body-frame / Wigner-D / generated-kernel path against an independent lab-frame reference
 * (full-covariance moment recursion, brute-force images; `test/support/anisoap-reference.ts`),
 * on random systems: both modes, both bases, one and two species, self term on and off, a
 * triclinic cell with the cutoff beyond half its width, and an open cell. Also the full neighbour
 * list against brute-force image enumeration.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { FullNeighborListBuilder } from '../../src/features/common/full-neighbor-list.js';
import { randomEllipsoidSystem, relDiff } from '../support/anisoap-fixtures.js';
import { bruteForcePairs, referenceAniSoap } from '../support/anisoap-reference.js';
import { seededRandom } from '../support/random.js';

const TRICLINIC = Cell.fromRows([5.1, 0, 0, 1.2, 4.8, 0, -0.9, 0.7, 5.3]);

const variants: Array<[string, AniSoapHypers, Cell, number]> = [
  ['gto, package, self, 1 species, triclinic rc > L/2', { maxAngular: 4, maxRadial: 3, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4.2, species: [0], basisRcond: 1e-8, basisTol: 1e-3 }, TRICLINIC, 1],
  ['gto, md, no self, 2 species, triclinic', { maxAngular: 3, maxRadial: null, radialBasis: 'gto', gaussianWidth: 1.1, cutoff: 3.9, species: [6, 8], subtractCenterContribution: true, mode: 'md', switchWidth: 1.2 }, TRICLINIC, 2],
  ['monomial, md, self, 2 species, open cell', { maxAngular: 3, maxRadial: 2, radialBasis: 'monomial', cutoff: 4.5, species: [1, 6], basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 2 }, Cell.open(), 2],
  ['gto, package, maxRadial list, orthorhombic', { maxAngular: 5, maxRadial: [2, 1, 3, 0, 1, 2], radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 4.0, species: [0], basisRcond: 1e-8, basisTol: 1e-3 }, Cell.orthorhombic(5.5, 6.1, 4.9), 1],
];

describe('AniSOAP against the independent lab-frame reference', () => {
  for (const [label, hyp, cell, ntypes] of variants) {
    it(label, () => {
      const rand = seededRandom(label.length);
      const sys = randomEllipsoidSystem(rand, cell, 7, ntypes, 5);
      const calc = new AniSoapCalculator(hyp);
      const ref = referenceAniSoap(sys, calc.hypers);
      const coefErr = relDiff(calc.expansion(sys), ref.coef);
      const featErr = relDiff(calc.values(sys), ref.features);
      console.log(`[reference] ${label}: ${calc.lastPairCount} pairs, ν=1 ${coefErr.toExponential(2)}, ν=2 ${featErr.toExponential(2)}`);
      expect(coefErr).toBeLessThan(1e-11);
      expect(featErr).toBeLessThan(1e-11);
    });
  }

  it('the full neighbour list has exactly the brute-force (i, j, image) set, self images and rc > L/2 included', () => {
    const rand = seededRandom(11);
    const sys = randomEllipsoidSystem(rand, TRICLINIC, 9);
    for (const self of [true, false]) {
      const list = new FullNeighborListBuilder().build(sys.cell, sys.positions, 6.3, self);
      const ours: string[] = [];
      for (let i = 0; i < sys.n; i++) {
        for (let p = list.offsets[i]!; p < list.offsets[i + 1]!; p++) {
          ours.push(`${i} ${list.neighbors[p]} ${[0, 1, 2].map((d) => list.vectors[3 * p + d]!.toFixed(6)).join(' ')}`);
        }
      }
      const ref = bruteForcePairs(sys, 6.3, self).map(({ i, j, a }) => `${i} ${j} ${a.map((x) => x.toFixed(6)).join(' ')}`);
      expect(ours.length).toBe(ref.length);
      expect(ours.sort()).toEqual(ref.sort());
    }
  });
});

describe('AniSOAP edge cases', () => {
  const hyp: AniSoapHypers = { maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 3, species: [0], subtractCenterContribution: true };

  it('an empty system gives empty outputs', () => {
    const calc = new AniSoapCalculator(hyp);
    const empty = { n: 0, positions: new Float64Array(0), cell: Cell.open(), orientations: new Float64Array(0), semiaxes: new Float64Array(0) };
    expect(calc.values(empty).length).toBe(0);
    const r = calc.linearForces(empty, new Float64Array(calc.metadata.featureCount));
    expect(r.energy).toBe(0);
    expect(r.forces.length).toBe(0);
  });

  it('without the self term, an isolated particle has zero features and feels no force', () => {
    const calc = new AniSoapCalculator(hyp);
    const sys = {
      n: 2, positions: Float64Array.of(0, 0, 0, 10, 0, 0), cell: Cell.open(),
      orientations: Float64Array.of(1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5), semiaxes: new Float64Array(6).fill(0.8),
    };
    expect(Array.from(calc.values(sys)).every((x) => x === 0)).toBe(true);
    expect(Array.from(calc.pairCounts(sys))).toEqual([0, 0]);
    const r = calc.linearForces(sys, new Float64Array(calc.metadata.featureCount).fill(1));
    expect(Array.from(r.forces).every((x) => x === 0)).toBe(true);
  });
});
