// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small exact anisotropic potential on ellipsoids, for mapping tests. Not physical; smooth, cheap
 * and with analytic forces, lab-frame torques (`δE = −τ·δθ`) and virial at fixed lab orientations.
 *
 * With body z axis `u_i`, body x axis `v_i` (columns of `R(q_i)`), `r = r_j + S − r_i` over a fixed
 * set of lattice translations `S = n·h` (`n ∈ {−images…images}` along periodic directions):
 *
 *   φ(r; i, j) = A_ij exp(−r²/s²) (1 + b (u_i·r̂)² + c (u_j·r̂)² + d (u_i·u_j)² + e (v_i·r̂)² + f (v_i·v_j)²)
 *   E = Σ_{i<j} Σ_S φ(r) + ½ Σ_i Σ_{S≠0} φ(S; i, i) + Σ_i [g (u_i·n1) + h (v_i·n2)²]
 *
 * with `A_ij = A (1 + typeScale (t_i + t_j)) (1 + semiScale (a_iz + a_jz))`. Set `e = f = h = 0`
 * for a potential uniaxial about body z (what a dumbbell mapping needs). Because the image set is
 * fixed, the energy is an exact smooth function of positions, orientations and cell.
 */
import { Cell } from '../../src/core/cell.js';
import { quatToMatrix } from '../../src/core/quaternion.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../../src/core/system.js';
import type { SiteMapping } from '../../src/mapping/site-mapping.js';
import { maxRelativeError, numericalForces, numericalVirial } from './finite-difference.js';
import { jiggle, randomQuaternion, seededRandom } from './random.js';

/** Parameters of {@link ToyEllipsoidPotential} (energies eV, lengths Å). */
export interface ToyParams {
  A: number;
  s: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
  g: number;
  n1: [number, number, number];
  h: number;
  n2: [number, number, number];
  typeScale: number;
  semiScale: number;
  images: number;
}

/** A biaxial parameter set exercising every term. */
export const BIAXIAL_TOY: ToyParams = {
  A: 0.6, s: 1.9, b: 0.7, c: -0.4, d: 0.5, e: 0.6, f: -0.3,
  g: 0.25, n1: [0.3, -0.5, 0.81], h: 0.35, n2: [-0.6, 0.2, 0.77],
  typeScale: 0.15, semiScale: 0.1, images: 1,
};

/** A parameter set uniaxial about body z (spin invariant). */
export const UNIAXIAL_TOY: ToyParams = { ...BIAXIAL_TOY, e: 0, f: 0, h: 0 };

/** The toy potential as a {@link ForceProvider} on ellipsoids (orientations and semi-axes required). */
export class ToyEllipsoidPotential implements ForceProvider {
  readonly name: string;
  readonly p: ToyParams;

  constructor(params: Partial<ToyParams> = {}, name = 'toy') {
    this.p = { ...BIAXIAL_TOY, ...params };
    this.name = name;
  }

