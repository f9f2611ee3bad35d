// SPDX-License-Identifier: BSD-3-Clause
/**
 * Building blocks of Gay–Berne training data (`examples/gayberne-anisoap/`):
 *
 * - {@link insertEllipsoids}: random sequential insertion of identical ellipsoids in a periodic box,
 *   no pair (any periodic image) closer than `f · σ12(r̂, orientations)`, the Gay–Berne contact
 *   distance; orientations isotropic or biased around a director; reproducible from a seed.
 * - {@link labelWithGayBerne}: energy, forces on centres, lab-frame torques, per-particle energies and
 *   virial of a configuration, exactly `GayBerne.computePerParticle`.
 * - {@link canonicalDimer}: the four reference dimer geometries of docs/CONVENTIONS.md §4 (side by side, end
 *   to end, T, cross) at a centre distance r, for energy curves of any provider.
 *
 * The contact distance is the Berne–Pechukas / LAMMPS one:
 * `σ12 = (½ r̂ᵀ G⁻¹ r̂)^(−1/2)`, `G = R_i S_i² R_iᵀ + R_j S_j² R_jᵀ`, `S = diag(semi-axes)`; for
 * GB(3,5,2,1) it is 1 side by side, 3 end to end, √5 in the T geometry.
 *
 * Lengths are in the caller's unit (σ0 for reduced data); quaternions (w, x, y, z), body → lab, the
 * long (symmetry) axis of a uniaxial particle on body z.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { quatFromAxisAngle, quatFromZAxis, quatMultiply, quatToMatrix } from '../core/quaternion.js';
import type { ParticleSystem } from '../core/system.js';
import { Rng } from '../core/rng.js';
import type { GayBerne } from '../potentials/gay-berne.js';

/** How inserted particles are oriented. */
export type OrientationDistribution =
  | {
      /** Uniform on SO(3). */
      kind: 'isotropic';
    }
  | {
      /**
       * Long axes (body z) near a director: `u = normalise(n + spread · g)` with `g` a standard
       * normal 3-vector, head or tail at random; a random spin about `u`. Small spreads give rms
       * tilts of about `spread · √2` rad.
       */
      kind: 'nematic';
      /** Width of the perturbation (dimensionless, ≥ 0). 0.3 gives S2 ≈ 0.85. */
      spread: number;
      /** The director (3, need not be unit); a random direction if omitted. */
      director?: ArrayLike<number>;
    };

/** Options of {@link insertEllipsoids}. */
export interface InsertionOptions {
  /** Number of particles (integer ≥ 1). */
  n: number;
  /** Semi-axes along body x, y, z (3, length), shared by all particles. */
  semiaxes: ArrayLike<number>;
  /** Seed of the random stream (non-negative safe integer). */
  seed: number;
  /** Number density N/V (1/length³); the orthorhombic box then has edges ∝ `boxAspect`. */
  density?: number;
  /** Relative edge lengths of the orthorhombic box built from `density` (default [1, 1, 1]). */
  boxAspect?: ArrayLike<number>;
  /** An explicit periodic cell instead of `density` (any triclinic cell, all directions periodic). */
  cell?: Cell;
  /** Overlap factor f: every pair has `r ≥ f · σ12` (default 1: no overlap). */
  overlapFactor?: number;
  /** Orientations (default isotropic). */
  orientations?: OrientationDistribution;
  /** Trial insertions per particle before giving up with `E_ARG` (default 20000). */
  maxAttempts?: number;
}

/** What {@link insertEllipsoids} returns: an ellipsoid system plus how it was made. */
export interface InsertedConfiguration extends ParticleSystem {
  readonly orientations: Float64Array;
  readonly semiaxes: Float64Array;
  /** Trial insertions made in total (≥ n). */
  readonly attempts: number;
  /** The director used (unit 3-vector) for `'nematic'`, `null` for isotropic. */
  readonly director: Float64Array | null;
  /** N / V (1/length³). */
  readonly density: number;
}

