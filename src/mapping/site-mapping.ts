// SPDX-License-Identifier: BSD-3-Clause
/**
 * The seam between what an MD engine integrates (point sites) and what an anisotropic potential
 * sees (ellipsoids: centre, orientation, semi-axes).
 *
 * i-PI and ASE only move point particles, so every ellipsoid is carried by the engine as a small
 * rigid-ish group of k sites. A {@link SiteMapping} turns the sites into ellipsoids
 * ({@link SiteMapping.forward}) and maps the forces, torques and virial computed on the ellipsoids
 * back to exact site forces and an exact site virial ({@link SiteMapping.backward}).
 *
 * ## Exactness of the backward map
 *
 * Let the ellipsoid state be a function of the sites, `c_i(r)`, `R_i(r)`, and let
 * `E_sites(r, h) = E_ell(c(r), R(r), h)`. Every mapping here builds group i from the
 * minimum-image vectors `d_s = mic(r_s − r_{s0})` relative to the group's first site `s0`, with
 * `c_i = r_{s0} + Σ_s w_s d_s` (`w_s = m_s / M`) and `R_i` a function of the `d_s` only
 * (translation invariant). Hence, with `e_s = d_s − Σ_t w_t d_t = r_s − c_i` (minimum image),
 *
 * - forces: `F_s = w_s F_i + G_s`, where the rotational part `G_s = J_sᵀ τ_i` comes from the
 *   linear map `δθ_i = Σ_s J_s δr_s` of site displacements to the infinitesimal rotation
 *   (`R → [δθ]× R`), so that `−δE = F_i·δc_i + τ_i·δθ_i = Σ_s F_s·δr_s` exactly. Translation
 *   invariance of `R_i` gives `Σ_s G_s = 0`.
 * - virial: under the homogeneous strain `r → (1+ε) r`, `h → (1+ε) h`, the fractional coordinates,
 *   and therefore the chosen images, do not change, so `d_s → (1+ε) d_s` and `c_i → (1+ε) c_i`
 *   exactly. The energy change splits into the ellipsoid virial at fixed lab orientations (what a
 *   provider reports, with centres and cell strained) plus the rotation the strain induces through
 *   the `d_s`: `−δE = W_ell : ε + Σ_i τ_i · Σ_s J_s (ε d_s) = W_ell : ε + Σ_i Σ_s G_s · ε d_s`.
 *   Because `Σ_s G_s = 0` and `Σ_s w_s e_s = 0`,
 *   `Σ_s G_s ⊗ d_s = Σ_s G_s ⊗ e_s = Σ_s F_s ⊗ e_s`, which gives
 *
 *   `W_sites = W_ell + Σ_i Σ_{s∈i} F_s ⊗ (r_s − c_i)`   (`W[3a+b] += F_a e_b`),
 *
 *   exact to the same order as the forces. It relies on the vectors being minimum-image
 *   displacements (so that they strain with the cell), which holds while every intra-group vector
 *   has fractional components in (−½, ½): a group must span less than half the cell width.
 *
 * Sites of one ellipsoid may straddle a periodic boundary (i-PI sends unwrapped positions, ASE may
 * wrap them): only minimum-image vectors inside a group are ever used. Centres are returned
 * unwrapped (`r_{s0} + …`); providers must not assume wrapped positions.
 */
import type { ForceResult, ParticleSystem } from '../core/system.js';

/** Coarse-grained forces and torques of {@link SiteMapping.reduceForces}. */
export interface ReducedForces {
  /** Force on each centre (3M, eV/Å). */
  readonly forces: Float64Array;
  /** Lab-frame torque about each centre (3M, eV). */
  readonly torques: Float64Array;
}

/** Which mapping a {@link SiteMapping} implements. */
export type SiteMappingKind = 'identity' | 'dumbbell' | 'triad' | 'molecule';

/**
 * Sites ⇄ ellipsoids. Implementations are stateless between calls (scratch buffers only), so one
 * instance can serve any number of systems of fitting size.
 *
 * Site layout: ellipsoid i owns the k consecutive sites `k·i … k·i + k − 1` unless the mapping was
 * built with explicit `groups` (then ellipsoid i owns `groups[i][0..k−1]`, in that order, and the
 * groups must partition the sites `0 … N−1`).
 */
