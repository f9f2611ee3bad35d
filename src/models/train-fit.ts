// SPDX-License-Identifier: BSD-3-Clause
/**
 * Steps 6 and 7 of `trainLinearModel` (train.ts): the final model on all training folds with the
 * chosen λ and its training errors, the learning-curve models on the prefix snapshots, and the
 * conversion from standardised coefficients to raw weights and baselines.
 */
import { QUANTITIES, type DesignLayout } from './design.js';
import { addNormalEquations, emptyNormalEquations, type NormalEquations } from './gram.js';
import { RidgePath, residualSumOfSquares } from './ridge.js';
import { weightedSum, type FoldEquations } from './train-accumulate.js';
import type { ErrorsByQuantity, QuantityWeights } from './train-types.js';

/** A model in raw units: T·F weights (type-major) and T baselines. */
export interface RawModel {
  weights: Float64Array;
  baselines: Float64Array;
}

/** How standardised coefficients map back to raw ones. */
export interface RawConversion {
  /** 1/scale per column (D; 1 for the baselines). */
  inv: Float64Array;
  /** Feature shifts (T·F). */
  shift: Float64Array;
  /** Whether energies were fitted (otherwise the baselines are 0). */
  withEnergy: boolean;
}

/** From standardised coefficients θ' to raw weights and baselines (train.ts module comment, step 7). */
export function rawModel(layout: DesignLayout, theta: Float64Array, c: RawConversion): RawModel {
  const { types: T, features: F, penalised: P } = layout;
  const weights = new Float64Array(P);
  const baselines = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let b = theta[P + t]!;
    for (let f = 0; f < F; f++) {
      const k = t * F + f;
      const w = theta[k]! * c.inv[k]!;
      weights[k] = w;
      b -= w * c.shift[k]!;
    }
    // Without energy rows the baselines are undetermined: 0, so the model energy is Σ w · p.
    baselines[t] = c.withEnergy ? b : 0;
  }
  return { weights, baselines };
}

/** The final model and what it is reported with. */
export interface FinalFit {
  model: RawModel;
  /** Absolute λ of the full normal equations. */
  lambdaAbs: number;
  /** Training RMSE per quantity from the normal equations (MAE: NaN). */
  train: ErrorsByQuantity;
}

/** Fit all folds of `eqs` (standardised) with relative λ `lambdaRel`. */
export function fitFinal(layout: DesignLayout, eqs: FoldEquations, weights: QuantityWeights, lambdaRel: number, conv: RawConversion): FinalFit {
  const allFolds = Array.from({ length: eqs.length }, (_, k) => k);
  const path = new RidgePath(weightedSum(layout, eqs, allFolds, weights), layout.penalised);
  const lambdaAbs = path.absoluteLambda(lambdaRel);
  const theta = path.solve(lambdaAbs);
  const train: ErrorsByQuantity = {};
  QUANTITIES.forEach((q, iq) => {
    const merged = emptyNormalEquations(layout.dim);
    for (const k of allFolds) {
      const eq = eqs[k]![iq];
      if (eq && eq.rows > 0) addNormalEquations(merged, eq);
    }
    if (merged.rows > 0) train[q] = { rmse: Math.sqrt(residualSumOfSquares(merged, theta) / merged.rows), mae: Number.NaN, count: merged.rows };
  });
  return { model: rawModel(layout, theta, conv), lambdaAbs, train };
}

/** One raw model per snapshot (standardised, weighted normal equations), same relative λ; `onModel` after each. */
export function fitSnapshots(layout: DesignLayout, snapshots: readonly NormalEquations[], lambdaRel: number, conv: RawConversion, onModel?: (i: number) => void): RawModel[] {
  return snapshots.map((snap, i) => {
    const path = new RidgePath(snap, layout.penalised);
    const model = rawModel(layout, path.solve(path.absoluteLambda(lambdaRel)), conv);
    onModel?.(i);
    return model;
  });
}