/** `P = R diag(a², b², c²) Rᵀ` (6: xx xy xz yy yz zz) of quaternion `q[iq..]` into `out[io..]`. */
function shapeMatrix(out: Float64Array, io: number, q: ArrayLike<number>, iq: number, s: ArrayLike<number>): void {
  const r = scratchR;
  quatToMatrix(r, 0, q, iq);
  const a2 = s[0]! * s[0]!, b2 = s[1]! * s[1]!, c2 = s[2]! * s[2]!;
  const m = (p: number, k: number) => r[3 * p]! * r[3 * k]! * a2 + r[3 * p + 1]! * r[3 * k + 1]! * b2 + r[3 * p + 2]! * r[3 * k + 2]! * c2;
  out[io] = m(0, 0); out[io + 1] = m(0, 1); out[io + 2] = m(0, 2);
  out[io + 3] = m(1, 1); out[io + 4] = m(1, 2); out[io + 5] = m(2, 2);
}

const scratchR = new Float64Array(9);

/**
 * The Gay–Berne contact distance `σ12 = (½ r̂ᵀ G⁻¹ r̂)^(−1/2)` for the shape matrices `P[oi..]`,
 * `P[oj..]` (see {@link shapeMatrix}) and the unit vector `(hx, hy, hz)`.
 */
function contactFromShapes(P: Float64Array, oi: number, Pj: Float64Array, oj: number, hx: number, hy: number, hz: number): number {
  const g00 = P[oi]! + Pj[oj]!, g01 = P[oi + 1]! + Pj[oj + 1]!, g02 = P[oi + 2]! + Pj[oj + 2]!;
  const g11 = P[oi + 3]! + Pj[oj + 3]!, g12 = P[oi + 4]! + Pj[oj + 4]!, g22 = P[oi + 5]! + Pj[oj + 5]!;
  const c00 = g11 * g22 - g12 * g12, c01 = g02 * g12 - g01 * g22, c02 = g01 * g12 - g02 * g11;
  const c11 = g00 * g22 - g02 * g02, c12 = g01 * g02 - g00 * g12, c22 = g00 * g11 - g01 * g01;
  const det = g00 * c00 + g01 * c01 + g02 * c02;
  const quad = (hx * (c00 * hx + c01 * hy + c02 * hz) + hy * (c01 * hx + c11 * hy + c12 * hz) + hz * (c02 * hx + c12 * hy + c22 * hz)) / det;
  return 1 / Math.sqrt(0.5 * quad);
}

/**
 * The Gay–Berne contact distance σ12 of two particles with quaternions `qi`, `qj` (4 each, body →
 * lab) and semi-axes `si`, `sj` (3 each) along the centre–centre direction `rhat` (3, need not be
 * unit), in the semi-axes' length unit.
 */
export function gayBerneContactDistance(
  qi: ArrayLike<number>,
  si: ArrayLike<number>,
  qj: ArrayLike<number>,
  sj: ArrayLike<number>,
  rhat: ArrayLike<number>,
): number {
  const p = new Float64Array(12);
  shapeMatrix(p, 0, qi, 0, si);
  shapeMatrix(p, 6, qj, 0, sj);
  const n = Math.hypot(rhat[0]!, rhat[1]!, rhat[2]!);
  if (!(n > 0)) throw new AnisoError('E_ARG', 'gayBerneContactDistance: rhat is a zero vector');
  return contactFromShapes(p, 0, p, 6, rhat[0]! / n, rhat[1]! / n, rhat[2]! / n);
}

function positiveFinite(what: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new AnisoError('E_ARG', `insertEllipsoids: ${what} = ${String(x)} must be a finite number > 0`);
  }
  return x;
}

/** A uniform random unit quaternion (Shoemake), w ≥ 0, into `out[io..]`. */
function randomQuaternion(rng: Rng, out: Float64Array, io: number): void {
  const u1 = rng.uniform(), u2 = 2 * Math.PI * rng.uniform(), u3 = 2 * Math.PI * rng.uniform();
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  const s = a * Math.sin(u2) < 0 ? -1 : 1;
  out[io] = s * a * Math.sin(u2); out[io + 1] = s * a * Math.cos(u2);
  out[io + 2] = s * b * Math.sin(u3); out[io + 3] = s * b * Math.cos(u3);
}

