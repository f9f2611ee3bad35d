// SPDX-License-Identifier: BSD-3-Clause
/**
 * Radial bases of the AniSOAP expansion (ANISOAP.md §4.2): primitives `φ_k(r) = r^k e^{−r²/2σ²}`
 * (GTO, one width σ) or `φ_k(r) = r^k` (monomial), with `k = l + 2n`, n = 0…N_l − 1, normalised
 * (`N_k φ_k` has unit norm) and orthonormalised per l by Löwdin's symmetric `S^{−1/2}`:
 *
 * ```
 * GTO:       N_k = [½ σ^(2k+3) Γ(k + 3/2)]^(−1/2),  S_kk' = N_k N_k' ½ σ^(k+k'+3) Γ((k+k'+3)/2)   (∫_0^∞ r² dr)
 * monomial:  N_k = [rc^(2k+3)/(2k+3)]^(−1/2),       S_kk' = N_k N_k' rc^(k+k'+3)/(k+k'+3)       (∫_0^rc r² dr)
 * O = V diag(λ^(−1/2)) Vᵀ over the eigenpairs of S with λ > basisRcond,
 * R_nl(r) = Σ_n' O_nn' N_k(n') φ_k(n')(r)
 * ```
 *
 * The package checks `‖S − pinv(O O)‖_F ≤ basisTol` and raises otherwise; so does
 * {@link RadialBasis} (`E_CONFIG`). Expansion coefficients in the primitive basis `u_n'` become
 * orthonormal ones by `c_n = Σ_n' T_nn' u_n'` with `T_l[n][n'] = O_nn' N_k(n')` ({@link RadialBasis.transform}).
 */
import { AnisoError } from '../../core/errors.js';
import { symmetricEigen } from '../../core/sym-eigen.js';

/** Which primitive radial functions. */
export type RadialBasisKind = 'gto' | 'monomial';

/** Parameters of a {@link RadialBasis}. */
export interface RadialBasisOptions {
  /** `'gto'` or `'monomial'`. */
  kind: RadialBasisKind;
  /** Number of radial functions per l (l = 0…lmax), each ≥ 1. */
  nPerL: readonly number[];
  /** GTO width σ (length unit); required for `'gto'`. */
  sigma?: number;
  /** Cutoff rc (length unit); the monomial basis is orthonormal on [0, rc]. */
  cutoff: number;
  /** Eigenvalues of S at or below this are dropped (the package's `basis_rcond`). */
  rcond: number;
  /** Largest allowed `‖S − pinv(O O)‖_F` (the package's `basis_tol`). */
  tol: number;
}

/** Γ(k + 3/2) for an integer or half-integer-shifted argument `x = k + 3/2`, k ≥ 0 integer. */
function gammaHalf(x: number): number {
  // x = j + 1/2 with j ≥ 1: Γ(1/2) = √π, Γ(y + 1) = y Γ(y).
  let g = Math.sqrt(Math.PI);
  for (let y = 0.5; y < x - 0.25; y += 1) g *= y;
  return g;
}

/** The normalised, Löwdin-orthonormalised radial basis (module doc). */
export class RadialBasis {
  /** Options as given. */
  readonly options: Readonly<RadialBasisOptions>;
  /** N_l per l. */
  readonly nPerL: Int32Array;
  /** Offsets of the per-l `N_l × N_l` blocks of {@link RadialBasis.transform}. */
  readonly transformOffsets: Int32Array;
  /** Per l: `T_l[n][n'] = O_nn' N_{l+2n'}` (row-major), concatenated. */
  readonly transform: Float64Array;
  /** Per l: the Löwdin `O_l` (row-major), concatenated like {@link RadialBasis.transform}. */
  readonly lowdin: Float64Array;
  /** `‖S − pinv(O O)‖_F` per l (the package's check value). */
  readonly reconstructionErrors: Float64Array;

