// SPDX-License-Identifier: BSD-3-Clause
/**
 * Step 3 of `trainLinearModel` (train.ts): the standardisation of the feature columns from the
 * moments gathered on the training particles, applied to normal equations exactly
 * (`G → S⁻¹ G S⁻¹`, `b → S⁻¹ b`).
 */
import type { DesignLayout } from './design.js';
import type { NormalEquations } from './gram.js';
import type { ScalingMode } from './train-types.js';

/** The column scales: `scale` (T·F) and `inv` (D: 1/scale, then 1 for the baselines). */
export interface ColumnScales {
  scale: Float64Array;
  inv: Float64Array;
}

/**
 * Scales of mode `kind` from the per-(type, feature) sums `sum1`, `sum2` of shifted features over
 * `perType` particles (train-accumulate.ts). Types without particles and constant columns are
 * reported in `warnings` (`species` names the types).
 */
export function columnScales(
  layout: DesignLayout,
  kind: ScalingMode,
  moments: { sum1: Float64Array; sum2: Float64Array; perType: Float64Array },
  species: readonly number[],
  warnings: string[],
): ColumnScales {
  const { types: T, features: F, penalised: P, dim: D } = layout;
  const { sum1, sum2, perType } = moments;
  const inv = new Float64Array(D).fill(1);
  const scale = new Float64Array(P).fill(1);
  if (kind === 'none') return { scale, inv };
  const variance = new Float64Array(P);
  let maxStd = 0;
  for (let t = 0; t < T; t++) {
    const nt = perType[t]!;
    if (nt === 0) {
      warnings.push(`type ${t} (species ${species[t]}) does not occur in the training frames; its weights stay 0`);
      continue;
    }
    for (let f = 0; f < F; f++) {
      const k = t * F + f;
      const mean = sum1[k]! / nt;
      variance[k] = Math.max(0, sum2[k]! / nt - mean * mean);
      maxStd = Math.max(maxStd, Math.sqrt(variance[k]!));
    }
  }
  if (kind === 'column') {
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
  return { scale, inv };
}

/** Scale the normal equations' columns in place: `G → S⁻¹ G S⁻¹`, `b → S⁻¹ b` (s = 1 for baselines). */
export function scaleColumns(eq: NormalEquations, inv: Float64Array): void {
  const D = eq.dim, g = eq.gram;
  for (let a = 0; a < D; a++) {
    const sa = inv[a]!;
    eq.rhs[a] = eq.rhs[a]! * sa;
    for (let b = 0; b < D; b++) g[a * D + b] = g[a * D + b]! * sa * inv[b]!;
  }
}