function randomUnitVector(rng: Rng, out: Float64Array): void {
  const z = 2 * rng.uniform() - 1, phi = 2 * Math.PI * rng.uniform(), s = Math.sqrt(1 - z * z);
  out[0] = s * Math.cos(phi); out[1] = s * Math.sin(phi); out[2] = z;
}

/**
 * Random sequential insertion: particles are placed one after the other at uniform random
 * positions with orientations from `orientations`; a trial is rejected when any already placed
 * particle, or any periodic image (including the trial's own images in a small cell), is closer
 * than `f · σ12`. Deterministic for a given seed and options.
 *
 * Insertion jams above a packing fraction that depends on shape and order: for GB(3,5,2,1)
 * ellipsoids (semi-axes 0.5, 0.5, 1.5) with f = 1, isotropic insertion works up to ρ* ≈ 0.25 and
 * nematic-biased insertion (spread 0.3) beyond 0.3.
 *
 * @throws AnisoError `E_ARG` for bad options or when a particle cannot be placed in `maxAttempts`
 *   trials (the message gives the density and how many were placed)
 */
export function insertEllipsoids(options: InsertionOptions): InsertedConfiguration {
  const o = options;
  if (!Number.isSafeInteger(o.n) || o.n < 1) throw new AnisoError('E_ARG', `insertEllipsoids: n = ${o.n} must be an integer ≥ 1`);
  const n = o.n;
  if (!o.semiaxes || o.semiaxes.length !== 3) {
    throw new AnisoError('E_ARG', 'insertEllipsoids: semiaxes must be 3 numbers (body x, y, z)');
  }
  const semi = Float64Array.from(o.semiaxes, (x, k) => positiveFinite(`semiaxes[${k}]`, x));
  const f = o.overlapFactor === undefined ? 1 : positiveFinite('overlapFactor', o.overlapFactor);
  const maxAttempts = o.maxAttempts ?? 20000;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new AnisoError('E_ARG', `insertEllipsoids: maxAttempts = ${maxAttempts} must be an integer ≥ 1`);
  }
  let cell: Cell;
  if (o.cell !== undefined) {
    if (o.density !== undefined) throw new AnisoError('E_ARG', 'insertEllipsoids: give either density or cell, not both');
    if (!(o.cell.pbc[0] && o.cell.pbc[1] && o.cell.pbc[2])) {
      throw new AnisoError('E_ARG', 'insertEllipsoids: the cell must be periodic along a, b and c');
    }
    cell = o.cell;
  } else {
    const rho = positiveFinite('density', o.density);
    const aspect = o.boxAspect ?? [1, 1, 1];
    if (aspect.length !== 3) throw new AnisoError('E_ARG', 'insertEllipsoids: boxAspect must be 3 numbers');
    const a = [0, 1, 2].map((k) => positiveFinite(`boxAspect[${k}]`, aspect[k]));
    const scale = Math.cbrt(n / rho / (a[0]! * a[1]! * a[2]!));
    cell = Cell.orthorhombic(a[0]! * scale, a[1]! * scale, a[2]! * scale);
  }
  const dist = o.orientations ?? { kind: 'isotropic' };
  if (dist.kind !== 'isotropic' && dist.kind !== 'nematic') {
    throw new AnisoError('E_ARG', `insertEllipsoids: orientations.kind '${String((dist as { kind: unknown }).kind)}' is not 'isotropic' or 'nematic'`);
  }
  const rng = new Rng(o.seed);
  let director: Float64Array | null = null;
  if (dist.kind === 'nematic') {
    if (!(typeof dist.spread === 'number' && dist.spread >= 0 && Number.isFinite(dist.spread))) {
      throw new AnisoError('E_ARG', `insertEllipsoids: orientations.spread = ${String(dist.spread)} must be a finite number ≥ 0`);
    }
    director = new Float64Array(3);
    if (dist.director === undefined) randomUnitVector(rng, director);
    else {
      const d = dist.director;
      const len = Math.hypot(d[0]!, d[1]!, d[2]!);
      if (d.length !== 3 || !(len > 0 && len < Infinity)) {
        throw new AnisoError('E_ARG', 'insertEllipsoids: orientations.director must be 3 finite numbers, not all 0');
      }
      for (let k = 0; k < 3; k++) director[k] = d[k]! / len;
    }
  }

  const positions = new Float64Array(3 * n);
  const orientations = new Float64Array(4 * n);
  const shapes = new Float64Array(6 * n);
  const widths = Cell.widths(cell);
  const h = cell.h;
  const cMax = Math.max(semi[0]!, semi[1]!, semi[2]!);
  // σ12 ≤ √(2 (c_i² + c_j²)) = 2 c_max for identical particles (λ_max(G) ≤ 2 c_max²).
  const cut = f * 2 * cMax;
  const cut2 = cut * cut;
  const m = [0, 1, 2].map((d) => Math.ceil(cut / widths[d]!));
  const trialQ = new Float64Array(4), trialP = new Float64Array(6), trialR = new Float64Array(3);
  const frac = new Float64Array(3), u = new Float64Array(3), spin = new Float64Array(4), tilt = new Float64Array(4);

  let attempts = 0;
  for (let i = 0; i < n; i++) {
    let placed = false;
    for (let t = 0; t < maxAttempts && !placed; t++) {
      attempts++;
      frac[0] = rng.uniform(); frac[1] = rng.uniform(); frac[2] = rng.uniform();
      Cell.toCartesian(cell, frac, 0, trialR, 0);
      if (director === null) {
        randomQuaternion(rng, trialQ, 0);
      } else {
        const spread = (dist as { spread: number }).spread;
        const sign = rng.uniform() < 0.5 ? -1 : 1;
        for (let k = 0; k < 3; k++) u[k] = sign * (director[k]! + spread * rng.normal());
        const len = Math.hypot(u[0]!, u[1]!, u[2]!);
        for (let k = 0; k < 3; k++) u[k] = u[k]! / len;
        quatFromZAxis(tilt, 0, u, 0);
        quatFromAxisAngle(spin, 0, 0, 0, 1, 2 * Math.PI * rng.uniform());
        quatMultiply(trialQ, 0, tilt, 0, spin, 0);
      }
      shapeMatrix(trialP, 0, trialQ, 0, semi);
      placed = !overlapsAny(i, trialR, trialP);
    }
    if (!placed) {
      throw new AnisoError(
        'E_ARG',
        `insertEllipsoids: could not place particle ${i + 1} of ${n} in ${maxAttempts} trials ` +
          `(density ${(n / Cell.volume(cell)).toPrecision(4)}, overlap factor ${f}, ${dist.kind} orientations); ` +
          'lower the density or the overlap factor, or bias the orientations',
      );
    }
    positions.set(trialR, 3 * i);
    orientations.set(trialQ, 4 * i);
    shapes.set(trialP, 6 * i);
  }

  /** True if a trial at `r` with shape `p` is closer than f·σ12 to particle j < count or to its own images. */
  function overlapsAny(count: number, r: Float64Array, p: Float64Array): boolean {
    for (let j = 0; j <= count; j++) {
      const self = j === count;
      let sa = 0, sb = 0, sc = 0;
      if (!self) {
        const dx = positions[3 * j]! - r[0]!, dy = positions[3 * j + 1]! - r[1]!, dz = positions[3 * j + 2]! - r[2]!;
        const mi = cell.hInv;
        sa = dx * mi[0]! + dy * mi[3]! + dz * mi[6]!;
        sb = dx * mi[1]! + dy * mi[4]! + dz * mi[7]!;
        sc = dx * mi[2]! + dy * mi[5]! + dz * mi[8]!;
        sa -= Math.round(sa); sb -= Math.round(sb); sc -= Math.round(sc);
      }
      const pj = self ? p : shapes, oj = self ? 0 : 6 * j;
      for (let na = -m[0]!; na <= m[0]!; na++) {
        for (let nb = -m[1]!; nb <= m[1]!; nb++) {
          for (let nc = -m[2]!; nc <= m[2]!; nc++) {
            if (self && na === 0 && nb === 0 && nc === 0) continue;
            const fa = sa + na, fb = sb + nb, fc = sc + nc;
            const x = fa * h[0]! + fb * h[3]! + fc * h[6]!;
            const y = fa * h[1]! + fb * h[4]! + fc * h[7]!;
            const z = fa * h[2]! + fb * h[5]! + fc * h[8]!;
            const r2 = x * x + y * y + z * z;
            if (r2 >= cut2) continue;
            const rr = Math.sqrt(r2);
            if (rr === 0) return true;
            const sigma = contactFromShapes(p, 0, pj, oj, x / rr, y / rr, z / rr);
            if (rr < f * sigma) return true;
          }
        }
      }
    }
    return false;
  }

  return {
    n,
    positions,
    orientations,
    semiaxes: Float64Array.from({ length: 3 * n }, (_, k) => semi[k % 3]!),
    cell,
    attempts,
    director,
    density: n / Cell.volume(cell),
  };
}

