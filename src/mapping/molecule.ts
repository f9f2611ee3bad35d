// SPDX-License-Identifier: BSD-3-Clause
/**
 * Molecule mapping: k atoms with masses carry one ellipsoid whose orientation is the mass-weighted
 * best-fit rotation of a rigid reference geometry onto the atoms.
 *
 * ## Forward
 * Reference body coordinates `x_s` (re-centred on their centre of mass), lab vectors
 * `y_s = r_s − c` (minimum image, `c` the centre of mass). The orientation maximises
 * `Σ_s m_s y_s · R x_s` (least squares `Σ m_s |R x_s − y_s|²`). With `S_ab = Σ_s m_s x_{s,a} y_{s,b}`
 * this is the top eigenvector of the symmetric 4×4 quaternion matrix (Horn 1987)
 *
 *     [ Sxx+Syy+Szz  Syz−Szy       Szx−Sxz       Sxy−Syx      ]
 *     [ Syz−Szy      Sxx−Syy−Szz   Sxy+Syx       Szx+Sxz      ]
 *     [ Szx−Sxz      Sxy+Syx      −Sxx+Syy−Szz   Syz+Szy      ]
 *     [ Sxy−Syx      Szx+Sxz       Syz+Szy      −Sxx−Syy+Szz  ],
 *
 * found by cyclic Jacobi ({@link symmetricEigen}). A (near-)degenerate top eigenvalue means the
 * fit is not unique: `E_MAPPING`.
 *
 * ## Backward (exact derivative of the fit)
 * At the optimum the objective is stationary under `R → [φ]× R`:
 * `g = Σ_s m_s p_s × y_s = 0` with `p_s = R x_s`. Linearising in `δy_s` and `δθ` (`δp_s = δθ × p_s`),
 * `Σ m_s [(δθ × p_s) × y_s + p_s × δy_s] = 0`, i.e.
 *
 *   `A δθ = Σ_s m_s p_s × δy_s`,  `A = Σ_s m_s [(y_s·p_s) 1 − p_s y_sᵀ]`
 *
 * (the inertia tensor of the fitted reference when the fit is perfect; symmetric at any optimum,
 * since `g = 0` says that `Σ m_s p_s y_sᵀ` is symmetric). Since `Σ m_s p_s = 0`, the
 * centre shift in `δy_s = δr_s − δc` drops out: `δθ = A⁻¹ Σ_s m_s p_s × δr_s`. Then
 * `τ·δθ = Σ_s δr_s · (m_s λ × p_s)` with `λ = A⁻ᵀ τ`, so `F_s^rot = m_s λ × p_s` (`Σ_s F_s^rot = 0`),
 * and `F_s = (m_s/M) F + F_s^rot`.
 */
import { AnisoError } from '../core/errors.js';
import { invert3 } from '../core/mat3.js';
import { quatToMatrix } from '../core/quaternion.js';
import {
  GroupedSiteMapping,
  parseMasses,
  parseSemiaxes,
  parseTolerance,
  type GroupLayoutOptions,
} from './grouped-mapping.js';
import { symmetricEigen } from '../core/sym-eigen.js';

/** Options of {@link MoleculeMapping}. */
export interface MoleculeMappingOptions extends GroupLayoutOptions {
  /** Semi-axes (body x, y, z, Å): 3 numbers, or 3 per ellipsoid type (row t for type t). */
  semiaxes: ArrayLike<number>;
  /** Atom masses (k numbers, amu, > 0); k is the number of atoms per molecule. */
  masses: ArrayLike<number>;
  /**
   * Reference geometry: body-frame coordinates of the k atoms (3k numbers, atom-major, Å). Re-centred
   * on the centre of mass; must not be collinear (the rotation about the line would be undefined —
   * use the dumbbell mapping for linear molecules).
   */
  reference: ArrayLike<number>;
  /**
   * Relative gap `(λ1 − λ2) / Σ_s m_s |x_s| |y_s|` between the top two eigenvalues at or below which
   * the best fit counts as non-unique (`E_MAPPING`). Default 1e-10.
   */
  minGap?: number;
}

