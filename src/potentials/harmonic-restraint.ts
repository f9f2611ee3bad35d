// SPDX-License-Identifier: BSD-3-Clause
/**
 * Harmonic restraints on point sites: bonds `E = ½ k (d − d0)²` and angles
 * `E = ½ k_θ (θ − θ0)²`, minimum image. Keeps the sites of a dumbbell or triad at their reference
 * geometry when the engine integrates them as free atoms.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';
import type { SiteMapping } from '../mapping/site-mapping.js';

/** A harmonic bond between sites `i` and `j`: stiffness `k` (eV/Å²), rest length `d0` (Å). */
export interface HarmonicBond {
  /** First site index. */
  i: number;
  /** Second site index (≠ i). */
  j: number;
  /** Stiffness, eV/Å², ≥ 0. */
  k: number;
  /** Rest length, Å, ≥ 0. */
  d0: number;
}

/** A harmonic angle `i–vertex–j`: stiffness `k` (eV/rad²), rest angle `theta0` (rad, in [0, π]). */
export interface HarmonicAngle {
  /** First outer site. */
  i: number;
  /** Vertex site. */
  vertex: number;
  /** Second outer site. */
  j: number;
  /** Stiffness, eV/rad², ≥ 0. */
  k: number;
  /** Rest angle, rad, in [0, π]. */
  theta0: number;
}

/** Options of {@link HarmonicRestraint}. */
export interface HarmonicRestraintOptions {
  /** Bonds. */
  bonds?: readonly HarmonicBond[];
  /** Angles. */
  angles?: readonly HarmonicAngle[];
  /** Provider name (key in summed extras). Default `'restraint'`. */
  name?: string;
}

function checkIndex(name: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AnisoError('E_CONFIG', `restraint '${name}': ${what} = ${value} is not a site index (integer ≥ 0)`);
  }
}

function checkNonNegative(name: string, what: string, value: number, unit: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new AnisoError('E_CONFIG', `restraint '${name}': ${what} = ${value} ${unit}, must be finite and ≥ 0`);
  }
}

/**
 * {@link ForceProvider} on point sites: harmonic bonds and angles with minimum-image vectors (each
 * restrained pair must be closer than half the cell width). Exact forces (3n, eV/Å) and virial
 * `W = Σ_bonds F_j ⊗ r_ij + Σ_angles (F_i ⊗ r_vi + F_j ⊗ r_vj)` (9, eV); `torques` is `null`.
 * Angles are exact away from `sin θ = 0`, where `θ` is not differentiable.
 */
export class HarmonicRestraint implements ForceProvider {
  /** Provider name. */
  readonly name: string;
  /** Number of bonds. */
  readonly bondCount: number;
  /** Number of angles. */
  readonly angleCount: number;
  private readonly bi: Int32Array;
  private readonly bj: Int32Array;
  private readonly bk: Float64Array;
  private readonly bd0: Float64Array;
  private readonly ai: Int32Array;
  private readonly av: Int32Array;
  private readonly aj: Int32Array;
  private readonly ak: Float64Array;
  private readonly at0: Float64Array;
  private readonly maxIndex: number;
  private readonly d = new Float64Array(6);

  /** Validates every bond and angle (`E_CONFIG` naming the bad entry). */
  constructor(options: HarmonicRestraintOptions) {
    const name = options.name ?? 'restraint';
    this.name = name;
    const bonds = options.bonds ?? [];
    const angles = options.angles ?? [];
    this.bondCount = bonds.length;
    this.angleCount = angles.length;
    this.bi = new Int32Array(bonds.length);
    this.bj = new Int32Array(bonds.length);
    this.bk = new Float64Array(bonds.length);
    this.bd0 = new Float64Array(bonds.length);
    let maxIndex = -1;
    bonds.forEach((b, n) => {
      checkIndex(name, `bond ${n} i`, b.i);
      checkIndex(name, `bond ${n} j`, b.j);
      if (b.i === b.j) throw new AnisoError('E_CONFIG', `restraint '${name}': bond ${n} joins site ${b.i} to itself`);
      checkNonNegative(name, `bond ${n} k`, b.k, 'eV/Å²');
      checkNonNegative(name, `bond ${n} d0`, b.d0, 'Å');
      this.bi[n] = b.i; this.bj[n] = b.j; this.bk[n] = b.k; this.bd0[n] = b.d0;
      maxIndex = Math.max(maxIndex, b.i, b.j);
    });
    this.ai = new Int32Array(angles.length);
    this.av = new Int32Array(angles.length);
    this.aj = new Int32Array(angles.length);
    this.ak = new Float64Array(angles.length);
    this.at0 = new Float64Array(angles.length);
    angles.forEach((a, n) => {
      checkIndex(name, `angle ${n} i`, a.i);
      checkIndex(name, `angle ${n} vertex`, a.vertex);
      checkIndex(name, `angle ${n} j`, a.j);
      if (a.i === a.vertex || a.j === a.vertex || a.i === a.j) {
        throw new AnisoError('E_CONFIG', `restraint '${name}': angle ${n} (${a.i}, ${a.vertex}, ${a.j}) repeats a site`);
      }
      checkNonNegative(name, `angle ${n} k`, a.k, 'eV/rad²');
      if (!(a.theta0 >= 0 && a.theta0 <= Math.PI)) {
        throw new AnisoError('E_CONFIG', `restraint '${name}': angle ${n} theta0 = ${a.theta0} rad, must lie in [0, π]`);
      }
      this.ai[n] = a.i; this.av[n] = a.vertex; this.aj[n] = a.j; this.ak[n] = a.k; this.at0[n] = a.theta0;
      maxIndex = Math.max(maxIndex, a.i, a.vertex, a.j);
    });
    this.maxIndex = maxIndex;
  }

