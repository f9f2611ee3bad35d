// SPDX-License-Identifier: BSD-3-Clause
/**
 * Step 2 of `trainLinearModel` (train.ts): which quantities the training frames carry, and the one
 * pass over the training frames that folds their design rows into normal equations per (fold,
 * quantity), takes the feature shifts and the per-column moments, and snapshots the learning-curve
 * prefixes.
 */
import { AnisoError } from '../core/errors.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import { QUANTITIES, emitRows, rowCount, typeCounts, type DesignLayout, type LabelledSystem, type Quantity } from './design.js';
import { GramAccumulator, addNormalEquations, emptyNormalEquations, type NormalEquations } from './gram.js';
import type { QuantityWeights } from './train-types.js';

/** Quantities labelled in the training frames, those fitted, and the particle count. */
export interface LabelSurvey {
  labelled: Set<Quantity>;
  /** Labelled with ω > 0, in {@link QUANTITIES} order. */
  fitted: Quantity[];
  /** Particles over the training frames. */
  particles: number;
}

/**
 * Survey the labels of the training frames `trainIdx`.
 * @throws AnisoError `E_ARG` "nothing to fit" when no labelled quantity has a weight > 0
 */
export function surveyLabels(frames: readonly LabelledSystem[], trainIdx: readonly number[], weights: QuantityWeights): LabelSurvey {
  const labelled = new Set<Quantity>();
  let particles = 0;
  for (const k of trainIdx) {
    const fr = frames[k]!;
    particles += fr.system.n;
    for (const q of QUANTITIES) if (rowCount(q, fr.system.n, fr.labels) > 0) labelled.add(q);
  }
  const fitted = QUANTITIES.filter((q) => labelled.has(q) && weights[q] > 0);
  if (fitted.length === 0) {
    throw new AnisoError(
      'E_ARG',
      `nothing to fit: the training frames are labelled with [${[...labelled].join(', ')}] but the weights > 0 are ` +
        `[${QUANTITIES.filter((q) => weights[q] > 0).join(', ')}]`,
    );
  }
  return { labelled, fitted, particles };
}

/** Normal equations per fold (index) and quantity (index in {@link QUANTITIES}); null for unlabelled quantities. */
export type FoldEquations = (NormalEquations | null)[][];

/** What the pass over the training frames gathers. */
export interface TrainingSums {
  /** Unweighted, unscaled normal equations per (fold, quantity). */
  eqs: FoldEquations;
  /** Feature shifts per (type, feature), T·F: the mean over the first frame containing each type. */
  shift: Float64Array;
  /** Σ (p − shift) per (type, feature) over the training particles. */
  sum1: Float64Array;
  /** Σ (p − shift)² per (type, feature). */
  sum2: Float64Array;
  /** Training particles per type. */
  perType: Float64Array;
  /** ω-weighted normal equations of each learning-curve prefix (in order of the sizes). */
  snapshots: NormalEquations[];
  /** Design rows per quantity. */
  rowsPerQuantity: Record<Quantity, number>;
}

/** Sum of `ω_q² · eq_q` over quantities and the given folds. */
export function weightedSum(layout: DesignLayout, eqs: FoldEquations, folds: readonly number[], weights: QuantityWeights): NormalEquations {
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

/** Settings of {@link accumulateTraining}. */
export interface AccumulateSettings {
  layout: DesignLayout;
  /** Folds; training frame m goes to fold m mod folds. */
  folds: number;
  labelled: ReadonlySet<Quantity>;
  weights: QuantityWeights;
  /** Prefix sizes after which a snapshot is taken. */
  snapshotAt: readonly number[];
  chunkRows: number;
  /** Called after each training frame with the number of frames done. */
  onProgress?: (done: number) => void;
}

/** One pass over the training frames `trainIdx`, in order (module comment). */
export function accumulateTraining(
  frames: readonly LabelledSystem[],
  trainIdx: readonly number[],
  calculator: FeatureCalculator,
  s: AccumulateSettings,
): TrainingSums {
  const { layout, folds: K, labelled } = s;
  const { dim: D, penalised: P, types: T, features: F } = layout;
  // Unlabelled quantities get no accumulator (each costs D² doubles).
  const acc: (GramAccumulator | null)[][] = Array.from({ length: K }, () => QUANTITIES.map((q) => (labelled.has(q) ? new GramAccumulator(D, s.chunkRows) : null)));
  const shift = new Float64Array(P);
  const shiftSet = new Uint8Array(T);
  const sum1 = new Float64Array(P);
  const sum2 = new Float64Array(P);
  const perType = new Float64Array(T);
  const snapshots: NormalEquations[] = [];
  const rowsPerQuantity: Record<Quantity, number> = { energy: 0, forces: 0, torques: 0, virial: 0 };
  const scratch = new Float64Array(D);
  const allFolds = Array.from({ length: K }, (_, k) => k);
  const finish = () => {
    for (const row of acc) for (const a of row) a?.finish();
  };
  for (let m = 0; m < trainIdx.length; m++) {
    const fr = frames[trainIdx[m]!]!;
    const sys = fr.system;
    const g = calculator.sumGradients(sys);
    const counts = typeCounts(sys, T);
    for (let t = 0; t < T; t++) {
      if (shiftSet[t] || counts[t] === 0) continue;
      for (let f = 0; f < F; f++) shift[t * F + f] = g.sums[t * F + f]! / counts[t]!;
      shiftSet[t] = 1;
    }
    for (let i = 0; i < sys.n; i++) {
      const t = sys.types ? sys.types[i]! : 0;
      perType[t] = perType[t]! + 1;
      for (let f = 0; f < F; f++) {
        const k = t * F + f;
        const d = g.values[i * F + f]! - shift[k]!;
        sum1[k] = sum1[k]! + d;
        sum2[k] = sum2[k]! + d * d;
      }
    }
    const fold = acc[m % K]!;
    emitRows(layout, sys, g, fr.labels, labelled, shift, (q, x, y) => {
      fold[QUANTITIES.indexOf(q)]!.addRow(x, y);
      rowsPerQuantity[q]++;
    }, scratch);
    if (s.snapshotAt.includes(m + 1)) {
      finish();
      snapshots.push(weightedSum(layout, acc, allFolds, s.weights));
    }
    s.onProgress?.(m + 1);
  }
  finish();
  return { eqs: acc, shift, sum1, sum2, perType, snapshots, rowsPerQuantity };
}