/**
 * The smallest ratio `r / σ12` over all pairs (every periodic image within `2 c_max`, own images
 * included) of an ellipsoid system (c_max its largest semi-axis), or `Infinity`
 * when no pair is that close. A check of {@link insertEllipsoids} and a quick overlap diagnostic
 * for MD snapshots. O(N²) (fine for a few hundred particles).
 */
export function minContactRatio(system: ParticleSystem): number {
  const { n, positions, orientations: q, cell } = system;
  if (q === undefined || system.semiaxes === undefined) {
    throw new AnisoError('E_ARG', 'minContactRatio: the system needs orientations and semiaxes');
  }
  const shapes = new Float64Array(6 * n);
  let cMax = 0;
  for (let i = 0; i < n; i++) {
    const s = system.semiaxes.subarray(3 * i, 3 * i + 3);
    shapeMatrix(shapes, 6 * i, q, 4 * i, s);
    cMax = Math.max(cMax, s[0]!, s[1]!, s[2]!);
  }
  const cut = 2 * cMax; // σ12 ≤ √(2 (c_i² + c_j²)) ≤ 2 max c
  const widths = Cell.widths(cell);
  const periodic = Cell.isPeriodic(cell);
  const m = [0, 1, 2].map((d) => (periodic && cell.pbc[d] ? Math.ceil(cut / widths[d]!) : 0));
  const d = new Float64Array(3);
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      d[0] = positions[3 * j]! - positions[3 * i]!;
      d[1] = positions[3 * j + 1]! - positions[3 * i + 1]!;
      d[2] = positions[3 * j + 2]! - positions[3 * i + 2]!;
      Cell.minimumImage(cell, d, 0);
      for (let na = -m[0]!; na <= m[0]!; na++) {
        for (let nb = -m[1]!; nb <= m[1]!; nb++) {
          for (let nc = -m[2]!; nc <= m[2]!; nc++) {
            if (i === j && na === 0 && nb === 0 && nc === 0) continue;
            const h = cell.h;
            const x = d[0]! + na * h[0]! + nb * h[3]! + nc * h[6]!;
            const y = d[1]! + na * h[1]! + nb * h[4]! + nc * h[7]!;
            const z = d[2]! + na * h[2]! + nb * h[5]! + nc * h[8]!;
            const r = Math.hypot(x, y, z);
            if (r >= cut) continue;
            if (r === 0) return 0;
            best = Math.min(best, r / contactFromShapes(shapes, 6 * i, shapes, 6 * j, x / r, y / r, z / r));
          }
        }
      }
    }
  }
  return best;
}