  /**
   * Bonds holding every group of `mapping` rigid at the mapping's configured body geometry
   * (`mapping.bodySites()`): one bond per pair of sites in a group, `d0 = |x_s − x_t|`, stiffness
   * `k` (eV/Å²). A dumbbell gets 1 bond, a triad 3 (a rigid triangle), a k-atom molecule k(k−1)/2.
   * `nSites` fixes the number of groups of a consecutive layout. Throws `E_CONFIG` if the mapping
   * has no fixed geometry (dumbbell without `length`, triad without `geometry`), `E_ARG` for a
   * one-site mapping, `E_SIZE` if `nSites` does not fit.
   */
  static forMapping(mapping: SiteMapping, nSites: number, k: number, name = 'restraint'): HarmonicRestraint {
    const ks = mapping.sitesPerEllipsoid;
    if (ks < 2) throw new AnisoError('E_ARG', `restraint '${name}': the ${mapping.kind} mapping has ${ks} site per group, nothing to bond`);
    const body = mapping.bodySites();
    if (body === null) {
      throw new AnisoError(
        'E_CONFIG',
        `restraint '${name}': the ${mapping.kind} mapping's configuration does not fix the site geometry ` +
          `(set 'length' for a dumbbell, 'geometry' for a triad)`,
      );
    }
    const m = mapping.ellipsoidCount(nSites);
    const bonds: HarmonicBond[] = [];
    for (let i = 0; i < m; i++) {
      for (let s = 0; s < ks; s++) {
        for (let t = s + 1; t < ks; t++) {
          const d0 = Math.hypot(body[3 * t]! - body[3 * s]!, body[3 * t + 1]! - body[3 * s + 1]!, body[3 * t + 2]! - body[3 * s + 2]!);
          bonds.push({ i: mapping.siteIndex(i, s), j: mapping.siteIndex(i, t), k, d0 });
        }
      }
    }
    return new HarmonicRestraint({ bonds, name });
  }

  /** Minimum-image `r_b − r_a` into `this.d[io..io+2]`. */
  private displacement(system: ParticleSystem, a: number, b: number, io: number, periodic: boolean): void {
    const p = system.positions, d = this.d;
    d[io] = p[3 * b]! - p[3 * a]!;
    d[io + 1] = p[3 * b + 1]! - p[3 * a + 1]!;
    d[io + 2] = p[3 * b + 2]! - p[3 * a + 2]!;
    if (periodic) Cell.minimumImage(system.cell, d, io);
  }

