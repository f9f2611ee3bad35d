// SPDX-License-Identifier: BSD-3-Clause
/**
 * The pieces of `trainLinearModel` that decide which frames do what (train-split.ts) and the
 * option defaults (train-options.ts): explicit test frames, the test fraction's bounds, the fold
 * count lowered with a warning, the learning-curve subset sizes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAMBDAS, resolveTrainOptions } from '../../src/models/train-options.js';
import { foldCount, learningCurveSizes, shuffledIndices, splitFrames } from '../../src/models/train-split.js';

describe('training split', () => {
  it('explicit test frames: sorted, deduplicated; the rest in the shuffled order of the seed', () => {
    const s = splitFrames(10, 4, 0.2, [7, 2, 7]);
    expect(s.test).toEqual([2, 7]);
    expect(s.train).toEqual(shuffledIndices(10, 4).filter((k) => k !== 2 && k !== 7));
    expect(() => splitFrames(10, 4, 0.2, [10])).toThrow(/test frame index 10 is not in 0…9/);
    expect(() => splitFrames(3, 4, 0.2, [0, 1])).toThrow(/at least 2 frames besides the 2 test frames/);
  });

  it('a test fraction: a prefix of the shuffled order, at least 1 frame when > 0, leaving at least 2 to train', () => {
    const order = shuffledIndices(10, 1);
    expect(splitFrames(10, 1, 0.3, undefined)).toEqual({ train: order.slice(3), test: order.slice(0, 3) });
    expect(splitFrames(10, 1, 0.01, undefined).test.length).toBe(1);
    expect(splitFrames(10, 1, 0, undefined).test.length).toBe(0);
    expect(splitFrames(3, 1, 0.9, undefined).train.length).toBe(2);
  });

  it('folds are lowered to the number of training frames, with a warning', () => {
    const warnings: string[] = [];
    expect(foldCount(5, 8, warnings)).toBe(5);
    expect(warnings).toEqual([]);
    expect(foldCount(5, 3, warnings)).toBe(3);
    expect(warnings).toEqual(['cvFolds lowered from 5 to 3 (number of training frames)']);
  });

  it('learning-curve sizes: ⌈f·n⌉ in 1…n; distinct sizes below n get their own model', () => {
    expect(learningCurveSizes([0.01, 0.1, 0.25, 0.5, 1], 10)).toEqual({ frames: [1, 1, 3, 5, 10], counts: [1, 3, 5] });
  });

  it('options: defaults, sorted grids, and named errors', () => {
    const o = resolveTrainOptions({ weights: { forces: 2 }, lambdas: [1, 1e-3], learningCurve: [1, 0.5, 0.5] });
    expect(o).toMatchObject({ weights: { energy: 0, forces: 2, torques: 0, virial: 0 }, testFraction: 0.2, cvFolds: 5, lambdas: [1e-3, 1], fractions: [0.5, 1], scaling: 'column', seed: 1, parityLimit: 5000, chunkRows: 128 });
    expect(resolveTrainOptions({ weights: {} }).lambdas).toEqual([...DEFAULT_LAMBDAS]);
    expect(() => resolveTrainOptions({ weights: { energy: -1 } })).toThrow(/weight of energy must be a finite number ≥ 0/);
    expect(() => resolveTrainOptions({ weights: {}, cvFolds: 1 })).toThrow(/cvFolds must be an integer ≥ 2/);
    expect(() => resolveTrainOptions({ weights: {}, lambdas: [] })).toThrow(/lambdas must be a non-empty list/);
    expect(() => resolveTrainOptions({ weights: {}, learningCurve: [0] })).toThrow(/learning-curve fractions must be in \(0, 1\]/);
    expect(() => resolveTrainOptions({ weights: {}, scaling: 'max' as never })).toThrow(/scaling 'max' is not one of/);
  });
});