/** k atoms → centre of mass + best-fit orientation of a reference geometry. See the module doc. */
export class MoleculeMapping extends GroupedSiteMapping {
  /** Centred reference body coordinates (3k, Å). */
  private readonly reference: Float64Array;
  private readonly minGap: number;
  private readonly n4 = new Float64Array(16);
  private readonly vals4 = new Float64Array(4);
  private readonly vecs4 = new Float64Array(16);
  private readonly mat = new Float64Array(9);
  private readonly amat = new Float64Array(9);
  private readonly ainv = new Float64Array(9);
  private readonly p = new Float64Array(3);

  /** Validates options (`E_CONFIG` naming the bad value). */
  constructor(options: MoleculeMappingOptions) {
    if (options.masses === undefined || options.masses.length < 1) {
      throw new AnisoError('E_CONFIG', `molecule mapping: 'masses' is required (one per atom, amu)`);
    }
    const k = options.masses.length;
    super('molecule', k, parseMasses('molecule', options.masses, k), parseSemiaxes('molecule', options.semiaxes), options);
    if (options.reference === undefined || options.reference.length !== 3 * k) {
      throw new AnisoError(
        'E_CONFIG',
        `molecule mapping: 'reference' needs ${3 * k} numbers (${k} atoms × xyz, Å), got ${options.reference?.length}`,
      );
    }
    const x = Float64Array.from(options.reference);
    for (let j = 0; j < x.length; j++) {
      if (!Number.isFinite(x[j]!)) throw new AnisoError('E_CONFIG', `molecule mapping: reference[${j}] = ${x[j]} Å is not finite`);
    }
    const w = this.weights;
    for (let d = 0; d < 3; d++) {
      let c = 0;
      for (let s = 0; s < k; s++) c += w[s]! * x[3 * s + d]!;
      for (let s = 0; s < k; s++) x[3 * s + d] = x[3 * s + d]! - c;
    }
    const inertia = new Float64Array(9);
    for (let s = 0; s < k; s++) {
      const a = x[3 * s]!, b = x[3 * s + 1]!, c = x[3 * s + 2]!, r2 = a * a + b * b + c * c;
      const xs = [a, b, c];
      for (let r = 0; r < 3; r++) {
        for (let col = 0; col < 3; col++) inertia[3 * r + col] = inertia[3 * r + col]! + w[s]! * ((r === col ? r2 : 0) - xs[r]! * xs[col]!);
      }
    }
    if (invert3(new Float64Array(9), inertia, 1e-10) === null) {
      throw new AnisoError(
        'E_CONFIG',
        `molecule mapping: reference geometry [${Array.from(options.reference).join(', ')}] Å is collinear or a point; ` +
          `the best-fit rotation would be undefined (use the dumbbell mapping for linear molecules)`,
      );
    }
    this.reference = x;
    this.minGap = parseTolerance('molecule', 'minGap', options.minGap, 1e-10);
  }

  protected override orient(i: number, out: Float64Array, io: number): void {
    const k = this.sitesPerEllipsoid, x = this.reference, y = this.rel, w = this.weights;
    let sxx = 0, sxy = 0, sxz = 0, syx = 0, syy = 0, syz = 0, szx = 0, szy = 0, szz = 0, scale = 0;
    for (let s = 0; s < k; s++) {
      const ws = w[s]!;
      const x0 = ws * x[3 * s]!, x1 = ws * x[3 * s + 1]!, x2 = ws * x[3 * s + 2]!;
      const y0 = y[3 * s]!, y1 = y[3 * s + 1]!, y2 = y[3 * s + 2]!;
      sxx += x0 * y0; sxy += x0 * y1; sxz += x0 * y2;
      syx += x1 * y0; syy += x1 * y1; syz += x1 * y2;
      szx += x2 * y0; szy += x2 * y1; szz += x2 * y2;
      scale += Math.hypot(x0, x1, x2) * Math.hypot(y0, y1, y2);
    }
    const nm = this.n4;
    nm[0] = sxx + syy + szz; nm[1] = syz - szy; nm[2] = szx - sxz; nm[3] = sxy - syx;
    nm[5] = sxx - syy - szz; nm[6] = sxy + syx; nm[7] = szx + sxz;
    nm[10] = -sxx + syy - szz; nm[11] = syz + szy;
    nm[15] = -sxx - syy + szz;
    nm[4] = nm[1]!; nm[8] = nm[2]!; nm[12] = nm[3]!; nm[9] = nm[6]!; nm[13] = nm[7]!; nm[14] = nm[11]!;
    const vals = this.vals4, vecs = this.vecs4;
    symmetricEigen(nm, 4, vals, vecs);
    const gap = vals[0]! - vals[1]!;
    if (!(gap > this.minGap * scale)) {
      throw new AnisoError(
        'E_MAPPING',
        `molecule mapping: ellipsoid ${i} (sites ${this.groupSites(i)}) has no unique best-fit rotation ` +
          `(relative eigenvalue gap ${scale > 0 ? gap / scale : 0} ≤ minGap ${this.minGap}); atoms coincident or collinear`,
      );
    }
    const sign = vecs[0]! < 0 ? -1 : 1;
    const nq = sign / Math.hypot(vecs[0]!, vecs[4]!, vecs[8]!, vecs[12]!);
    out[io] = vecs[0]! * nq;
    out[io + 1] = vecs[4]! * nq;
    out[io + 2] = vecs[8]! * nq;
    out[io + 3] = vecs[12]! * nq;
  }

