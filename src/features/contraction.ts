// SPDX-License-Identifier: BSD-3-Clause
/**
 * The contraction seam: per-centre invariant features built from the ν = 1 coefficients of a
 * {@link DensityExpansion} (`density-expansion.ts`), with the adjoint that carries `∂E/∂features`
 * back to `∂E/∂coefficients` and the tangent (forward-mode derivative) used by dense training
 * gradients. Contractions are stateless apart from their tables, so one instance may serve any
 * number of threads.
 *
 * Index orders (flat `Float64Array`s; R = the expansion's `recordLength`, F = `featureCount`):
 * - coefficients `c[i·R + k]` (the expansion's flat layout), centre types `types[i]`;
 * - features `p[i·F + f]`;
 * - feature adjoints `dEdp[row(i)·F + f]` with `row(i) = rows[i]` (e.g. the centre type, when
 *   `∂E/∂p_i` is a per-type weight row as in a linear model) or `row(i) = i` when `rows` is null;
 * - coefficient adjoints `dc[i·R + k] = Σ_f dEdp[row(i)·F + f] · ∂p[i·F + f]/∂c[i·R + k]`.
 */
import type { FeatureLabels } from './feature-labels.js';

/** A per-centre contraction of density coefficients into F features (module doc). */
export interface Contraction {
  /** Name, e.g. `'power-spectrum'`. */
  readonly name: string;
  /** Features per centre F (the same for every centre type). */
  readonly featureCount: number;
  /** Labels of the F features. */
  readonly labels: FeatureLabels;
  /** R: values per centre of the expansion layout this contraction was built for. */
  readonly recordLength: number;
  /** Features of centres `c0 … c1−1`: `p[i·F …]` from `c[i·R …]`. */
  forward(c: Float64Array, types: Int32Array, p: Float64Array, c0: number, c1: number): void;
  /**
   * Adjoint for centres `c0 … c1−1`: overwrites `dc[i·R … (i+1)·R)` with `∂E/∂c_i` given
   * `∂E/∂p_i = dEdp[row(i)·F …]` (module doc).
   */
  adjoint(c: Float64Array, types: Int32Array, dEdp: Float64Array, rows: Int32Array | null, dc: Float64Array, c0: number, c1: number): void;
  /**
   * Tangent of one centre of type `type`: `dp[pb + f] = Σ_k ∂p_f/∂c_k · dc[db + k]` at the
   * coefficients `c[cb …]` (one record each).
   */
  tangent(c: Float64Array, cb: number, type: number, dc: Float64Array, db: number, dp: Float64Array, pb: number): void;
}
