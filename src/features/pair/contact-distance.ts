// SPDX-License-Identifier: BSD-3-Clause
/**
 * The Berne–Pechukas contact distance of two identical uniaxial ellipsoids (Berne and Pechukas
 * 1972; `docs/PAIR_FEATURES.md` §3), the shape part of the radial coordinate
 * `ξ = r − σ_c + σ0`:
 *
 * ```
 * σ_c(x, y, c) = σ0 D^(−1/2),   D = 1 − (χ/2) [ (x + y)² / (1 + χc) + (x − y)² / (1 − χc) ]
 * ```
 *
 * with `x = u_i·r̂`, `y = u_j·r̂`, `c = u_i·u_j`, `σ0 = d` the breadth and
 * `χ = (l² − d²)/(l² + d²)` from the declared length l and breadth d. It equals d side by side
 * (x = y = 0) and l end to end (x = y = c = 1), and it is symmetric under i ↔ j
 * (`(x, y) → (−y, −x)`) and under each head–tail flip. Its partial derivatives, with `A, B` the
 * two fractions,
 *
 * ```
 * ∂σ_c/∂v = (χ σ_c³ / 4σ0²) (∂A/∂v + ∂B/∂v),
 * ∂A/∂x = ∂A/∂y = 2(x + y)/(1 + χc),   ∂B/∂x = −∂B/∂y = 2(x − y)/(1 − χc),
 * ∂A/∂c = −χ (x + y)²/(1 + χc)²,       ∂B/∂c = χ (x − y)²/(1 − χc)².
 * ```
 *
 * It is the Gay–Berne shape form `σ_c = (½ r̂ᵀ G⁻¹ r̂)^(−1/2)` with `G = P_i + P_j`,
 * `P = (d/2)² 1 + ((l/2)² − (d/2)²) u uᵀ`; the eigenvalues of G lie in `[d²/2, l²/2]`, so σ_c lies
 * between d and l and D between `(d/l)²` and 1: finite and positive for every orientation.
 */

/** `out[0] = σ_c`, `out[1..3] = ∂σ_c/∂x, ∂σ_c/∂y, ∂σ_c/∂c` (length unit) at `(x, y, c)`; allocation-free. */
export function contactDistance(out: Float64Array, x: number, y: number, c: number, chi: number, sigma0: number): void {
  const sp = x + y, sm = x - y;
  const ip = 1 / (1 + chi * c), im = 1 / (1 - chi * c);
  const A = sp * sp * ip, B = sm * sm * im;
  const D = 1 - 0.5 * chi * (A + B);
  const sigma = sigma0 / Math.sqrt(D);
  const k = (chi * sigma * sigma * sigma) / (4 * sigma0 * sigma0);
  out[0] = sigma;
  out[1] = k * (2 * sp * ip + 2 * sm * im);
  out[2] = k * (2 * sp * ip - 2 * sm * im);
  out[3] = k * chi * (sm * sm * im * im - sp * sp * ip * ip);
}
