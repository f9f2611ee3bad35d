// SPDX-License-Identifier: BSD-3-Clause
/**
 * The dynamical state of the embedded engine: point sites with positions, velocities and masses
 * in a cell, plus the kinetic observables (kinetic energy, instantaneous temperature, momentum)
 * and Maxwell–Boltzmann velocity initialisation.
 *
 * Units: positions Å, velocities Å/fs, masses amu, energies eV, temperatures K, momenta amu·Å/fs.
 * Kinetic energy `K = ½ Σ m v² · C` with `C = AMU_A2_PER_FS2_IN_EV` (1 amu·Å²/fs² in eV).
 * Per-particle arrays are particle-major with xyz interleaved (`x0 y0 z0 x1 …`).
 */
import type { Cell } from '../core/cell.js';
import { AnisoError, checkLength } from '../core/errors.js';
import type { ParticleSystem } from '../core/system.js';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../core/units.js';
import { Rng } from '../core/rng.js';

/**
 * Positions, velocities and masses of `n` point sites in a cell. Created by {@link createMdState};
 * integrators update `positions`, `velocities`, `step` and `time` in place.
 */
export interface MdState {
  /** Number of sites. */
  readonly n: number;
  /** Positions, 3n, Å. Not wrapped into the cell (like i-PI with `pbc=false`). */
  readonly positions: Float64Array;
  /** Velocities, 3n, Å/fs. */
  readonly velocities: Float64Array;
  /** Masses, n, amu, all finite and > 0. */
  readonly masses: Float64Array;
  /** The simulation cell (rows = lattice vectors, Å). */
  readonly cell: Cell;
  /** Species name of each site, n entries (written to trajectories; no whitespace). */
  readonly species: readonly string[];
  /** Optional per-site type index, n entries, forwarded to the force source. */
  readonly types?: Int32Array;
  /** Steps taken so far (continues across successive runs). */
  step: number;
  /** Simulated time so far, fs. */
  time: number;
}

/** Input of {@link createMdState}. Arrays are copied. */
export interface MdStateInit {
  /** Positions, 3n, Å. */
  positions: ArrayLike<number>;
  /** Masses, n, amu (> 0). */
  masses: ArrayLike<number>;
  /** The simulation cell. */
  cell: Cell;
  /** Species names, n entries. */
  species: readonly string[];
  /** Velocities, 3n, Å/fs; zero if omitted. */
  velocities?: ArrayLike<number>;
  /** Per-site type indices, n entries. */
  types?: ArrayLike<number>;
  /** Initial step counter (default 0). */
  step?: number;
  /** Initial time, fs (default 0). */
  time?: number;
}

/**
 * A validated {@link MdState} from `init` (arrays copied). Throws `E_SIZE` for inconsistent
 * lengths, `E_NONFINITE` for non-finite positions or velocities, `E_ARG` for a non-positive mass,
 * a species name that is empty or contains whitespace, or a bad step/time.
 */
export function createMdState(init: MdStateInit): MdState {
  const n = init.masses.length;
  checkLength(init.positions, 3 * n, `positions (3 per site for ${n} masses)`);
  if (init.species.length !== n) {
    throw new AnisoError('E_SIZE', `species has length ${init.species.length}, expected ${n} (one per site for ${n} masses)`);
  }
  if (init.velocities) checkLength(init.velocities, 3 * n, `velocities (3 per site for ${n} masses)`);
  if (init.types) checkLength(init.types, n, `types (one per site for ${n} masses)`);
  const masses = Float64Array.from(init.masses);
  for (let i = 0; i < n; i++) {
    const m = masses[i]!;
    if (!(m > 0) || !Number.isFinite(m)) {
      throw new AnisoError('E_ARG', `mass of site ${i} is ${m} amu; masses must be finite and > 0`);
    }
    const s = init.species[i]!;
    if (typeof s !== 'string' || s.length === 0 || /\s/.test(s)) {
      throw new AnisoError('E_ARG', `species of site ${i} is '${s}'; species names must be non-empty, without whitespace`);
    }
  }
  const step = init.step ?? 0, time = init.time ?? 0;
  if (!Number.isSafeInteger(step) || step < 0) throw new AnisoError('E_ARG', `initial step is ${step}; it must be a non-negative integer`);
  if (!Number.isFinite(time)) throw new AnisoError('E_ARG', `initial time is ${time} fs; it must be finite`);
  const positions = Float64Array.from(init.positions);
  const velocities = init.velocities ? Float64Array.from(init.velocities) : new Float64Array(3 * n);
  checkFinite(positions, 'position', 'Å');
  checkFinite(velocities, 'velocity', 'Å/fs');
  const state: MdState = {
    n,
    positions,
    velocities,
    masses,
    cell: init.cell,
    species: [...init.species],
    ...(init.types ? { types: Int32Array.from(init.types) } : {}),
    step,
    time,
  };
  return state;
}

function checkFinite(a: Float64Array, what: string, unit: string): void {
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k]!)) {
      throw new AnisoError('E_NONFINITE', `${what} ${k} (site ${Math.floor(k / 3)}, component ${'xyz'[k % 3]}) is ${a[k]} ${unit}`);
    }
  }
}

/**
 * A {@link ParticleSystem} view of `state` for force sources: it shares (does not copy) the
 * positions array, which the integrator overwrites every step; sources must not keep it.
 */
