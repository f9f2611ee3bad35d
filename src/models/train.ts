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
 *    summed over folds, is chosen; ties go to the larger λ.
 * 6. **Final model** on all training frames with that λ; **learning curve**: models on the prefixes
 *    (same λ_rel, same scaler); **test pass** over held-out frames for RMSE/MAE and parity data.
 * 7. **Raw weights**: `w_raw = w_scaled / s`, `β_raw = β − w_raw · c`, so inference needs only the
 *    calculator's `linearForces(system, w_raw)` plus `Σ_i β_raw[t(i)]`. Without energy rows (forces
 *    and/or torques only) the energy is known only up to a constant per particle of each type: the
 *    baselines are then set to 0 and the model energy is `Σ_i w_raw · p_i`.
 *
 * Memory: `(folds × quantities + learning-curve points + 2) × D²` doubles, D = T·F + T; features
 * are never stored.
 */
import { AnisoError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import {
  QUANTITIES,
  designLayout,
  emitRows,
  rowCount,
  typeCounts,
  type DesignLayout,
  type LabelledSystem,
  type Quantity,
} from './design.js';
import { GramAccumulator, addNormalEquations, emptyNormalEquations, type NormalEquations } from './gram.js';
import { RidgePath, residualSumOfSquares } from './ridge.js';

/** Per-quantity residual weights ω_q (multipliers of the residuals; see the module comment). */
export type QuantityWeights = Record<Quantity, number>;

/** Feature standardisation mode. */
export type ScalingMode = 'column' | 'global' | 'none';

/** Options of {@link trainLinearModel}. */
export interface TrainOptions {
  /** Residual weights per quantity (≥ 0); missing quantities get 0. */
  weights: Partial<QuantityWeights>;
  /** Standardisation (default `'column'`). */
  scaling?: ScalingMode;
  /** Fraction of frames held out for testing, in [0, 1) (default 0.2). */
  testFraction?: number;
  /** Seed of the split (default 1). */
  seed?: number;
  /**
   * Explicit test frames (indices into `frames`), e.g. from separate test files; `testFraction` is
   * then ignored and the remaining frames, shuffled with `seed`, are the training frames.
   */
  testFrames?: readonly number[];
  /** Folds of the cross-validation, ≥ 2 (default 5; lowered to the number of training frames). */
  cvFolds?: number;
  /** Relative λ grid (> 0; default 10⁻¹⁰ … 10⁰, 11 values). */
  lambdas?: readonly number[];
  /** Learning-curve fractions of the training frames in (0, 1] (default [0.1, 0.25, 0.5, 1]). */
  learningCurve?: readonly number[];
  /** Most parity points kept per quantity (uniform reservoir sample; default 5000). */
  parityLimit?: number;
  /** Rows buffered per Gram update (default 128). */
  chunkRows?: number;
  /** Progress: `stage` is `'train'`, `'solve'` or `'test'`. */
  onProgress?: (stage: 'train' | 'solve' | 'test', done: number, total: number) => void;
}

/** RMSE and MAE of one quantity on a set of rows. */
export interface ErrorStats {
  rmse: number;
  mae: number;
  /** Rows (energies: frames; forces/torques: components; virial: components). */
  count: number;
}

/** Errors per quantity; quantities without labels are absent. */
export type ErrorsByQuantity = Partial<Record<Quantity, ErrorStats>>;

/** One point of the cross-validation curve. */
export interface CvPoint {
  /** Relative λ. */
  lambda: number;
  /** Weighted validation loss per validation row, summed over folds. */
  loss: number;
  /** Validation RMSE per quantity, pooled over folds. */
  rmse: Partial<Record<Quantity, number>>;
}

/** One point of the learning curve. */
export interface LearningCurvePoint {
  /** Fraction of the training frames. */
  fraction: number;
  /** Training frames used. */
  frames: number;
  /** Test-set errors of the model trained on them. */
  test: ErrorsByQuantity;
}

/** Parity data: reference and predicted values (energies per particle). */
export type ParityData = Partial<Record<Quantity, { reference: number[]; predicted: number[] }>>;

/** The standardisation that was used: `x_scaled = (x − shift) / scale` per (type, feature). */
export interface ScalerInfo {
  kind: ScalingMode;
  /** T·F shifts (energy rows only). */
  shift: Float64Array;
  /** T·F scales. */
  scale: Float64Array;
}

/** What {@link trainLinearModel} returns. */
export interface TrainResult {
  /** Raw weights, T × F (type-major), for `linearForces`. */
  weights: Float64Array;
  /** Per-type baselines (energy per particle). */
  baselines: Float64Array;
  scaler: ScalerInfo;
  /** Chosen λ: relative (grid value) and absolute (in the standardised normal equations). */
  lambda: { relative: number; absolute: number };
  /** Cross-validation curve over the grid (empty when there was a single training frame). */
  cv: CvPoint[];
  /** Folds actually used. */
  cvFolds: number;
  /** Training-set errors of the final model (RMSE from the normal equations; MAE not available → NaN). */
  train: ErrorsByQuantity;
  /** Test-set errors of the final model (empty without test frames). */
  test: ErrorsByQuantity;
  learningCurve: LearningCurvePoint[];
  parity: ParityData;
  /** Frame indices of each part (into the input array). */
  split: { train: number[]; test: number[] };
  /** Counts. */
  counts: { frames: number; particles: number; rows: Record<Quantity, number> };
  /** Quantities fitted (ω > 0 and labelled in the training frames). */
  fitted: Quantity[];
  /** Non-fatal remarks (fold count lowered, constant features…). */
  warnings: string[];
}

/** Default relative λ grid: 10⁻¹⁰ … 10⁰, one per decade. */
export const DEFAULT_LAMBDAS: readonly number[] = Object.freeze(Array.from({ length: 11 }, (_, k) => 10 ** (k - 10)));

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

function checkOptions(o: TrainOptions) {
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

function newErrorSums(): Record<Quantity, ErrorSums> {
  return { energy: new ErrorSums(), forces: new ErrorSums(), torques: new ErrorSums(), virial: new ErrorSums() };
}

function toErrors(sums: Record<Quantity, ErrorSums>): ErrorsByQuantity {
  const out: ErrorsByQuantity = {};
  for (const q of QUANTITIES) if (sums[q].count > 0) out[q] = sums[q].stats();
  return out;
}

/** Sum of `ω_q² · eq_q` over quantities and the given folds. */
function weightedSum(
  layout: DesignLayout,
  eqs: (NormalEquations | null)[][],
  folds: readonly number[],
  weights: QuantityWeights,
): NormalEquations {
  const out = emptyNormalEquations(layout.dim);
  for (const k of folds) {
    QUANTITIES.forEach((q, iq) => {
      const w = weights[q];
      const eq = eqs[k]![iq];
      if (w > 0 && eq && eq.rows > 0) addNormalEquations(out, eq, w * w);
    });
  }
  return out;
}

/** Scale the normal equations' columns in place: `G → S⁻¹ G S⁻¹`, `b → S⁻¹ b` (s = 1 for baselines). */
function scaleColumns(eq: NormalEquations, inv: Float64Array): void {
  const D = eq.dim, g = eq.gram;
  for (let a = 0; a < D; a++) {
    const sa = inv[a]!;
    eq.rhs[a] = eq.rhs[a]! * sa;
    for (let b = 0; b < D; b++) g[a * D + b] = g[a * D + b]! * sa * inv[b]!;
  }
}

/** From standardised coefficients θ' to raw weights and baselines (module comment, step 7). */
function rawModel(layout: DesignLayout, theta: Float64Array, inv: Float64Array, shift: Float64Array, withEnergy: boolean) {
  const { types: T, features: F, penalised: P } = layout;
  const weights = new Float64Array(P);
  const baselines = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let b = theta[P + t]!;
    for (let f = 0; f < F; f++) {
      const k = t * F + f;
      const w = theta[k]! * inv[k]!;
      weights[k] = w;
      b -= w * shift[k]!;
    }
    // Without energy rows the baselines are undetermined: 0, so the model energy is Σ w · p.
    baselines[t] = withEnergy ? b : 0;
  }
  return { weights, baselines };
}

/**
 * Train a linear model on `frames` with `calculator`'s features (module comment). `frames` hold
 * systems in the calculator's length unit and labels in the matching energy unit; the result is in
 * those units.
 * @throws AnisoError `E_ARG` for bad options, too few frames or nothing to fit; `E_SIZE` for labels
 *   of the wrong length
 */
export function trainLinearModel(frames: readonly LabelledSystem[], calculator: FeatureCalculator, options: TrainOptions): TrainResult {
  const o = checkOptions(options);
  const warnings: string[] = [];
  const N = frames.length;
  if (N < 2) throw new AnisoError('E_ARG', `training needs at least 2 frames, got ${N}`);
  const T = calculator.metadata.species.length;
  const F = calculator.metadata.featureCount;
  const layout = designLayout(T, F);
  const D = layout.dim, P = layout.penalised;

  // 1. Split.
  const order = shuffledIndices(N, o.seed);
  let testIdx: number[];
  let trainIdx: number[];
  if (options.testFrames) {
    const test = new Set(options.testFrames);
    for (const k of test) if (!Number.isInteger(k) || k < 0 || k >= N) throw new AnisoError('E_ARG', `test frame index ${k} is not in 0…${N - 1}`);
    testIdx = [...test].sort((a, b) => a - b);
    trainIdx = order.filter((k) => !test.has(k));
    if (trainIdx.length < 2) throw new AnisoError('E_ARG', `training needs at least 2 frames besides the ${test.size} test frames`);
  } else {
    let nTest = Math.round(o.testFraction * N);
    if (o.testFraction > 0 && nTest === 0) nTest = 1;
    if (N - nTest < 2) nTest = N - 2;
    testIdx = order.slice(0, nTest);
    trainIdx = order.slice(nTest);
  }
  const nTrain = trainIdx.length;
  let K = o.cvFolds;
  if (nTrain < K) {
    warnings.push(`cvFolds lowered from ${K} to ${nTrain} (number of training frames)`);
    K = nTrain;
  }
  const lcFrames = o.fractions.map((f) => Math.min(nTrain, Math.max(1, Math.ceil(f * nTrain))));
  // Distinct subset sizes below the full set get their own model; the others share the final one.
  const lcCounts = [...new Set(lcFrames)].filter((c) => c < nTrain);

  // Quantities labelled in the training frames, and those fitted.
  const labelled = new Set<Quantity>();
  let particles = 0;
  for (const k of trainIdx) {
    const fr = frames[k]!;
    particles += fr.system.n;
    for (const q of QUANTITIES) if (rowCount(q, fr.system.n, fr.labels) > 0) labelled.add(q);
  }
  const fitted = QUANTITIES.filter((q) => labelled.has(q) && o.weights[q] > 0);
  if (fitted.length === 0) {
    throw new AnisoError(
      'E_ARG',
      `nothing to fit: the training frames are labelled with [${[...labelled].join(', ')}] but the weights > 0 are ` +
        `[${QUANTITIES.filter((q) => o.weights[q] > 0).join(', ')}]`,
    );
  }

  // 2. One pass over the training frames.
  // Unlabelled quantities get no accumulator (each costs D² doubles).
  const eqs: (GramAccumulator | null)[][] = Array.from({ length: K }, () => QUANTITIES.map((q) => (labelled.has(q) ? new GramAccumulator(D, o.chunkRows) : null)));
  const shift = new Float64Array(P);
  const shiftSet = new Uint8Array(T);
  const sum1 = new Float64Array(P);
  const sum2 = new Float64Array(P);
  const perType = new Float64Array(T);
  const snapshots: NormalEquations[] = [];
  const rowsPerQuantity: Record<Quantity, number> = { energy: 0, forces: 0, torques: 0, virial: 0 };
  const scratch = new Float64Array(D);
  const total = N;
  for (let m = 0; m < nTrain; m++) {
    const fr = frames[trainIdx[m]!]!;
    const s = fr.system;
    const g = calculator.sumGradients(s);
    const counts = typeCounts(s, T);
    for (let t = 0; t < T; t++) {
      if (shiftSet[t] || counts[t] === 0) continue;
      for (let f = 0; f < F; f++) shift[t * F + f] = g.sums[t * F + f]! / counts[t]!;
      shiftSet[t] = 1;
    }
    for (let i = 0; i < s.n; i++) {
      const t = s.types ? s.types[i]! : 0;
      perType[t] = perType[t]! + 1;
      for (let f = 0; f < F; f++) {
        const k = t * F + f;
        const d = g.values[i * F + f]! - shift[k]!;
        sum1[k] = sum1[k]! + d;
        sum2[k] = sum2[k]! + d * d;
      }
    }
    const fold = eqs[m % K]!;
    emitRows(layout, s, g, fr.labels, labelled, shift, (q, x, y) => {
      fold[QUANTITIES.indexOf(q)]!.addRow(x, y);
      rowsPerQuantity[q]++;
    }, scratch);
    if (lcCounts.includes(m + 1)) {
      for (const row of eqs) for (const acc of row) acc?.finish();
      snapshots.push(weightedSum(layout, eqs, Array.from({ length: K }, (_, k) => k), o.weights));
    }
    o.onProgress?.('train', m + 1, total);
  }
  for (const row of eqs) for (const acc of row) acc?.finish();

  // 3. Standardisation.
  const inv = new Float64Array(D).fill(1);
  const scale = new Float64Array(P).fill(1);
  if (o.scaling !== 'none') {
    const variance = new Float64Array(P);
    let maxStd = 0;
    for (let t = 0; t < T; t++) {
      const nt = perType[t]!;
      if (nt === 0) {
        warnings.push(`type ${t} (species ${calculator.metadata.species[t]}) does not occur in the training frames; its weights stay 0`);
        continue;
      }
      for (let f = 0; f < F; f++) {
        const k = t * F + f;
        const mean = sum1[k]! / nt;
        variance[k] = Math.max(0, sum2[k]! / nt - mean * mean);
        maxStd = Math.max(maxStd, Math.sqrt(variance[k]!));
      }
    }
    if (o.scaling === 'column') {
      let constant = 0;
      for (let k = 0; k < P; k++) {
        const sd = Math.sqrt(variance[k]!);
        if (sd > 1e-12 * maxStd && sd > 0) scale[k] = sd;
        else constant++;
      }
      if (constant > 0) warnings.push(`${constant} of ${P} feature columns are constant over the training particles (left unscaled)`);
    } else {
      let v = 0;
      let cols = 0;
      for (let t = 0; t < T; t++) {
        if (perType[t] === 0) continue;
        for (let f = 0; f < F; f++) v += variance[t * F + f]!;
        cols += F;
      }
      const sd = cols > 0 ? Math.sqrt(v / cols) : 0;
      if (sd > 0) scale.fill(sd);
    }
    for (let k = 0; k < P; k++) inv[k] = 1 / scale[k]!;
  }
  for (const row of eqs) for (const acc of row) if (acc) scaleColumns(acc, inv);
  for (const snap of snapshots) scaleColumns(snap, inv);

  // 5. Cross-validation.
  const nL = o.lambdas.length;
  const cvLoss = new Float64Array(nL);
  const cvSq: Float64Array[] = QUANTITIES.map(() => new Float64Array(nL));
  const cvRows = QUANTITIES.map(() => 0);
  let validationRows = 0;
  const allFolds = Array.from({ length: K }, (_, k) => k);
  const solveSteps = K + 1 + snapshots.length;
  const theta = new Float64Array(D);
  for (let k = 0; k < K; k++) {
    const trainEq = weightedSum(layout, eqs, allFolds.filter((j) => j !== k), o.weights);
    const path = new RidgePath(trainEq, P);
    for (let il = 0; il < nL; il++) {
      path.solve(path.absoluteLambda(o.lambdas[il]!), theta);
      QUANTITIES.forEach((q, iq) => {
        const eq = eqs[k]![iq];
        if (!eq || eq.rows === 0) return;
        const rss = residualSumOfSquares(eq, theta);
        cvSq[iq]![il] = cvSq[iq]![il]! + rss;
        cvLoss[il] = cvLoss[il]! + o.weights[q] ** 2 * rss;
      });
    }
    QUANTITIES.forEach((q, iq) => {
      const rows = eqs[k]![iq]?.rows ?? 0;
      cvRows[iq] = cvRows[iq]! + rows;
      if (fitted.includes(q)) validationRows += rows;
    });
    o.onProgress?.('solve', k + 1, solveSteps);
  }
  const cv: CvPoint[] = o.lambdas.map((lambda, il) => {
    const rmse: Partial<Record<Quantity, number>> = {};
    QUANTITIES.forEach((q, iq) => {
      if (cvRows[iq]! > 0) rmse[q] = Math.sqrt(cvSq[iq]![il]! / cvRows[iq]!);
    });
    return { lambda, loss: cvLoss[il]! / Math.max(1, validationRows), rmse };
  });
  let best = 0;
  for (let il = 1; il < nL; il++) if (cvLoss[il]! <= cvLoss[best]! * (1 + 1e-12)) best = il;
  const lambdaRel = o.lambdas[best]!;

  // 6. Final model and learning-curve models.
  const fullEq = weightedSum(layout, eqs, allFolds, o.weights);
  const finalPath = new RidgePath(fullEq, P);
  const lambdaAbs = finalPath.absoluteLambda(lambdaRel);
  const finalTheta = finalPath.solve(lambdaAbs);
  o.onProgress?.('solve', K + 1, solveSteps);
  const train: ErrorsByQuantity = {};
  QUANTITIES.forEach((q, iq) => {
    const merged = emptyNormalEquations(D);
    for (const k of allFolds) {
      const eq = eqs[k]![iq];
      if (eq && eq.rows > 0) addNormalEquations(merged, eq);
    }
    if (merged.rows > 0) train[q] = { rmse: Math.sqrt(residualSumOfSquares(merged, finalTheta) / merged.rows), mae: Number.NaN, count: merged.rows };
  });
  const final = rawModel(layout, finalTheta, inv, shift, fitted.includes('energy'));
  const models: { weights: Float64Array; baselines: Float64Array }[] = [];
  snapshots.forEach((snap, i) => {
    const path = new RidgePath(snap, P);
    models.push(rawModel(layout, path.solve(path.absoluteLambda(lambdaRel)), inv, shift, fitted.includes('energy')));
    o.onProgress?.('solve', K + 2 + i, solveSteps);
  });
  models.push(final);

  // Test pass: errors of every model, parity data of the final one (reservoir sample).
  const errors = models.map(() => newErrorSums());
  const parity: ParityData = {};
  const seen: Record<Quantity, number> = { energy: 0, forces: 0, torques: 0, virial: 0 };
  const rng = new Rng(o.seed + 1);
  const thetas = models.map((mdl) => {
    const th = new Float64Array(D);
    th.set(mdl.weights);
    th.set(mdl.baselines, P);
    return th;
  });
  for (let m = 0; m < testIdx.length; m++) {
    const fr = frames[testIdx[m]!]!;
    const g = calculator.sumGradients(fr.system);
    emitRows(layout, fr.system, g, fr.labels, labelled, null, (q, x, y) => {
      let pred = 0;
      for (let im = 0; im < thetas.length; im++) {
        const th = thetas[im]!;
        let s = 0;
        for (let a = 0; a < D; a++) s += x[a]! * th[a]!;
        errors[im]![q].add(s - y);
        pred = s;
      }
      const pd = (parity[q] ??= { reference: [], predicted: [] });
      const c = seen[q]++;
      if (c < o.parityLimit) {
        pd.reference.push(y);
        pd.predicted.push(pred);
      } else {
        const j = Math.floor(rng.uniform() * (c + 1));
        if (j < o.parityLimit) {
          pd.reference[j] = y;
          pd.predicted[j] = pred;
        }
      }
    }, scratch);
    o.onProgress?.('test', nTrain + m + 1, total);
  }
  const test = testIdx.length > 0 ? toErrors(errors[errors.length - 1]!) : {};
  const learningCurve: LearningCurvePoint[] = o.fractions.map((fraction, i) => {
    const c = lcCounts.indexOf(lcFrames[i]!);
    const model = c >= 0 ? c : models.length - 1;
    return { fraction, frames: lcFrames[i]!, test: testIdx.length > 0 ? toErrors(errors[model]!) : {} };
  });

  return {
    weights: final.weights,
    baselines: final.baselines,
    scaler: { kind: o.scaling as ScalingMode, shift, scale },
    lambda: { relative: lambdaRel, absolute: lambdaAbs },
    cv,
    cvFolds: K,
    train,
    test,
    learningCurve,
    parity,
    split: { train: trainIdx, test: testIdx },
    counts: { frames: N, particles, rows: rowsPerQuantity },
    fitted,
    warnings,
  };
}
