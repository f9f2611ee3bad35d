// SPDX-License-Identifier: BSD-3-Clause
/**
 * The generic linear-model force path (`linear-forces.ts`: ∂E/∂p = w[t(i)] → contraction adjoint →
 * expansion backward): a path built anew on the calculator's expansion and contraction gives
 * bitwise the calculator's `linearForces`; the same path spelled out by hand with one explicit
 * ∂E/∂p row per particle gives bitwise the same forces, torques and virial; size checks; and the
 * same path on a toy expansion of point particles (another layout, no torques) against finite
 * differences. (The
 * finite-difference, dense-gradient, invariance and worker tests of `linearForces` are in
 * `anisoap-gradients`, `anisoap-invariance` and `anisoap-workers`.)
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { PowerSpectrum } from '../../src/features/contractions/power-spectrum.js';
import { LinearContractionForces } from '../../src/features/linear-forces.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { expectCode } from '../support/assertions.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { maxRelativeError, numericalForces, numericalVirial } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';
import { ToyPointDensity } from '../support/toy-density.js';

const hypers = {
  maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.5, species: [0, 1],
  subtractCenterContribution: true, mode: 'md', switchWidth: 1,
} as const;

function bitwise(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((v, k) => Object.is(v, b[k]));
}

describe('generic linear force path', () => {
  const calc = new AniSoapCalculator(hypers);
  const sys = randomEllipsoidSystem(seededRandom(31), Cell.orthorhombic(7, 7.5, 8), 20, 2);
  const T = 2, F = calc.metadata.featureCount;
  const rand = seededRandom(32);
  const w = new Float64Array(T * F).map(() => rand() - 0.5);

  it('built anew on densityExpansion + contraction, equals linearForces bitwise', () => {
    const ref = calc.linearForces(sys, w);
    const path = new LinearContractionForces(calc.densityExpansion, calc.contraction);
    const res = path.compute(sys, w);
    expect(Object.is(res.energy, ref.energy)).toBe(true);
    expect(bitwise(res.forces, ref.forces)).toBe(true);
    expect(bitwise(res.torques!, ref.torques!)).toBe(true);
    expect(bitwise(res.virial, ref.virial)).toBe(true);
  });

  it('spelled out with an explicit ∂E/∂p row per particle gives the same gradients', () => {
    const ref = calc.linearForces(sys, w);
    const exp = calc.densityExpansion, ps = calc.contraction;
    const c = exp.compute(sys);
    const dEdp = new Float64Array(sys.n * F);
    for (let i = 0; i < sys.n; i++) dEdp.set(w.subarray(c.types[i]! * F, (c.types[i]! + 1) * F), i * F);
    const adjoint = new Float64Array(sys.n * exp.metadata.recordLength);
    ps.adjoint(c.values, c.types, dEdp, null, adjoint, 0, sys.n);
    const g = exp.backward(adjoint);
    expect(bitwise(g.forces, ref.forces)).toBe(true);
    expect(bitwise(g.torques!, ref.torques!)).toBe(true);
    expect(bitwise(g.virial, ref.virial)).toBe(true);
  });

  it('checks sizes: weights of T·F, a contraction built for another layout', () => {
    expectCode(() => calc.linearForces(sys, new Float64Array(5)), 'E_SIZE', /weights have length 5, expected T·F = 2·\d+/);
    const other = new AniSoapCalculator({ ...hypers, species: [0] });
    expectCode(
      () => new LinearContractionForces(calc.densityExpansion, new PowerSpectrum(other.densityExpansion.metadata)),
      'E_ARG', /expects records of \d+ values, the expansion 'anisoap' has \d+/,
    );
  });
});

describe('generic linear force path on another expansion (toy point densities, λ = 0, 1)', () => {
  it('power spectrum + LinearContractionForces: forces and virial match finite differences, no torques', () => {
    const exp = new ToyPointDensity([0, 1], 3);
    const ps = new PowerSpectrum(exp.metadata);
    expect(ps.featureCount).toBe(2 * (6 ** 2));
    const path = new LinearContractionForces(exp, ps);
    const rand = seededRandom(51), n = 5;
    const sys: ParticleSystem = {
      n, cell: Cell.open(), types: Int32Array.from({ length: n }, (_, i) => i % 2),
      positions: new Float64Array(3 * n).map(() => 2.5 * rand()),
    };
    const w = new Float64Array(2 * ps.featureCount).map(() => rand() - 0.5);
    const energy = (s: ParticleSystem) => path.compute(s, w).energy;
    const res = path.compute(sys, w);
    expect(res.torques).toBeNull();
    const ef = maxRelativeError(res.forces, numericalForces(energy, sys));
    const ev = maxRelativeError(res.virial, numericalVirial(energy, sys));
    console.log(`[fd] generic linear path on toy densities: forces ${ef.toExponential(2)}, virial ${ev.toExponential(2)}`);
    expect(ef).toBeLessThan(1e-7);
    expect(ev).toBeLessThan(1e-7);
  });
});
