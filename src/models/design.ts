// SPDX-License-Identifier: BSD-3-Clause
/**
 * Rows of the linear model's design matrix, built from a frame's {@link FeatureSumGradients} and its
 * reference labels. The model is
 * ```
 * E = Σ_i w_{t(i)} · p_i + Σ_t β_t n_t = Σ_t w_t · sums_t + Σ_t β_t n_t
 * ```
 * (T types, F features, `n_t` particles of type t), linear in the coefficients
 * `θ = [w_0 … w_{T−1}, β_0 … β_{T−1}]` (D = T·F + T; column `t·F + f` is feature f of type t,
 * column `T·F + t` the baseline of type t). Every labelled quantity gives rows `x · θ ≈ y`:
 *
 * | quantity | rows per frame | x (feature columns) | x (baseline columns) | y |
 * |---|---|---|---|---|
 * | `energy` | 1 | `(sums_t − n_t c_t) / n` | `n_t / n` | `E / n` (energy per particle) |
 * | `forces` | 3n | `−dPos[t, j, a]` | 0 | `F_{j,a}` |
 * | `torques` | 3n | `−dRot[t, j, a]` | 0 | `τ_{j,a}` |
 * | `virial` | 9 | `−dStrain[t, ab] / n` | 0 | `W_{ab} / n` |
 *
 * `c_t` is an optional per-type shift of the features (centring): it changes only energy rows and
 * only reparametrises the baselines (`β_t → β_t − w_t · c_t`), so the fitted energies do not
 * depend on it; it removes the large common offset of the features from the normal equations.
 * Rows are unweighted here; the trainer multiplies each quantity's normal equations by its weight².
 */
import { AnisoError } from '../core/errors.js';
import type { ParticleSystem } from '../core/system.js';
import type { FeatureSumGradients } from '../features/feature-calculator.js';

/** The labelled quantities, in the order used in reports. */
export const QUANTITIES = ['energy', 'forces', 'torques', 'virial'] as const;
/** One labelled quantity. */
export type Quantity = (typeof QUANTITIES)[number];

/** Reference labels of one frame (the model's units; any may be absent). */
export interface FrameLabels {
  /** Total potential energy of the frame. */
  energy?: number | null;
  /** Forces `−∂E/∂r`, 3n. */
  forces?: Float64Array | null;
  /** Lab-frame torques about the particle centres, 3n. */
  torques?: Float64Array | null;
  /** Virial `−∂E/∂ε`, row-major 9 (not divided by the volume). */
  virial?: Float64Array | null;
}

/** A system with its labels. */
export interface LabelledSystem {
  readonly system: ParticleSystem;
  readonly labels: FrameLabels;
}

/** Column layout of the design: `T·F` feature columns, then `T` baselines. */
export interface DesignLayout {
  /** Number of types T. */
  readonly types: number;
  /** Features per particle F. */
  readonly features: number;
  /** Penalised columns `T·F`. */
  readonly penalised: number;
  /** All columns `T·F + T`. */
  readonly dim: number;
}

/** The layout for `types` types and `features` features. */
export function designLayout(types: number, features: number): DesignLayout {
  if (!Number.isInteger(types) || types < 1) throw new AnisoError('E_ARG', `type count must be an integer ≥ 1, got ${types}`);
  if (!Number.isInteger(features) || features < 1) throw new AnisoError('E_ARG', `feature count must be an integer ≥ 1, got ${features}`);
  return { types, features, penalised: types * features, dim: types * features + types };
}

/** Particle count per type (types absent → all 0). */
export function typeCounts(system: ParticleSystem, types: number): Float64Array {
  const counts = new Float64Array(types);
  const t = system.types;
  for (let i = 0; i < system.n; i++) {
    const ti = t ? t[i]! : 0;
    if (ti < 0 || ti >= types) throw new AnisoError('E_ARG', `particle ${i} has type ${ti}; the model has types 0…${types - 1}`);
    counts[ti] = counts[ti]! + 1;
  }
  return counts;
}

/** Number of rows `quantity` contributes for a frame of `n` particles (0 if unlabelled). */
export function rowCount(q: Quantity, n: number, labels: FrameLabels): number {
  switch (q) {
    case 'energy':
      return labels.energy !== undefined && labels.energy !== null ? 1 : 0;
    case 'forces':
      return labels.forces ? 3 * n : 0;
    case 'torques':
      return labels.torques ? 3 * n : 0;
    case 'virial':
      return labels.virial ? 9 : 0;
  }
}

/** Receives one row; `x` is a scratch buffer reused for the next row (copy it to keep it). */
export type RowSink = (quantity: Quantity, x: Float64Array, y: number) => void;

/**
 * Emit the design rows of one frame (module table) to `sink`, for the quantities in `include`
 * that the frame has labels for. `shift` (T·F) centres energy rows; `null` means none.
 * @throws AnisoError `E_SIZE` for labels of the wrong length, `E_ARG` for torque labels on point
 *   particles (no orientation gradients).
 */
export function emitRows(
  layout: DesignLayout,
  system: ParticleSystem,
  g: FeatureSumGradients,
  labels: FrameLabels,
  include: ReadonlySet<Quantity>,
  shift: Float64Array | null,
  sink: RowSink,
  scratch: Float64Array = new Float64Array(layout.dim),
): void {
  const { types: T, features: F, penalised: P } = layout;
  const n = system.n;
  const x = scratch;
  if (include.has('energy') && labels.energy !== undefined && labels.energy !== null) {
    const counts = typeCounts(system, T);
    for (let t = 0; t < T; t++) {
      const nt = counts[t]!;
      for (let f = 0; f < F; f++) {
        const k = t * F + f;
        x[k] = (g.sums[k]! - (shift ? nt * shift[k]! : 0)) / n;
      }
      x[P + t] = nt / n;
    }
    sink('energy', x, labels.energy / n);
  }
  x.fill(0, P);
  const gradientRows = (q: Quantity, d: Float64Array, y: Float64Array) => {
    if (y.length !== 3 * n) throw new AnisoError('E_SIZE', `${q} labels have length ${y.length}, expected 3n = ${3 * n}`);
    for (let j = 0; j < n; j++) {
      for (let a = 0; a < 3; a++) {
        for (let t = 0; t < T; t++) {
          const src = ((t * n + j) * 3 + a) * F;
          const dst = t * F;
          for (let f = 0; f < F; f++) x[dst + f] = -d[src + f]!;
        }
        sink(q, x, y[3 * j + a]!);
      }
    }
  };
  if (include.has('forces') && labels.forces) gradientRows('forces', g.dPos, labels.forces);
  if (include.has('torques') && labels.torques) {
    if (!g.dRot) throw new AnisoError('E_ARG', 'torque labels given for point particles (the calculator returned no orientation gradients)');
    gradientRows('torques', g.dRot, labels.torques);
  }
  if (include.has('virial') && labels.virial) {
    const w = labels.virial;
    if (w.length !== 9) throw new AnisoError('E_SIZE', `virial labels have length ${w.length}, expected 9`);
    for (let ab = 0; ab < 9; ab++) {
      for (let t = 0; t < T; t++) {
        const src = (t * 9 + ab) * F;
        for (let f = 0; f < F; f++) x[t * F + f] = -g.dStrain[src + f]! / n;
      }
      sink('virial', x, w[ab]! / n);
    }
  }
}
