// SPDX-License-Identifier: BSD-3-Clause
/**
 * The pair features in the registry (createFeatureCalculator, schema, train form, model-file
 * round trip of the hypers) and the refusal of bad hyper-parameters, each message naming the
 * value and its unit.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { PairCalculator } from '../../src/features/pair/calculator.js';
import { PairHypersSchema, pairKind } from '../../src/features/pair/kind.js';
import { createFeatureCalculator, featureKind, type FeatureCalculatorConfig } from '../../src/features/registry.js';
import { TrainFeaturesSchema } from '../../plugin/config/train-schema.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { expectCode } from '../support/assertions.js';
import { randomUniaxialSystem } from '../support/pair-fixtures.js';
import { seededRandom } from '../support/random.js';

const BASE = { species: [0], cutoff: 4, shape: [0.5, 0.5, 1.5] };

describe("kind 'pair' in the registry", () => {
  it("builds a PairCalculator from { kind: 'pair', ...hypers } with the documented layout", () => {
    const calc = createFeatureCalculator({ kind: 'pair', ...BASE, species: [6, 8], maxDegree: 4, nRadial: 5, threads: 1 } as FeatureCalculatorConfig);
    expect(calc).toBeInstanceOf(PairCalculator);
    expect(featureKind('pair')).toBe(pairKind);
    expect(pairKind.usesDensityWidths).toBe(false);
    const m = calc.metadata;
    expect(m.name).toBe('pair');
    expect(m.species).toEqual([6, 8]);
    expect(m.cutoff).toBe(4);
    expect(m.smooth).toBe(true);
    // head–tail (p ≡ q ≡ s mod 2), p + q + 2s ≤ 4, by degree, s descending, p descending:
    // (0,0,0) (2,0,0) (0,0,2) (1,1,1) (4,0,0) (2,2,0) → 6 angular × 5 radial, 3 channels
    expect(m.featureCount).toBe(3 * 5 * 6);
    expect(m.labels.names).toEqual(['a1', 'a2', 'n', 'p', 'q', 's']);
    const row = (f: number) => Array.from(m.labels.values.subarray(6 * f, 6 * f + 6));
    expect(row(0)).toEqual([6, 6, 0, 0, 0, 0]);
    expect(row(1)).toEqual([6, 6, 0, 2, 0, 0]);
    expect(row(2)).toEqual([6, 6, 0, 0, 0, 2]);
    expect(row(3)).toEqual([6, 6, 0, 1, 1, 1]);
    expect(row(4)).toEqual([6, 6, 0, 4, 0, 0]);
    expect(row(5)).toEqual([6, 6, 0, 2, 2, 0]);
    expect(row(6)).toEqual([6, 6, 1, 0, 0, 0]);
    expect(row(30)).toEqual([6, 8, 0, 0, 0, 0]);
    expect(row(89)).toEqual([8, 8, 4, 2, 2, 0]);
    calc.close();
  });

  it('fills every default into the model hypers, and they rebuild the same calculator', () => {
    const full = PairHypersSchema.parse(BASE) as Record<string, unknown>;
    expect(full).toEqual({
      species: [0], cutoff: 4, switchWidth: 1, shape: [0.5, 0.5, 1.5], symmetry: 'uniaxial', headTail: true,
      maxDegree: 4, maxProjectionDegree: 4, nRadial: 8, radialBasis: 'gaussian', radialCoordinate: 'contact', radialMin: 0.5, radialScale: 0.5, radialOverlap: 1,
    });
    expect(PairHypersSchema.parse(full)).toEqual(full);
    expect(new PairCalculator(BASE).hypers).toEqual(full);
    const sys = randomUniaxialSystem(seededRandom(2), Cell.orthorhombic(7, 7, 7), 10);
    const a = pairKind.create(full).values(sys), b = new PairCalculator(BASE).values(sys);
    expect(Array.from(a)).toEqual(Array.from(b));
    // the spline basis is recorded, and a model file with it rebuilds the spline features
    const spline = PairHypersSchema.parse({ ...BASE, radialBasis: 'spline' }) as Record<string, unknown>;
    expect(spline.radialBasis).toBe('spline');
    const c = pairKind.create(spline).values(sys), d = new PairCalculator({ ...BASE, radialBasis: 'spline' }).values(sys);
    expect(Array.from(c)).toEqual(Array.from(d));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('train form: no species, the schema\'s checks and defaults, hypers from the data\'s species', () => {
    const entry = TrainFeaturesSchema.parse({ kind: 'pair', cutoff: 4, switchWidth: 0.5, shape: [0.5, 0.5, 1.5], nRadial: 10, threads: 2 });
    expect(entry).toMatchObject({ kind: 'pair', switchWidth: 0.5, radialCoordinate: 'contact', radialMin: 0.5, nRadial: 10, headTail: true });
    expect(pairKind.hypersFromTrainConfig(entry, [0])).toEqual(PairHypersSchema.parse({ cutoff: 4, switchWidth: 0.5, shape: [0.5, 0.5, 1.5], nRadial: 10, species: [0] }));
    expect(TrainFeaturesSchema.safeParse({ kind: 'pair', ...BASE }).error?.issues[0]?.message).toMatch(/unknown hyper-parameter 'species'/);
    expect(TrainFeaturesSchema.safeParse({ kind: 'pair', cutoff: 4, shape: [1, 1, 1] }).error?.issues[0]?.message).toMatch(/shape = \[1,1,1\] is a sphere/);
    expect(TrainFeaturesSchema.safeParse({ kind: 'pair', cutoff: 4, shape: [0.5, 0.5, 1.5], densityWidths: [1, 1, 1] }).error?.issues[0]?.message).toMatch(/unknown hyper-parameter 'densityWidths'/);
  });

  it('serves a linear model through LinearEnergyProvider', () => {
    const calc = new PairCalculator(BASE);
    const w = new Float64Array(calc.metadata.featureCount).fill(0.01);
    const sys = randomUniaxialSystem(seededRandom(4), Cell.orthorhombic(8, 8, 8), 12);
    const res = new LinearEnergyProvider(calc, { weights: w, baselines: [0.5] }).compute(sys);
    const v = calc.values(sys);
    let e = 6;
    for (let k = 0; k < v.length; k++) e += 0.01 * v[k]!;
    expect(res.energy).toBeCloseTo(e, 12);
  });
});

describe('refusals', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...BASE, cutoff: -1 }, /cutoff = -1 must be a finite length > 0/],
    [{ ...BASE, switchWidth: 5 }, /switchWidth = 5 must be in \(0, cutoff = 4\] \(length\)/],
    [{ ...BASE, shape: [0.5, 0.5] }, /shape = \[0.5,0.5\] must be 3 semi-axes \[a, b, c\] along body x, y, z, each a finite length > 0/],
    [{ ...BASE, shape: [0.5, 0, 1.5] }, /shape = \[0.5,0,1.5\] must be 3 semi-axes/],
    [{ ...BASE, shape: [0.5, 0.7, 1.5] }, /three different semi-axes \(a biaxial particle\)/],
    [{ ...BASE, shape: [1, 1, 1] }, /is a sphere \(three equal semi-axes\)/],
    [{ ...BASE, symmetry: 'biaxial' }, /symmetry 'biaxial' is not implemented yet/],
    [{ ...BASE, symmetry: 'cubic' }, /symmetry = "cubic" is not one of 'uniaxial', 'biaxial'/],
    [{ ...BASE, maxDegree: 13 }, /maxDegree = 13 must be an integer in 0…12/],
    [{ ...BASE, maxProjectionDegree: 5 }, /maxProjectionDegree = 5 must be an integer in 0…maxDegree = 4/],
    [{ ...BASE, maxDegree: 8, maxProjectionDegree: 1.5 }, /maxProjectionDegree = 1.5 must be an integer in 0…maxDegree/],
    [{ ...BASE, nRadial: 0 }, /nRadial = 0 must be an integer in 1…64/],
    [{ ...BASE, radialCoordinate: 'r' }, /radialCoordinate = "r" is not one of 'contact', 'distance'/],
    [{ ...BASE, radialBasis: 'bspline' }, /radialBasis = "bspline" is not one of 'gaussian', 'spline'/],
    [{ ...BASE, radialMin: 4.5 }, /radialMin = 4.5 must be below the cutoff = 4 \(length\)/],
    [{ ...BASE, radialScale: 0 }, /radialScale = 0 must be a finite length > 0/],
    [{ ...BASE, radialOverlap: -1 }, /radialOverlap = -1 must be a finite number > 0/],
    [{ ...BASE, headTail: 'yes' }, /headTail = "yes" must be true or false/],
    [{ ...BASE, species: [1, 1] }, /species \[1,1\] lists an id twice/],
    [{ ...BASE, species: [] }, /species must be a non-empty list of distinct integer species ids/],
    [{ ...BASE, mode: 'md' }, /unknown hyper-parameter 'mode'; allowed: species, cutoff/],
  ];
  for (const [hypers, message] of bad) {
    it(`refuses ${JSON.stringify(hypers)}`, () => {
      expectCode(() => new PairCalculator(hypers as never), 'E_CONFIG', message);
      expectCode(() => createFeatureCalculator({ kind: 'pair', ...hypers } as FeatureCalculatorConfig), 'E_CONFIG', message);
      const parsed = PairHypersSchema.safeParse(hypers);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message).join('; ')).toMatch(message);
    });
  }

  it('refuses systems it cannot describe', () => {
    const calc = new PairCalculator(BASE);
    expectCode(() => calc.values({ n: 1, positions: new Float64Array(3), cell: Cell.open() }), 'E_ARG', /needs orientations \(4n quaternions w, x, y, z\)/);
    const two = { n: 2, positions: new Float64Array(6), cell: Cell.open(), orientations: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0) };
    expectCode(() => calc.values(two), 'E_ARG', /particles 0 and 1 are at the same place \(centre distance 0\)/);
    expectCode(() => calc.values({ ...two, positions: Float64Array.of(0, 0, 0, 1, 0, 0), types: Int32Array.of(0, 1) }), 'E_ARG', /type 1 of particle 1 is not a type index of the 1 species \[0\]/);
    expectCode(() => calc.linearForces({ ...two, positions: Float64Array.of(0, 0, 0, 1, 0, 0) }, new Float64Array(3)), 'E_SIZE', /weights have length 3, expected T·F = 1·48/);
  });
});
