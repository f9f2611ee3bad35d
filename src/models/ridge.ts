// SPDX-License-Identifier: BSD-3-Clause
/**
 * Ridge regression with unpenalised columns, solved for a whole path of regularisation strengths
 * from the normal equations.
 *
 * Problem. Columns `0 … P−1` are penalised (the standardised feature weights `w`), columns
 * `P … D−1` are not (per-species baselines `β`):
 * ```
 * minimise ‖y − X_w w − X_β β‖² + λ ‖w‖²
 * ```
 * **Why the normal equations, and how they are kept stable.** The stacked design of a force and
 * torque fit has 10⁴–10⁶ rows; a QR or SVD of it needs `rows × D` doubles (gigabytes at D ~ 600),
 * whereas `G = XᵀX` needs `D²` and is accumulated in chunks ({@link GramAccumulator}). Squaring the
 * condition number is what the normal equations cost; it is controlled by (1) standardising the
 * feature columns (the design builder), (2) eliminating the baseline columns exactly (below), which
 * is the same as centring the energy rows and removes the large common offset of the features,
 * and (3) the ridge term itself: λ is relative to the mean eigenvalue, so `λ ≥ 1e-12` bounds the
 * condition number of the solved system by ~10¹² · P. The reduced matrix is diagonalised once
 * (symmetric eigendecomposition, ml-matrix `EVD`), so every λ of a cross-validation grid costs
 * O(P²), rank deficiency (constant or duplicate features) is harmless, and eigenvalues below
 * `P · ε · ℓ_max` are treated as exact zeros (pseudo-inverse) when λ = 0.
 *
 * Baseline elimination. With `G = [[A, B], [Bᵀ, C]]` and `Xᵀy = [u; v]`, the normal equations give
 * `β = C⁺ (v − Bᵀ w)` and `(A − B C⁺ Bᵀ + λI) w = u − B C⁺ v`. `C⁺` is the pseudo-inverse of the
 * small baseline block: with no energy rows (forces and torques only) `C = 0`, the baselines are
 * undetermined and set to 0; with identical composition in every frame it is rank-deficient and
 * the minimum-norm baselines are returned.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { AnisoError } from '../core/errors.js';
import type { NormalEquations } from './gram.js';

/** Symmetric eigendecomposition of a flat n × n matrix: eigenvalues and eigenvectors (column k = vector k, row-major flat). */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const evd = new EigenvalueDecomposition(Matrix.from1DArray(n, n, a), { assumeSymmetric: true });
  const values = Float64Array.from(evd.realEigenvalues);
  const v = evd.eigenvectorMatrix;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = v.getRow(i);
    for (let k = 0; k < n; k++) vectors[i * n + k] = row[k]!;
  }
  return { values, vectors };
}

/** Pseudo-inverse of a small symmetric positive semi-definite matrix (flat n × n). */
function pseudoInverse(c: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(c, n);
  let max = 0;
  for (const x of values) max = Math.max(max, Math.abs(x));
  const floor = max * n * 1e-13;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const l = values[k]!;
    if (!(l > floor)) continue;
    for (let i = 0; i < n; i++) {
      const vi = vectors[i * n + k]! / l;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + vi * vectors[j * n + k]!;
    }
  }
  return out;
}

/**
 * The ridge solution for any λ from one set of normal equations (module comment). Construction
 * costs one eigendecomposition of a P × P matrix; {@link RidgePath.solve} costs O(P² + P·B).
 */
export class RidgePath {
  /** Total number of columns D. */
  readonly dim: number;
  /** Number of penalised columns P (the first P). */
  readonly penalised: number;
  /**
   * Mean eigenvalue of the reduced Gram matrix, `tr(A − B C⁺ Bᵀ) / P`: the unit of the relative
   * regularisation (`λ_abs = λ_rel · meanEigenvalue`). 0 when the penalised columns carry no data.
   */
  readonly meanEigenvalue: number;
  private readonly values: Float64Array;
  private readonly vectors: Float64Array;
  /** `Vᵀ (u − B C⁺ v)`. */
  private readonly z: Float64Array;
  private readonly cPinv: Float64Array;
  private readonly bBlock: Float64Array;
  private readonly v: Float64Array;
  private readonly floor: number;

