// SPDX-License-Identifier: BSD-3-Clause
/**
 * Options of the Gay–Berne provider and their validation into flat per-type and per-type-pair
 * tables (see `gay-berne.ts` for the physics). Kept apart so the force loop file stays about the
 * force loop.
 */
import { AnisoError } from '../core/errors.js';
import type { Truncation } from '../core/cutoff-switch.js';

/** Per-type options of {@link GayBerneOptions.types}. */
export interface GayBerneTypeOptions {
  /**
   * Relative well depths `[ε_a, ε_b, ε_c]` (dimensionless, each > 0) for approach along body x, y,
   * z (LAMMPS `pair_coeff` `eps_Ia eps_Ib eps_Ic`). Classic GB(κ, κ', μ, ν): `[1, 1, 1/κ']`.
   */
  wells: ArrayLike<number>;
  /**
   * Semi-axes `[a, b, c]` along body x, y, z (length, each > 0), used for particles of this type
   * only when the system carries no `semiaxes`. LAMMPS `shape` is diameters: semi-axes = shape/2.
   */
  semiaxes?: ArrayLike<number>;
}

/** Per-type-pair options of {@link GayBerneOptions.pairs} (LAMMPS `pair_coeff I J eps sigma …`). */
export interface GayBernePairOptions {
  /** The two type indices (0-based, order irrelevant). */
  types: readonly [number, number];
  /** Energy scale ε of the pair (energy unit), > 0. */
  epsilon: number;
  /** Width σ of the LJ-like radial term (length), > 0. Not the contact distance. */
  sigma: number;
  /** Per-pair cutoff on the centre distance (length), > 0; default the global `cutoff`. */
  cutoff?: number;
}

/**
 * Options of `new GayBerne(options)`. Give either the one-type shorthand (`epsilon`, `sigma`,
 * `wells`, optional `semiaxes`) or `types` + `pairs`, not both.
 *
 * The names follow `pair_style gayberne gamma upsilon mu cutoff`; note that LAMMPS lists
 * `upsilon` (classic ν) **before** `mu`.
 */
export interface GayBerneOptions {
  /** Shift γ in `ρ = σ / (h12 + γσ)` (dimensionless, finite, ≥ 0; classic GB: 1). */
  gamma: number;
  /** Exponent υ of `η12 = (2 s1 s2 / det G12)^(υ/2)` (dimensionless, finite; classic ν). */
  upsilon: number;
  /** Exponent μ of `χ12 = (2 r̂ᵀ B12⁻¹ r̂)^μ` (dimensionless, finite, ≠ 0). */
  mu: number;
  /** Global cutoff on the centre–centre distance `r < cutoff` (length), > 0. */
  cutoff: number;
  /** One-type shorthand: ε (energy). */
  epsilon?: number;
  /** One-type shorthand: σ (length). */
  sigma?: number;
  /** One-type shorthand: relative wells `[ε_a, ε_b, ε_c]`. */
  wells?: ArrayLike<number>;
  /** One-type shorthand: default semi-axes `[a, b, c]` (length) when the system has none. */
  semiaxes?: ArrayLike<number>;
  /** Multi-type form: one entry per type index 0, 1, …. */
  types?: readonly GayBerneTypeOptions[];
  /**
   * Multi-type form: pair coefficients. Every like pair `(t, t)` must be given; a missing unlike
   * pair is mixed geometrically from the like pairs (LAMMPS's default `pair_modify mix
   * geometric`: `ε = √(ε_i ε_j)`, `σ = √(σ_i σ_j)`, `cutoff = √(rc_i rc_j)`).
   */
  pairs?: readonly GayBernePairOptions[];
  /**
   * `'hard'` (default, as LAMMPS): pair energy `U` for `r < cutoff`, 0 beyond, no shift.
   * `'switch'`: `S(r) U` with the C2 quintic switch of `cutoff-switch.ts` on
   * `[rc − switchWidth, rc]`, `rc` the pair's cutoff.
   */
  truncation?: Truncation;
  /** Width of the switching region (length), required with `truncation: 'switch'`. */
  switchWidth?: number;
}

