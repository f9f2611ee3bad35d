// SPDX-License-Identifier: BSD-3-Clause
/**
 * Shared machinery of the group mappings (dumbbell, triad, molecule): site layout, option parsing,
 * the minimum-image gather of a group, the translational part of the backward map and the site
 * virial `W_ell + Σ F_s ⊗ (r_s − c_i)` (derivation in `site-mapping.ts`). Subclasses only supply
 * the orientation of one group and the rotational site forces `J_sᵀ τ`.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { quatNormalize, quatRotate } from '../core/quaternion.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { ReducedForces, SiteMapping, SiteMappingKind } from './site-mapping.js';

/** Options every group mapping accepts. */
export interface GroupLayoutOptions {
  /**
   * Explicit site groups: `groups[i]` lists the k site indices of ellipsoid i, in the order the
   * mapping's site roles use (site 0, 1, …). Must partition `0 … N−1`. Default: consecutive groups.
   */
  groups?: ReadonlyArray<ArrayLike<number>>;
}

/**
 * Parse a semi-axis table: 3 numbers (every ellipsoid) or 3T numbers (row t for ellipsoid type t),
 * body x, y, z, Å, all finite and > 0. Throws `E_CONFIG` naming the mapping and the bad entry.
 */
export function parseSemiaxes(kind: string, value: ArrayLike<number> | undefined): Float64Array {
  if (value === undefined) throw new AnisoError('E_CONFIG', `${kind} mapping: 'semiaxes' is required (3 numbers, or 3 per type, Å)`);
  if (value.length === 0 || value.length % 3 !== 0) {
    throw new AnisoError('E_CONFIG', `${kind} mapping: 'semiaxes' needs 3 numbers (or 3 per type), got ${value.length}`);
  }
  const out = Float64Array.from(value);
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k]!) || out[k]! <= 0) {
      throw new AnisoError('E_CONFIG', `${kind} mapping: semiaxes[${k}] = ${out[k]} Å, must be finite and > 0`);
    }
  }
  return out;
}

/**
 * Parse site masses (k numbers, amu, finite and > 0; default all equal) into normalised weights
 * `w_s = m_s / Σ m` (k). Throws `E_CONFIG` naming the bad entry.
 */
export function parseMasses(kind: string, value: ArrayLike<number> | undefined, k: number): Float64Array {
  const m = value === undefined ? new Float64Array(k).fill(1) : Float64Array.from(value);
  if (m.length !== k) throw new AnisoError('E_CONFIG', `${kind} mapping: 'masses' needs ${k} numbers (amu), got ${m.length}`);
  let total = 0;
  for (let s = 0; s < k; s++) {
    if (!Number.isFinite(m[s]!) || m[s]! <= 0) {
      throw new AnisoError('E_CONFIG', `${kind} mapping: masses[${s}] = ${m[s]} amu, must be finite and > 0`);
    }
    total += m[s]!;
  }
  for (let s = 0; s < k; s++) m[s] = m[s]! / total;
  return m;
}

/** Parse a positive finite tolerance option, or return `fallback`. Throws `E_CONFIG`. */
export function parseTolerance(kind: string, what: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new AnisoError('E_CONFIG', `${kind} mapping: '${what}' = ${value}, must be finite and ≥ 0`);
  }
  return value;
}

function parseGroups(kind: string, groups: ReadonlyArray<ArrayLike<number>>, k: number): Int32Array {
  const m = groups.length;
  const flat = new Int32Array(m * k);
  const seen = new Uint8Array(m * k);
  for (let i = 0; i < m; i++) {
    const g = groups[i]!;
    if (g.length !== k) {
      throw new AnisoError('E_CONFIG', `${kind} mapping: groups[${i}] has ${g.length} sites, expected ${k}`);
    }
    for (let s = 0; s < k; s++) {
      const idx = g[s]!;
      if (!Number.isInteger(idx) || idx < 0 || idx >= m * k) {
        throw new AnisoError(
          'E_CONFIG',
          `${kind} mapping: groups[${i}][${s}] = ${idx} is not a site index in 0…${m * k - 1} (groups must partition the sites)`,
        );
      }
      if (seen[idx]) throw new AnisoError('E_CONFIG', `${kind} mapping: site ${idx} appears in more than one group (groups[${i}])`);
      seen[idx] = 1;
      flat[i * k + s] = idx;
    }
  }
  return flat;
}

