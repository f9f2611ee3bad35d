// SPDX-License-Identifier: BSD-3-Clause
/**
 * The options and results of `trainLinearModel` (train.ts), in a file of their own so that the
 * pieces of the training (`train-*.ts`) and the model file can use them without importing the
 * procedure. The procedure and its units are described in train.ts.
 */
import type { Quantity } from './design.js';

/** Per-quantity residual weights ω_q (multipliers of the residuals; see the module comment). */
export type QuantityWeights = Record<Quantity, number>;

/** Feature standardisation mode. */
export type ScalingMode = 'column' | 'global' | 'none';

/** Options of `trainLinearModel` (train.ts). */
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
  /**
   * Per-block regularisation (body-ordered models: one block of pair features, one of power
   * spectra…): the penalty becomes `λ Σ_b m_b ‖w_b‖²` over the blocks of consecutive features,
   * and the multipliers `m_b` are chosen with λ by the same cross-validation, from `grid` (each
   * candidate a vector of `sizes.length` numbers > 0). Absent: one block, `m = 1`.
   */
  blockPenalties?: BlockPenalties;
  /** Most parity points kept per quantity (uniform reservoir sample; default 5000). */
  parityLimit?: number;
  /** Rows buffered per Gram update (default 128). */
  chunkRows?: number;
  /** Progress: `stage` is `'train'`, `'solve'` or `'test'`. */
  onProgress?: (stage: 'train' | 'solve' | 'test', done: number, total: number) => void;
}

/** Blocks of features and the candidate penalty multipliers of {@link TrainOptions.blockPenalties}. */
export interface BlockPenalties {
  /** Features per block, in feature order; they sum to the calculator's F. */
  sizes: readonly number[];
  /** Candidate multiplier vectors (each `sizes.length` long, every entry > 0). */
  grid: readonly (readonly number[])[];
}

/** One candidate of the per-block penalty search and its cross-validation. */
export interface BlockPenaltyPoint {
  /** Multiplier `m_b` of each block. */
  multipliers: number[];
  /** Smallest weighted validation loss over the λ grid (per validation row). */
  loss: number;
  /** The relative λ at which it is reached. */
  lambda: number;
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

/** What `trainLinearModel` (train.ts) returns. */
export interface TrainResult {
  /** Raw weights, T × F (type-major), for `linearForces`. */
  weights: Float64Array;
  /** Per-type baselines (energy per particle). */
  baselines: Float64Array;
  scaler: ScalerInfo;
  /** Chosen λ: relative (grid value) and absolute (in the standardised normal equations). */
  lambda: { relative: number; absolute: number };
  /** Cross-validation curve over the grid (empty when there was a single training frame), at the chosen block multipliers. */
  cv: CvPoint[];
  /** Per-block penalties: the chosen multipliers and every candidate's CV (absent without `blockPenalties`). */
  blockPenalties?: { sizes: number[]; chosen: number[]; search: BlockPenaltyPoint[] };
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