  protected override rotationalForces(i: number, q: Float64Array, iq: number, tau: Float64Array, it: number): void {
    const k = this.sitesPerEllipsoid, y = this.rel, w = this.weights;
    const rm = this.mat, a = this.amat, p = this.p, f = this.fRot;
    quatToMatrix(rm, 0, q, iq);
    a.fill(0);
    for (let s = 0; s < k; s++) {
      this.rotateRef(rm, s, p);
      const ws = w[s]!;
      const y0 = y[3 * s]!, y1 = y[3 * s + 1]!, y2 = y[3 * s + 2]!;
      const yp = ws * (y0 * p[0]! + y1 * p[1]! + y2 * p[2]!);
      a[0] = a[0]! + yp - ws * p[0]! * y0; a[1] = a[1]! - ws * p[0]! * y1; a[2] = a[2]! - ws * p[0]! * y2;
      a[3] = a[3]! - ws * p[1]! * y0; a[4] = a[4]! + yp - ws * p[1]! * y1; a[5] = a[5]! - ws * p[1]! * y2;
      a[6] = a[6]! - ws * p[2]! * y0; a[7] = a[7]! - ws * p[2]! * y1; a[8] = a[8]! + yp - ws * p[2]! * y2;
    }
    const inv = invert3(this.ainv, a);
    if (inv === null) {
      throw new AnisoError(
        'E_MAPPING',
        `molecule mapping: ellipsoid ${i} (sites ${this.groupSites(i)}): the fit's linearisation matrix is singular`,
      );
    }
    const tx = tau[it]!, ty = tau[it + 1]!, tz = tau[it + 2]!;
    // λ = A⁻ᵀ τ
    const lx = inv[0]! * tx + inv[3]! * ty + inv[6]! * tz;
    const ly = inv[1]! * tx + inv[4]! * ty + inv[7]! * tz;
    const lz = inv[2]! * tx + inv[5]! * ty + inv[8]! * tz;
    for (let s = 0; s < k; s++) {
      this.rotateRef(rm, s, p);
      const ws = w[s]!;
      f[3 * s] = ws * (ly * p[2]! - lz * p[1]!);
      f[3 * s + 1] = ws * (lz * p[0]! - lx * p[2]!);
      f[3 * s + 2] = ws * (lx * p[1]! - ly * p[0]!);
    }
  }

  /** `p = R x_s`. */
  private rotateRef(rm: Float64Array, s: number, p: Float64Array): void {
    const x = this.reference;
    const a = x[3 * s]!, b = x[3 * s + 1]!, c = x[3 * s + 2]!;
    p[0] = rm[0]! * a + rm[1]! * b + rm[2]! * c;
    p[1] = rm[3]! * a + rm[4]! * b + rm[5]! * c;
    p[2] = rm[6]! * a + rm[7]! * b + rm[8]! * c;
  }

  /** Centred reference body coordinates (3k, Å). */
  override bodySites(): Float64Array {
    return Float64Array.from(this.reference);
  }
}
