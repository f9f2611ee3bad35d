// SPDX-License-Identifier: BSD-3-Clause
/**
 * Rotation matrices of the real spherical harmonics ({@link solidHarmonics} convention) and their
 * generators.
 *
 * **Wigner D.** For a rotation matrix `R` (3×3, row-major), `D^l(R)` is the `(2l+1)²` matrix with
 * `Y_l(R x) = D^l(R) Y_l(x)` for every x (Y_l the vector over m = −l…l). It is a representation,
 * `D(R1 R2) = D(R1) D(R2)`, and orthogonal. Expansion coefficients of a density transform with it:
 * rotating the density by R (`ρ'(x) = ρ(Rᵀx)`) maps the coefficients `c → D(R) c`.
 *
 * Computation: `Y_l(R p_k)` at K fixed, well-spread unit vectors `p_k` (K ≥ 2(2 lmax + 1), a
 * Fibonacci lattice), then the least-squares solution `D = B Aᵀ (A Aᵀ)⁻¹` with `A = Y_l(p_k)` and
 * `B = Y_l(R p_k)`; since `B = D A` exactly, this is exact up to rounding (the conditioning of
 * `A Aᵀ` is checked at construction). Cost per rotation: K harmonic evaluations plus
 * `K Σ_l (2l+1)²` multiply–adds, a few µs for lmax = 5.
 *
 * **Generators.** `L_e = dD(exp(θ [e]×))/dθ |_{θ=0}` for the lab axes e = x, y, z, i.e.
 * `(L_e Y)(x) = ∇Y(x) · (e × x)`; antisymmetric, and `D(R) L_k D(R)ᵀ = Σ_e R_ek L_e`.
 *
 * Block layout of both (over l = 0…lmax): block l at `offsets[l]`, row-major
 * `[(m + l)(2l+1) + (m' + l)]`; total size `Σ_l (2l+1)²`.
 */
import { AnisoError } from '../../core/errors.js';
import { symmetricEigen } from '../../core/sym-eigen.js';
import {
  compileSolidHarmonicsEvaluator,
  evaluateSolidHarmonics,
  solidHarmonics,
  sphereQuadrature,
  type SolidHarmonics,
  type SolidHarmonicsEvaluator,
} from './solid-harmonics.js';

/** Offsets of the l blocks of a block-diagonal `(2l+1)²` layout, and the total size. */
export function blockOffsets(lmax: number): { offsets: Int32Array; size: number } {
  const offsets = new Int32Array(lmax + 2);
  for (let l = 0; l <= lmax; l++) offsets[l + 1] = offsets[l]! + (2 * l + 1) ** 2;
  return { offsets, size: offsets[lmax + 1]! };
}

/** Real-harmonic Wigner D matrices for l ≤ lmax (see the module doc). Not re-entrant (scratch). */
export class RealWignerD {
  /** Largest l. */
  readonly lmax: number;
  /** Block offsets, length lmax + 2. */
  readonly offsets: Int32Array;
  /** `Σ_l (2l+1)²`. */
  readonly size: number;
  private readonly sh: SolidHarmonics;
  private readonly K: number;
  private readonly points: Float64Array;
  /** `(A Aᵀ)⁻¹ A` per l, stored point-major: `pinvT[k·(lmax+1)² + l² + m']`. */
  private readonly pinvT: Float64Array;
  /** Scratch: harmonics at rotated points, `[k][lm]`. */
  private readonly yr: Float64Array;
  private readonly evaluate: SolidHarmonicsEvaluator;
  private readonly y1: Float64Array;
  private readonly pow: Float64Array;

