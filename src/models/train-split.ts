// SPDX-License-Identifier: BSD-3-Clause
/**
 * Step 1 of `trainLinearModel` (train.ts): the seeded split of the frames into training and test
 * frames, the number of cross-validation folds, and the learning-curve subset sizes.
 */
import { AnisoError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

/** Seeded Fisher–Yates permutation of 0 … n−1. */
export function shuffledIndices(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const tmp = p[i]!;
    p[i] = p[j]!;
    p[j] = tmp;
  }
  return p;
}

/** Frame indices of each part: training frames in shuffled order, test frames. */
export interface FrameSplit {
  train: number[];
  test: number[];
}

/**
 * Split `n` frames: `testFrames` (sorted) when given, else a `testFraction` of the shuffled order
 * (at least one frame when the fraction is > 0, at most n − 2); the training frames keep the
 * shuffled order of `seed`.
 * @throws AnisoError `E_ARG` for a test index outside 0…n−1 or fewer than 2 training frames
 */
export function splitFrames(n: number, seed: number, testFraction: number, testFrames?: readonly number[]): FrameSplit {
  const order = shuffledIndices(n, seed);
  if (testFrames) {
    const test = new Set(testFrames);
    for (const k of test) if (!Number.isInteger(k) || k < 0 || k >= n) throw new AnisoError('E_ARG', `test frame index ${k} is not in 0…${n - 1}`);
    const train = order.filter((k) => !test.has(k));
    if (train.length < 2) throw new AnisoError('E_ARG', `training needs at least 2 frames besides the ${test.size} test frames`);
    return { train, test: [...test].sort((a, b) => a - b) };
  }
  let nTest = Math.round(testFraction * n);
  if (testFraction > 0 && nTest === 0) nTest = 1;
  if (n - nTest < 2) nTest = n - 2;
  return { train: order.slice(nTest), test: order.slice(0, nTest) };
}

/** The folds used: `asked`, lowered (with a warning pushed) to the number of training frames. */
export function foldCount(asked: number, trainFrames: number, warnings: string[]): number {
  if (trainFrames >= asked) return asked;
  warnings.push(`cvFolds lowered from ${asked} to ${trainFrames} (number of training frames)`);
  return trainFrames;
}

/** Learning-curve subset sizes: frames per fraction, and the distinct sizes below the full set (those get their own model). */
export interface LearningCurveSizes {
  /** Training frames of each fraction (1 … nTrain). */
  frames: number[];
  /** Distinct sizes < nTrain, ascending: a normal-equation snapshot is taken after each. */
  counts: number[];
}

/** {@link LearningCurveSizes} of `fractions` (ascending, distinct) of `nTrain` frames. */
export function learningCurveSizes(fractions: readonly number[], nTrain: number): LearningCurveSizes {
  const frames = fractions.map((f) => Math.min(nTrain, Math.max(1, Math.ceil(f * nTrain))));
  return { frames, counts: [...new Set(frames)].filter((c) => c < nTrain) };
}
