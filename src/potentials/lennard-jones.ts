// SPDX-License-Identifier: BSD-3-Clause
/**
 * Lennard-Jones point particles: `U(r) = 4ε ((σ/r)¹² − (σ/r)⁶)` for `r < rc`, summed over every
 * periodic image within the cutoff, optionally shifted (`U(r) − U(rc)`, LAMMPS `pair_modify shift
 * yes`) and/or multiplied by the C2 switch of `cutoff-switch.ts` (`S(r) (U(r) − shift)`).
 * Per-type parameters mix by Lorentz–Berthelot (`ε_ij = √(ε_i ε_j)`, `σ_ij = (σ_i + σ_j)/2`)
 * unless a pair is given explicitly.
 *
 * Forces: `∂U/∂r12 = −(24ε / r) (2 (σ/r)¹² − (σ/r)⁶) r̂` with `r12 = x_j − x_i`; the force on i is
 * `+∂U/∂r12`, on j the opposite, and the virial gets `W += F_j ⊗ r12`. Units are those of the
 * parameters (Å and eV for the library's internal units).
 */
import { AnisoError } from '../core/errors.js';
import type { NeighborList } from '../core/neighbor-list.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { CutoffSwitch, Truncation } from '../core/cutoff-switch.js';
import { PairPotential, pairSwitches } from './pair-potential.js';

/** Per-type parameters of {@link LennardJonesOptions.types}. */
export interface LennardJonesTypeOptions {
  /** Well depth ε (energy), > 0. */
  epsilon: number;
  /** Zero-crossing distance σ (length), > 0. */
  sigma: number;
}

/** An explicit type pair of {@link LennardJonesOptions.pairs}, overriding the mixing rule. */
export interface LennardJonesPairOptions {
  /** The two type indices (0-based, order irrelevant). */
  types: readonly [number, number];
  /** Well depth ε (energy), > 0. */
  epsilon: number;
  /** σ (length), > 0. */
  sigma: number;
  /** Per-pair cutoff (length), > 0; default the global cutoff. */
  cutoff?: number;
}

/**
 * Options of `new LennardJones(options)`: one type (`epsilon`, `sigma`) or several (`types`, with
 * optional `pairs` overrides), not both.
 */
export interface LennardJonesOptions {
  /** Global cutoff on the pair distance `r < cutoff` (length), > 0. */
  cutoff: number;
  /** One-type shorthand: ε (energy). */
  epsilon?: number;
  /** One-type shorthand: σ (length). */
  sigma?: number;
  /** Per-type ε, σ, mixed by Lorentz–Berthelot for unlike pairs. */
  types?: readonly LennardJonesTypeOptions[];
  /** Explicit type pairs (override the mixing rule). */
  pairs?: readonly LennardJonesPairOptions[];
  /** Subtract `U(rc)` from every pair energy so that it is continuous at rc (default false). */
  shift?: boolean;
  /** `'hard'` (default) or `'switch'` (C2 switch on `[rc − switchWidth, rc]`). */
  truncation?: Truncation;
  /** Width of the switching region (length), required with `truncation: 'switch'`. */
  switchWidth?: number;
}

function positive(what: string, x: unknown, unit: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
    throw new AnisoError('E_ARG', `lj: ${what} = ${String(x)} must be a finite ${unit} > 0`);
  }
  return x;
}

/**
 * Lennard-Jones as a {@link ForceProvider} (name `'lj'`) for point particles: reads
 * `system.positions` (3n) and `system.types` (n, all 0 if absent); returns `torques: null`.
 * One instance keeps its neighbour list between calls; it is not re-entrant.
 */
export class LennardJones extends PairPotential {
  /** Provider name. */
  readonly name = 'lj';
  /** Largest pair cutoff (length): the neighbour-list cutoff. */
  readonly cutoff: number;
  /** The truncation in use. */
  readonly truncation: Truncation;
  /** Whether pair energies are shifted by `U(rc)`. */
  readonly shift: boolean;
  /** Number of particle types. */
  readonly typeCount: number;