/** Classic GB(κ, κ', μ, ν) parameters for identical uniaxial particles (docs/CONVENTIONS.md §4). */
export interface GayBerneClassicOptions {
  /** κ = σ_e / σ_s, length-to-breadth ratio (> 0; < 1 for discs). */
  kappa: number;
  /** κ' = ε_s / ε_e, side-by-side over end-to-end well depth ratio (> 0). */
  kappaPrime: number;
  /** μ (dimensionless, ≠ 0). */
  mu: number;
  /** ν (dimensionless). */
  nu: number;
  /** σ0: side-by-side contact distance = short diameter (length, > 0). Also the LJ width unless `sigmaW` is given. */
  sigma0: number;
  /**
   * σ_w, the width σ of the LJ-like radial term (length, > 0), when it differs from σ0: LAMMPS
   * `pair_coeff` sigma (e.g. 0.345 for the oblate set of `data/reference/gayberne`, whose σ0 is 1).
   * Default σ0 (the classic potential).
   */
  sigmaW?: number;
  /** ε0 (energy, > 0). Not the side-by-side well depth when ν ≠ 0. */
  epsilon0: number;
  /** Cutoff on the centre distance (length, > 0). */
  cutoff: number;
  /** As {@link GayBerneOptions.truncation}. */
  truncation?: Truncation;
  /** As {@link GayBerneOptions.switchWidth}. */
  switchWidth?: number;
}

/** Validated, flattened parameters. `nt` types; pair tables are `nt × nt`, index `ti·nt + tj`. */
export interface GayBerneTables {
  /** Number of types. */
  nt: number;
  /** γ (dimensionless). */
  gamma: number;
  /** υ (dimensionless). */
  upsilon: number;
  /** μ (dimensionless). */
  mu: number;
  /** Largest pair cutoff (length): the neighbour-list cutoff. */
  maxCutoff: number;
  /** Per type, 3 each: `ε_k^(−1/μ)` for k = a, b, c (the diagonal of E). */
  wellDiag: Float64Array;
  /** Per type: 1 if `ε_a = ε_b = ε_c` (a type that is a sphere when its semi-axes are equal). */
  equalWells: Uint8Array;
  /** Per type, 3 each: default semi-axes (length), NaN when not given. */
  defaultSemiaxes: Float64Array;
  /** Per type pair: ε (energy). */
  epsilon: Float64Array;
  /** Per type pair: σ (length). */
  sigma: Float64Array;
  /** Per type pair: cutoff (length). */
  cutoff: Float64Array;
  /** Per type pair: cutoff² (length²). */
  cutoffSq: Float64Array;
}

function positive(what: string, x: unknown, unit: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new AnisoError('E_ARG', `gayberne: ${what} = ${String(x)} must be a finite ${unit} > 0`);
  }
  return x;
}

function finite(what: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new AnisoError('E_ARG', `gayberne: ${what} = ${String(x)} must be a finite number`);
  }
  return x;
}

function triple(what: string, v: ArrayLike<number> | undefined, unit: string): [number, number, number] {
  if (v === undefined || v === null || typeof v !== 'object' || v.length !== 3) {
    throw new AnisoError('E_ARG', `gayberne: ${what} must be 3 numbers (body x, y, z), got ${String(v)}`);
  }
  return [positive(`${what}[0]`, v[0], unit), positive(`${what}[1]`, v[1], unit), positive(`${what}[2]`, v[2], unit)];
}