  /**
   * Energy (eV), forces (3n, eV/Å) and virial (9, eV). Throws `E_SIZE` if a restrained index is
   * not a site of `system`, `E_MAPPING` for a zero-length bond with `d0 > 0` or a degenerate angle.
   */
  compute(system: ParticleSystem): ForceResult {
    if (this.maxIndex >= system.n) {
      throw new AnisoError('E_SIZE', `restraint '${this.name}' uses site ${this.maxIndex}, but the system has ${system.n} sites`);
    }
    const forces = new Float64Array(3 * system.n);
    const virial = new Float64Array(9);
    const periodic = Cell.isPeriodic(system.cell);
    const d = this.d;
    let energy = 0;
    for (let n = 0; n < this.bondCount; n++) {
      const i = this.bi[n]!, j = this.bj[n]!, k = this.bk[n]!, d0 = this.bd0[n]!;
      this.displacement(system, i, j, 0, periodic);
      const rx = d[0]!, ry = d[1]!, rz = d[2]!;
      const r = Math.hypot(rx, ry, rz);
      energy += 0.5 * k * (r - d0) * (r - d0);
      if (r === 0) {
        if (d0 === 0 || k === 0) continue;
        throw new AnisoError('E_MAPPING', `restraint '${this.name}': bond ${n} (sites ${i}, ${j}) has zero length, its direction is undefined`);
      }
      const c = (k * (r - d0)) / r; // F_j = −c r_ij, F_i = +c r_ij
      const fx = -c * rx, fy = -c * ry, fz = -c * rz;
      forces[3 * j] = forces[3 * j]! + fx; forces[3 * j + 1] = forces[3 * j + 1]! + fy; forces[3 * j + 2] = forces[3 * j + 2]! + fz;
      forces[3 * i] = forces[3 * i]! - fx; forces[3 * i + 1] = forces[3 * i + 1]! - fy; forces[3 * i + 2] = forces[3 * i + 2]! - fz;
      virial[0] = virial[0]! + fx * rx; virial[1] = virial[1]! + fx * ry; virial[2] = virial[2]! + fx * rz;
      virial[3] = virial[3]! + fy * rx; virial[4] = virial[4]! + fy * ry; virial[5] = virial[5]! + fy * rz;
      virial[6] = virial[6]! + fz * rx; virial[7] = virial[7]! + fz * ry; virial[8] = virial[8]! + fz * rz;
    }
    for (let n = 0; n < this.angleCount; n++) {
      const i = this.ai[n]!, v = this.av[n]!, j = this.aj[n]!, k = this.ak[n]!, t0 = this.at0[n]!;
      this.displacement(system, v, i, 0, periodic);
      this.displacement(system, v, j, 3, periodic);
      const ax = d[0]!, ay = d[1]!, az = d[2]!, bx = d[3]!, by = d[4]!, bz = d[5]!;
      const la = Math.hypot(ax, ay, az), lb = Math.hypot(bx, by, bz);
      if (la === 0 || lb === 0) {
        throw new AnisoError('E_MAPPING', `restraint '${this.name}': angle ${n} (sites ${i}, ${v}, ${j}) has a zero-length arm`);
      }
      const dot = ax * bx + ay * by + az * bz;
      const cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
      const cr = Math.hypot(cx, cy, cz);
      const theta = Math.atan2(cr, dot);
      energy += 0.5 * k * (theta - t0) * (theta - t0);
      const dEdTheta = k * (theta - t0);
      if (dEdTheta === 0) continue;
      const sin = cr / (la * lb);
      if (sin === 0) {
        throw new AnisoError(
          'E_MAPPING',
          `restraint '${this.name}': angle ${n} (sites ${i}, ${v}, ${j}) is exactly ${theta} rad, where θ is not differentiable`,
        );
      }
      const cos = dot / (la * lb);
      // F_i = (dE/dθ / sin θ) ∂cos θ/∂a, ∂cos/∂a = b/(|a||b|) − cos a/|a|² (and a ↔ b for F_j).
      const g = dEdTheta / sin;
      const fix = g * (bx / (la * lb) - (cos * ax) / (la * la));
      const fiy = g * (by / (la * lb) - (cos * ay) / (la * la));
      const fiz = g * (bz / (la * lb) - (cos * az) / (la * la));
      const fjx = g * (ax / (la * lb) - (cos * bx) / (lb * lb));
      const fjy = g * (ay / (la * lb) - (cos * by) / (lb * lb));
      const fjz = g * (az / (la * lb) - (cos * bz) / (lb * lb));
      forces[3 * i] = forces[3 * i]! + fix; forces[3 * i + 1] = forces[3 * i + 1]! + fiy; forces[3 * i + 2] = forces[3 * i + 2]! + fiz;
      forces[3 * j] = forces[3 * j]! + fjx; forces[3 * j + 1] = forces[3 * j + 1]! + fjy; forces[3 * j + 2] = forces[3 * j + 2]! + fjz;
      forces[3 * v] = forces[3 * v]! - fix - fjx;
      forces[3 * v + 1] = forces[3 * v + 1]! - fiy - fjy;
      forces[3 * v + 2] = forces[3 * v + 2]! - fiz - fjz;
      virial[0] = virial[0]! + fix * ax + fjx * bx; virial[1] = virial[1]! + fix * ay + fjx * by; virial[2] = virial[2]! + fix * az + fjx * bz;
      virial[3] = virial[3]! + fiy * ax + fjy * bx; virial[4] = virial[4]! + fiy * ay + fjy * by; virial[5] = virial[5]! + fiy * az + fjy * bz;
      virial[6] = virial[6]! + fiz * ax + fjz * bx; virial[7] = virial[7]! + fiz * ay + fjz * by; virial[8] = virial[8]! + fiz * az + fjz * bz;
    }
    return { energy, forces, torques: null, virial, extras: {} };
  }
}