  /** Per type pair (`ti·nt + tj`): 4εσ¹², 4εσ⁶, rc², energy shift U(rc), switch. */
  private readonly c12: Float64Array;
  private readonly c6: Float64Array;
  private readonly cut2: Float64Array;
  private readonly eShift: Float64Array;
  private readonly switches: (CutoffSwitch | null)[];

  /**
   * @param options see {@link LennardJonesOptions}
   * @throws AnisoError `E_ARG` naming the bad value
   */
  constructor(options: LennardJonesOptions) {
    super();
    const o = options;
    if (o === null || typeof o !== 'object') throw new AnisoError('E_ARG', `lj: options must be an object, got ${String(o)}`);
    const rc = positive('cutoff', o.cutoff, 'length');
    let types: readonly LennardJonesTypeOptions[];
    if (o.types !== undefined) {
      if (o.epsilon !== undefined || o.sigma !== undefined) {
        throw new AnisoError('E_ARG', 'lj: give either epsilon/sigma (one type) or types, not both');
      }
      if (!Array.isArray(o.types) || o.types.length === 0) {
        throw new AnisoError('E_ARG', `lj: types must be a non-empty array, got ${String(o.types)}`);
      }
      types = o.types;
    } else {
      types = [{ epsilon: o.epsilon as number, sigma: o.sigma as number }];
    }
    const nt = types.length;
    this.typeCount = nt;
    const eps = new Float64Array(nt * nt), sig = new Float64Array(nt * nt), cut = new Float64Array(nt * nt).fill(rc);
    const te = types.map((t, k) => positive(`types[${k}].epsilon`, t?.epsilon, 'energy'));
    const ts = types.map((t, k) => positive(`types[${k}].sigma`, t?.sigma, 'length'));
    for (let a = 0; a < nt; a++) {
      for (let b = 0; b < nt; b++) {
        eps[a * nt + b] = Math.sqrt(te[a]! * te[b]!);
        sig[a * nt + b] = 0.5 * (ts[a]! + ts[b]!);
      }
    }
    const seen = new Set<number>();
    (o.pairs ?? []).forEach((p, k) => {
      const what = `pairs[${k}]`;
      if (p === null || typeof p !== 'object' || !Array.isArray(p.types) || p.types.length !== 2) {
        throw new AnisoError('E_ARG', `lj: ${what}.types must be two type indices, got ${String(p?.types)}`);
      }
      const [a, b] = p.types;
      for (const t of [a, b]) {
        if (!Number.isInteger(t) || t < 0 || t >= nt) throw new AnisoError('E_ARG', `lj: ${what}.types has type ${String(t)}, allowed 0..${nt - 1}`);
      }
      if (seen.has(a * nt + b)) throw new AnisoError('E_ARG', `lj: ${what} repeats the type pair (${a}, ${b})`);
      const e = positive(`${what}.epsilon`, p.epsilon, 'energy');
      const s = positive(`${what}.sigma`, p.sigma, 'length');
      const c = p.cutoff === undefined ? rc : positive(`${what}.cutoff`, p.cutoff, 'length');
      for (const idx of [a * nt + b, b * nt + a]) {
        eps[idx] = e; sig[idx] = s; cut[idx] = c; seen.add(idx);
      }
    });
    this.shift = o.shift ?? false;
    if (typeof this.shift !== 'boolean') throw new AnisoError('E_ARG', `lj: shift = ${String(o.shift)} must be true or false`);
    this.truncation = o.truncation ?? 'hard';
    this.switches = pairSwitches('lj', o.truncation, cut, o.switchWidth);
    this.c12 = new Float64Array(nt * nt);
    this.c6 = new Float64Array(nt * nt);
    this.cut2 = new Float64Array(nt * nt);
    this.eShift = new Float64Array(nt * nt);
    let maxCut = 0;
    for (let k = 0; k < nt * nt; k++) {
      const s6 = sig[k]! ** 6;
      this.c12[k] = 4 * eps[k]! * s6 * s6;
      this.c6[k] = 4 * eps[k]! * s6;
      this.cut2[k] = cut[k]! * cut[k]!;
      const ir6 = 1 / cut[k]! ** 6;
      this.eShift[k] = this.shift ? ir6 * (this.c12[k]! * ir6 - this.c6[k]!) : 0;
      maxCut = Math.max(maxCut, cut[k]!);
    }
    this.cutoff = maxCut;
  }