/** Validate {@link GayBerneOptions} into {@link GayBerneTables}. Throws `E_ARG` naming the bad value. */
export function gayBerneTables(o: GayBerneOptions): GayBerneTables {
  if (o === null || typeof o !== 'object') throw new AnisoError('E_ARG', `gayberne: options must be an object, got ${String(o)}`);
  const gamma = finite('gamma', o.gamma);
  if (gamma < 0) throw new AnisoError('E_ARG', `gayberne: gamma = ${gamma} must be ≥ 0`);
  const upsilon = finite('upsilon', o.upsilon);
  const mu = finite('mu', o.mu);
  if (mu === 0) throw new AnisoError('E_ARG', 'gayberne: mu = 0 is not allowed (the wells enter as ε^(-1/μ))');
  const globalCut = positive('cutoff', o.cutoff, 'length');

  const shorthand = o.epsilon !== undefined || o.sigma !== undefined || o.wells !== undefined;
  let types: readonly GayBerneTypeOptions[];
  let pairs: readonly GayBernePairOptions[];
  if (o.types !== undefined || o.pairs !== undefined) {
    if (shorthand || o.semiaxes !== undefined) {
      throw new AnisoError('E_ARG', 'gayberne: give either epsilon/sigma/wells/semiaxes (one type) or types/pairs, not both');
    }
    if (!Array.isArray(o.types) || o.types.length === 0) {
      throw new AnisoError('E_ARG', `gayberne: types must be a non-empty array, got ${String(o.types)}`);
    }
    if (!Array.isArray(o.pairs)) throw new AnisoError('E_ARG', `gayberne: pairs must be an array, got ${String(o.pairs)}`);
    types = o.types;
    pairs = o.pairs;
  } else {
    if (o.wells === undefined) throw new AnisoError('E_ARG', 'gayberne: wells [eps_a, eps_b, eps_c] is required (or types/pairs)');
    types = [o.semiaxes === undefined ? { wells: o.wells } : { wells: o.wells, semiaxes: o.semiaxes }];
    pairs = [{ types: [0, 0], epsilon: o.epsilon as number, sigma: o.sigma as number }];
  }

  const nt = types.length;
  const wellDiag = new Float64Array(3 * nt);
  const equalWells = new Uint8Array(nt);
  const defaultSemiaxes = new Float64Array(3 * nt).fill(NaN);
  for (let t = 0; t < nt; t++) {
    const spec = types[t]!;
    const w = triple(`types[${t}].wells`, spec?.wells, 'relative well depth');
    for (let k = 0; k < 3; k++) wellDiag[3 * t + k] = Math.pow(w[k], -1 / mu);
    equalWells[t] = w[0] === w[1] && w[1] === w[2] ? 1 : 0;
    if (spec.semiaxes !== undefined) {
      const s = triple(`types[${t}].semiaxes`, spec.semiaxes, 'length');
      defaultSemiaxes.set(s, 3 * t);
    }
  }

  const np = nt * nt;
  const epsilon = new Float64Array(np).fill(NaN);
  const sigma = new Float64Array(np).fill(NaN);
  const cutoff = new Float64Array(np).fill(NaN);
  const given = new Uint8Array(np);
  pairs.forEach((p, k) => {
    const what = `pairs[${k}]`;
    if (p === null || typeof p !== 'object' || !Array.isArray(p.types) || p.types.length !== 2) {
      throw new AnisoError('E_ARG', `gayberne: ${what}.types must be two type indices, got ${String(p?.types)}`);
    }
    const [a, b] = p.types;
    for (const t of [a, b]) {
      if (!Number.isInteger(t) || t < 0 || t >= nt) {
        throw new AnisoError('E_ARG', `gayberne: ${what}.types has type ${String(t)}, allowed 0..${nt - 1}`);
      }
    }
    if (given[a * nt + b]) throw new AnisoError('E_ARG', `gayberne: ${what} repeats the type pair (${a}, ${b})`);
    const e = positive(`${what}.epsilon`, p.epsilon, 'energy');
    const s = positive(`${what}.sigma`, p.sigma, 'length');
    const c = p.cutoff === undefined ? globalCut : positive(`${what}.cutoff`, p.cutoff, 'length');
    for (const idx of [a * nt + b, b * nt + a]) {
      epsilon[idx] = e; sigma[idx] = s; cutoff[idx] = c; given[idx] = 1;
    }
  });
  for (let a = 0; a < nt; a++) {
    if (!given[a * nt + a]) throw new AnisoError('E_ARG', `gayberne: pairs has no entry for the like pair (${a}, ${a})`);
  }
  for (let a = 0; a < nt; a++) {
    for (let b = 0; b < nt; b++) {
      const idx = a * nt + b;
      if (given[idx]) continue;
      const ia = a * nt + a, ib = b * nt + b;
      epsilon[idx] = Math.sqrt(epsilon[ia]! * epsilon[ib]!);
      sigma[idx] = Math.sqrt(sigma[ia]! * sigma[ib]!);
      cutoff[idx] = Math.sqrt(cutoff[ia]! * cutoff[ib]!);
    }
  }
  const cutoffSq = new Float64Array(np);
  let maxCutoff = 0;
  for (let k = 0; k < np; k++) {
    cutoffSq[k] = cutoff[k]! * cutoff[k]!;
    maxCutoff = Math.max(maxCutoff, cutoff[k]!);
  }
  return { nt, gamma, upsilon, mu, maxCutoff, wellDiag, equalWells, defaultSemiaxes, epsilon, sigma, cutoff, cutoffSq };
}
