// SPDX-License-Identifier: BSD-3-Clause
/**
 * Model files: round trip, and every way a file can be refused (not msgpack, wrong format, newer
 * major version, missing field, NaN, shape mismatch, calculator mismatch); unit conversion of a
 * model in reduced units.
 */
import { pack as encode, unpack as decode } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { checkModelAgainstCalculator, createModelProvider, modelFromTraining, UnitScaledProvider, type LinearModel } from '../../src/models/linear-model.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { loadModel, saveModel } from '../../src/models/model-file.js';
import { trainLinearModel } from '../../src/models/train.js';
import { seededRandom } from '../support/random.js';
import { randomFrame, randomWeights, syntheticSet } from './synthetic.js';
import { ToyFeatures } from './toy-features.js';

const calc = new ToyFeatures({ centres: [1, 2, 3], width: 0.7, cutoff: 3.5, species: [0] });
const F = calc.metadata.featureCount;
const frames = syntheticSet(calc, randomWeights(F, 1), Float64Array.of(0.5), 20, 2);
const result = trainLinearModel(frames, calc, { weights: { energy: 1, forces: 1, torques: 1 }, lambdas: [1e-12, 1e-6], cvFolds: 3, learningCurve: [0.5, 1] });

function makeModel(units = { length: { name: 'sigma0', toAngstrom: 3 }, energy: { name: 'eps0', toEv: 0.02 } }): LinearModel {
  return modelFromTraining({
    features: [{ kind: 'toy', hypers: { centres: [1, 2, 3], width: 0.7, cutoff: 3.5 }, densityWidths: { rule: 'fixed', semiaxes: [[0.2, 0.3, 0.6]] }, featureCount: F }],
    species: [0],
    speciesNames: ['X'],
    units,
    result,
    date: new Date('2026-01-02T03:04:05Z'),
    software: 'anisodrive test',
    dataFiles: ['a.extxyz'],
    seed: 1,
    testFraction: 0.2,
    weights: { energy: 1, forces: 1, torques: 1, virial: 0 },
  });
}

/** The decoded map of a saved model, to corrupt. */
const decoded = () => decode(saveModel(makeModel())) as Record<string, any>;

function loadError(data: unknown): AnisoError {
  try {
    loadModel(encode(data));
  } catch (err) {
    if (err instanceof AnisoError) return err;
    throw err;
  }
  throw new Error('expected loadModel to fail');
}