  /** @throws AnisoError `E_CONFIG` if the orthonormalisation fails the tolerance check. */
  constructor(options: RadialBasisOptions) {
    this.options = { ...options, nPerL: [...options.nPerL] };
    const lmax = options.nPerL.length - 1;
    this.nPerL = Int32Array.from(options.nPerL);
    this.transformOffsets = new Int32Array(lmax + 2);
    for (let l = 0; l <= lmax; l++) this.transformOffsets[l + 1] = this.transformOffsets[l]! + this.nPerL[l]! ** 2;
    this.transform = new Float64Array(this.transformOffsets[lmax + 1]!);
    this.lowdin = new Float64Array(this.transform.length);
    this.reconstructionErrors = new Float64Array(lmax + 1);
    for (let l = 0; l <= lmax; l++) {
      const nl = this.nPerL[l]!;
      const s = new Float64Array(nl * nl);
      for (let p = 0; p < nl; p++) {
        for (let q = 0; q < nl; q++) s[p * nl + q] = this.overlap(l + 2 * p, l + 2 * q);
      }
      const vals = new Float64Array(nl), vecs = new Float64Array(nl * nl);
      symmetricEigen(Float64Array.from(s), nl, vals, vecs);
      const o = new Float64Array(nl * nl);
      for (let p = 0; p < nl; p++) {
        for (let q = 0; q < nl; q++) {
          let acc = 0;
          for (let e = 0; e < nl; e++) if (vals[e]! > options.rcond) acc += (vecs[p * nl + e]! * vecs[q * nl + e]!) / Math.sqrt(vals[e]!);
          o[p * nl + q] = acc;
        }
      }
      const err = reconstructionError(s, o, nl);
      this.reconstructionErrors[l] = err;
      if (!(err <= options.tol)) {
        throw new AnisoError(
          'E_CONFIG',
          `radial basis (${options.kind}): Löwdin orthonormalisation for l = ${l} with ${nl} functions fails the check ` +
            `‖S − pinv(O O)‖ = ${err.toExponential(3)} > basisTol = ${options.tol} (basisRcond = ${options.rcond}; ` +
            `eigenvalues of S ${Array.from(vals, (v) => v.toExponential(2)).join(', ')}); raise basisRcond or basisTol, or lower maxRadial`,
        );
      }
      const off = this.transformOffsets[l]!;
      for (let p = 0; p < nl; p++) {
        for (let q = 0; q < nl; q++) {
          this.lowdin[off + p * nl + q] = o[p * nl + q]!;
          this.transform[off + p * nl + q] = o[p * nl + q]! * this.norm(l + 2 * q);
        }
      }
    }
  }

  /** Normalisation `N_k` of the primitive of degree k. */
  norm(k: number): number {
    const { kind, sigma, cutoff } = this.options;
    if (kind === 'gto') return 1 / Math.sqrt(0.5 * sigma! ** (2 * k + 3) * gammaHalf(k + 1.5));
    return 1 / Math.sqrt(cutoff ** (2 * k + 3) / (2 * k + 3));
  }

  /** Overlap `S_kk'` of the normalised primitives of degrees k, k' (k + k' even). */
  overlap(k: number, kp: number): number {
    const { kind, sigma, cutoff } = this.options;
    if (kind === 'gto') return this.norm(k) * this.norm(kp) * 0.5 * sigma! ** (k + kp + 3) * gammaHalf((k + kp + 3) / 2);
    return (this.norm(k) * this.norm(kp) * cutoff ** (k + kp + 3)) / (k + kp + 3);
  }

  /** `R_nl(r)` for n = 0…N_l − 1 into `out` (the orthonormal radial functions). */
  evaluate(l: number, r: number, out: Float64Array): Float64Array {
    const nl = this.nPerL[l]!, off = this.transformOffsets[l]!;
    const g = this.options.kind === 'gto' ? Math.exp((-r * r) / (2 * this.options.sigma! ** 2)) : 1;
    for (let n = 0; n < nl; n++) {
      let acc = 0;
      for (let q = 0; q < nl; q++) acc += this.transform[off + n * nl + q]! * r ** (l + 2 * q) * g;
      out[n] = acc;
    }
    return out;
  }
}

/**
 * `‖S − pinv(O O)‖_F` as numpy computes it: `pinv` of the symmetric `M = O O` by its eigenpairs,
 * dropping eigenvalues at or below `1e-15 · max|λ|` (numpy's default `rcond`).
 */
function reconstructionError(s: Float64Array, o: Float64Array, n: number): number {
  const m = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let acc = 0;
      for (let e = 0; e < n; e++) acc += o[p * n + e]! * o[e * n + q]!;
      m[p * n + q] = acc;
    }
  }
  const vals = new Float64Array(n), vecs = new Float64Array(n * n);
  symmetricEigen(m, n, vals, vecs);
  let big = 0;
  for (let e = 0; e < n; e++) big = Math.max(big, Math.abs(vals[e]!));
  let err2 = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let acc = 0;
      for (let e = 0; e < n; e++) if (Math.abs(vals[e]!) > 1e-15 * big) acc += (vecs[p * n + e]! * vecs[q * n + e]!) / vals[e]!;
      const d = s[p * n + q]! - acc;
      err2 += d * d;
    }
  }
  return Math.sqrt(err2);
}