  compute(sys: ParticleSystem): ForceResult {
    const { n, positions: x, cell } = sys;
    const q = sys.orientations, sa = sys.semiaxes;
    if (!q || !sa) throw new Error('toy potential needs orientations and semiaxes');
    const P = this.p;
    const ax = new Float64Array(3 * n), bx = new Float64Array(3 * n);
    const m = new Float64Array(9);
    for (let i = 0; i < n; i++) {
      quatToMatrix(m, 0, q, 4 * i);
      ax[3 * i] = m[2]!; ax[3 * i + 1] = m[5]!; ax[3 * i + 2] = m[8]!;
      bx[3 * i] = m[0]!; bx[3 * i + 1] = m[3]!; bx[3 * i + 2] = m[6]!;
    }
    const forces = new Float64Array(3 * n), torques = new Float64Array(3 * n), virial = new Float64Array(9);
    let energy = 0;
    const range = [0, 1, 2].map((d) => (cell.pbc[d] ? P.images : 0));
    const h = cell.h;
    const s2 = P.s * P.s;
    const dot = (a: Float64Array, ia: number, b: ArrayLike<number>, ib: number) =>
      a[ia]! * b[ib]! + a[ia + 1]! * b[ib + 1]! + a[ia + 2]! * b[ib + 2]!;
    const addCrossNeg = (out: Float64Array, io: number, a: Float64Array, ia: number, g: number[]) => {
      // out −= a × g
      out[io] = out[io]! - (a[ia + 1]! * g[2]! - a[ia + 2]! * g[1]!);
      out[io + 1] = out[io + 1]! - (a[ia + 2]! * g[0]! - a[ia]! * g[2]!);
      out[io + 2] = out[io + 2]! - (a[ia]! * g[1]! - a[ia + 1]! * g[0]!);
    };
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const ti = sys.types ? sys.types[i]! : 0, tj = sys.types ? sys.types[j]! : 0;
        const amp = P.A * (1 + P.typeScale * (ti + tj)) * (1 + P.semiScale * (sa[3 * i + 2]! + sa[3 * j + 2]!));
        for (let n0 = -range[0]!; n0 <= range[0]!; n0++) {
          for (let n1 = -range[1]!; n1 <= range[1]!; n1++) {
            for (let n2 = -range[2]!; n2 <= range[2]!; n2++) {
              if (i === j && n0 === 0 && n1 === 0 && n2 === 0) continue;
              const w = i === j ? 0.5 : 1;
              const r = [0, 1, 2].map(
                (d) => x[3 * j + d]! - x[3 * i + d]! + n0 * h[d]! + n1 * h[3 + d]! + n2 * h[6 + d]!,
              );
              const rl = Math.hypot(r[0]!, r[1]!, r[2]!);
              const rh = r.map((v) => v / rl);
              const g = Math.exp(-(rl * rl) / s2);
              const al = dot(ax, 3 * i, rh, 0), be = dot(ax, 3 * j, rh, 0), ga = dot(ax, 3 * i, ax, 3 * j);
              const mu = dot(bx, 3 * i, rh, 0), nu = dot(bx, 3 * i, bx, 3 * j);
              const pf = 1 + P.b * al * al + P.c * be * be + P.d * ga * ga + P.e * mu * mu + P.f * nu * nu;
              const pre = w * amp;
              energy += pre * g * pf;
              // ∂φ/∂r
              const dphi = [0, 1, 2].map((d) => {
                const dP =
                  (2 * P.b * al * (ax[3 * i + d]! - al * rh[d]!) +
                    2 * P.c * be * (ax[3 * j + d]! - be * rh[d]!) +
                    2 * P.e * mu * (bx[3 * i + d]! - mu * rh[d]!)) / rl;
                return pre * g * ((-2 * r[d]! / s2) * pf + dP);
              });
              for (let d = 0; d < 3; d++) {
                forces[3 * j + d] = forces[3 * j + d]! - dphi[d]!;
                forces[3 * i + d] = forces[3 * i + d]! + dphi[d]!;
                for (let c = 0; c < 3; c++) virial[3 * d + c] = virial[3 * d + c]! - dphi[d]! * r[c]!;
              }
              const dui = [0, 1, 2].map((d) => pre * g * (2 * P.b * al * rh[d]! + 2 * P.d * ga * ax[3 * j + d]!));
              const duj = [0, 1, 2].map((d) => pre * g * (2 * P.c * be * rh[d]! + 2 * P.d * ga * ax[3 * i + d]!));
              const dvi = [0, 1, 2].map((d) => pre * g * (2 * P.e * mu * rh[d]! + 2 * P.f * nu * bx[3 * j + d]!));
              const dvj = [0, 1, 2].map((d) => pre * g * (2 * P.f * nu * bx[3 * i + d]!));
              addCrossNeg(torques, 3 * i, ax, 3 * i, dui);
              addCrossNeg(torques, 3 * i, bx, 3 * i, dvi);
              addCrossNeg(torques, 3 * j, ax, 3 * j, duj);
              addCrossNeg(torques, 3 * j, bx, 3 * j, dvj);
            }
          }
        }
      }
      // external field
      const un = dot(ax, 3 * i, P.n1, 0), vn = dot(bx, 3 * i, P.n2, 0);
      energy += P.g * un + P.h * vn * vn;
      addCrossNeg(torques, 3 * i, ax, 3 * i, P.n1.map((v) => P.g * v));
      addCrossNeg(torques, 3 * i, bx, 3 * i, P.n2.map((v) => 2 * P.h * vn * v));
    }
    return { energy, forces, torques, virial, extras: { toyPairs: n * (n - 1) / 2 } };
  }
}

