// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP {@link DensityExpansion}: featomic-style block labels over the native layout (against
 * the package's golden ν = 1 coefficients), and `backward(adjoint)` against central finite
 * differences of `adjoint · c(system)` for forces, lab torques and virial (MD and package mode,
 * one and two species, self term on and off, triclinic periodic and open), on one thread and on
 * workers (bitwise equal), plus its argument checks.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { blockKey, blockSamples, blockValues, DENSITY_KEY_NAMES } from '../../src/features/density-expansion.js';
import { expectCode } from '../support/assertions.js';
import { loadGolden, randomEllipsoidSystem, relDiff } from '../support/anisoap-fixtures.js';
import { bruteForcePairs } from '../support/anisoap-reference.js';
import { maxRelativeError, numericalForces, numericalTorques, numericalVirial } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';

const FD_TOL = 1e-6;
const TRICLINIC = Cell.fromRows([5.2, 0, 0, 0.9, 4.9, 0, -0.6, 0.8, 5.4]);

describe('AniSOAP density expansion: blocks', () => {
  it('keys, samples, components and properties as featomic names them; block values equal the golden ν = 1 coefficients', () => {
    const g = loadGolden('box2sp_gto_noself');
    const calc = new AniSoapCalculator(g.hypers);
    const meta = calc.densityExpansion.metadata;
    const S = calc.plan.nSpecies, lmax = calc.plan.lmax;
    expect(meta.keyNames).toEqual(DENSITY_KEY_NAMES);
    expect(meta.keyNames).toEqual(['o3_lambda', 'o3_sigma', 'center_type', 'neighbor_type']);
    expect(meta.sampleNames).toEqual(['system', 'atom']);
    expect(meta.componentNames).toEqual(['o3_mu']);
    expect(meta.propertyNames).toEqual(['n']);
    expect(meta.blocks.length).toBe(S * (lmax + 1) * S);
    expect(meta.recordLength).toBe(S * calc.plan.nc);
    expect(blockKey(meta.blocks[1]!)).toEqual([0, 1, g.hypers.species[0], g.hypers.species[1]]);
    g.systems.forEach((sys, fi) => {
      const c = calc.densityExpansion.compute(sys);
      expect(c.n).toBe(sys.n);
      // golden native ν = 1: per particle and neighbour species, flat over l, then m, then n
      for (const b of meta.blocks) {
        const atoms = blockSamples(c, b);
        const vals = blockValues(c, b, meta.recordLength);
        expect(vals.length).toBe(atoms.length * b.componentCount * b.propertyCount);
        const ref: number[] = [];
        for (const i of atoms) {
          expect(sys.types![i]).toBe(b.centerTypeIndex);
          const flat = g.json.native_nu1_per_particle[fi]![i]![b.neighborTypeIndex]!;
          let start = 0;
          for (let l = 0; l < b.o3Lambda; l++) start += (2 * l + 1) * calc.plan.nPerL[l]!;
          ref.push(...flat.slice(start, start + b.componentCount * b.propertyCount));
        }
        expect(relDiff(vals, ref)).toBeLessThan(1e-10);
      }
    });
  });

  it('compute() returns views of the same numbers as expansion()', () => {
    const calc = new AniSoapCalculator({ maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4, species: [0, 1] });
    const sys = randomEllipsoidSystem(seededRandom(3), TRICLINIC, 5, 2);
    const copy = calc.expansion(sys);
    const c = calc.densityExpansion.compute(sys);
    expect(Array.from(c.values.subarray(0, copy.length))).toEqual(Array.from(copy));
    expect(Array.from(c.types.subarray(0, sys.n))).toEqual(Array.from(sys.types!));
  });
});

/** Smallest | |r_ij| − rc | over all pairs. */
function closestToCutoff(sys: ParticleSystem, rc: number): number {
  let best = Infinity;
  for (const { a } of bruteForcePairs(sys, rc + 0.5, false)) best = Math.min(best, Math.abs(Math.hypot(...a) - rc));
  return best;
}

const variants: Array<{ label: string; hypers: AniSoapHypers; cell: Cell; ntypes: number }> = [
  {
    label: 'md, gto, 2 species, self, triclinic rc > L/2',
    hypers: { maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4.3, species: [0, 1], basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.5 },
    cell: TRICLINIC, ntypes: 2,
  },
  {
    label: 'md, monomial, 1 species, no self, open cell',
    hypers: { maxAngular: 3, maxRadial: 2, radialBasis: 'monomial', cutoff: 4.0, species: [0], subtractCenterContribution: true, basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 2.0 },
    cell: Cell.open(), ntypes: 1,
  },
  {
    label: 'package, gto, 2 species, self, orthorhombic (no pair near rc)',
    hypers: { maxAngular: 4, maxRadial: [1, 2, 0, 1, 1], radialBasis: 'gto', gaussianWidth: 1.1, cutoff: 4.1, species: [6, 8], basisRcond: 1e-8, basisTol: 1e-3 },
    cell: Cell.orthorhombic(5.0, 5.6, 4.7), ntypes: 2,
  },
];

