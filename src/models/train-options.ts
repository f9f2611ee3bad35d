// SPDX-License-Identifier: BSD-3-Clause
/** The checked and defaulted options of `trainLinearModel` (train.ts). */
import { AnisoError } from '../core/errors.js';
import { QUANTITIES } from './design.js';
import type { QuantityWeights, ScalingMode, TrainOptions } from './train-types.js';

/** Default relative λ grid: 10⁻¹⁰ … 10⁰, one per decade. */
export const DEFAULT_LAMBDAS: readonly number[] = Object.freeze(Array.from({ length: 11 }, (_, k) => 10 ** (k - 10)));

/** {@link TrainOptions} with every default filled in, λ grid and learning-curve fractions sorted. */
export interface ResolvedTrainOptions {
  /** ω_q of every quantity (0 where not given). */
  weights: QuantityWeights;
  testFraction: number;
  /** Folds asked for (the training may lower it to the number of training frames). */
  cvFolds: number;
  /** Relative λ grid, ascending. */
  lambdas: number[];
  /** Learning-curve fractions, ascending and distinct. */
  fractions: number[];
  scaling: ScalingMode;
  seed: number;
  parityLimit: number;
  chunkRows: number;
  onProgress: TrainOptions['onProgress'];
}

/**
 * Check `o` and fill in the defaults (see {@link TrainOptions}).
 * @throws AnisoError `E_ARG` naming the bad option
 */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const weights = {} as QuantityWeights;
  for (const q of QUANTITIES) {
    const w = o.weights[q] ?? 0;
    if (!(w >= 0) || !Number.isFinite(w)) throw new AnisoError('E_ARG', `weight of ${q} must be a finite number ≥ 0, got ${w}`);
    weights[q] = w;
  }
  const testFraction = o.testFraction ?? 0.2;
  if (!(testFraction >= 0 && testFraction < 1)) throw new AnisoError('E_ARG', `testFraction must be in [0, 1), got ${testFraction}`);
  const cvFolds = o.cvFolds ?? 5;
  if (!Number.isInteger(cvFolds) || cvFolds < 2) throw new AnisoError('E_ARG', `cvFolds must be an integer ≥ 2, got ${cvFolds}`);
  const lambdas = [...(o.lambdas ?? DEFAULT_LAMBDAS)];
  if (lambdas.length === 0 || lambdas.some((l) => !(l > 0) || !Number.isFinite(l))) {
    throw new AnisoError('E_ARG', `lambdas must be a non-empty list of finite numbers > 0, got [${lambdas.join(', ')}]`);
  }
  lambdas.sort((a, b) => a - b);
  const fractions = [...(o.learningCurve ?? [0.1, 0.25, 0.5, 1])];
  if (fractions.some((f) => !(f > 0 && f <= 1))) throw new AnisoError('E_ARG', `learning-curve fractions must be in (0, 1], got [${fractions.join(', ')}]`);
  fractions.sort((a, b) => a - b);
  const scaling = o.scaling ?? 'column';
  if (!['column', 'global', 'none'].includes(scaling)) throw new AnisoError('E_ARG', `scaling '${scaling}' is not one of column, global, none`);
  return {
    weights,
    testFraction,
    cvFolds,
    lambdas,
    fractions: [...new Set(fractions)],
    scaling,
    seed: o.seed ?? 1,
    parityLimit: o.parityLimit ?? 5000,
    chunkRows: o.chunkRows ?? 128,
    onProgress: o.onProgress,
  };
}