  /**
   * @param eq the normal equations (`gram` symmetric, D × D)
   * @param penalised P, the number of leading penalised columns (0 ≤ P ≤ D)
   */
  constructor(eq: NormalEquations, penalised: number) {
    const D = eq.dim;
    const P = penalised;
    if (!Number.isInteger(P) || P < 0 || P > D) throw new AnisoError('E_ARG', `penalised column count ${P} is not in 0…${D}`);
    const B = D - P;
    this.dim = D;
    this.penalised = P;
    const g = eq.gram;
    for (let k = 0; k < g.length; k++) {
      if (!Number.isFinite(g[k]!)) throw new AnisoError('E_NONFINITE', `normal equations hold a non-finite entry at (${Math.floor(k / D)}, ${k % D}): check the training data`);
    }
    const c = new Float64Array(B * B);
    for (let i = 0; i < B; i++) for (let j = 0; j < B; j++) c[i * B + j] = g[(P + i) * D + P + j]!;
    this.cPinv = pseudoInverse(c, B);
    this.bBlock = new Float64Array(P * B);
    for (let i = 0; i < P; i++) for (let j = 0; j < B; j++) this.bBlock[i * B + j] = g[i * D + P + j]!;
    this.v = eq.rhs.slice(P);
    // K = B C⁺ (P × B); reduced A' = A − K Bᵀ, u' = u − K v.
    const K = new Float64Array(P * B);
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < B; j++) {
        let s = 0;
        for (let k = 0; k < B; k++) s += this.bBlock[i * B + k]! * this.cPinv[k * B + j]!;
        K[i * B + j] = s;
      }
    }
    const a = new Float64Array(P * P);
    const u = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      let su = eq.rhs[i]!;
      for (let k = 0; k < B; k++) su -= K[i * B + k]! * this.v[k]!;
      u[i] = su;
      for (let j = i; j < P; j++) {
        let s = g[i * D + j]!;
        for (let k = 0; k < B; k++) s -= K[i * B + k]! * this.bBlock[j * B + k]!;
        a[i * P + j] = s;
        a[j * P + i] = s;
      }
    }
    let trace = 0;
    for (let i = 0; i < P; i++) trace += a[i * P + i]!;
    this.meanEigenvalue = P > 0 ? Math.max(0, trace / P) : 0;
    const { values, vectors } = symmetricEigen(a, P);
    let max = 0;
    for (let k = 0; k < P; k++) {
      if (values[k]! < 0) values[k] = 0; // round-off of a positive semi-definite matrix
      max = Math.max(max, values[k]!);
    }
    this.floor = max * Math.max(P, 1) * Number.EPSILON;
    this.values = values;
    this.vectors = vectors;
    this.z = new Float64Array(P);
    for (let k = 0; k < P; k++) {
      let s = 0;
      for (let i = 0; i < P; i++) s += vectors[i * P + k]! * u[i]!;
      this.z[k] = s;
    }
  }

  /** The absolute λ of a relative one (`λ_rel · meanEigenvalue`). */
  absoluteLambda(relative: number): number {
    return relative * this.meanEigenvalue;
  }

  /**
   * Coefficients `[w; β]` (D) for the absolute regularisation `lambda ≥ 0`. For λ = 0 the
   * minimum-norm least-squares solution (eigenvalues below the round-off floor dropped).
   */
  solve(lambda: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new AnisoError('E_ARG', `ridge λ must be a finite number ≥ 0, got ${lambda}`);
    const P = this.penalised, B = this.dim - P;
    const coef = new Float64Array(P);
    for (let k = 0; k < P; k++) {
      const d = this.values[k]! + lambda;
      coef[k] = d > this.floor ? this.z[k]! / d : 0;
    }
    for (let i = 0; i < P; i++) {
      let s = 0;
      const row = i * P;
      for (let k = 0; k < P; k++) s += this.vectors[row + k]! * coef[k]!;
      out[i] = s;
    }
    // β = C⁺ (v − Bᵀ w)
    const r = new Float64Array(B);
    for (let j = 0; j < B; j++) {
      let s = this.v[j]!;
      for (let i = 0; i < P; i++) s -= this.bBlock[i * B + j]! * out[i]!;
      r[j] = s;
    }
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let k = 0; k < B; k++) s += this.cPinv[j * B + k]! * r[k]!;
      out[P + j] = s;
    }
    return out;
  }
}

/**
 * Sum of squared residuals `‖y − Xθ‖² = yᵀy − 2 θᵀXᵀy + θᵀXᵀXθ` of coefficients `theta` on the rows
 * summarised by `eq` (clamped at 0 against round-off).
 */
export function residualSumOfSquares(eq: NormalEquations, theta: ArrayLike<number>): number {
  const D = eq.dim, g = eq.gram;
  let quad = 0, lin = 0;
  for (let a = 0; a < D; a++) {
    const ta = theta[a]!;
    if (ta === 0) continue;
    lin += ta * eq.rhs[a]!;
    let s = 0;
    const row = a * D;
    for (let b = 0; b < D; b++) s += g[row + b]! * theta[b]!;
    quad += ta * s;
  }
  return Math.max(0, eq.yy - 2 * lin + quad);
}
