// SPDX-License-Identifier: BSD-3-Clause
/**
 * The radial functions of the pair features: Gaussians on a uniform grid in the exponential
 * coordinate `t(ξ) = exp(−(ξ − σ0)/λ)` (`docs/PAIR_FEATURES.md` §3),
 *
 * ```
 * g_n(ξ) = exp(−(t(ξ) − t_n)² / (2w²)),   t_n = t(rc) + n (t(ξ_min) − t(rc))/(N − 1),   n = 0 … N−1,
 * w = overlap · (t(ξ_min) − t(rc))/(N − 1),
 * g_n'(ξ) = (t − t_n)/w² · t/λ · g_n(ξ)
 * ```
 *
 * (one centre at t(ξ_min) and w = overlap · (t(ξ_min) − t(rc)) when N = 1). In ξ the functions are
 * narrow near contact and broad far away, where a pair energy changes quickly (the repulsive wall)
 * and slowly (the tail); a uniform grid in ξ with as many functions resolves the wall far worse.
 * They are smooth and bounded by 1 for every ξ: below ξ_min, t grows and every g_n decays to 0,
 * so deep overlaps (ξ < 0 included) stay finite. Lengths in the calculator's unit.
 */

/** Gaussians on a grid in t(ξ) (module doc). Stateless after construction; `evaluate` allocates nothing. */
export class GaussianGrid {
  /** Number of functions N. */
  readonly count: number;
  /** Centres t_n (dimensionless), in increasing order (decreasing ξ). */
  readonly centres: Float64Array;
  /** Width w in t (dimensionless). */
  readonly width: number;
  /** λ (length). */
  readonly scale: number;
  /** The ξ at which t = 1 (σ0, length). */
  readonly origin: number;
  private readonly invW2: number;
  private readonly invScale: number;
  /** Spacing Δ of the centres in t (dimensionless; the whole range when N = 1). */
  private readonly step: number;
  /** `e^(−Δ²/w²)` and `e^(−Δ²/2w²)`. */
  private readonly decay: number;
  private readonly halfDecay: number;

  /**
   * @param count - N ≥ 1
   * @param xiMin - ξ_min (length), the innermost centre, < `cutoff`
   * @param cutoff - rc (length), the outermost centre
   * @param origin - σ0 (length)
   * @param scale - λ (length), > 0
   * @param overlap - w over the spacing of the centres (dimensionless), > 0
   */
  constructor(count: number, xiMin: number, cutoff: number, origin: number, scale: number, overlap: number) {
    this.count = count;
    this.scale = scale;
    this.origin = origin;
    this.invScale = 1 / scale;
    const t0 = Math.exp(-(cutoff - origin) / scale), t1 = Math.exp(-(xiMin - origin) / scale);
    const spacing = count > 1 ? (t1 - t0) / (count - 1) : t1 - t0;
    this.centres = Float64Array.from({ length: count }, (_, n) => (count > 1 ? t0 + spacing * n : t1));
    this.width = overlap * spacing;
    this.invW2 = 1 / (this.width * this.width);
    this.step = spacing;
    this.decay = Math.exp(-spacing * spacing * this.invW2);
    this.halfDecay = Math.exp(-0.5 * spacing * spacing * this.invW2);
  }

  /** `t(ξ)` (dimensionless). */
  coordinate(xi: number): number {
    return Math.exp(-(xi - this.origin) * this.invScale);
  }

  /**
   * `g[n] = g_n(ξ)`, `dg[n] = g_n'(ξ)` (1/length) for n < N.
   *
   * Two exponentials per call instead of N: from the centre n* nearest to t, with `d = t − t_n*`,
   * `g_(n±1) = g_n · ρ±_n`, `ρ+_n* = exp(dΔ/w²) e^(−Δ²/2w²)`, `ρ−_n* = exp(−dΔ/w²) e^(−Δ²/2w²)`
   * and each ratio shrinking by `e^(−Δ²/w²)` per step (Δ the spacing); the ratios are exact
   * rewritings of the Gaussians, so only rounding differs (relative ~N·1e-16). When t lies more
   * than one spacing outside the grid (deep overlap) every function is evaluated directly, so
   * that nothing overflows.
   */
  evaluate(xi: number, g: Float64Array, dg: Float64Array): void {
    const c = this.centres, iw = this.invW2, N = this.count;
    const t = Math.exp(-(xi - this.origin) * this.invScale);
    const dt = t * this.invScale; // −dt/dξ
    const step = this.step, decay = this.decay, halfDecay = this.halfDecay;
    // nearest centre (Math.floor(f + 0.5): ~3× faster than Math.round in node 20)
    let near = N > 1 ? Math.floor((t - c[0]!) / step + 0.5) : 0;
    if (near < 0) near = 0;
    else if (near > N - 1) near = N - 1;
    const d = t - c[near]!;
    if (N > 1 && Math.abs(d) <= step) {
      const gNear = Math.exp(-0.5 * iw * d * d), a = Math.exp(d * step * iw);
      g[near] = gNear;
      let v = gNear, ratio = a * halfDecay;
      for (let n = near + 1; n < N; n++) {
        v *= ratio;
        ratio *= decay;
        g[n] = v;
      }
      v = gNear;
      ratio = halfDecay / a;
      for (let n = near - 1; n >= 0; n--) {
        v *= ratio;
        ratio *= decay;
        g[n] = v;
      }
    } else {
      for (let n = 0; n < N; n++) {
        const e = t - c[n]!;
        g[n] = Math.exp(-0.5 * iw * e * e);
      }
    }
    for (let n = 0; n < N; n++) dg[n] = iw * (t - c[n]!) * dt * g[n]!;
  }
}
