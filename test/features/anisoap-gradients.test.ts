// SPDX-License-Identifier: BSD-3-Clause
/**
 * Exact AniSOAP gradients against central finite differences: forces, lab torques and virial of a
 * {@link LinearEnergyProvider} with random weights (MD mode, and package mode with no pair near
 * the cutoff; GTO and monomial; one and two species; self term on and off; triclinic periodic with
 * rc beyond half the cell, and open), through the dumbbell and triad site mappings, and the dense
 * `sumGradients` against finite differences of `values` and against `linearForces`.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { MappedProvider } from '../../src/mapping/mapped-provider.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { bruteForcePairs } from '../support/anisoap-reference.js';
import { maxRelativeError, numericalForces, numericalTorques, numericalVirial } from '../support/finite-difference.js';
import { randomQuaternion, seededRandom } from '../support/random.js';

const FD_TOL = 1e-6;
const TRICLINIC = Cell.fromRows([5.2, 0, 0, 0.9, 4.9, 0, -0.6, 0.8, 5.4]);

function randomWeights(rand: () => number, calc: AniSoapCalculator): Float64Array {
  return new Float64Array(calc.plan.nSpecies * calc.metadata.featureCount).map(() => rand() - 0.5);
}

/** Smallest | |r_ij| − rc | over all pairs (package mode needs it away from 0 for finite differences). */
function closestToCutoff(sys: ParticleSystem, rc: number): number {
  let best = Infinity;
  for (const { a } of bruteForcePairs(sys, rc + 0.5, false)) best = Math.min(best, Math.abs(Math.hypot(...a) - rc));
  return best;
}

interface Variant {
  label: string;
  hypers: AniSoapHypers;
  cell: Cell;
  ntypes: number;
}

const variants: Variant[] = [
  {
    label: 'md, gto, 1 species, self, triclinic rc > L/2',
    hypers: { maxAngular: 4, maxRadial: 3, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4.3, species: [0], basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.5 },
    cell: TRICLINIC, ntypes: 1,
  },
  {
    label: 'md, gto, 2 species, no self, orthorhombic',
    hypers: { maxAngular: 3, radialBasis: 'gto', gaussianWidth: 1.0, cutoff: 3.8, species: [6, 8], subtractCenterContribution: true, mode: 'md', switchWidth: 1.0 },
    cell: Cell.orthorhombic(5.0, 5.6, 4.7), ntypes: 2,
  },
  {
    label: 'md, monomial, 2 species, self, open cell',
    hypers: { maxAngular: 3, maxRadial: 2, radialBasis: 'monomial', cutoff: 4.0, species: [1, 6], basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 2.0 },
    cell: Cell.open(), ntypes: 2,
  },
  {
    label: 'md, gto, maxRadial list with N_l growing in l, triclinic',
    hypers: { maxAngular: 4, maxRadial: [0, 2, 1, 3, 2], radialBasis: 'gto', gaussianWidth: 1.4, cutoff: 4.2, species: [0], basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.0 },
    cell: TRICLINIC, ntypes: 1,
  },
  {
    label: 'package, gto, 2 species, self, triclinic (no pair near rc)',
    hypers: { maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.1, species: [0, 1], basisRcond: 1e-8, basisTol: 1e-3 },
    cell: TRICLINIC, ntypes: 2,
  },
  {
    label: 'package, monomial, 1 species, no self, orthorhombic (no pair near rc)',
    hypers: { maxAngular: 2, maxRadial: 2, radialBasis: 'monomial', cutoff: 3.5, species: [0], subtractCenterContribution: true, basisRcond: 1e-8, basisTol: 1e-3 },
    cell: Cell.orthorhombic(4.6, 5.1, 4.8), ntypes: 1,
  },
];