  /** @throws AnisoError `E_ARG` for a bad lmax. */
  constructor(lmax: number) {
    if (!Number.isInteger(lmax) || lmax < 0 || lmax > 30) {
      throw new AnisoError('E_ARG', `Wigner D: lmax = ${lmax} must be an integer in 0…30`);
    }
    this.lmax = lmax;
    const { offsets, size } = blockOffsets(lmax);
    this.offsets = offsets;
    this.size = size;
    this.sh = solidHarmonics(lmax);
    const nlm = (lmax + 1) ** 2;
    const K = 2 * (2 * lmax + 1) + 2;
    this.K = K;
    // Fibonacci lattice on the sphere, slightly off-symmetric so no harmonic vanishes on all points.
    this.points = new Float64Array(3 * K);
    const golden = Math.PI * (3 - Math.sqrt(5));
    for (let k = 0; k < K; k++) {
      const z = 1 - (2 * k + 1) / K;
      const s = Math.sqrt(1 - z * z);
      const phi = golden * k + 0.1;
      this.points[3 * k] = s * Math.cos(phi);
      this.points[3 * k + 1] = s * Math.sin(phi);
      this.points[3 * k + 2] = z;
    }
    this.y1 = new Float64Array(nlm);
    this.pow = new Float64Array(3 * (lmax + 1));
    this.yr = new Float64Array(nlm * K);
    this.evaluate = compileSolidHarmonicsEvaluator(lmax);
    const a = new Float64Array(nlm * K);
    for (let k = 0; k < K; k++) {
      evaluateSolidHarmonics(this.sh, this.points[3 * k]!, this.points[3 * k + 1]!, this.points[3 * k + 2]!, this.y1, this.pow);
      for (let lm = 0; lm < nlm; lm++) a[lm * K + k] = this.y1[lm]!;
    }
    this.pinvT = new Float64Array(nlm * K);
    for (let l = 0; l <= lmax; l++) {
      const w = 2 * l + 1, base = l * l;
      const g = new Float64Array(w * w);
      for (let p = 0; p < w; p++) {
        for (let q = 0; q < w; q++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[(base + p) * K + k]! * a[(base + q) * K + k]!;
          g[p * w + q] = s;
        }
      }
      const vals = new Float64Array(w), vecs = new Float64Array(w * w);
      symmetricEigen(g, w, vals, vecs);
      if (!(vals[w - 1]! > 0) || vals[0]! / vals[w - 1]! > 1e6) {
        throw new AnisoError('E_ARG', `Wigner D: sample points are ill-conditioned for l = ${l} (eigenvalues ${vals[0]} … ${vals[w - 1]})`);
      }
      // (A Aᵀ)⁻¹ = V Λ⁻¹ Vᵀ; pinvT = (A Aᵀ)⁻¹ A.
      for (let p = 0; p < w; p++) {
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let q = 0; q < w; q++) {
            let ginv = 0;
            for (let e = 0; e < w; e++) ginv += (vecs[p * w + e]! * vecs[q * w + e]!) / vals[e]!;
            s += ginv * a[(base + q) * K + k]!;
          }
          this.pinvT[k * nlm + base + p] = s;
        }
      }
    }
  }

  /**
   * `D^l(R)` for every l ≤ lmax, written to `out[oo … oo + size)` in the block layout, for the
   * rotation matrix `r[ro … ro+8]` (row-major, proper orthogonal).
   */
  compute(r: ArrayLike<number>, ro: number, out: Float64Array, oo: number): void {
    const K = this.K, pts = this.points, yr = this.yr, lmax = this.lmax, ev = this.evaluate;
    const r00 = r[ro]!, r01 = r[ro + 1]!, r02 = r[ro + 2]!;
    const r10 = r[ro + 3]!, r11 = r[ro + 4]!, r12 = r[ro + 5]!;
    const r20 = r[ro + 6]!, r21 = r[ro + 7]!, r22 = r[ro + 8]!;
    const nlm = (lmax + 1) ** 2;
    for (let k = 0; k < K; k++) {
      const px = pts[3 * k]!, py = pts[3 * k + 1]!, pz = pts[3 * k + 2]!;
      ev(r00 * px + r01 * py + r02 * pz, r10 * px + r11 * py + r12 * pz, r20 * px + r21 * py + r22 * pz, yr, k * nlm);
    }
    // D[m][m'] = Σ_k Y_m(R p_k) pinvT[k][m'], accumulated over k (contiguous rows).
    const pinv = this.pinvT;
    for (let l = 0; l <= lmax; l++) {
      const w = 2 * l + 1, base = l * l;
      const o = oo + this.offsets[l]!;
      out.fill(0, o, o + w * w);
      for (let k = 0; k < K; k++) {
        const yo = k * nlm + base;
        for (let m = 0; m < w; m++) {
          const y = yr[yo + m]!;
          const om = o + m * w;
          for (let mp = 0; mp < w; mp++) out[om + mp]! += y * pinv[yo + mp]!;
        }
      }
    }
  }
}

