// SPDX-License-Identifier: BSD-3-Clause
/**
 * Time integrators for point sites, split around the one force evaluation of each step so that the
 * force can come from an asynchronous source (a remote driver over a socket):
 *
 * ```
 * integrator.beforeForce(state, f(t))       // B A (NVE) or B A O A (Langevin): positions → t + dt
 * f(t + dt) = await source.compute(state)
 * integrator.afterForce(state, f(t + dt))   // B: velocities → t + dt
 * ```
 *
 * with `B`: `v += (dt/2) F / (m C)`, `A(h)`: `x += h v`, `O`: exact Ornstein–Uhlenbeck update of
 * `v` (friction γ, bath temperature T). `C = AMU_A2_PER_FS2_IN_EV` turns eV/Å / amu into Å/fs².
 * Positions are never wrapped. Neither integrator allocates per step.
 */
import { AnisoError, checkLength } from '../core/errors.js';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../core/units.js';
import type { MdState } from './md-state.js';
import { Rng } from '../core/rng.js';

/** A two-part integrator step around one force evaluation (see the module comment). */
export interface Integrator {
  /** Time step, fs. */
  readonly dt: number;
  /**
   * Energy the heat bath has put into the system so far, eV: the sum of the kinetic-energy changes
   * of all O steps (0 for NVE). `K + U − heat` is the conserved quantity.
   */
  readonly heat: number;
  /** True if the integrator conserves total momentum for forces that sum to zero. */
  readonly conservesMomentum: boolean;
  /** Advance from t to the positions at t + dt, given the forces at t (3n, eV/Å). */
  beforeForce(state: MdState, forces: Float64Array): void;
  /** Complete the velocities at t + dt, given the forces at t + dt (3n, eV/Å). */
  afterForce(state: MdState, forces: Float64Array): void;
}

function checkDt(dt: number): void {
  if (!(dt > 0) || !Number.isFinite(dt)) {
    throw new AnisoError('E_ARG', `time step dt is ${dt} fs; it must be finite and > 0`);
  }
}

/** `dt/2 / (m_i C)` per site: the half-kick factor turning eV/Å into Å/fs. */
function halfKickFactors(masses: Float64Array, dt: number): Float64Array {
  const out = new Float64Array(masses.length);
  for (let i = 0; i < masses.length; i++) out[i] = (0.5 * dt) / (masses[i]! * AMU_A2_PER_FS2_IN_EV);
  return out;
}

/** `B`: `v += (dt/2) F / (m C)` for every site. */
function kick(state: MdState, forces: Float64Array, halfKick: Float64Array): void {
  checkLength(forces, 3 * state.n, 'forces');
  const v = state.velocities;
  for (let i = 0, k = 0; i < state.n; i++, k += 3) {
    const c = halfKick[i]!;
    v[k] += c * forces[k]!;
    v[k + 1] += c * forces[k + 1]!;
    v[k + 2] += c * forces[k + 2]!;
  }
}

/** `A(h)`: `x += h v` for every site. */
function drift(state: MdState, h: number): void {
  const x = state.positions, v = state.velocities;
  for (let k = 0; k < x.length; k++) x[k] += h * v[k]!;
}

function checkSites(state: MdState, halfKick: Float64Array): void {
  if (state.n !== halfKick.length) {
    throw new AnisoError('E_SIZE', `integrator was built for ${halfKick.length} sites, state has ${state.n}`);
  }
}

/**
 * Velocity Verlet (NVE), `B A(dt) · force · B`: symplectic, time-reversible, second order; the
 * energy `K + U` has bounded O(dt²) fluctuations and no secular drift for smooth forces.
 */
export class VelocityVerlet implements Integrator {
  /** Time step, fs. */
  readonly dt: number;
  /** Always 0: no bath. */
  readonly heat = 0;
  /** Velocity Verlet conserves total momentum when forces sum to zero. */
  readonly conservesMomentum = true;
  private readonly halfKick: Float64Array;

  /** @param masses site masses, n, amu (fixed for the integrator's life) @param dt time step, fs */
  constructor(masses: Float64Array, dt: number) {
    checkDt(dt);
    this.dt = dt;
    this.halfKick = halfKickFactors(masses, dt);
  }

  /** `B A(dt)`. */
  beforeForce(state: MdState, forces: Float64Array): void {
    checkSites(state, this.halfKick);
    kick(state, forces, this.halfKick);
    drift(state, this.dt);
  }

  /** `B`. */
  afterForce(state: MdState, forces: Float64Array): void {
    kick(state, forces, this.halfKick);
  }
}