describe('AniSOAP linear model: analytic forces, torques, virial vs finite differences', () => {
  for (const v of variants) {
    it(v.label, () => {
      const calc = new AniSoapCalculator(v.hypers);
      let seed = 100 + v.label.length;
      let sys = randomEllipsoidSystem(seededRandom(seed), v.cell, 6, v.ntypes, 5);
      if (calc.hypers.mode === 'package') {
        while (closestToCutoff(sys, calc.hypers.cutoff) < 2e-3) sys = randomEllipsoidSystem(seededRandom(++seed), v.cell, 6, v.ntypes, 5);
      }
      const rand = seededRandom(seed + 1);
      const baselines = Float64Array.from({ length: calc.plan.nSpecies }, () => rand() - 0.5);
      const model = new LinearEnergyProvider(calc, { weights: randomWeights(rand, calc), baselines, name: 'anisoap-linear' });
      const energy = (s: ParticleSystem) => model.compute(s).energy;
      const res = model.compute(sys);
      const ef = maxRelativeError(res.forces, numericalForces(energy, sys));
      const et = maxRelativeError(res.torques!, numericalTorques(energy, sys));
      const ev = maxRelativeError(res.virial, numericalVirial(energy, sys));
      console.log(`[fd] anisoap ${v.label}: ${calc.lastPairCount} pairs, forces ${ef.toExponential(2)}, torques ${et.toExponential(2)}, virial ${ev.toExponential(2)}`);
      expect(ef).toBeLessThan(FD_TOL);
      expect(et).toBeLessThan(FD_TOL);
      expect(ev).toBeLessThan(FD_TOL);
      // energy = Σ w·p + baselines
      const p = calc.values(sys), F = calc.metadata.featureCount;
      let e = 0;
      for (let i = 0; i < sys.n; i++) {
        const t = sys.types![i]!;
        e += baselines[t]!;
        for (let f = 0; f < F; f++) e += model.weights[t * F + f]! * p[i * F + f]!;
      }
      expect(Math.abs(res.energy - e)).toBeLessThan(1e-12 * Math.max(1, Math.abs(e)));
      // Σ F = 0; without a cell also Σ (τ + r × F) = 0
      const sum = [0, 0, 0], mom = [0, 0, 0];
      for (let i = 0; i < sys.n; i++) {
        const f = [0, 1, 2].map((d) => res.forces[3 * i + d]!), r = [0, 1, 2].map((d) => sys.positions[3 * i + d]!);
        for (let d = 0; d < 3; d++) sum[d]! += f[d]!;
        mom[0]! += res.torques![3 * i]! + r[1]! * f[2]! - r[2]! * f[1]!;
        mom[1]! += res.torques![3 * i + 1]! + r[2]! * f[0]! - r[0]! * f[2]!;
        mom[2]! += res.torques![3 * i + 2]! + r[0]! * f[1]! - r[1]! * f[0]!;
      }
      let fmax = 0;
      for (const x of res.forces) fmax = Math.max(fmax, Math.abs(x));
      for (const s of sum) expect(Math.abs(s)).toBeLessThan(1e-12 * fmax);
      if (!Cell.isPeriodic(sys.cell)) for (const m of mom) expect(Math.abs(m)).toBeLessThan(1e-11 * fmax);
    });
  }
});

describe('AniSOAP through site mappings (MappedProvider, FD on sites)', () => {
  const hypers: AniSoapHypers = {
    maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.5, species: [0, 1],
    basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.5,
  };
  const cell = Cell.orthorhombic(6.2, 5.8, 6.5);

  function ellipsoids(seed: number, semi: number[]): ParticleSystem {
    const rand = seededRandom(seed);
    const m = 5, positions = new Float64Array(3 * m), orientations = new Float64Array(4 * m), semiaxes = new Float64Array(3 * m);
    const types = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      for (let d = 0; d < 3; d++) positions[3 * i + d] = rand() * 6;
      orientations.set(randomQuaternion(rand), 4 * i);
      types[i] = i % 2;
      semiaxes.set(semi.slice(3 * types[i]!, 3 * types[i]! + 3), 3 * i);
    }
    return { n: m, positions, cell, orientations, semiaxes, types };
  }

  for (const [label, mapping, semi] of [
    ['dumbbell', new DumbbellMapping({ semiaxes: [0.6, 0.6, 1.3, 0.5, 0.5, 0.9], length: 1.4 }), [0.6, 0.6, 1.3, 0.5, 0.5, 0.9]],
    ['triad', new TriadMapping({ semiaxes: [1.1, 0.7, 0.5, 0.8, 0.6, 1.2], geometry: [0.1, -0.2, -0.7, 0.0, 0.1, 0.9, 1.1, 0.2, 0.3] }), [1.1, 0.7, 0.5, 0.8, 0.6, 1.2]],
  ] as const) {
    it(`${label}: site forces and site virial`, () => {
      const calc = new AniSoapCalculator(hypers);
      const rand = seededRandom(7);
      const model = new LinearEnergyProvider(calc, { weights: randomWeights(rand, calc) });
      const provider = new MappedProvider(mapping, model);
      const sites = mapping.toSites(ellipsoids(label.length, [...semi]));
      const energy = (s: ParticleSystem) => provider.compute(s).energy;
      const res = provider.compute(sites);
      const ef = maxRelativeError(res.forces, numericalForces(energy, sites));
      const ev = maxRelativeError(res.virial, numericalVirial(energy, sites));
      console.log(`[fd] anisoap via ${label}: forces ${ef.toExponential(2)}, virial ${ev.toExponential(2)}`);
      expect(ef).toBeLessThan(FD_TOL);
      expect(ev).toBeLessThan(FD_TOL);
    });
  }
});

