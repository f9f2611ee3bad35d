// SPDX-License-Identifier: BSD-3-Clause
/**
 * Step 5 of `trainLinearModel` (train.ts): k-fold cross-validation over the relative λ grid on the
 * standardised normal equations, and the choice of λ (smallest weighted validation loss summed over
 * folds; ties go to the larger λ).
 */
import { QUANTITIES, type DesignLayout, type Quantity } from './design.js';
import { RidgePath, residualSumOfSquares } from './ridge.js';
import { weightedSum, type FoldEquations } from './train-accumulate.js';
import type { CvPoint, QuantityWeights } from './train-types.js';

/** The cross-validation curve and the chosen relative λ. */
export interface CvResult {
  cv: CvPoint[];
  /** Chosen relative λ (a grid value). */
  lambda: number;
}

/** Settings of {@link crossValidate}. */
export interface CvSettings {
  layout: DesignLayout;
  weights: QuantityWeights;
  /** Relative λ grid, ascending. */
  lambdas: readonly number[];
  /** Quantities fitted: their rows count in the loss normalisation. */
  fitted: readonly Quantity[];
  /** Called after each fold with the number of folds done. */
  onFold?: (done: number) => void;
}

/** Cross-validate over the folds of `eqs` (module comment). */
export function crossValidate(eqs: FoldEquations, s: CvSettings): CvResult {
  const K = eqs.length, nL = s.lambdas.length, P = s.layout.penalised;
  const cvLoss = new Float64Array(nL);
  const cvSq: Float64Array[] = QUANTITIES.map(() => new Float64Array(nL));
  const cvRows = QUANTITIES.map(() => 0);
  let validationRows = 0;
  const allFolds = Array.from({ length: K }, (_, k) => k);
  const theta = new Float64Array(s.layout.dim);
  for (let k = 0; k < K; k++) {
    const trainEq = weightedSum(s.layout, eqs, allFolds.filter((j) => j !== k), s.weights);
    const path = new RidgePath(trainEq, P);
    for (let il = 0; il < nL; il++) {
      path.solve(path.absoluteLambda(s.lambdas[il]!), theta);
      QUANTITIES.forEach((q, iq) => {
        const eq = eqs[k]![iq];
        if (!eq || eq.rows === 0) return;
        const rss = residualSumOfSquares(eq, theta);
        cvSq[iq]![il] = cvSq[iq]![il]! + rss;
        cvLoss[il] = cvLoss[il]! + s.weights[q] ** 2 * rss;
      });
    }
    QUANTITIES.forEach((q, iq) => {
      const rows = eqs[k]![iq]?.rows ?? 0;
      cvRows[iq] = cvRows[iq]! + rows;
      if (s.fitted.includes(q)) validationRows += rows;
    });
    s.onFold?.(k + 1);
  }
  const cv: CvPoint[] = s.lambdas.map((lambda, il) => {
    const rmse: Partial<Record<Quantity, number>> = {};
    QUANTITIES.forEach((q, iq) => {
      if (cvRows[iq]! > 0) rmse[q] = Math.sqrt(cvSq[iq]![il]! / cvRows[iq]!);
    });
    return { lambda, loss: cvLoss[il]! / Math.max(1, validationRows), rmse };
  });
  let best = 0;
  for (let il = 1; il < nL; il++) if (cvLoss[il]! <= cvLoss[best]! * (1 + 1e-12)) best = il;
  return { cv, lambda: s.lambdas[best]! };
}