export interface SiteMapping {
  /** Mapping kind, e.g. `'dumbbell'`. */
  readonly kind: SiteMappingKind;
  /** Sites per ellipsoid, k. */
  readonly sitesPerEllipsoid: number;
  /** Number of explicit groups, or `null` for the consecutive layout (any multiple of k fits). */
  readonly groupCount: number | null;

  /**
   * Number of ellipsoids for `nSites` sites. Throws `E_SIZE`, naming `nSites` and what was expected,
   * if the site count does not fit the layout.
   */
  ellipsoidCount(nSites: number): number;

  /**
   * Number of sites expected for `nEllipsoids` ellipsoids (`k·M`, or the fixed total of explicit
   * groups). Throws `E_SIZE` if explicit groups do not number `nEllipsoids`.
   */
  siteCount(nEllipsoids: number): number;

  /**
   * Site index of site `s` (0 ≤ s < k) of ellipsoid `i`. No range checks (hot path); use
   * {@link SiteMapping.ellipsoidCount} first.
   */
  siteIndex(i: number, s: number): number;

  /**
   * Sites → ellipsoids. Returns a new system with `n = M`, `positions` the centres (3M, Å,
   * unwrapped), `orientations` (4M, unit quaternions (w, x, y, z), body → lab, `w ≥ 0`),
   * `semiaxes` (3M, Å, body x, y, z), `types` (M; each ellipsoid takes the type of its group's
   * first site, 0 if the sites have none) and the sites' cell.
   * Throws `E_SIZE` if the site count does not fit, `E_MAPPING` (naming the ellipsoid) for
   * degenerate geometry. (The identity mapping without semi-axes returns the sites themselves as
   * point particles, without orientations.)
   */
  forward(sites: ParticleSystem): ParticleSystem;

  /**
   * Ellipsoid result → site result. `ellipsoids` must be `forward(sites)` and `result` the
   * provider's result on it (forces 3M eV/Å, torques 3M eV or `null` for none, virial 9 eV at fixed
   * lab orientations). Returns energy (eV, unchanged), forces `−∂E/∂r_sites` (3N, eV/Å),
   * `torques: null`, the site virial `W = −∂E/∂ε` (row-major 9, eV, not divided by the volume; see
   * the module doc) and `result.extras` (same object).
   */
  backward(sites: ParticleSystem, ellipsoids: ParticleSystem, result: ForceResult): ForceResult;

  /**
   * Atomistic (site) forces → the coarse-grained force on each centre and the torque about it, for
   * force matching. Exact in this sense: with the centre `R_I` and the minimum-image site vectors
   * `e_s = r_s − R_I` that {@link SiteMapping.forward} uses for group I,
   *
   * `F_I = Σ_{s∈I} f_s`,   `τ_I = Σ_{s∈I} e_s × f_s`,
   *
   * which is the derivative of the virtual work `Σ_s f_s · δr_s` under a rigid translation
   * (`δr_s = δt`) and a rigid rotation about `R_I` (`δr_s = δθ × e_s`) of the group: no fit, no
   * projection. Relation to {@link SiteMapping.backward}: for site forces produced by the backward
   * map of a rigid-body result `(F, τ)`, `reduceForces` gives back `F` exactly and `τ` exactly where
   * the sites carry it — a triad and a molecule carry every torque, a dumbbell only the part
   * perpendicular to its axis (the spin `τ·u` is dropped by backward; 0 for a uniaxial
   * potential), a one-site identity particle none (`τ = 0`).
   *
   * `siteForces` is 3N (eV/Å, site-major, the layout of `sites`); returns `forces` (3M, eV/Å) and
   * lab-frame `torques` (3M, eV), M = `ellipsoidCount(sites.n)`. Throws `E_SIZE` for a site count
   * or force length that does not fit.
   */
  reduceForces(sites: ParticleSystem, siteForces: ArrayLike<number>): ReducedForces;

  /**
   * Body-frame coordinates of the k sites relative to the ellipsoid centre (3k, Å, site-major), as
   * fixed by the mapping's configuration, or `null` where the configuration does not fix them.
   */
  bodySites(): Float64Array | null;

  /**
   * Ellipsoids → sites: `r_s = c_i + R(q_i) x_s` with `x_s` from {@link SiteMapping.bodySites}
   * (placed by the layout); site types are the ellipsoid types. `forward(toSites(e))` gives back
   * the centres and orientations of `e` (for a dumbbell, the body z axis only). Throws `E_CONFIG`
   * if the configuration does not fix the site geometry.
   */
  toSites(ellipsoids: ParticleSystem): ParticleSystem;
}
