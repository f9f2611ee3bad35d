// SPDX-License-Identifier: BSD-3-Clause
/**
 * Per-block regularisation (`src/models/train-block-penalties.ts`): the column factors, the
 * closed form `(A + λ diag(m)) w = b` it must solve, the identity with no multipliers, the choice
 * by validation loss, and the refusals.
 */
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { designLayout } from '../../src/models/design.js';
import { blockPenaltyFactors } from '../../src/models/train-block-penalties.js';
import { trainLinearModel } from '../../src/models/train.js';
import { randomWeights, syntheticSet } from './synthetic.js';
import { ToyFeatures } from './toy-features.js';

const calc = new ToyFeatures({ centres: [1, 1.8, 2.6], width: 0.5, cutoff: 3.2, species: [0] });
const K = 3; // F = 3K: block 0 = the K radial features, block 1 = the 2K angular ones
const truth = randomWeights(3 * K, 11);
const frames = syntheticSet(calc, truth, Float64Array.of(0.3), 24, 5, { energyNoise: 0.02 });

describe('block penalties', () => {
  it('column factors: 1/√m_b on each type\'s block columns, 1 on the baselines', () => {
    const f = blockPenaltyFactors(designLayout(2, 5), [2, 3], [4, 0.25]);
    expect(Array.from(f)).toEqual([0.5, 0.5, 2, 2, 2, 0.5, 0.5, 2, 2, 2, 1, 1]);
  });

  it('one candidate of ones is the ordinary ridge fit, bit for bit', () => {
    const base = { weights: { forces: 1, torques: 1, energy: 10 }, lambdas: [1e-6, 1e-3], cvFolds: 3, learningCurve: [1], testFraction: 0.25 };
    const plain = trainLinearModel(frames, calc, base);
    const ones = trainLinearModel(frames, calc, { ...base, blockPenalties: { sizes: [K, 2 * K], grid: [[1, 1]] } });
    expect(Array.from(ones.weights)).toEqual(Array.from(plain.weights));
    expect(ones.blockPenalties).toEqual({ sizes: [K, 2 * K], chosen: [1, 1], search: [{ multipliers: [1, 1], loss: Math.min(...plain.cv.map((p) => p.loss)), lambda: plain.lambda.relative }] });
  });

  it('solves (A + λ diag(m)) w = b with λ relative to the rescaled matrix (forces only, no scaling)', () => {
    const m = [1, 40], lambdaRel = 1e-2;
    const r = trainLinearModel(frames, calc, {
      weights: { forces: 1 }, scaling: 'none', lambdas: [lambdaRel], cvFolds: 2, learningCurve: [1], testFraction: 0.25,
      blockPenalties: { sizes: [K, 2 * K], grid: [m] },
    });
    // Independent normal equations of the force rows of the training frames: x = −∂p/∂r.
    const F = 3 * K;
    const A = Matrix.zeros(F, F), b = Matrix.zeros(F, 1);
    for (const k of r.split.train) {
      const { system, labels } = frames[k]!;
      const g = calc.sumGradients(system);
      for (let row = 0; row < 3 * system.n; row++) {
        const x = Array.from({ length: F }, (_, f) => -g.dPos[row * F + f]!);
        for (let a = 0; a < F; a++) {
          b.set(a, 0, b.get(a, 0) + x[a]! * labels.forces![row]!);
          for (let c = 0; c < F; c++) A.set(a, c, A.get(a, c) + x[a]! * x[c]!);
        }
      }
    }
    const mult = (f: number) => (f < K ? m[0]! : m[1]!);
    let trace = 0;
    for (let f = 0; f < F; f++) trace += A.get(f, f) / mult(f);
    const lambda = (lambdaRel * trace) / F;
    const reg = A.clone();
    for (let f = 0; f < F; f++) reg.set(f, f, reg.get(f, f) + lambda * mult(f));
    const w = solve(reg, b).to1DArray();
    const scale = Math.max(...w.map(Math.abs));
    for (let f = 0; f < F; f++) expect(Math.abs(r.weights[f]! - w[f]!) / scale).toBeLessThan(1e-9);
    // Not the uniform penalty: the same λ with m = 1 gives other weights.
    const uniform = trainLinearModel(frames, calc, { weights: { forces: 1 }, scaling: 'none', lambdas: [lambdaRel], cvFolds: 2, learningCurve: [1], testFraction: 0.25 });
    expect(Math.max(...Array.from(uniform.weights, (x, f) => Math.abs(x - r.weights[f]!))) / scale).toBeGreaterThan(1e-3);
  });

  it('chooses the candidate with the smallest validation loss and reports every one', () => {
    const grid = [[1, 1], [1, 100], [100, 1], [1, 0.01]];
    const r = trainLinearModel(frames, calc, {
      weights: { energy: 10, forces: 1, torques: 1 }, lambdas: [1e-8, 1e-5, 1e-2], cvFolds: 4, learningCurve: [1], testFraction: 0.25,
      blockPenalties: { sizes: [K, 2 * K], grid },
    });
    const search = r.blockPenalties!.search;
    expect(search.map((p) => p.multipliers)).toEqual(grid);
    const best = search.reduce((a, p) => (p.loss < a.loss ? p : a));
    expect(r.blockPenalties!.chosen).toEqual(best.multipliers);
    expect(Math.min(...r.cv.map((p) => p.loss))).toBe(best.loss);
    expect(r.lambda.relative).toBe(best.lambda);
    expect(new Set(search.map((p) => p.loss)).size).toBe(grid.length); // the multipliers change the fit
  });

  it('refuses blocks that do not cover the features and bad multipliers, naming them', () => {
    const base = { weights: { forces: 1 }, lambdas: [1e-3], cvFolds: 2, learningCurve: [1] };
    expect(() => trainLinearModel(frames, calc, { ...base, blockPenalties: { sizes: [K, K], grid: [[1, 1]] } })).toThrow(/sizes \[3, 3\] sum to 6, but the calculator has F = 9/);
    expect(() => trainLinearModel(frames, calc, { ...base, blockPenalties: { sizes: [K, 2 * K], grid: [[1]] } })).toThrow(/grid\[0\] has 1 multipliers, expected one per block \(2\)/);
    expect(() => trainLinearModel(frames, calc, { ...base, blockPenalties: { sizes: [K, 2 * K], grid: [[1, 0]] } })).toThrow(/grid\[0\] = \[1, 0\]: every multiplier must be a finite number > 0, got 0/);
    expect(() => trainLinearModel(frames, calc, { ...base, blockPenalties: { sizes: [K, 2 * K], grid: [] } })).toThrow(/at least one candidate/);
  });
});