  /** Validate positions and types of `system`; returns n. */
  protected prepare(system: ParticleSystem): number {
    const n = system.n;
    if (system.positions.length !== 3 * n) {
      throw new AnisoError('E_SIZE', `lj: positions has length ${system.positions.length}, expected 3n = ${3 * n}`);
    }
    const types = system.types;
    const nt = this.typeCount;
    if (types !== undefined) {
      if (types.length !== n) throw new AnisoError('E_SIZE', `lj: types has length ${types.length}, expected n = ${n}`);
      for (let i = 0; i < n; i++) {
        const t = types[i]!;
        if (!(t >= 0 && t < nt)) throw new AnisoError('E_ARG', `lj: particle ${i} has type ${t}, allowed 0..${nt - 1}`);
      }
    }
    return n;
  }

  /** Energy, forces and virial on the pairs of `list` (see {@link PairPotential.evaluate}); torques null. */
  protected evaluate(system: ParticleSystem, list: NeighborList, E: Float64Array | null): ForceResult {
    const types = system.types;
    const nt = this.typeCount;
    const F = new Float64Array(3 * system.n);
    const c12 = this.c12, c6 = this.c6, cut2 = this.cut2, eShift = this.eShift, switches = this.switches;
    const first = list.first, second = list.second, vec = list.vectors, count = list.count;
    let energy = 0;
    let w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0;
    for (let k = 0; k < count; k++) {
      const i = first[k]!, j = second[k]!;
      const dx = vec[3 * k]!, dy = vec[3 * k + 1]!, dz = vec[3 * k + 2]!;
      const rsq = dx * dx + dy * dy + dz * dz;
      const tp = types === undefined ? 0 : types[i]! * nt + types[j]!;
      if (!(rsq < cut2[tp]!)) continue;
      const ir2 = 1 / rsq;
      const ir6 = ir2 * ir2 * ir2;
      const a12 = c12[tp]! * ir6 * ir6, a6 = c6[tp]! * ir6;
      let u = a12 - a6 - eShift[tp]!;
      // (∂U/∂r) / r
      let g = -(12 * a12 - 6 * a6) * ir2;
      const sw = switches[tp];
      if (sw !== null && sw !== undefined) {
        const r = Math.sqrt(rsq);
        if (r > sw.rOn) {
          const s = sw.value(r);
          g = s * g + (sw.derivative(r) * u) / r;
          u *= s;
        }
      }
      const fx = g * dx, fy = g * dy, fz = g * dz;
      energy += u;
      if (E !== null) {
        E[i] += 0.5 * u;
        E[j] += 0.5 * u;
      }
      F[3 * i] += fx; F[3 * i + 1] += fy; F[3 * i + 2] += fz;
      F[3 * j] -= fx; F[3 * j + 1] -= fy; F[3 * j + 2] -= fz;
      w00 -= fx * dx; w01 -= fx * dy; w02 -= fx * dz;
      w10 -= fy * dx; w11 -= fy * dy; w12 -= fy * dz;
      w20 -= fz * dx; w21 -= fz * dy; w22 -= fz * dz;
    }
    if (!Number.isFinite(energy)) throw new AnisoError('E_NONFINITE', `lj: energy is ${energy} (coincident particles?)`);
    const virial = Float64Array.of(w00, w01, w02, w10, w11, w12, w20, w21, w22);
    return { energy, forces: F, torques: null, virial, extras: {} };
  }
}