/**
 * Base class of the group mappings. Centre `c_i = Σ_s w_s r_s` with minimum-image vectors relative
 * to the group's first site; orientation from the subclass; backward = translational share
 * `w_s F_i` + rotational forces from the subclass; virial `W_ell + Σ_s F_s ⊗ (r_s − c_i)`.
 */
export abstract class GroupedSiteMapping implements SiteMapping {
  /** Mapping kind. */
  readonly kind: SiteMappingKind;
  /** Sites per ellipsoid, k. */
  readonly sitesPerEllipsoid: number;
  /** Number of explicit groups, or `null` for consecutive groups. */
  readonly groupCount: number | null;
  /** Centre weights `m_s / M` (k, sum 1). */
  readonly weights: Float64Array;
  /** Semi-axis table (3 or 3T, Å). */
  protected readonly semiaxesTable: Float64Array;
  /** Flat explicit groups (M·k) or `null`. */
  protected readonly groups: Int32Array | null;
  /** Scratch: centred minimum-image site vectors `e_s = r_s − c` of the current group (3k, Å). */
  protected readonly rel: Float64Array;
  /** Scratch: rotational site forces of the current group (3k, eV/Å). */
  protected readonly fRot: Float64Array;

  protected constructor(
    kind: SiteMappingKind,
    k: number,
    weights: Float64Array,
    semiaxes: Float64Array,
    options: GroupLayoutOptions,
  ) {
    this.kind = kind;
    this.sitesPerEllipsoid = k;
    this.weights = weights;
    this.semiaxesTable = semiaxes;
    this.groups = options.groups === undefined ? null : parseGroups(kind, options.groups, k);
    this.groupCount = this.groups === null ? null : this.groups.length / k;
    this.rel = new Float64Array(3 * k);
    this.fRot = new Float64Array(3 * k);
  }

  /**
   * Write the orientation of ellipsoid `i` (unit quaternion, `w ≥ 0`) to `out[io..io+3]` from the
   * centred site vectors in `this.rel` (3k, Å). `groupSites(i)` names the sites in errors.
   * Throws `E_MAPPING` for degenerate geometry.
   */
  protected abstract orient(i: number, out: Float64Array, io: number): void;

  /**
   * Write the rotational site forces `G_s = J_sᵀ τ` (3k, eV/Å, `Σ G_s = 0`) of ellipsoid `i` to
   * `this.fRot`, given its centred site vectors in `this.rel`, its quaternion `q[iq..iq+3]` (from
   * forward) and lab torque `tau[it..it+2]` (eV).
   */
  protected abstract rotationalForces(i: number, q: Float64Array, iq: number, tau: Float64Array, it: number): void;

  /** @inheritDoc */
  ellipsoidCount(nSites: number): number {
    const k = this.sitesPerEllipsoid;
    if (this.groups !== null) {
      if (nSites !== this.groups.length) {
        throw new AnisoError(
          'E_SIZE',
          `${this.kind} mapping expects exactly ${this.groups.length} sites (${this.groupCount} explicit groups of ${k}), got ${nSites}`,
        );
      }
      return this.groupCount!;
    }
    if (!Number.isInteger(nSites) || nSites < 0 || nSites % k !== 0) {
      throw new AnisoError(
        'E_SIZE',
        `${this.kind} mapping expects a multiple of ${k} sites (${k} consecutive sites per ellipsoid), got ${nSites}`,
      );
    }
    return nSites / k;
  }

  /** @inheritDoc */
  siteCount(nEllipsoids: number): number {
    if (this.groups !== null && nEllipsoids !== this.groupCount) {
      throw new AnisoError(
        'E_SIZE',
        `${this.kind} mapping has ${this.groupCount} explicit groups, cannot place ${nEllipsoids} ellipsoids`,
      );
    }
    return nEllipsoids * this.sitesPerEllipsoid;
  }

  /** @inheritDoc */
  siteIndex(i: number, s: number): number {
    const k = this.sitesPerEllipsoid;
    return this.groups === null ? i * k + s : this.groups[i * k + s]!;
  }

  /** Site indices of ellipsoid `i`, comma-separated, for error messages. */
  protected groupSites(i: number): string {
    const out: number[] = [];
    for (let s = 0; s < this.sitesPerEllipsoid; s++) out.push(this.siteIndex(i, s));
    return out.join(', ');
  }