/** What {@link labelWithGayBerne} returns (units of the potential's parameters). */
export interface GayBerneLabels {
  /** Total energy. */
  energy: number;
  /** Forces on the centres, 3n (energy/length). */
  forces: Float64Array;
  /** Lab-frame torques about the centres, 3n (energy). */
  torques: Float64Array;
  /** Per-particle energies, n (half of each pair energy to each partner; they sum to `energy`). */
  energies: Float64Array;
  /** Virial `Σ F ⊗ r`, row-major 9 (energy), at fixed lab orientations. */
  virial: Float64Array;
}

/**
 * Label an ellipsoid configuration with Gay–Berne: exactly the arrays of
 * `gb.computePerParticle(system)` (so the labels carry its truncation: use `'switch'` for a
 * continuous target).
 */
export function labelWithGayBerne(gb: GayBerne, system: ParticleSystem): GayBerneLabels {
  const r = gb.computePerParticle(system);
  return { energy: r.energy, forces: r.forces, torques: r.torques!, energies: r.energies, virial: r.virial };
}

/** The canonical dimer geometries of docs/CONVENTIONS.md §4 (names as in `gb_dimer_scans.csv`). */
export type DimerGeometry = 'side_by_side' | 'end_to_end' | 'T_shape' | 'cross';