/** A cubic test cell (Å). */
export const CUBIC_CELL = Cell.orthorhombic(7.2, 7.2, 7.2);
/** A triclinic test cell (Å, degrees). */
export const TRICLINIC_CELL = Cell.fromParameters([7.6, 8.1, 8.7, 77, 97, 107]);

/**
 * `m` random ellipsoids in `cell`: centres placed near cell faces and corners (fractional
 * coordinates within ±0.04 of 0) so that groups of sites straddle the boundary, random
 * orientations (an open cell places them as in {@link CUBIC_CELL}), the given semi-axes (3 per ellipsoid type) and types `i % ntypes`.
 */
export function randomEllipsoids(rand: () => number, cell: Cell, m: number, semiaxes: number[], ntypes = 1): ParticleSystem {
  const positions = new Float64Array(3 * m), orientations = new Float64Array(4 * m);
  const sa = new Float64Array(3 * m), types = new Int32Array(m);
  const s = new Float64Array(3);
  for (let i = 0; i < m; i++) {
    for (let d = 0; d < 3; d++) s[d] = (i + d) % 2 === 0 ? 0.08 * (rand() - 0.5) : rand();
    Cell.toCartesian(Cell.isPeriodic(cell) ? cell : CUBIC_CELL, s, 0, positions, 3 * i);
    orientations.set(randomQuaternion(rand), 4 * i);
    types[i] = i % ntypes;
    const row = semiaxes.length === 3 ? 0 : types[i]!;
    sa.set(semiaxes.slice(3 * row, 3 * row + 3), 3 * i);
  }
  return { n: m, positions, cell, types, orientations, semiaxes: sa };
}

/**
 * Sites of `m` random ellipsoids ({@link randomEllipsoids}, two alternating types) laid out by
 * `mapping`, every coordinate moved by uniform noise of amplitude `amp` Å, then wrapped into the
 * cell. Deterministic for a given `seed`.
 */
export function jiggledSites(mapping: SiteMapping, cell: Cell, seed: number, m: number, semiaxes: number[], amp: number): ParticleSystem {
  const rand = seededRandom(seed);
  const sites = mapping.toSites(randomEllipsoids(rand, cell, m, semiaxes, 2));
  jiggle(rand, sites.positions as Float64Array, amp);
  return wrapped(sites);
}

/** True if some group of `mapping` has sites whose raw (not minimum-image) separation exceeds `limit` Å. */
export function straddles(mapping: SiteMapping, sites: ParticleSystem, limit: number): boolean {
  const m = mapping.ellipsoidCount(sites.n), p = sites.positions;
  for (let i = 0; i < m; i++) {
    const a = 3 * mapping.siteIndex(i, 0);
    for (let s = 1; s < mapping.sitesPerEllipsoid; s++) {
      const b = 3 * mapping.siteIndex(i, s);
      if (Math.hypot(p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!) > limit) return true;
    }
  }
  return false;
}

