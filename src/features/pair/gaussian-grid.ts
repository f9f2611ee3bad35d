// SPDX-License-Identifier: BSD-3-Clause
/**
 * The radial functions of the pair features: Gaussians on a uniform grid of centres,
 *
 * ```
 * g_n(ξ) = exp(−(ξ − ξ_n)² / (2w²)),   ξ_n = ξ_min + n (rc − ξ_min)/(N − 1),   n = 0 … N−1
 * g_n'(ξ) = −(ξ − ξ_n)/w² · g_n(ξ)
 * ```
 *
 * (one centre at ξ_min when N = 1). They are smooth and bounded by 1 for every ξ, including the
 * overlap region ξ < σ0 and ξ < 0, and with w equal to the spacing neighbouring functions overlap
 * enough to interpolate smoothly without making the Gram matrix of a ridge fit singular
 * (`docs/PAIR_FEATURES.md` §3). Lengths in the calculator's unit.
 */

/** Gaussians on a grid (module doc). Stateless after construction; `evaluate` allocates nothing. */
export class GaussianGrid {
  /** Number of functions N. */
  readonly count: number;
  /** Centres ξ_n (length). */
  readonly centres: Float64Array;
  /** Width w (length). */
  readonly width: number;
  private readonly halfInvW2: number;
  private readonly invW2: number;

  /**
   * @param count - N ≥ 1
   * @param min - ξ_0 (length)
   * @param max - ξ_{N−1} (length), > `min` when N > 1
   * @param width - w (length), > 0
   */
  constructor(count: number, min: number, max: number, width: number) {
    this.count = count;
    this.width = width;
    this.centres = Float64Array.from({ length: count }, (_, n) => (count > 1 ? min + ((max - min) * n) / (count - 1) : min));
    this.invW2 = 1 / (width * width);
    this.halfInvW2 = 0.5 * this.invW2;
  }

  /** `g[n] = g_n(ξ)`, `dg[n] = g_n'(ξ)` (1/length) for n < N. */
  evaluate(xi: number, g: Float64Array, dg: Float64Array): void {
    const c = this.centres, h = this.halfInvW2, iw = this.invW2;
    for (let n = 0; n < this.count; n++) {
      const t = xi - c[n]!;
      const v = Math.exp(-h * t * t);
      g[n] = v;
      dg[n] = -iw * t * v;
    }
  }
}
