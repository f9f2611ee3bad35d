// SPDX-License-Identifier: BSD-3-Clause
/**
 * Training a linear ridge model `E = Σ_i w_{t(i)} · p_i + Σ_t β_t n_t` on any mix of energies,
 * forces, torques and virials ({@link trainLinearModel}). Pure: no files, no console; progress goes
 * through a callback.
 *
 * ## Procedure
 * 1. **Split by frame** (seeded): a random `testFraction` of the frames is held out; the remaining
 *    training frames, in shuffled order, are dealt round-robin into `cvFolds` folds, and prefixes of
 *    that order are the learning-curve subsets.
 * 2. **One pass over the training frames**: per frame one `sumGradients` call; its design rows
 *    ({@link emitRows}) are folded into normal equations kept per (fold, quantity), unweighted, so
 *    that validation errors can be read per quantity and the weights applied afterwards. Feature
 *    shifts (per type and feature) are taken from the first frame that contains each type, and the
 *    per-column variance is accumulated on the way.
 * 3. **Standardisation**: column `(t, f)` is divided by the standard deviation of feature f over
 *    the training particles of type t (`scaling: 'column'`), by one global RMS deviation
 *    (`'global'`, like skmatter's `StandardFlexibleScaler(column_wise=False)`), or not at all
 *    (`'none'`). Scaling multiplies every row (energy, force, torque, virial) by the same diagonal
 *    matrix, so it is applied to the normal equations exactly: `G → S⁻¹ G S⁻¹`. Centring needs no
 *    separate step: the unpenalised baselines absorb the mean (see {@link RidgePath}), so it changes
 *    no prediction; scaling does change the fit for λ > 0 (it sets what "small weights" means).
 * 4. **Loss**: `Σ_q ω_q² Σ_{rows of q} (y − x·θ)² + λ ‖w_scaled‖²`, with residuals in energy per
 *    particle, force, torque and virial per particle (the model's units). `ω_q` are the per-quantity
 *    weights: think of `1/ω_q` as the error one is willing to accept, e.g. `ω_E = 1/(1 meV)` per
 *    particle and `ω_F = 1/(50 meV/Å)` (then `ω_E = 1000, ω_F = 20` in eV units). Force and
 *    torque rows are 3n per frame against one energy row, so equal weights favour the gradients.
 *    A quantity with weight 0 is not fitted but still reported (CV and test errors).
 * 5. **λ by k-fold cross-validation** over a grid of *relative* values: `λ_abs = λ_rel · tr(A′)/P`,
 *    the mean eigenvalue of the standardised, baseline-reduced normal matrix, so the grid is
 *    dimensionless (`1e-10 … 1` covers most needs). The λ with the smallest weighted validation loss,
 *    summed over folds, is chosen; ties go to the larger λ. With `blockPenalties` (models made of
 *    several feature blocks) the penalty is `λ Σ_b m_b ‖w_b‖²` and the multipliers are chosen with
 *    λ from a grid of candidates (`train-block-penalties.ts`).
 * 6. **Final model** on all training frames with that λ; **learning curve**: models on the prefixes
 *    (same λ_rel, same scaler); **test pass** over held-out frames for RMSE/MAE and parity data.
 * 7. **Raw weights**: `w_raw = w_scaled / s`, `β_raw = β − w_raw · c`, so inference needs only the
 *    calculator's `linearForces(system, w_raw)` plus `Σ_i β_raw[t(i)]`. Without energy rows (forces
 *    and/or torques only) the energy is known only up to a constant per particle of each type: the
 *    baselines are then set to 0 and the model energy is `Σ_i w_raw · p_i`.
 *
 * The steps live in `train-*.ts` next to this file: options (`train-options.ts`), split
 * (`train-split.ts`), the pass over the training frames (`train-accumulate.ts`), standardisation
 * (`train-scaling.ts`), cross-validation (`train-cv.ts`), final and learning-curve fits
 * (`train-fit.ts`) and the test pass (`train-test.ts`); the types are in `train-types.ts`.
 *
 * Memory: `(folds × quantities + learning-curve points + 2) × D²` doubles, D = T·F + T; features
 * are never stored.
 */
import { AnisoError } from '../core/errors.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import { designLayout, type LabelledSystem } from './design.js';
import { accumulateTraining, surveyLabels } from './train-accumulate.js';
import { checkBlockPenalties, searchBlockPenalties } from './train-block-penalties.js';
import { crossValidate, type CvResult } from './train-cv.js';
import { fitFinal, fitSnapshots, type RawConversion } from './train-fit.js';
import { resolveTrainOptions } from './train-options.js';
import { columnScales, scaleColumns } from './train-scaling.js';
import { foldCount, learningCurveSizes, splitFrames } from './train-split.js';
import { learningCurve, testModels, toErrors } from './train-test.js';
import type { TrainOptions, TrainResult } from './train-types.js';

