// SPDX-License-Identifier: BSD-3-Clause
/**
 * The compactly supported radial functions of the pair features (`radialBasis: 'spline'`,
 * `docs/PAIR_FEATURES.md` §3): uniform cubic B-splines in the exponential coordinate
 * `t(ξ) = exp(−(ξ − σ0)/λ)`, on the same grid as the Gaussians of `gaussian-grid.ts`,
 *
 * ```
 * b_n(ξ) = B(s − n),   s = (t(ξ) − t_0)/h,   t_n = t_0 + n h,   n = 0 … N−1,
 * t_0 = t(rc), t_(N−1) = t(ξ_min), h = (t(ξ_min) − t(rc))/(N − 1)   (N = 1: t_0 = t(ξ_min), h = t(ξ_min) − t(rc)),
 * B(v) = (4 − 6v² + 3|v|³)/6 (|v| < 1),  (2 − |v|)³/6 (1 ≤ |v| < 2),  0 (|v| ≥ 2),
 * ```
 *
 * the cardinal cubic B-spline (C², bounded by 2/3). With `k = ⌊s⌋`, `u = s − k` only
 * `b_(k−1) … b_(k+2)` can be non-zero, with the values
 * `(1 − u)³/6, (4 − 6u² + 3u³)/6, (1 + 3u + 3u² − 3u³)/6, u³/6` ({@link splineWeights}), so one
 * exponential per pair gives all N functions and their derivatives `b_n'(ξ) = B'(s − n) · (−t/(λh))`.
 *
 * Outside the grid the same formula holds for every t ≥ 0: the functions go smoothly (C²) to 0
 * two spacings beyond either end and are exactly 0 further out. Beyond the inner end (deep
 * overlap, `t > t(ξ_min) + 2h`, i.e. `ξ < σ0 − λ ln(t(ξ_min) + 2h)`) every function is 0, so a
 * model stays finite and bounded there but, as with the Gaussians, has no repulsion it was not
 * trained on. Beyond the outer end `t < t(rc) − 2h` cannot occur while r < rc (ξ ≤ r because
 * σ_c ≥ σ0), and the switch removes the pair at r ≥ rc anyway. Lengths in the calculator's unit.
 */

/**
 * The four non-zero cubic B-spline values at local coordinate `u ∈ [0, 1)`, for the functions
 * `k − 1, k, k + 1, k + 2`, and their derivatives in u, into `out[0..3]` and `out[4..7]`.
 */
export function splineWeights(u: number, out: Float64Array): void {
  const v = 1 - u, u2 = u * u;
  out[0] = (v * v * v) / 6;
  out[1] = (4 - 6 * u2 + 3 * u2 * u) / 6;
  out[2] = (1 + 3 * u + 3 * u2 - 3 * u2 * u) / 6;
  out[3] = (u2 * u) / 6;
  out[4] = -0.5 * v * v;
  out[5] = -2 * u + 1.5 * u2;
  out[6] = 0.5 + u - 1.5 * u2;
  out[7] = 0.5 * u2;
}

/**
 * Power-basis coefficients of one interval: for weights `w0 … w3` of the functions `k − 1 … k + 2`,
 * `Σ_j w_j B(s − (k − 1 + j)) = C0 + C1 u + C2 u² + C3 u³` on `s ∈ [k, k + 1)`; writes `C0 … C3`
 * into `out[o … o + 3]`.
 */
export function splineIntervalCoefficients(w0: number, w1: number, w2: number, w3: number, out: Float64Array, o: number): void {
  out[o] = (w0 + 4 * w1 + w2) / 6;
  out[o + 1] = (w2 - w0) / 2;
  out[o + 2] = (w0 - 2 * w1 + w2) / 2;
  out[o + 3] = (-w0 + 3 * w1 - 3 * w2 + w3) / 6;
}

/** Uniform cubic B-splines on a grid in t(ξ) (module doc). Stateless after construction; nothing allocates. */
export class SplineGrid {
  /** Number of functions N. */
  readonly count: number;
  /** λ (length). */
  readonly scale: number;
  /** The ξ at which t = 1 (σ0, length). */
  readonly origin: number;
  /** t_0, the centre of the first function (t(rc); t(ξ_min) when N = 1), dimensionless. */
  readonly first: number;
  /** Spacing h of the centres in t (dimensionless). */
  readonly step: number;
  private readonly invScale: number;
  private readonly invStep: number;
  private readonly w = new Float64Array(8);

  /**
   * @param count - N ≥ 1
   * @param xiMin - ξ_min (length), the innermost centre, < `cutoff`
   * @param cutoff - rc (length), the outermost centre
   * @param origin - σ0 (length)
   * @param scale - λ (length), > 0
   */
  constructor(count: number, xiMin: number, cutoff: number, origin: number, scale: number) {
    this.count = count;
    this.scale = scale;
    this.origin = origin;
    this.invScale = 1 / scale;
    const t0 = Math.exp(-(cutoff - origin) / scale), t1 = Math.exp(-(xiMin - origin) / scale);
    this.step = count > 1 ? (t1 - t0) / (count - 1) : t1 - t0;
    this.first = count > 1 ? t0 : t1;
    this.invStep = 1 / this.step;
  }

  /** `t(ξ)` (dimensionless). */
  coordinate(xi: number): number {
    return Math.exp(-(xi - this.origin) * this.invScale);
  }

  /**
   * `s(ξ) = (t(ξ) − t_0)/h` (dimensionless) and `ds/dξ = −t/(λh)` (1/length) into `out[0..1]`:
   * functions `⌊s⌋ − 1 … ⌊s⌋ + 2` are the non-zero ones.
   */
  locate(xi: number, out: Float64Array): void {
    const t = Math.exp(-(xi - this.origin) * this.invScale);
    out[0] = (t - this.first) * this.invStep;
    out[1] = -t * this.invScale * this.invStep;
  }

  /** `g[n] = b_n(ξ)`, `dg[n] = b_n'(ξ)` (1/length) for n < N (the dense form, for the feature paths). */
  evaluate(xi: number, g: Float64Array, dg: Float64Array): void {
    const N = this.count, w = this.w;
    const t = Math.exp(-(xi - this.origin) * this.invScale);
    const s = (t - this.first) * this.invStep, ds = -t * this.invScale * this.invStep;
    g.fill(0, 0, N);
    dg.fill(0, 0, N);
    const k = Math.floor(s);
    if (!(k >= -2 && k <= N)) return;
    splineWeights(s - k, w);
    for (let j = 0; j < 4; j++) {
      const n = k - 1 + j;
      if (n < 0 || n >= N) continue;
      g[n] = w[j]!;
      dg[n] = w[4 + j]! * ds;
    }
  }
}
