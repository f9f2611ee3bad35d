// SPDX-License-Identifier: BSD-3-Clause
/**
 * Per-block regularisation of `trainLinearModel` (train.ts, step 5): for a model made of blocks of
 * features (`features/concatenated.ts`), the penalty `λ Σ_b m_b ‖w_b‖²` on the standardised
 * weights, with the multipliers `m_b` chosen jointly with λ by the k-fold cross-validation.
 *
 * A multiplier is a change of variables: with `w_b = v_b / √m_b`, block b's columns are divided by
 * `√m_b` and the penalty becomes `λ ‖v‖²`. So each candidate is the ordinary ridge path on the
 * normal equations with those columns rescaled (`G → S⁻¹ G S⁻¹`, as the standardisation), and the
 * chosen factors are folded into the column scaling that converts back to raw weights. The relative
 * λ of each candidate is relative to its own rescaled matrix; the comparison between candidates is
 * by validation loss, which does not depend on that unit.
 *
 * Cost: one cross-validation (K eigendecompositions of a P × P matrix) per candidate, and one copy
 * of the fold equations at a time.
 */
import { AnisoError } from '../core/errors.js';
import type { DesignLayout } from './design.js';
import { cloneNormalEquations } from './gram.js';
import type { FoldEquations } from './train-accumulate.js';
import { crossValidate, type CvResult, type CvSettings } from './train-cv.js';
import { scaleColumns } from './train-scaling.js';
import type { BlockPenalties, BlockPenaltyPoint } from './train-types.js';

/**
 * Column factors `1/√m_b` of every penalised column `(t, f)` (f in block b) and 1 for the
 * baselines: D numbers, the column order of `layout`.
 */
export function blockPenaltyFactors(layout: DesignLayout, sizes: readonly number[], multipliers: readonly number[]): Float64Array {
  const { types: T, features: F, dim } = layout;
  const out = new Float64Array(dim).fill(1);
  for (let t = 0; t < T; t++) {
    let f = 0;
    sizes.forEach((size, b) => {
      const c = 1 / Math.sqrt(multipliers[b]!);
      for (let k = 0; k < size; k++, f++) out[t * F + f] = c;
    });
  }
  return out;
}

/**
 * Check the blocks and the candidates against the calculator's F.
 * @throws AnisoError `E_ARG` naming the bad size, candidate or multiplier
 */
export function checkBlockPenalties(bp: BlockPenalties, featureCount: number): void {
  const { sizes, grid } = bp;
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new AnisoError('E_ARG', `blockPenalties.sizes must be a non-empty list of integers ≥ 1, got [${sizes.join(', ')}]`);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== featureCount) throw new AnisoError('E_ARG', `blockPenalties.sizes [${sizes.join(', ')}] sum to ${total}, but the calculator has F = ${featureCount} features`);
  if (grid.length === 0) throw new AnisoError('E_ARG', 'blockPenalties.grid needs at least one candidate');
  grid.forEach((m, k) => {
    if (m.length !== sizes.length) throw new AnisoError('E_ARG', `blockPenalties.grid[${k}] has ${m.length} multipliers, expected one per block (${sizes.length})`);
    const bad = m.find((x) => !(x > 0) || !Number.isFinite(x));
    if (bad !== undefined) throw new AnisoError('E_ARG', `blockPenalties.grid[${k}] = [${m.join(', ')}]: every multiplier must be a finite number > 0, got ${bad}`);
  });
}

/** What {@link searchBlockPenalties} chose. */
export interface BlockPenaltySearch {
  /** The cross-validation at the chosen candidate. */
  cv: CvResult;
  /** The chosen multipliers. */
  chosen: number[];
  /** Column factors of the chosen candidate ({@link blockPenaltyFactors}). */
  factors: Float64Array;
  /** Every candidate with its best loss. */
  points: BlockPenaltyPoint[];
}

/**
 * Cross-validate every candidate of `bp` on (standardised) `eqs` and keep the one with the
 * smallest validation loss (ties: the earlier candidate; a NaN loss never wins over a number).
 * `eqs` is not modified.
 */
export function searchBlockPenalties(eqs: FoldEquations, settings: CvSettings, bp: BlockPenalties): BlockPenaltySearch {
  let best: Omit<BlockPenaltySearch, 'points'> | null = null;
  let bestLoss = NaN;
  const points: BlockPenaltyPoint[] = [];
  for (const multipliers of bp.grid) {
    const factors = blockPenaltyFactors(settings.layout, bp.sizes, multipliers);
    const scaled = eqs.map((row) => row.map((eq) => {
      if (!eq) return null;
      const c = cloneNormalEquations(eq);
      scaleColumns(c, factors);
      return c;
    }));
    const cv = crossValidate(scaled, settings);
    const loss = Math.min(...cv.cv.map((p) => p.loss));
    points.push({ multipliers: [...multipliers], loss, lambda: cv.lambda });
    if (!best || loss < bestLoss * (1 - 1e-12) || (Number.isNaN(bestLoss) && !Number.isNaN(loss))) {
      best = { cv, chosen: [...multipliers], factors };
      bestLoss = loss;
    }
  }
  return { ...best!, points };
}