describe('model files', () => {
  it('round-trip every field', () => {
    const m = makeModel();
    const back = loadModel(saveModel(m));
    expect(Array.from(back.weights)).toEqual(Array.from(m.weights));
    expect(Array.from(back.baselines)).toEqual(Array.from(m.baselines));
    expect(Array.from(back.scaler.scale)).toEqual(Array.from(m.scaler.scale));
    expect(Array.from(back.scaler.shift)).toEqual(Array.from(m.scaler.shift));
    expect(back.features).toEqual(m.features);
    expect(back.units).toEqual(m.units);
    expect(back.species).toEqual([0]);
    expect(back.regularisation.lambda).toBe(m.regularisation.lambda);
    expect(back.regularisation.cv).toEqual(m.regularisation.cv);
    expect(back.training.date).toBe('2026-01-02T03:04:05.000Z');
    expect(back.training.errors.test).toEqual(m.training.errors.test);
    expect(Number.isNaN(back.training.errors.train.energy!.mae)).toBe(true); // MAE unknown on the training set
    expect(back.training.learningCurve).toEqual(m.training.learningCurve);
    // Plain MessagePack: nested arrays, no extensions.
    expect(Array.isArray(decoded().weights[0])).toBe(true);
  });

  it('accepts a newer minor version with extra fields', () => {
    const d = decoded();
    d.version = '2.7';
    d.futureField = { anything: 1 };
    expect(loadModel(encode(d)).version).toBe('2.7');
  });

  it('refuses bytes that are not a model', () => {
    expect(() => loadModel(Uint8Array.of(0x92, 0x01))).toThrow(/not MessagePack/);
    expect(loadError([1, 2]).message).toMatch(/expected a map/);
    expect(loadError({ ...decoded(), format: 'something-else' }).message).toMatch(/format is "something-else"/);
  });

  it('refuses a newer major version, naming both versions', () => {
    const err = loadError({ ...decoded(), version: '3.0' });
    expect(err.code).toBe('E_IO');
    expect(err.message).toMatch(/version 3\.0 is newer than this anisodrive reads \(2\.x\)/);
    expect(loadError({ ...decoded(), version: 'one' }).message).toMatch(/MAJOR\.MINOR/);
  });

  it('names a missing field by its path', () => {
    const d = decoded();
    delete d.units.energy.toEv;
    expect(loadError(d).message).toMatch(/units\.energy\.toEv: required/);
    const e = decoded();
    delete e.baselines;
    expect(loadError(e).message).toMatch(/baselines: required/);
  });

  it('refuses NaN and infinite weights, naming the entry', () => {
    const d = decoded();
    d.weights[0][4] = NaN;
    expect(loadError(d).message).toMatch(/weights\.0\.4: must be a finite number, got NaN/);
    const e = decoded();
    e.baselines[0] = Infinity;
    expect(loadError(e).message).toMatch(/baselines\.0: must be a finite number, got Infinity/);
  });

  it('refuses weights whose shape does not match species × featureCount', () => {
    const d = decoded();
    d.weights[0].pop();
    expect(loadError(d).message).toMatch(/weights\.0 has 8 entries, expected F = 9/);
    const e = decoded();
    e.weights.push(e.weights[0]);
    expect(loadError(e).message).toMatch(/weights has 2 rows, expected one per species \(1\)/);
  });

  it('refuses a calculator with another feature count or species', () => {
    const m = makeModel();
    const other = new ToyFeatures({ centres: [1, 2], width: 0.7, cutoff: 3.5, species: [0] });
    expect(() => checkModelAgainstCalculator(m, other)).toThrow(/F = 9 features per type, but the toy calculator built from the model's hypers has 6/);
    const twoSpecies = new ToyFeatures({ centres: [1, 2, 3], width: 0.7, cutoff: 3.5, species: [0, 1] });
    expect(() => checkModelAgainstCalculator(m, twoSpecies)).toThrow(/species \[0\] differ/);
  });
});

describe('models as providers in Å and eV', () => {
  it('convert lengths in and energies, forces, torques, virials out', () => {
    const m = makeModel();
    const provider = createModelProvider(m, calc);
    expect(provider).toBeInstanceOf(UnitScaledProvider);
    const inner = new LinearEnergyProvider(calc, { weights: m.weights, baselines: m.baselines });
    const s = randomFrame(seededRandom(4), 6, 5);
    const reduced = inner.compute(s);
    const real = provider.compute({ ...s, positions: s.positions.map((x) => 3 * x), semiaxes: s.semiaxes!.map((x) => 3 * x), cell: Cell.fromRows(s.cell.h.map((x) => 3 * x)) });
    expect(real.energy).toBeCloseTo(0.02 * reduced.energy, 12);
    for (let k = 0; k < 3 * s.n; k++) {
      expect(real.forces[k]).toBeCloseTo((0.02 / 3) * reduced.forces[k]!, 12);
      expect(real.torques![k]).toBeCloseTo(0.02 * reduced.torques![k]!, 12);
    }
    for (let k = 0; k < 9; k++) expect(real.virial[k]).toBeCloseTo(0.02 * reduced.virial[k]!, 12);
    const plain = createModelProvider(makeModel({ length: { name: 'angstrom', toAngstrom: 1 }, energy: { name: 'eV', toEv: 1 } }), calc);
    expect(plain).toBeInstanceOf(LinearEnergyProvider);
  });
});
