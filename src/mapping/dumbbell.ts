// SPDX-License-Identifier: BSD-3-Clause
/**
 * Dumbbell mapping: two sites carry one **uniaxial** ellipsoid.
 *
 * Forward, for sites `r_0, r_1` (minimum image `d = mic(r_1 − r_0)`, `L = |d|`):
 * - centre `c = r_0 + w_1 d` with `w_s = m_s / (m_0 + m_1)` (centre of mass; equal masses by default);
 * - long axis `u = d / L`, taken as the body z axis; orientation `q = quatFromZAxis(u)`, the
 *   smallest rotation taking body z to `u`.
 *
 * Two sites fix only the axis, not the spin about it: the potential behind a dumbbell must be
 * uniaxial about body z (invariant under spin), which is why the semi-axes must satisfy
 * `a_x = a_y`. Then the torque has no component along `u` and the map is exact.
 *
 * Backward: `F_s = w_s F + F_s^rot` with `F_1^rot = −F_0^rot = (τ × u) / L`. This is `J_sᵀ τ` for
 * the axis change `δθ_⊥ = u × δd / L` (`δu = δθ × u`). The spin component `τ·u` cannot be carried
 * by two point sites and is dropped; for a uniaxial potential it is 0.
 */
import { AnisoError } from '../core/errors.js';
import { quatFromZAxis } from '../core/quaternion.js';
import {
  GroupedSiteMapping,
  parseMasses,
  parseSemiaxes,
  parseTolerance,
  type GroupLayoutOptions,
} from './grouped-mapping.js';

/** Options of {@link DumbbellMapping}. */
export interface DumbbellMappingOptions extends GroupLayoutOptions {
  /**
   * Semi-axes (body x, y, z, Å): 3 numbers for every ellipsoid, or 3 per ellipsoid type (row t for
   * type t). Uniaxial: `x === y` in every row (else `E_CONFIG`).
   */
  semiaxes: ArrayLike<number>;
  /** Masses of site 0 and site 1 (amu) weighting the centre; default equal. */
  masses?: ArrayLike<number>;
  /**
   * Site separation (Å) of the rigid dumbbell. Optional; fixes the body-frame sites
   * (`(0, 0, −w_1 L)`, `(0, 0, w_0 L)`) for {@link DumbbellMapping.toSites} and restraints.
   */
  length?: number;
  /** Sites closer than this (Å) are coincident: `E_MAPPING`. Default 1e-6 Å. */
  minLength?: number;
}

/** Two sites → centre + long axis (body z) of a uniaxial ellipsoid. See the module doc. */
export class DumbbellMapping extends GroupedSiteMapping {
  /** Site separation (Å) if configured. */
  readonly length: number | undefined;
  private readonly minLength: number;

  /** Validates options (`E_CONFIG` naming the bad value). */
  constructor(options: DumbbellMappingOptions) {
    const semiaxes = parseSemiaxes('dumbbell', options.semiaxes);
    for (let t = 0; t < semiaxes.length / 3; t++) {
      if (semiaxes[3 * t] !== semiaxes[3 * t + 1]) {
        throw new AnisoError(
          'E_CONFIG',
          `dumbbell mapping: semiaxes row ${t} = (${semiaxes[3 * t]}, ${semiaxes[3 * t + 1]}, ${semiaxes[3 * t + 2]}) Å is not ` +
            `uniaxial; two sites fix only the body z axis, so semi-axes x and y must be equal`,
        );
      }
    }
    super('dumbbell', 2, parseMasses('dumbbell', options.masses, 2), semiaxes, options);
    if (options.length !== undefined && (!Number.isFinite(options.length) || options.length <= 0)) {
      throw new AnisoError('E_CONFIG', `dumbbell mapping: 'length' = ${options.length} Å, must be finite and > 0`);
    }
    this.length = options.length;
    this.minLength = parseTolerance('dumbbell', 'minLength', options.minLength, 1e-6);
  }

  /** Axis `d = e_1 − e_0` of the current group into `axis`, returns `|d|` (Å); throws if degenerate. */
  private axis(i: number): number {
    const rel = this.rel, a = scratchAxis;
    a[0] = rel[3]! - rel[0]!;
    a[1] = rel[4]! - rel[1]!;
    a[2] = rel[5]! - rel[2]!;
    const len = Math.hypot(a[0], a[1], a[2]);
    if (!(len > this.minLength)) {
      throw new AnisoError(
        'E_MAPPING',
        `dumbbell mapping: ellipsoid ${i} has coincident sites ${this.groupSites(i)} ` +
          `(separation ${len} Å ≤ minLength ${this.minLength} Å); its axis is undefined`,
      );
    }
    a[0] /= len; a[1] /= len; a[2] /= len;
    return len;
  }

  protected override orient(i: number, out: Float64Array, io: number): void {
    this.axis(i);
    quatFromZAxis(out, io, scratchAxis, 0);
  }

  protected override rotationalForces(i: number, _q: Float64Array, _iq: number, tau: Float64Array, it: number): void {
    const len = this.axis(i);
    const u = scratchAxis, f = this.fRot;
    const tx = tau[it]!, ty = tau[it + 1]!, tz = tau[it + 2]!;
    const gx = (ty * u[2]! - tz * u[1]!) / len;
    const gy = (tz * u[0]! - tx * u[2]!) / len;
    const gz = (tx * u[1]! - ty * u[0]!) / len;
    f[0] = -gx; f[1] = -gy; f[2] = -gz;
    f[3] = gx; f[4] = gy; f[5] = gz;
  }

  /** Body sites `(0, 0, −w_1 L)`, `(0, 0, w_0 L)` (6, Å), or `null` without `length`. */
  override bodySites(): Float64Array | null {
    if (this.length === undefined) return null;
    return Float64Array.of(0, 0, -this.weights[1]! * this.length, 0, 0, this.weights[0]! * this.length);
  }
}

const scratchAxis = new Float64Array(3);