/** Parameters of the Langevin bath. */
export interface LangevinParams {
  /** Bath temperature, K (≥ 0). */
  temperature: number;
  /** Friction γ, 1/fs (≥ 0; 0 gives velocity Verlet). A typical choice is 1/(100 fs) to 1/(1 ps). */
  friction: number;
  /** Seed of the noise stream (non-negative safe integer). */
  seed: number;
}

/**
 * Langevin dynamics (NVT) in the BAOAB splitting of Leimkuhler and Matthews (2013):
 * `B A(dt/2) O A(dt/2) · force · B`, with the O step
 * `v ← c₁ v + √((1 − c₁²) k_B T / (m C)) ξ`, `c₁ = exp(−γ dt)`, `ξ ~ N(0, 1)` from a seeded
 * {@link Rng}. Configurational averages have O(dt²) error (exact for harmonic forces).
 *
 * Conserved quantity: the O step is the only non-Hamiltonian part; its kinetic-energy change is
 * accumulated in {@link LangevinBaoab.heat}, so the effective energy `K + U − heat` changes only by
 * the O(dt²) splitting error of the Hamiltonian parts — a check of the integration as good as
 * `K + U` is for NVE (it random-walks slowly rather than oscillating, because the bath decorrelates
 * the errors).
 */
export class LangevinBaoab implements Integrator {
  /** Time step, fs. */
  readonly dt: number;
  /** The bath does not conserve momentum. */
  readonly conservesMomentum = false;
  private heatEv = 0;
  private readonly halfKick: Float64Array;
  /** `√((1 − c₁²) k_B T / (m_i C))` per site, Å/fs. */
  private readonly noise: Float64Array;
  /** `½ m_i C`, eV/(Å/fs)², for the heat bookkeeping. */
  private readonly halfMass: Float64Array;
  private readonly c1: number;
  private readonly rng: Rng;

  /**
   * @param masses site masses, n, amu @param dt time step, fs @param params bath temperature (K),
   *   friction (1/fs) and seed. Throws `E_ARG` naming a bad value.
   */
  constructor(masses: Float64Array, dt: number, params: LangevinParams) {
    checkDt(dt);
    const { temperature: t, friction: gamma, seed } = params;
    if (!(t >= 0) || !Number.isFinite(t)) {
      throw new AnisoError('E_ARG', `Langevin temperature is ${t} K; it must be finite and ≥ 0`);
    }
    if (!(gamma >= 0) || !Number.isFinite(gamma)) {
      throw new AnisoError('E_ARG', `Langevin friction is ${gamma} 1/fs; it must be finite and ≥ 0`);
    }
    this.dt = dt;
    this.rng = new Rng(seed);
    this.halfKick = halfKickFactors(masses, dt);
    this.c1 = Math.exp(-gamma * dt);
    const oneMinusC1Sq = -Math.expm1(-2 * gamma * dt); // 1 − c₁², accurate for small γ dt
    const kT = KB_EV_PER_K * t;
    this.noise = new Float64Array(masses.length);
    this.halfMass = new Float64Array(masses.length);
    for (let i = 0; i < masses.length; i++) {
      const mc = masses[i]! * AMU_A2_PER_FS2_IN_EV;
      this.noise[i] = Math.sqrt((oneMinusC1Sq * kT) / mc);
      this.halfMass[i] = 0.5 * mc;
    }
  }

  /** Energy put into the system by the bath so far (sum of O-step kinetic-energy changes), eV. */
  get heat(): number {
    return this.heatEv;
  }

  /** `B A(dt/2) O A(dt/2)`. */
  beforeForce(state: MdState, forces: Float64Array): void {
    checkSites(state, this.halfKick);
    kick(state, forces, this.halfKick);
    drift(state, 0.5 * this.dt);
    this.ornsteinUhlenbeck(state);
    drift(state, 0.5 * this.dt);
  }

  /** `B`. */
  afterForce(state: MdState, forces: Float64Array): void {
    kick(state, forces, this.halfKick);
  }

  /** The O step, accumulating its kinetic-energy change into the heat. */
  private ornsteinUhlenbeck(state: MdState): void {
    const v = state.velocities, c1 = this.c1, rng = this.rng;
    let dK = 0;
    for (let i = 0, k = 0; i < state.n; i++, k += 3) {
      const s = this.noise[i]!;
      let before = 0, after = 0;
      for (let a = k; a < k + 3; a++) {
        const old = v[a]!;
        const neu = c1 * old + s * rng.normal();
        v[a] = neu;
        before += old * old;
        after += neu * neu;
      }
      dK += this.halfMass[i]! * (after - before);
    }
    this.heatEv += dK;
  }
}