describe('AniSOAP density expansion: backward(adjoint) vs finite differences of adjoint · c', () => {
  for (const v of variants) {
    it(v.label, () => {
      const calc = new AniSoapCalculator(v.hypers);
      const exp = calc.densityExpansion, R = exp.metadata.recordLength;
      let seed = 300 + v.label.length;
      let sys = randomEllipsoidSystem(seededRandom(seed), v.cell, 5, v.ntypes, 5);
      if (calc.hypers.mode === 'package') {
        while (closestToCutoff(sys, calc.hypers.cutoff) < 2e-3) sys = randomEllipsoidSystem(seededRandom(++seed), v.cell, 5, v.ntypes, 5);
      }
      const rand = seededRandom(seed + 1);
      const adjoint = new Float64Array(sys.n * R).map(() => rand() - 0.5);
      const energy = (s: ParticleSystem) => {
        const c = exp.compute(s);
        let e = 0;
        for (let k = 0; k < s.n * R; k++) e += adjoint[k]! * c.values[k]!;
        return e;
      };
      exp.compute(sys);
      const g = exp.backward(adjoint);
      const ef = maxRelativeError(g.forces, numericalForces(energy, sys));
      const et = maxRelativeError(g.torques!, numericalTorques(energy, sys));
      const ev = maxRelativeError(g.virial, numericalVirial(energy, sys));
      console.log(`[fd] density backward ${v.label}: forces ${ef.toExponential(2)}, torques ${et.toExponential(2)}, virial ${ev.toExponential(2)}`);
      expect(ef).toBeLessThan(FD_TOL);
      expect(et).toBeLessThan(FD_TOL);
      expect(ev).toBeLessThan(FD_TOL);
      // Σ F = 0 (translation invariance of every coefficient)
      let fmax = 0;
      for (const x of g.forces) fmax = Math.max(fmax, Math.abs(x));
      for (let d = 0; d < 3; d++) {
        let s = 0;
        for (let i = 0; i < sys.n; i++) s += g.forces[3 * i + d]!;
        expect(Math.abs(s)).toBeLessThan(1e-12 * fmax);
      }
      // writing into preallocated arrays gives the same numbers, overwriting what was there
      exp.compute(sys);
      const out = { forces: new Float64Array(3 * sys.n).fill(7), torques: new Float64Array(3 * sys.n).fill(7), virial: new Float64Array(9).fill(7) };
      expect(exp.backward(adjoint, out)).toBe(out);
      expect(Array.from(out.forces)).toEqual(Array.from(g.forces));
      expect(Array.from(out.torques)).toEqual(Array.from(g.torques!));
      expect(Array.from(out.virial)).toEqual(Array.from(g.virial));
    });
  }

  it('is bitwise the same on worker threads (adjoint written into the expansion’s own scratch)', () => {
    const hyp = variants[0]!.hypers;
    const sys = randomEllipsoidSystem(seededRandom(8), Cell.orthorhombic(8, 8.5, 9), 50, 2);
    const single = new AniSoapCalculator(hyp), par = new AniSoapCalculator(hyp, { threads: 2, parallelMinPairs: 0 });
    try {
      const R = single.densityExpansion.metadata.recordLength, rand = seededRandom(9);
      const adjoint = new Float64Array(sys.n * R).map(() => rand() - 0.5);
      single.densityExpansion.compute(sys);
      const a = single.densityExpansion.backward(adjoint);
      const c = par.densityExpansion.compute(sys);
      c.adjoint.set(adjoint);
      const b = par.densityExpansion.backward(c.adjoint);
      expect(par.hasWorkers).toBe(true);
      for (const [x, y] of [[a.forces, b.forces], [a.torques!, b.torques!], [a.virial, b.virial]] as const) {
        expect(x.every((v, k) => Object.is(v, y[k]))).toBe(true);
      }
    } finally {
      par.close();
    }
  });

  it('rejects a backward pass before any computation and a short adjoint', () => {
    const calc = new AniSoapCalculator(variants[0]!.hypers);
    expectCode(() => calc.densityExpansion.backward(new Float64Array(10)), 'E_ARG', /backward\(\) needs a computation first/);
    const sys = randomEllipsoidSystem(seededRandom(4), TRICLINIC, 3, 2);
    calc.densityExpansion.compute(sys);
    expectCode(() => calc.densityExpansion.backward(new Float64Array(10)), 'E_SIZE', /adjoint has length 10, needs n·recordLength = 3·/);
  });
});