export { DEFAULT_LAMBDAS } from './train-options.js';
export { shuffledIndices } from './train-split.js';
export type {
  BlockPenalties,
  BlockPenaltyPoint,
  CvPoint,
  ErrorStats,
  ErrorsByQuantity,
  LearningCurvePoint,
  ParityData,
  QuantityWeights,
  ScalerInfo,
  ScalingMode,
  TrainOptions,
  TrainResult,
} from './train-types.js';

/**
 * Train a linear model on `frames` with `calculator`'s features (module comment). `frames` hold
 * systems in the calculator's length unit and labels in the matching energy unit; the result is in
 * those units.
 * @throws AnisoError `E_ARG` for bad options, too few frames or nothing to fit; `E_SIZE` for labels
 *   of the wrong length
 */
export function trainLinearModel(frames: readonly LabelledSystem[], calculator: FeatureCalculator, options: TrainOptions): TrainResult {
  const o = resolveTrainOptions(options);
  const warnings: string[] = [];
  const N = frames.length;
  if (N < 2) throw new AnisoError('E_ARG', `training needs at least 2 frames, got ${N}`);
  const { species, featureCount } = calculator.metadata;
  const layout = designLayout(species.length, featureCount);
  if (options.blockPenalties) checkBlockPenalties(options.blockPenalties, featureCount);

  // 1. Split.
  const split = splitFrames(N, o.seed, o.testFraction, options.testFrames);
  const nTrain = split.train.length;
  const K = foldCount(o.cvFolds, nTrain, warnings);
  const sizes = learningCurveSizes(o.fractions, nTrain);
  const { labelled, fitted, particles } = surveyLabels(frames, split.train, o.weights);

  // 2. One pass over the training frames.
  const sums = accumulateTraining(frames, split.train, calculator, {
    layout,
    folds: K,
    labelled,
    weights: o.weights,
    snapshotAt: sizes.counts,
    chunkRows: o.chunkRows,
    onProgress: (done) => o.onProgress?.('train', done, N),
  });

  // 3. Standardisation.
  const { scale, inv } = columnScales(layout, o.scaling, sums, species, warnings);
  for (const row of sums.eqs) for (const eq of row) if (eq) scaleColumns(eq, inv);
  for (const snap of sums.snapshots) scaleColumns(snap, inv);

  // 5. Cross-validation (over λ, and over the per-block multipliers when given).
  const bp = options.blockPenalties;
  const candidates = bp ? bp.grid.length : 1;
  const solveSteps = K * candidates + 1 + sums.snapshots.length;
  let solved = 0;
  const cvSettings = { layout, weights: o.weights, lambdas: o.lambdas, fitted, onFold: () => o.onProgress?.('solve', ++solved, solveSteps) };
  let cvResult: CvResult;
  let blockPenalties: TrainResult['blockPenalties'];
  if (bp) {
    const search = searchBlockPenalties(sums.eqs, cvSettings, bp);
    cvResult = search.cv;
    blockPenalties = { sizes: [...bp.sizes], chosen: search.chosen, search: search.points };
    // Fold the chosen multipliers into the column scaling (train-block-penalties.ts).
    for (const row of sums.eqs) for (const eq of row) if (eq) scaleColumns(eq, search.factors);
    for (const snap of sums.snapshots) scaleColumns(snap, search.factors);
    for (let k = 0; k < layout.penalised; k++) {
      inv[k] = inv[k]! * search.factors[k]!;
      scale[k] = scale[k]! / search.factors[k]!;
    }
  } else {
    cvResult = crossValidate(sums.eqs, cvSettings);
  }
  const { cv, lambda: lambdaRel } = cvResult;

  // 6. Final model and learning-curve models.
  const conv: RawConversion = { inv, shift: sums.shift, withEnergy: fitted.includes('energy') };
  const final = fitFinal(layout, sums.eqs, o.weights, lambdaRel, conv);
  o.onProgress?.('solve', ++solved, solveSteps);
  const models = fitSnapshots(layout, sums.snapshots, lambdaRel, conv, () => o.onProgress?.('solve', ++solved, solveSteps));
  models.push(final.model);

  // Test pass: errors of every model, parity data of the final one.
  const withTest = split.test.length > 0;
  const { errors, parity } = testModels(frames, split.test, calculator, models, {
    layout,
    labelled,
    parityLimit: o.parityLimit,
    seed: o.seed + 1,
    onFrame: (done) => o.onProgress?.('test', nTrain + done, N),
  });

  return {
    weights: final.model.weights,
    baselines: final.model.baselines,
    scaler: { kind: o.scaling, shift: sums.shift, scale },
    lambda: { relative: lambdaRel, absolute: final.lambdaAbs },
    cv,
    ...(blockPenalties ? { blockPenalties } : {}),
    cvFolds: K,
    train: final.train,
    test: withTest ? toErrors(errors[errors.length - 1]!) : {},
    learningCurve: learningCurve(o.fractions, sizes, errors, withTest),
    parity,
    split,
    counts: { frames: N, particles, rows: sums.rowsPerQuantity },
    fitted,
    warnings,
  };
}