describe('AniSOAP dense sumGradients', () => {
  const hypers: AniSoapHypers = {
    maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.0, species: [0, 1],
    basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.5,
  };
  const calc = new AniSoapCalculator(hypers);
  const sys = randomEllipsoidSystem(seededRandom(21), TRICLINIC, 4, 2, 5);
  const dense = calc.sumGradients(sys);
  const T = 2, n = sys.n, F = calc.metadata.featureCount;

  function sums(s: ParticleSystem): Float64Array {
    const v = calc.values(s), out = new Float64Array(T * F);
    for (let i = 0; i < s.n; i++) for (let f = 0; f < F; f++) out[s.types![i]! * F + f]! += v[i * F + f]!;
    return out;
  }

  it('values and sums match values()', () => {
    expect(maxRelativeError(dense.values, calc.values(sys))).toBeLessThan(1e-15);
    expect(maxRelativeError(dense.sums, sums(sys))).toBeLessThan(1e-14);
  });

  it('dPos, dRot, dStrain match finite differences of the per-type sums', () => {
    // Positions: all sums at once per coordinate; rotations and strain: every 7th feature.
    const h = 1e-5;
    const fdPos = new Float64Array(T * n * 3 * F), fdRot = new Float64Array(T * n * 3 * F), fdStr = new Float64Array(T * 9 * F);
    for (let j = 0; j < n; j++) {
      for (let a = 0; a < 3; a++) {
        const p = Float64Array.from(sys.positions), m = Float64Array.from(sys.positions);
        p[3 * j + a]! += h;
        m[3 * j + a]! -= h;
        const sp = sums({ ...sys, positions: p }), sm = sums({ ...sys, positions: m });
        for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) fdPos[((t * n + j) * 3 + a) * F + f] = (sp[t * F + f]! - sm[t * F + f]!) / (2 * h);
      }
    }
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        const e = (s: ParticleSystem) => sums(s)[t * F + f]!;
        if (f % 7 !== 0) continue; // a sample of features keeps the test fast
        const tq = numericalTorques(e, sys);
        for (let j = 0; j < n; j++) for (let a = 0; a < 3; a++) fdRot[((t * n + j) * 3 + a) * F + f] = -tq[3 * j + a]!;
        const vir = numericalVirial(e, sys);
        for (let k = 0; k < 9; k++) fdStr[(t * 9 + k) * F + f] = -vir[k]!;
      }
    }
    const sampled = (a: Float64Array) => Array.from(a).filter((_, k) => (k % F) % 7 === 0);
    const ep = maxRelativeError(dense.dPos, fdPos);
    const er = maxRelativeError(sampled(dense.dRot), sampled(fdRot));
    const es = maxRelativeError(sampled(dense.dStrain), sampled(fdStr));
    console.log(`[fd] anisoap dense: dPos ${ep.toExponential(2)}, dRot ${er.toExponential(2)}, dStrain ${es.toExponential(2)}`);
    expect(ep).toBeLessThan(FD_TOL);
    expect(er).toBeLessThan(FD_TOL);
    expect(es).toBeLessThan(FD_TOL);
  });

  it('contracted with weights, they equal linearForces', () => {
    const rand = seededRandom(5);
    const w = new Float64Array(T * F).map(() => rand() - 0.5);
    const res = calc.linearForces(sys, w);
    const forces = new Float64Array(3 * n), torques = new Float64Array(3 * n), virial = new Float64Array(9);
    let energy = 0;
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        const wt = w[t * F + f]!;
        energy += wt * dense.sums[t * F + f]!;
        for (let j = 0; j < n; j++) for (let a = 0; a < 3; a++) {
          forces[3 * j + a]! -= wt * dense.dPos[((t * n + j) * 3 + a) * F + f]!;
          torques[3 * j + a]! -= wt * dense.dRot[((t * n + j) * 3 + a) * F + f]!;
        }
        for (let k = 0; k < 9; k++) virial[k]! -= wt * dense.dStrain[(t * 9 + k) * F + f]!;
      }
    }
    expect(Math.abs(energy - res.energy)).toBeLessThan(1e-12 * Math.abs(res.energy));
    expect(maxRelativeError(forces, res.forces)).toBeLessThan(1e-10);
    expect(maxRelativeError(torques, res.torques!)).toBeLessThan(1e-10);
    expect(maxRelativeError(virial, res.virial)).toBeLessThan(1e-10);
  });
});