  /**
   * Fill `this.rel` with `e_s = mic(r_s − r_{s0}) − Σ_t w_t mic(r_t − r_{s0})` for ellipsoid `i`
   * and write its centre `r_{s0} + Σ_t w_t mic(r_t − r_{s0})` to `centre[ic..ic+2]`.
   */
  protected gather(sites: ParticleSystem, i: number, centre: Float64Array, ic: number): void {
    const k = this.sitesPerEllipsoid, rel = this.rel, w = this.weights, pos = sites.positions;
    const periodic = Cell.isPeriodic(sites.cell);
    const i0 = 3 * this.siteIndex(i, 0);
    const x0 = pos[i0]!, y0 = pos[i0 + 1]!, z0 = pos[i0 + 2]!;
    let cx = 0, cy = 0, cz = 0;
    for (let s = 0; s < k; s++) {
      const is = 3 * this.siteIndex(i, s);
      rel[3 * s] = pos[is]! - x0;
      rel[3 * s + 1] = pos[is + 1]! - y0;
      rel[3 * s + 2] = pos[is + 2]! - z0;
      if (periodic && s > 0) Cell.minimumImage(sites.cell, rel, 3 * s);
      cx += w[s]! * rel[3 * s]!;
      cy += w[s]! * rel[3 * s + 1]!;
      cz += w[s]! * rel[3 * s + 2]!;
    }
    for (let s = 0; s < k; s++) {
      rel[3 * s] = rel[3 * s]! - cx;
      rel[3 * s + 1] = rel[3 * s + 1]! - cy;
      rel[3 * s + 2] = rel[3 * s + 2]! - cz;
    }
    centre[ic] = x0 + cx;
    centre[ic + 1] = y0 + cy;
    centre[ic + 2] = z0 + cz;
  }

  /** Semi-axes of an ellipsoid of type `t` into `out[io..io+2]`; throws `E_CONFIG` for a missing row. */
  protected semiaxesOf(i: number, t: number, out: Float64Array, io: number): void {
    const table = this.semiaxesTable;
    const rows = table.length / 3;
    const row = rows === 1 ? 0 : t;
    if (row < 0 || row >= rows) {
      throw new AnisoError(
        'E_CONFIG',
        `${this.kind} mapping: ellipsoid ${i} has type ${t}, but 'semiaxes' has rows for types 0…${rows - 1}`,
      );
    }
    out[io] = table[3 * row]!;
    out[io + 1] = table[3 * row + 1]!;
    out[io + 2] = table[3 * row + 2]!;
  }

  /** @inheritDoc */
  forward(sites: ParticleSystem): ParticleSystem {
    const m = this.ellipsoidCount(sites.n);
    const positions = new Float64Array(3 * m);
    const orientations = new Float64Array(4 * m);
    const semiaxes = new Float64Array(3 * m);
    const types = new Int32Array(m);
    const siteTypes = sites.types;
    for (let i = 0; i < m; i++) {
      this.gather(sites, i, positions, 3 * i);
      this.orient(i, orientations, 4 * i);
      const t = siteTypes ? siteTypes[this.siteIndex(i, 0)]! : 0;
      types[i] = t;
      this.semiaxesOf(i, t, semiaxes, 3 * i);
    }
    return { n: m, positions, cell: sites.cell, types, orientations, semiaxes };
  }

  /** @inheritDoc */
  backward(sites: ParticleSystem, ellipsoids: ParticleSystem, result: ForceResult): ForceResult {
    const m = this.ellipsoidCount(sites.n);
    const k = this.sitesPerEllipsoid;
    if (ellipsoids.n !== m || !ellipsoids.orientations || ellipsoids.orientations.length !== 4 * m) {
      throw new AnisoError(
        'E_SIZE',
        `${this.kind} mapping backward: ${sites.n} sites need the ${m} ellipsoids forward() made, got ${ellipsoids.n}` +
          (ellipsoids.orientations ? '' : ' without orientations'),
      );
    }
    if (result.forces.length !== 3 * m) {
      throw new AnisoError('E_SIZE', `${this.kind} mapping backward: forces have length ${result.forces.length}, expected ${3 * m}`);
    }
    const tau = result.torques;
    if (tau !== null && tau.length !== 3 * m) {
      throw new AnisoError('E_SIZE', `${this.kind} mapping backward: torques have length ${tau.length}, expected ${3 * m}`);
    }
    const forces = new Float64Array(3 * sites.n);
    const virial = Float64Array.from(result.virial);
    const rel = this.rel, fRot = this.fRot, w = this.weights, fe = result.forces, q = ellipsoids.orientations;
    const centre = scratchCentre;
    for (let i = 0; i < m; i++) {
      this.gather(sites, i, centre, 0);
      if (tau !== null) this.rotationalForces(i, q, 4 * i, tau, 3 * i);
      else fRot.fill(0);
      const fx = fe[3 * i]!, fy = fe[3 * i + 1]!, fz = fe[3 * i + 2]!;
      for (let s = 0; s < k; s++) {
        const gx = w[s]! * fx + fRot[3 * s]!;
        const gy = w[s]! * fy + fRot[3 * s + 1]!;
        const gz = w[s]! * fz + fRot[3 * s + 2]!;
        const is = 3 * this.siteIndex(i, s);
        forces[is] = gx;
        forces[is + 1] = gy;
        forces[is + 2] = gz;
        const ex = rel[3 * s]!, ey = rel[3 * s + 1]!, ez = rel[3 * s + 2]!;
        virial[0] = virial[0]! + gx * ex; virial[1] = virial[1]! + gx * ey; virial[2] = virial[2]! + gx * ez;
        virial[3] = virial[3]! + gy * ex; virial[4] = virial[4]! + gy * ey; virial[5] = virial[5]! + gy * ez;
        virial[6] = virial[6]! + gz * ex; virial[7] = virial[7]! + gz * ey; virial[8] = virial[8]! + gz * ez;
      }
    }
    return { energy: result.energy, forces, torques: null, virial, extras: result.extras };
  }

