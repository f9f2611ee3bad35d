// SPDX-License-Identifier: BSD-3-Clause
/**
 * The test pass of `trainLinearModel` (train.ts): errors of every model (learning-curve models and
 * the final one) over the held-out frames, parity data of the final model (a uniform reservoir
 * sample), and the learning curve read from those errors.
 */
import { Rng } from '../core/rng.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import { QUANTITIES, emitRows, type DesignLayout, type LabelledSystem, type Quantity } from './design.js';
import type { RawModel } from './train-fit.js';
import type { LearningCurveSizes } from './train-split.js';
import type { ErrorStats, ErrorsByQuantity, LearningCurvePoint, ParityData } from './train-types.js';

/** Running sums of squared and absolute residuals of one quantity. */
class ErrorSums {
  sq = 0;
  abs = 0;
  count = 0;
  add(r: number) {
    this.sq += r * r;
    this.abs += Math.abs(r);
    this.count++;
  }
  stats(): ErrorStats {
    return { rmse: Math.sqrt(this.sq / this.count), mae: this.abs / this.count, count: this.count };
  }
}

/** Residual sums per quantity of one model. */
export type QuantityErrorSums = Record<Quantity, ErrorSums>;

function newErrorSums(): QuantityErrorSums {
  return { energy: new ErrorSums(), forces: new ErrorSums(), torques: new ErrorSums(), virial: new ErrorSums() };
}

/** RMSE and MAE of the quantities that have rows. */
export function toErrors(sums: QuantityErrorSums): ErrorsByQuantity {
  const out: ErrorsByQuantity = {};
  for (const q of QUANTITIES) if (sums[q].count > 0) out[q] = sums[q].stats();
  return out;
}

/** What the test pass gathers. */
export interface TestPass {
  /** Residual sums of each model, in the order given (the last is the final model). */
  errors: QuantityErrorSums[];
  /** Parity data of the last model. */
  parity: ParityData;
}

/** Settings of {@link testModels}. */
export interface TestSettings {
  layout: DesignLayout;
  labelled: ReadonlySet<Quantity>;
  parityLimit: number;
  /** Seed of the parity reservoir sample. */
  seed: number;
  /** Called after each test frame with the number of test frames done. */
  onFrame?: (done: number) => void;
}

/** Evaluate `models` on the frames `testIdx` (module comment). */
export function testModels(frames: readonly LabelledSystem[], testIdx: readonly number[], calculator: FeatureCalculator, models: readonly RawModel[], s: TestSettings): TestPass {
  const { dim: D, penalised: P } = s.layout;
  const errors = models.map(() => newErrorSums());
  const parity: ParityData = {};
  const seen: Record<Quantity, number> = { energy: 0, forces: 0, torques: 0, virial: 0 };
  const rng = new Rng(s.seed);
  const scratch = new Float64Array(D);
  const thetas = models.map((mdl) => {
    const th = new Float64Array(D);
    th.set(mdl.weights);
    th.set(mdl.baselines, P);
    return th;
  });
  for (let m = 0; m < testIdx.length; m++) {
    const fr = frames[testIdx[m]!]!;
    const g = calculator.sumGradients(fr.system);
    emitRows(s.layout, fr.system, g, fr.labels, s.labelled, null, (q, x, y) => {
      let pred = 0;
      for (let im = 0; im < thetas.length; im++) {
        const th = thetas[im]!;
        let sum = 0;
        for (let a = 0; a < D; a++) sum += x[a]! * th[a]!;
        errors[im]![q].add(sum - y);
        pred = sum;
      }
      const pd = (parity[q] ??= { reference: [], predicted: [] });
      const c = seen[q]++;
      if (c < s.parityLimit) {
        pd.reference.push(y);
        pd.predicted.push(pred);
      } else {
        const j = Math.floor(rng.uniform() * (c + 1));
        if (j < s.parityLimit) {
          pd.reference[j] = y;
          pd.predicted[j] = pred;
        }
      }
    }, scratch);
    s.onFrame?.(m + 1);
  }
  return { errors, parity };
}

/**
 * The learning curve: for each fraction, the test errors of the model trained on its subset (the
 * snapshot models of `sizes.counts`, then the final model, as in `errors`); empty errors without
 * test frames.
 */
export function learningCurve(fractions: readonly number[], sizes: LearningCurveSizes, errors: readonly QuantityErrorSums[], withTest: boolean): LearningCurvePoint[] {
  return fractions.map((fraction, i) => {
    const c = sizes.counts.indexOf(sizes.frames[i]!);
    const model = c >= 0 ? c : errors.length - 1;
    return { fraction, frames: sizes.frames[i]!, test: withTest ? toErrors(errors[model]!) : {} };
  });
}
