// SPDX-License-Identifier: BSD-3-Clause
/**
 * The feature-calculator registry (one module per kind: kind, zod schema, train form, factory) and
 * the linear energy provider's configuration.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { anisoapKind } from '../../src/features/anisoap/kind.js';
import { AniSoapHypersSchema } from '../../src/features/anisoap/hypers-schema.js';
import { createFeatureCalculator, FEATURE_CALCULATOR_KINDS, FEATURE_KINDS, featureKind, type FeatureCalculatorConfig } from '../../src/features/registry.js';
import { TrainFeaturesSchema } from '../../plugin/config/train-schema.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { expectCode } from '../support/assertions.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { seededRandom } from '../support/random.js';

const CONFIG: FeatureCalculatorConfig = {
  kind: 'anisoap', maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.5,
  species: [6, 8], mode: 'md', switchWidth: 1, threads: 1,
};

describe('createFeatureCalculator', () => {
  it("builds an AniSOAP calculator from { kind: 'anisoap', ...hypers }", () => {
    const calc = createFeatureCalculator(CONFIG);
    expect(calc).toBeInstanceOf(AniSoapCalculator);
    expect(calc.metadata.name).toBe('anisoap');
    expect(calc.metadata.species).toEqual([6, 8]);
    expect(calc.metadata.featureCount).toBe(4 * (9 + 9 + 9 + 9));
    expect(calc.metadata.labels.names).toEqual(['l', 'a1', 'n1', 'a2', 'n2']);
    expect(calc.metadata.cutoff).toBe(4.5);
    expect(calc.metadata.smooth).toBe(true);
    calc.close();
  });

  it('rejects unknown kinds and unknown hyper-parameters, listing the allowed ones', () => {
    expectCode(() => createFeatureCalculator({ ...CONFIG, kind: 'soap' } as unknown as FeatureCalculatorConfig), 'E_CONFIG', /kind "soap" is not one of 'anisoap', 'pair'/);
    expectCode(() => createFeatureCalculator({ ...CONFIG, cutof: 3 } as unknown as FeatureCalculatorConfig), 'E_CONFIG', /unknown hyper-parameter 'cutof'/);
    expectCode(() => createFeatureCalculator({ ...CONFIG, threads: 0 }), 'E_CONFIG', /threads = 0 must be an integer in 1…256 or 'auto'/);
  });
});

describe('the registry', () => {
  it('lists each kind once, with its schema, train form and factory', () => {
    expect(FEATURE_CALCULATOR_KINDS).toEqual(['anisoap', 'pair']);
    expect(new Set(FEATURE_KINDS.map((k) => k.kind)).size).toBe(FEATURE_KINDS.length);
    expect(featureKind('anisoap')).toBe(anisoapKind);
    expect(anisoapKind.schema).toBe(AniSoapHypersSchema);
    expect(anisoapKind.usesDensityWidths).toBe(true);
    expectCode(() => featureKind('lode'), 'E_CONFIG', /kind "lode" is not one of 'anisoap', 'pair'/);
  });

  it('derives the train form from the schema: no species, mode md by default, the schema\'s checks and defaults', () => {
    const entry = TrainFeaturesSchema.parse({ kind: 'anisoap', maxAngular: 2, gaussianWidth: 1, cutoff: 4, densityWidths: [0.5, 0.5, 1.5] });
    expect(entry).toMatchObject({ kind: 'anisoap', mode: 'md', switchWidth: 1, radialBasis: 'gto', maxRadial: null, basisTol: 1e-8, densityWidths: [0.5, 0.5, 1.5] });
    expect(anisoapKind.hypersFromTrainConfig(entry, [0])).toEqual(AniSoapHypersSchema.parse({ maxAngular: 2, gaussianWidth: 1, cutoff: 4, mode: 'md', species: [0] }));
    expect(TrainFeaturesSchema.safeParse({ kind: 'anisoap', maxAngular: 2, gaussianWidth: 1, cutoff: 4, species: [0] }).success).toBe(false);
    const bad = TrainFeaturesSchema.safeParse({ kind: 'anisoap', maxAngular: 2, cutoff: 4 });
    expect(bad.error?.issues[0]?.message).toMatch(/radialBasis 'gto' needs gaussianWidth/);
    expect(TrainFeaturesSchema.safeParse({ kind: 'soap', maxAngular: 2 }).error?.issues[0]?.message).toMatch(/kind "soap" is not one of 'anisoap', 'pair'/);
  });

  it('builds calculators through the entry, with runtime options apart from the hypers', () => {
    const calc = anisoapKind.create(AniSoapHypersSchema.parse({ maxAngular: 1, gaussianWidth: 1, cutoff: 3, species: [0] }) as Record<string, unknown>, { threads: 1 });
    expect(calc).toBeInstanceOf(AniSoapCalculator);
    calc.close();
    expectCode(() => anisoapKind.create({ maxAngular: 1, gaussianWidth: 1, cutoff: 3, species: [0], threads: 1 }), 'E_CONFIG', /unknown hyper-parameter 'threads'/);
  });
});

describe('LinearEnergyProvider', () => {
  const calc = new AniSoapCalculator({ maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 4, species: [0, 1], mode: 'md', switchWidth: 1 });
  const F = calc.metadata.featureCount;

  it('checks the weight and baseline sizes and values', () => {
    expectCode(() => new LinearEnergyProvider(calc, { weights: new Float64Array(F) }), 'E_CONFIG', new RegExp(`weights have ${F} entries, expected T·F = 2·${F}`));
    expectCode(() => new LinearEnergyProvider(calc, { weights: new Float64Array(2 * F), baselines: [1] }), 'E_CONFIG', /baselines have 1 entries, expected one per type \(2\)/);
    expectCode(() => new LinearEnergyProvider(calc, { weights: new Float64Array(2 * F).fill(Number.NaN) }), 'E_CONFIG', /weights\[0\] = NaN is not finite/);
    expect(new LinearEnergyProvider(calc, { weights: new Float64Array(2 * F) }).name).toBe('model');
  });

  it('adds per-type baselines to the energy only', () => {
    const sys = randomEllipsoidSystem(seededRandom(3), Cell.orthorhombic(6, 6, 6), 5, 2);
    const rand = seededRandom(4);
    const weights = new Float64Array(2 * F).map(() => rand() - 0.5);
    const a = new LinearEnergyProvider(calc, { weights }).compute(sys);
    const b = new LinearEnergyProvider(calc, { weights, baselines: [1.5, -0.25], name: 'x' }).compute(sys);
    expect(b.energy - a.energy).toBeCloseTo(3 * 1.5 + 2 * -0.25, 12);
    expect(Array.from(b.forces)).toEqual(Array.from(a.forces));
    expect(Array.from(b.torques!)).toEqual(Array.from(a.torques!));
    expect(Array.from(b.virial)).toEqual(Array.from(a.virial));
  });

  it('refuses point particles with a clear message', () => {
    const model = new LinearEnergyProvider(calc, { weights: new Float64Array(2 * F) });
    expectCode(() => model.compute({ n: 1, positions: new Float64Array(3), cell: Cell.open() }), 'E_ARG', /needs orientations .* and semiaxes/);
  });
});
