// SPDX-License-Identifier: BSD-3-Clause
/**
 * Density-width rules in front of a feature calculator: a fixed rule makes the features, forces,
 * torques and virial independent of the semi-axes a system declares (bitwise), equal to the inner
 * calculator on a system carrying the widths; the shape rule scales them; forces and torques stay
 * the exact gradients (finite differences); training-config forms and their errors.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { DensityWidthCalculator, resolveDensityWidths, uniformWidths } from '../../src/features/density-widths.js';
import { expectCode } from '../support/assertions.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { maxRelativeError, numericalForces, numericalTorques } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';

const inner = new AniSoapCalculator({ maxAngular: 2, maxRadial: 1, gaussianWidth: 0.8, cutoff: 4, species: [0, 1], mode: 'md', switchWidth: 1 });
const F = inner.metadata.featureCount;
const sys = randomEllipsoidSystem(seededRandom(11), Cell.orthorhombic(6, 6.5, 7), 7, 2);
const weights = Float64Array.from({ length: 2 * F }, (_, k) => Math.sin(1 + 3 * k));
const W0: [number, number, number] = [0.3, 0.3, 0.9], W1: [number, number, number] = [0.5, 0.4, 0.6];

/** `s` with other semi-axes. */
function withSemiaxes(s: ParticleSystem, f: (i: number, k: number) => number): ParticleSystem {
  return { ...s, semiaxes: Float64Array.from({ length: 3 * s.n }, (_, j) => f(Math.floor(j / 3), j % 3)) };
}

describe('DensityWidthCalculator', () => {
  const fixed = new DensityWidthCalculator(inner, { rule: 'fixed', semiaxes: [W0, W1] });

  it('with a fixed rule gives bitwise the same results whatever semi-axes the system declares', () => {
    const a = fixed.linearForces(sys, weights);
    const b = fixed.linearForces(withSemiaxes(sys, (i, k) => 1 + 0.1 * i + k), weights);
    const noSemiaxes: ParticleSystem = { n: sys.n, positions: sys.positions, cell: sys.cell, types: sys.types!, orientations: sys.orientations! };
    const c = fixed.linearForces(noSemiaxes, weights);
    for (const r of [b, c]) {
      expect(r.energy).toBe(a.energy);
      expect(Array.from(r.forces)).toEqual(Array.from(a.forces));
      expect(Array.from(r.torques!)).toEqual(Array.from(a.torques!));
      expect(Array.from(r.virial)).toEqual(Array.from(a.virial));
    }
    // …and they are the inner calculator's on a system that carries the widths.
    const ref = inner.linearForces(withSemiaxes(sys, (i, k) => (sys.types![i] === 0 ? W0 : W1)[k]!), weights);
    expect(a.energy).toBe(ref.energy);
    expect(Array.from(a.forces)).toEqual(Array.from(ref.forces));
    expect(Array.from(fixed.values(sys))).toEqual(Array.from(inner.values(withSemiaxes(sys, (i, k) => (sys.types![i] === 0 ? W0 : W1)[k]!))));
    expect(Array.from(fixed.sumGradients(sys).dRot!)).toEqual(Array.from(inner.sumGradients(withSemiaxes(sys, (i, k) => (sys.types![i] === 0 ? W0 : W1)[k]!)).dRot!));
  });

  it('exposes the density expansion with the rule applied: coefficients independent of the declared semi-axes', () => {
    const e = fixed.densityExpansion!;
    expect(e.metadata).toBe(inner.densityExpansion!.metadata);
    expect(fixed.contraction).toBe(inner.contraction);
    const a = Float64Array.from(e.compute(sys).values);
    const b = Float64Array.from(e.compute(withSemiaxes(sys, (i, k) => 2 + 0.3 * i + k)).values);
    const ref = Float64Array.from(inner.densityExpansion!.compute(withSemiaxes(sys, (i, k) => (sys.types![i] === 0 ? W0 : W1)[k]!)).values);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(a)).toEqual(Array.from(ref));
  });

  it('keeps forces and torques the exact gradients of the energy', () => {
    const energy = (s: ParticleSystem) => fixed.linearForces(s, weights).energy;
    const r = fixed.linearForces(sys, weights);
    expect(maxRelativeError(r.forces, numericalForces(energy, sys), 1e-6)).toBeLessThan(1e-6);
    expect(maxRelativeError(r.torques!, numericalTorques(energy, sys), 1e-6)).toBeLessThan(1e-6);
  });

  it('with the shape rule scales the declared semi-axes (scale 1: the system as it is)', () => {
    const half = new DensityWidthCalculator(inner, { rule: 'shape', scale: 0.5 });
    const ref = inner.linearForces(withSemiaxes(sys, (i, k) => 0.5 * sys.semiaxes![3 * i + k]!), weights);
    expect(Array.from(half.linearForces(sys, weights).forces)).toEqual(Array.from(ref.forces));
    const same = new DensityWidthCalculator(inner, { rule: 'shape', scale: 1 });
    expect(Array.from(same.linearForces(sys, weights).forces)).toEqual(Array.from(inner.linearForces(sys, weights).forces));
    expectCode(() => half.values({ ...sys, semiaxes: undefined } as ParticleSystem), 'E_ARG', /follow the particle shape \(× 0\.5\), but the system has no semi-axes/);
  });

  it('refuses a fixed rule that does not give one triple per species', () => {
    expectCode(() => new DensityWidthCalculator(inner, { rule: 'fixed', semiaxes: [W0] }), 'E_CONFIG', /give 1 semi-axis triple\(s\), but the anisoap calculator has 2 species/);
  });
});

describe('density widths of a train configuration', () => {
  const names = ['X', 'O'];
  it('reads [a, b, c], per-species maps and scaleShape', () => {
    expect(resolveDensityWidths([0.2, 0.2, 0.6], names, [])).toEqual({ rule: 'fixed', semiaxes: [[0.2, 0.2, 0.6], [0.2, 0.2, 0.6]] });
    expect(resolveDensityWidths({ species: { O: W1, X: W0 } }, names, [])).toEqual({ rule: 'fixed', semiaxes: [W0, W1] });
    expect(resolveDensityWidths({ scaleShape: 0.4 }, names, [])).toEqual({ rule: 'shape', scale: 0.4 });
    expectCode(() => resolveDensityWidths({ species: { X: W0 } }, names, []), 'E_CONFIG', /no widths for species O/);
    expectCode(() => resolveDensityWidths({ species: { X: W0, O: W1, C: W1 } }, names, []), 'E_CONFIG', /names C, not among the data's species \[X, O\]/);
  });

  it("defaults to the training data's semi-axes when they are uniform per species, and refuses to guess otherwise", () => {
    const uniform = withSemiaxes(sys, (i, k) => (sys.types![i] === 0 ? W0 : W1)[k]!);
    expect(uniformWidths([uniform, uniform], 2)).toEqual({ rule: 'fixed', semiaxes: [W0, W1] });
    expect(resolveDensityWidths(undefined, names, [uniform])).toEqual({ rule: 'fixed', semiaxes: [W0, W1] });
    expect(uniformWidths([sys], 2)).toBeNull();
    expectCode(() => resolveDensityWidths(undefined, names, [sys]), 'E_CONFIG', /semi-axes are missing or differ within a species.*features\.densityWidths/);
  });
});