/** The four geometries in the order of the reference files. */
export const DIMER_GEOMETRIES: readonly DimerGeometry[] = Object.freeze(['side_by_side', 'end_to_end', 'T_shape', 'cross'] as DimerGeometry[]);

/** Centre–centre direction and the two long axes (lab x, y or z) of each geometry. */
export const DIMER_AXES: Readonly<Record<DimerGeometry, readonly ['x' | 'y' | 'z', 'x' | 'y' | 'z', 'x' | 'y' | 'z']>> = Object.freeze({
  side_by_side: ['x', 'z', 'z'],
  end_to_end: ['z', 'z', 'z'],
  T_shape: ['x', 'x', 'z'],
  cross: ['x', 'z', 'y'],
} as const);

const UNIT: Record<'x' | 'y' | 'z', [number, number, number]> = { x: [1, 0, 0], y: [0, 1, 0], z: [0, 0, 1] };

/** Options of {@link canonicalDimer}. */
export interface DimerOptions {
  /** Semi-axes along body x, y, z (3, length; default GB(3,5,2,1): 0.5, 0.5, 1.5). */
  semiaxes?: ArrayLike<number>;
  /** Edge of the periodic cubic box (length; default 50 as in the shared dimer files). */
  box?: number;
}

/**
 * Two ellipsoids in the canonical `geometry` (r̂, u_i, u_j from {@link DIMER_AXES}, long axes on
 * body z) at centre distance `r`: particle 0 at the box centre, particle 1 at `+r r̂`, in a
 * periodic cube large enough that no images interact.
 */
export function canonicalDimer(geometry: DimerGeometry, r: number, options: DimerOptions = {}): ParticleSystem {
  const axes = DIMER_AXES[geometry];
  if (axes === undefined) {
    throw new AnisoError('E_ARG', `canonicalDimer: geometry '${String(geometry)}' is not one of ${DIMER_GEOMETRIES.join(', ')}`);
  }
  if (!(r > 0 && Number.isFinite(r))) throw new AnisoError('E_ARG', `canonicalDimer: r = ${r} must be a finite length > 0`);
  const semi = options.semiaxes ?? [0.5, 0.5, 1.5];
  const box = options.box ?? 50;
  if (!(box > 2 * r)) throw new AnisoError('E_ARG', `canonicalDimer: box = ${box} must exceed 2r = ${2 * r}`);
  const [rhat, ui, uj] = [UNIT[axes[0]], UNIT[axes[1]], UNIT[axes[2]]];
  const c = box / 2;
  const orientations = new Float64Array(8);
  quatFromZAxis(orientations, 0, ui, 0);
  quatFromZAxis(orientations, 4, uj, 0);
  return {
    n: 2,
    positions: Float64Array.of(c, c, c, c + r * rhat[0], c + r * rhat[1], c + r * rhat[2]),
    cell: Cell.orthorhombic(box, box, box),
    orientations,
    semiaxes: Float64Array.of(semi[0]!, semi[1]!, semi[2]!, semi[0]!, semi[1]!, semi[2]!),
  };
}
