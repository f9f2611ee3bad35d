// SPDX-License-Identifier: BSD-3-Clause
/**
 * Linear ridge models: the normal-equation machinery (chunked Gram, baseline elimination, λ path)
 * and training on energies, forces, torques: exact recovery of a known model from noise-free data,
 * a sensible λ from cross-validation on noisy data, and standardisation that changes no prediction.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { GramAccumulator } from '../../src/models/gram.js';
import { RidgePath, residualSumOfSquares } from '../../src/models/ridge.js';
import { shuffledIndices, trainLinearModel } from '../../src/models/train.js';
import { numericalForces, numericalTorques, numericalVirial } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';
import { randomFrame, randomWeights, syntheticSet } from './synthetic.js';
import { ToyFeatures } from './toy-features.js';

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let k = 0; k < a.length; k++) {
    num = Math.max(num, Math.abs(a[k]! - b[k]!));
    den = Math.max(den, Math.abs(b[k]!));
  }
  return num / den;
}

const toy = (species = [0]) => new ToyFeatures({ centres: [1, 2, 3], width: 0.7, cutoff: 3.5, species });

describe('toy feature calculator (test double)', () => {
  it('has exact position, orientation and strain gradients', () => {
    const calc = toy([0, 1]);
    const s = randomFrame(seededRandom(3), 6, 4, 2);
    const w = randomWeights(2 * calc.metadata.featureCount, 4);
    const energy = (x: typeof s) => calc.linearForces(x, w).energy;
    const r = calc.linearForces(s, w);
    expect(maxRelDiff(r.forces, numericalForces(energy, s))).toBeLessThan(1e-7);
    expect(maxRelDiff(r.torques!, numericalTorques(energy, s))).toBeLessThan(1e-7);
    expect(maxRelDiff(r.virial, numericalVirial(energy, s))).toBeLessThan(1e-7);
  });
});

describe('normal equations', () => {
  it('accumulates XᵀX and Xᵀy over chunk boundaries exactly as a dense product', () => {
    const rand = seededRandom(1);
    const rows = 37, D = 5;
    const X = Matrix.zeros(rows, D);
    const y = Matrix.zeros(rows, 1);
    const acc = new GramAccumulator(D, 8);
    for (let r = 0; r < rows; r++) {
      const x = Array.from({ length: D }, (_, a) => (a === 4 && r % 3 ? 0 : rand() - 0.5));
      x.forEach((v, a) => X.set(r, a, v));
      y.set(r, 0, rand());
      acc.addRow(x, y.get(r, 0));
    }
    acc.finish();
    const G = X.transpose().mmul(X);
    const b = X.transpose().mmul(y);
    for (let a = 0; a < D; a++) {
      expect(acc.rhs[a]).toBeCloseTo(b.get(a, 0), 12);
      for (let c = 0; c < D; c++) expect(acc.gram[a * D + c]).toBeCloseTo(G.get(a, c), 12);
    }
    expect(acc.rows).toBe(rows);
  });

  it('solves ridge with unpenalised columns like a direct Cholesky solve', () => {
    const rand = seededRandom(2);
    const rows = 50, D = 6, P = 4, lambda = 0.3;
    const acc = new GramAccumulator(D, 16);
    for (let r = 0; r < rows; r++) acc.addRow(Array.from({ length: D }, () => rand() - 0.5), rand());
    acc.finish();
    const path = new RidgePath(acc, P);
    const theta = path.solve(lambda);
    const A = Matrix.from1DArray(D, D, acc.gram);
    for (let a = 0; a < P; a++) A.set(a, a, A.get(a, a) + lambda);
    const direct = new CholeskyDecomposition(A).solve(Matrix.columnVector(Array.from(acc.rhs)));
    for (let a = 0; a < D; a++) expect(theta[a]).toBeCloseTo(direct.get(a, 0), 10);
    // The RSS from the normal equations is the residual of the solution.
    expect(residualSumOfSquares(acc, theta)).toBeGreaterThan(0);
  });

  it('returns minimum-norm baselines for collinear baseline columns and zero when they carry no data', () => {
    const rand = seededRandom(5);
    const acc = new GramAccumulator(4, 4);
    for (let r = 0; r < 20; r++) {
      const x0 = rand(), x1 = rand();
      acc.addRow([x0, x1, 1, 1], 2 * x0 - x1 + 3); // the two baseline columns are identical
    }
    acc.finish();
    const theta = new RidgePath(acc, 2).solve(0);
    expect(theta[0]).toBeCloseTo(2, 10);
    expect(theta[1]).toBeCloseTo(-1, 10);
    expect(theta[2]).toBeCloseTo(1.5, 10);
    expect(theta[3]).toBeCloseTo(1.5, 10);
    const none = new GramAccumulator(3, 4);
    for (let r = 0; r < 10; r++) {
      const x = rand();
      none.addRow([x, 0.5 * x, 0], 4 * x);
    }
    const t2 = new RidgePath(none.finish(), 2).solve(0);
    expect(t2[2]).toBe(0);
    expect(t2[0]! + 0.5 * t2[1]!).toBeCloseTo(4, 10);
  });

  it('shuffles reproducibly from a seed', () => {
    expect(shuffledIndices(10, 7)).toEqual(shuffledIndices(10, 7));
    expect([...shuffledIndices(10, 7)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffledIndices(10, 7)).not.toEqual(shuffledIndices(10, 8));
  });
});

describe('trainLinearModel: exact recovery from noise-free data', () => {
  const calc = toy([0]);
  const F = calc.metadata.featureCount;
  const wTrue = randomWeights(F, 11);
  const bTrue = Float64Array.of(-0.75);
  const frames = syntheticSet(calc, wTrue, bTrue, 40, 12);
  const tiny = { lambdas: [1e-14], cvFolds: 3, learningCurve: [1] };

  it('from energies only: weights and baseline', () => {
    const r = trainLinearModel(frames, calc, { weights: { energy: 1 }, ...tiny });
    expect(maxRelDiff(r.weights, wTrue)).toBeLessThan(1e-6);
    expect(r.baselines[0]).toBeCloseTo(bTrue[0]!, 6);
    expect(r.test.energy!.rmse).toBeLessThan(1e-8);
    expect(r.fitted).toEqual(['energy']);
  });

  it('from forces only: weights, baseline 0 (energy known up to a constant per particle)', () => {
    const r = trainLinearModel(frames, calc, { weights: { forces: 1 }, ...tiny });
    expect(maxRelDiff(r.weights, wTrue)).toBeLessThan(1e-6);
    expect(r.baselines[0]).toBe(0);
    expect(r.test.forces!.rmse).toBeLessThan(1e-8);
    // Energies are reported (weight 0) and off by the baseline exactly.
    expect(r.test.energy!.mae).toBeCloseTo(Math.abs(bTrue[0]!), 6);
  });

  it('from energies, forces, torques and virials of two species (standardised)', () => {
    const c2 = toy([0, 8]);
    const w2 = randomWeights(2 * F, 21);
    const b2 = Float64Array.of(0.3, -1.2);
    const set = syntheticSet(c2, w2, b2, 30, 22, { types: 2 });
    const r = trainLinearModel(set, c2, { weights: { energy: 10, forces: 1, torques: 2, virial: 0.5 }, ...tiny, seed: 3 });
    expect(maxRelDiff(r.weights, w2)).toBeLessThan(1e-6);
    expect(r.baselines[0]).toBeCloseTo(0.3, 6);
    expect(r.baselines[1]).toBeCloseTo(-1.2, 6);
    for (const q of ['energy', 'forces', 'torques', 'virial'] as const) expect(r.test[q]!.rmse).toBeLessThan(1e-7);
    expect(r.split.train.length + r.split.test.length).toBe(30);
    expect(r.split.test.length).toBe(6);
    expect(r.counts.rows.torques).toBeGreaterThan(0);
    expect(r.parity.forces!.reference.length).toBe(r.test.forces!.count);
  });

  it('uses explicit test frames when given', () => {
    const r = trainLinearModel(frames, calc, { weights: { energy: 1 }, ...tiny, testFrames: [39, 0, 5] });
    expect(r.split.test).toEqual([0, 5, 39]);
    expect(r.split.train).toHaveLength(37);
    expect(r.split.train).not.toContain(5);
    expect(r.test.energy!.count).toBe(3);
    expect(() => trainLinearModel(frames, calc, { weights: { energy: 1 }, testFrames: [40] })).toThrow(/not in 0…39/);
  });

  it('standardisation changes no prediction on noise-free data', () => {
    const common = { weights: { energy: 1, forces: 1 }, ...tiny };
    const scaled = trainLinearModel(frames, calc, { ...common, scaling: 'column' });
    const global = trainLinearModel(frames, calc, { ...common, scaling: 'global' });
    const raw = trainLinearModel(frames, calc, { ...common, scaling: 'none' });
    expect(scaled.scaler.scale.some((s) => s !== 1)).toBe(true);
    for (const other of [global, raw]) {
      const p = other.parity.energy!.predicted;
      const q = scaled.parity.energy!.predicted;
      for (let k = 0; k < p.length; k++) expect(p[k]).toBeCloseTo(q[k]!, 8);
      expect(maxRelDiff(other.weights, scaled.weights)).toBeLessThan(1e-6);
    }
  });
});

describe('trainLinearModel: regularisation by cross-validation', () => {
  it('picks an intermediate λ on noisy energies and reports the CV and learning curves', () => {
    const calc = new ToyFeatures({ centres: [0.8, 1.2, 1.6, 2, 2.4, 2.8, 3.2], width: 0.5, cutoff: 3.5, species: [0] });
    const F = calc.metadata.featureCount;
    const w = randomWeights(F, 31);
    const frames = syntheticSet(calc, w, Float64Array.of(0), 60, 32, { energyNoise: 0.05, minN: 6, maxN: 10 });
    const lambdas = [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1, 100];
    const r = trainLinearModel(frames, calc, { weights: { energy: 1 }, lambdas, cvFolds: 5, seed: 9, learningCurve: [0.25, 0.5, 1] });
    const i = lambdas.indexOf(r.lambda.relative);
    expect(i).toBeGreaterThan(0);
    expect(i).toBeLessThan(lambdas.length - 1);
    const loss = r.cv.map((p) => p.loss);
    expect(loss[i]).toBeLessThan(loss[0]!);
    expect(loss[i]).toBeLessThan(loss[loss.length - 1]!);
    expect(r.cv[i]!.rmse.energy).toBeGreaterThan(0);
    expect(r.learningCurve.map((p) => p.frames)).toEqual([12, 24, 48]);
    expect(r.learningCurve[2]!.test.energy!.rmse).toBe(r.test.energy!.rmse);
    expect(r.learningCurve[0]!.test.energy!.rmse).toBeGreaterThan(r.learningCurve[2]!.test.energy!.rmse);
  });

  it('refuses to fit nothing and bad options', () => {
    const calc = toy();
    const frames = syntheticSet(calc, randomWeights(9, 1), Float64Array.of(0), 5, 2).map((f) => ({ ...f, labels: { energy: f.labels.energy } }));
    expect(() => trainLinearModel(frames, calc, { weights: { forces: 1 } })).toThrow(/nothing to fit/);
    expect(() => trainLinearModel(frames, calc, { weights: { energy: 1 }, testFraction: 1 })).toThrow(/testFraction/);
    expect(() => trainLinearModel(frames, calc, { weights: { energy: -1 } })).toThrow(/weight of energy/);
    expect(() => trainLinearModel(frames.slice(0, 1), calc, { weights: { energy: 1 } })).toThrow(/at least 2 frames/);
  });
});