/** Worst relative errors of a mapped provider against central differences of `E(forward(sites))`. */
export function mappingFdErrors(
  mapping: SiteMapping,
  provider: ForceProvider,
  sites: ParticleSystem,
): { forces: number; virial: number; energy: number } {
  const energy = (s: ParticleSystem) => provider.compute(mapping.forward(s)).energy;
  const ells = mapping.forward(sites);
  const result = mapping.backward(sites, ells, provider.compute(ells));
  return {
    forces: maxRelativeError(result.forces, numericalForces(energy, sites)),
    virial: maxRelativeError(result.virial, numericalVirial(energy, sites)),
    energy: Math.abs(result.energy - energy(sites)),
  };
}

/** `min(|a − b|, |a + b|)` of the quaternions `a[ia..]`, `b[ib..]` (q and −q are one rotation). */
export function quatDistance(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number): number {
  let dm = 0, dp = 0;
  for (let k = 0; k < 4; k++) {
    dm = Math.max(dm, Math.abs(a[ia + k]! - b[ib + k]!));
    dp = Math.max(dp, Math.abs(a[ia + k]! + b[ib + k]!));
  }
  return Math.min(dm, dp);
}

/** Lab body axis `axis` (0 x, 1 y, 2 z) of quaternion `q[iq..]` into a new 3-vector. */
export function bodyAxis(q: ArrayLike<number>, iq: number, axis: number): Float64Array {
  const m = new Float64Array(9);
  quatToMatrix(m, 0, q, iq);
  return Float64Array.of(m[axis]!, m[3 + axis]!, m[6 + axis]!);
}

/** A wrapped copy of `sys` (positions folded into the cell). */
export function wrapped(sys: ParticleSystem): ParticleSystem {
  return { ...sys, positions: Cell.wrap(sys.cell, Float64Array.from(sys.positions)) };
}

/** Largest absolute entry of `a`. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]!));
  return m;
}

/**
 * Per ellipsoid: total site force (3M) and moment `Σ_s mic(r_s − c_i) × F_s` about the centre (3M),
 * for site forces `forces` (3N).
 */
function groupBalance(
  mapping: SiteMapping,
  sites: ParticleSystem,
  ells: ParticleSystem,
  forces: Float64Array,
): { force: Float64Array; moment: Float64Array } {
  const m = ells.n;
  const force = new Float64Array(3 * m), moment = new Float64Array(3 * m), e = new Float64Array(3);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < mapping.sitesPerEllipsoid; s++) {
      const j = mapping.siteIndex(i, s);
      for (let d = 0; d < 3; d++) e[d] = sites.positions[3 * j + d]! - ells.positions[3 * i + d]!;
      if (Cell.isPeriodic(sites.cell)) Cell.minimumImage(sites.cell, e, 0);
      const fx = forces[3 * j]!, fy = forces[3 * j + 1]!, fz = forces[3 * j + 2]!;
      force[3 * i] = force[3 * i]! + fx; force[3 * i + 1] = force[3 * i + 1]! + fy; force[3 * i + 2] = force[3 * i + 2]! + fz;
      moment[3 * i] = moment[3 * i]! + e[1]! * fz - e[2]! * fy;
      moment[3 * i + 1] = moment[3 * i + 1]! + e[2]! * fx - e[0]! * fz;
      moment[3 * i + 2] = moment[3 * i + 2]! + e[0]! * fy - e[1]! * fx;
    }
  }
  return { force, moment };
}

/**
 * How far the mapped site forces of `provider` on `forward(sites)` are from balancing it: the largest
 * absolute differences between each group's total site force and the centre force, and between its
 * moment about the centre and the torque; `result` is the provider's result on the ellipsoids.
 */
export function groupBalanceErrors(
  mapping: SiteMapping,
  provider: ForceProvider,
  sites: ParticleSystem,
): { force: number; moment: number; result: ForceResult } {
  const ells = mapping.forward(sites);
  const result = provider.compute(ells);
  const bal = groupBalance(mapping, sites, ells, mapping.backward(sites, ells, result).forces);
  return {
    force: maxAbs(bal.force.map((x, k) => x - result.forces[k]!)),
    moment: maxAbs(bal.moment.map((x, k) => x - result.torques![k]!)),
    result,
  };
}