  /** @inheritDoc */
  reduceForces(sites: ParticleSystem, siteForces: ArrayLike<number>): ReducedForces {
    const m = this.ellipsoidCount(sites.n);
    if (siteForces.length !== 3 * sites.n) {
      throw new AnisoError('E_SIZE', `${this.kind} mapping reduceForces: site forces have length ${siteForces.length}, expected 3·${sites.n}`);
    }
    const k = this.sitesPerEllipsoid, rel = this.rel;
    const forces = new Float64Array(3 * m);
    const torques = new Float64Array(3 * m);
    const centre = scratchCentre;
    for (let i = 0; i < m; i++) {
      this.gather(sites, i, centre, 0);
      let fx = 0, fy = 0, fz = 0, tx = 0, ty = 0, tz = 0;
      for (let s = 0; s < k; s++) {
        const is = 3 * this.siteIndex(i, s);
        const gx = siteForces[is]!, gy = siteForces[is + 1]!, gz = siteForces[is + 2]!;
        const ex = rel[3 * s]!, ey = rel[3 * s + 1]!, ez = rel[3 * s + 2]!;
        fx += gx; fy += gy; fz += gz;
        tx += ey * gz - ez * gy;
        ty += ez * gx - ex * gz;
        tz += ex * gy - ey * gx;
      }
      forces[3 * i] = fx; forces[3 * i + 1] = fy; forces[3 * i + 2] = fz;
      torques[3 * i] = tx; torques[3 * i + 1] = ty; torques[3 * i + 2] = tz;
    }
    return { forces, torques };
  }

  /** @inheritDoc */
  abstract bodySites(): Float64Array | null;

  /** @inheritDoc */
  toSites(ellipsoids: ParticleSystem): ParticleSystem {
    const body = this.bodySites();
    if (body === null) {
      throw new AnisoError('E_CONFIG', `${this.kind} mapping: the configuration does not fix the site geometry, cannot build sites`);
    }
    const m = ellipsoids.n, k = this.sitesPerEllipsoid;
    const q = ellipsoids.orientations;
    if (!q || q.length !== 4 * m) throw new AnisoError('E_ARG', `${this.kind} mapping toSites: ellipsoids need 4·${m} orientations`);
    const n = this.siteCount(m);
    const positions = new Float64Array(3 * n);
    const types = new Int32Array(n);
    const c = ellipsoids.positions;
    const qi = scratchQuat;
    for (let i = 0; i < m; i++) {
      qi[0] = q[4 * i]!; qi[1] = q[4 * i + 1]!; qi[2] = q[4 * i + 2]!; qi[3] = q[4 * i + 3]!;
      quatNormalize(qi, 0);
      for (let s = 0; s < k; s++) {
        const is = 3 * this.siteIndex(i, s);
        quatRotate(positions, is, qi, 0, body, 3 * s);
        positions[is] = positions[is]! + c[3 * i]!;
        positions[is + 1] = positions[is + 1]! + c[3 * i + 1]!;
        positions[is + 2] = positions[is + 2]! + c[3 * i + 2]!;
        types[is / 3] = ellipsoids.types ? ellipsoids.types[i]! : 0;
      }
    }
    return { n, positions, cell: ellipsoids.cell, types };
  }
}

const scratchCentre = new Float64Array(3);
const scratchQuat = new Float64Array(4);