export function systemView(state: MdState): ParticleSystem {
  const view: { n: number; positions: Float64Array; cell: Cell; types?: Int32Array } = {
    n: state.n,
    positions: state.positions,
    cell: state.cell,
  };
  if (state.types) view.types = state.types;
  return view;
}

/** Kinetic energy `½ Σ m v²`, eV. */
export function kineticEnergy(state: MdState): number {
  const v = state.velocities, m = state.masses;
  let twiceK = 0;
  for (let i = 0, k = 0; i < state.n; i++, k += 3) {
    const vx = v[k]!, vy = v[k + 1]!, vz = v[k + 2]!;
    twiceK += m[i]! * (vx * vx + vy * vy + vz * vz);
  }
  return 0.5 * twiceK * AMU_A2_PER_FS2_IN_EV;
}

/**
 * Number of degrees of freedom for the kinetic temperature of `n` sites: `3n − 3` when the
 * centre-of-mass momentum is zero and conserved (NVE with pair forces, after
 * {@link initMaxwellBoltzmann}), `3n` otherwise (Langevin: the bath does not conserve momentum).
 * Never below 1, so that a temperature can always be formed.
 */
export function degreesOfFreedom(n: number, comMomentumFixed: boolean): number {
  return Math.max(1, comMomentumFixed ? 3 * n - 3 : 3 * n);
}

/** Instantaneous kinetic temperature `2K / (dof · k_B)`, K, with `dof` degrees of freedom. */
export function temperature(state: MdState, dof: number): number {
  return (2 * kineticEnergy(state)) / (dof * KB_EV_PER_K);
}

/** Total momentum `Σ m v` (amu·Å/fs), written to `out[0..2]`. */
export function totalMomentum(state: MdState, out: Float64Array = new Float64Array(3)): Float64Array {
  const v = state.velocities, m = state.masses;
  let px = 0, py = 0, pz = 0;
  for (let i = 0, k = 0; i < state.n; i++, k += 3) {
    const mi = m[i]!;
    px += mi * v[k]!;
    py += mi * v[k + 1]!;
    pz += mi * v[k + 2]!;
  }
  out[0] = px;
  out[1] = py;
  out[2] = pz;
  return out;
}

/** Subtract the centre-of-mass velocity from every site, in place, so that `Σ m v = 0`. */
export function removeComMotion(state: MdState): void {
  const p = totalMomentum(state);
  let mTotal = 0;
  for (let i = 0; i < state.n; i++) mTotal += state.masses[i]!;
  if (mTotal === 0) return;
  const ux = p[0]! / mTotal, uy = p[1]! / mTotal, uz = p[2]! / mTotal;
  const v = state.velocities;
  for (let k = 0; k < 3 * state.n; k += 3) {
    v[k] -= ux;
    v[k + 1] -= uy;
    v[k + 2] -= uz;
  }
}

/** Options of {@link initMaxwellBoltzmann}. */
export interface MaxwellBoltzmannOptions {
  /** Target temperature, K (≥ 0). */
  temperature: number;
  /** Seed of the {@link Rng} (non-negative safe integer). */
  seed: number;
  /** Remove the centre-of-mass velocity before rescaling (default true). */
  removeMomentum?: boolean;
  /**
   * Degrees of freedom used for the exact rescale; default
   * `degreesOfFreedom(n, removeMomentum)`: `3n − 3` with momentum removal, `3n` without.
   */
  dof?: number;
}

/**
 * Draw velocities from the Maxwell–Boltzmann distribution at `temperature`
 * (`v_a ~ N(0, k_B T / (m C))` per component), remove the centre-of-mass velocity (unless
 * `removeMomentum` is false), then rescale so that the instantaneous temperature with `dof`
 * degrees of freedom equals `temperature` exactly (to rounding). Overwrites `state.velocities`.
 * Throws `E_ARG` for a negative or non-finite temperature, or when no velocity is left to rescale
 * (e.g. one site with momentum removal at T > 0).
 */
export function initMaxwellBoltzmann(state: MdState, options: MaxwellBoltzmannOptions): void {
  const t = options.temperature;
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw new AnisoError('E_ARG', `initial temperature is ${t} K; it must be finite and ≥ 0`);
  }
  const removeMomentum = options.removeMomentum ?? true;
  const dof = options.dof ?? degreesOfFreedom(state.n, removeMomentum);
  if (!(dof > 0) || !Number.isFinite(dof)) {
    throw new AnisoError('E_ARG', `degrees of freedom is ${dof}; it must be finite and > 0`);
  }
  const v = state.velocities;
  if (t === 0) {
    v.fill(0);
    return;
  }
  const rng = new Rng(options.seed);
  const kT = KB_EV_PER_K * t;
  for (let i = 0, k = 0; i < state.n; i++, k += 3) {
    const sigma = Math.sqrt(kT / (state.masses[i]! * AMU_A2_PER_FS2_IN_EV));
    v[k] = sigma * rng.normal();
    v[k + 1] = sigma * rng.normal();
    v[k + 2] = sigma * rng.normal();
  }
  if (removeMomentum) removeComMotion(state);
  const current = temperature(state, dof);
  if (!(current > 0)) {
    throw new AnisoError(
      'E_ARG',
      `cannot reach ${t} K: no kinetic energy left after momentum removal (${state.n} site(s))`,
    );
  }
  const scale = Math.sqrt(t / current);
  for (let k = 0; k < v.length; k++) v[k] *= scale;
}