/**
 * The generators `L_x, L_y, L_z` of the real-harmonic representation (module doc), block layout,
 * computed by exact quadrature; entries below 1e-13 in magnitude (quadrature rounding of exact
 * zeros) are set to 0.
 */
export function angularMomentumGenerators(lmax: number): { x: Float64Array; y: Float64Array; z: Float64Array } {
  const sh = solidHarmonics(lmax);
  const { offsets, size } = blockOffsets(lmax);
  const gens = [new Float64Array(size), new Float64Array(size), new Float64Array(size)];
  const { points, weights } = sphereQuadrature(lmax);
  const nlm = (lmax + 1) ** 2;
  const y = new Float64Array(nlm), dy = new Float64Array(nlm), pow = new Float64Array(3 * (lmax + 1));
  const h = [new Float64Array(nlm), new Float64Array(nlm), new Float64Array(nlm)];
  for (let q = 0; q < weights.length; q++) {
    const px = points[3 * q]!, py = points[3 * q + 1]!, pz = points[3 * q + 2]!;
    evaluateSolidHarmonics(sh, px, py, pz, y, pow);
    solidHarmonicGradient(sh, px, py, pz, h[0]!, h[1]!, h[2]!);
    for (let e = 0; e < 3; e++) {
      // (e × p) for e = x: (0, −z, y); y: (z, 0, −x); z: (−y, x, 0).
      const vx = e === 0 ? 0 : e === 1 ? pz : -py;
      const vy = e === 0 ? -pz : e === 1 ? 0 : px;
      const vz = e === 0 ? py : e === 1 ? -px : 0;
      for (let lm = 0; lm < nlm; lm++) dy[lm] = h[0]![lm]! * vx + h[1]![lm]! * vy + h[2]![lm]! * vz;
      const g = gens[e]!;
      for (let l = 0; l <= lmax; l++) {
        const w = 2 * l + 1, base = l * l;
        for (let m = 0; m < w; m++) {
          for (let mp = 0; mp < w; mp++) g[offsets[l]! + m * w + mp]! += weights[q]! * dy[base + m]! * y[base + mp]!;
        }
      }
    }
  }
  for (const g of gens) for (let k = 0; k < size; k++) if (Math.abs(g[k]!) < 1e-13) g[k] = 0;
  return { x: gens[0]!, y: gens[1]!, z: gens[2]! };
}

/** Gradients `∂S_lm/∂x, ∂y, ∂z` at (x, y, z), each `(lmax+1)²` values in the flat lm order. */
export function solidHarmonicGradient(
  sh: SolidHarmonics,
  x: number,
  y: number,
  z: number,
  gx: Float64Array,
  gy: Float64Array,
  gz: Float64Array,
): void {
  const pw = (v: number, p: number) => (p <= 0 ? 1 : v ** p);
  let o = 0;
  for (let l = 0; l <= sh.lmax; l++) {
    for (let mi = 0; mi <= 2 * l; mi++, o++) {
      const t = sh.terms[l]![mi]!;
      let sx = 0, sy = 0, sz = 0;
      for (let k = 0; k < t.coef.length; k++) {
        const a = t.a[k]!, b = t.b[k]!, c = t.c[k]!, v = t.coef[k]!;
        if (a > 0) sx += v * a * pw(x, a - 1) * pw(y, b) * pw(z, c);
        if (b > 0) sy += v * b * pw(x, a) * pw(y, b - 1) * pw(z, c);
        if (c > 0) sz += v * c * pw(x, a) * pw(y, b) * pw(z, c - 1);
      }
      gx[o] = sx; gy[o] = sy; gz[o] = sz;
    }
  }
}
