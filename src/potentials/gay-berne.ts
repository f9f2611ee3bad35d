// SPDX-License-Identifier: BSD-3-Clause
/**
 * The Gay–Berne potential for ellipsoids in the general biaxial matrix form that LAMMPS
 * `pair_style gayberne` implements (Berardi–Fava–Zannoni 1998, Everaers–Ejtehadi 2003; conventions
 * and reference numbers in `docs/CONVENTIONS.md` §4). For a pair i, j with centre displacement
 * `r12 = x_j − x_i`, `r = |r12|`, `r̂ = r12 / r`, rotation matrices `R_i` (body → lab), semi-axes
 * `S = diag(a, b, c)` and relative wells `E = diag(ε_a^(−1/μ), ε_b^(−1/μ), ε_c^(−1/μ))`:
 *
 * ```
 * G   = R_i S_i² R_iᵀ + R_j S_j² R_jᵀ            B = R_i E_i R_iᵀ + R_j E_j R_jᵀ
 * σ12 = (½ r̂ᵀ G⁻¹ r̂)^(−1/2)                      h = r − σ12,   ρ = σ / (h + γσ)
 * U_r = 4ε (ρ¹² − ρ⁶)
 * η   = (2 s_i s_j / det G)^(υ/2),   s = (a b + c²) √(a b)
 * χ   = (2 r̂ᵀ B⁻¹ r̂)^μ
 * U   = U_r η χ         for r < rc (hard cutoff, no shift), summed over all periodic images
 * ```
 *
 * As in LAMMPS, a pair of particles that are both spheres (three equal semi-axes and a type with
 * `ε_a = ε_b = ε_c`) interacts through plain LJ `4ε((σ/r)¹² − (σ/r)⁶)` instead; a sphere with an
 * ellipsoid uses the general form above.
 *
 * ## Derivatives (our own derivation)
 * With `w = G⁻¹ r̂`, `g = r̂·w`, `v = B⁻¹ r̂`, `b = r̂·v`, `U_r' = dU_r/dh = −(4ε/σ)(12ρ¹³ − 6ρ⁷)`
 * and `A = η χ U_r'`:
 * ```
 * ∂U/∂r12 = A r̂ + (A σ12³ / 2r)(w − g r̂) + (2 μ U / b r)(v − b r̂)
 * ```
 * The force on i is `+∂U/∂r12`, on j `−∂U/∂r12`; the pair adds `W += F_j ⊗ r12` to the virial.
 * For the orientations, `U` depends on `G` and `B`; with `δR_i = [δθ]× R_i`,
 * `δ(R S² Rᵀ) = [δθ]× P − P [δθ]×` (`P_i = R_i S_i² R_iᵀ`), so for any scalar `f(G)` with
 * symmetric gradient `D = ∂f/∂G`, `δf = δθ · 2 ax(P_i D)`, where
 * `ax(N) = (N₁₂ − N₂₁, N₂₀ − N₀₂, N₀₁ − N₁₀)`. The gradients are
 * `∂U/∂G = −(A σ12³/4) w wᵀ − (υ U / 2) G⁻¹` and `∂U/∂B = −(μ U / b) v vᵀ`, and `ax(P x xᵀ) = (P x) × x`.
 * The lab-frame torque (`δE = −τ·δθ`) is therefore
 * ```
 * τ_i = (A σ12³/2) (P_i w) × w + υ U ax(P_i G⁻¹) + (2 μ U / b) (Q_i v) × v,    Q_i = R_i E_i R_iᵀ
 * ```
 * and the same with j; since `(P_i + P_j) w = r̂`, `(Q_i + Q_j) v = r̂` and
 * `ax(P_j G⁻¹) = −ax(P_i G⁻¹)`, the j terms are obtained from the i terms with few extra flops.
 * Torques are not equal and opposite: `τ_i + τ_j = −r12 × F_j`.
 */
import { AnisoError } from '../core/errors.js';
import type { NeighborList } from '../core/neighbor-list.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { CutoffSwitch, Truncation } from '../core/cutoff-switch.js';
import {
  gayBerneTables,
  type GayBerneClassicOptions,
  type GayBerneOptions,
  type GayBerneTables,
} from './gay-berne-params.js';
import { PairPotential, pairSwitches } from './pair-potential.js';

export type { ForceResultWithEnergies } from './pair-potential.js';
export type {
  GayBerneClassicOptions,
  GayBerneOptions,
  GayBernePairOptions,
  GayBerneTypeOptions,
} from './gay-berne-params.js';

/** What {@link GayBerne.fromClassic} returns. */
export interface GayBerneClassic {
  /** The provider (one type, index 0). */
  gayBerne: GayBerne;
  /** Semi-axes `[σ0/2, σ0/2, κσ0/2]` along body x, y, z (length) to give every particle. */
  semiaxes: [number, number, number];
}

/**
 * Gay–Berne ellipsoids as a {@link ForceProvider} (name `'gayberne'`): energy, forces on centres,
 * lab-frame torques and virial, matching LAMMPS `pair_style gayberne` (see the module comment for
 * formulas and derivatives).
 *
 * Input: `system.positions` (3n), `system.orientations` (4n, unit quaternions (w, x, y, z),
 * body → lab; the symmetry axis of uniaxial particles is body z), `system.semiaxes` (3n, body
 * x, y, z; or per-type defaults from the options), `system.types` (n, type indices; all 0 if
 * absent). Units are those of the parameters (reduced LJ units for the shared LAMMPS data).
 *
 * Differences from LAMMPS: semi-axes must be > 0 (LAMMPS turns a zero shape into radius 1), and
 * `pair_modify shift` (which LAMMPS applies to sphere–sphere pairs only) is not offered; use
 * `truncation: 'switch'` for a continuous energy instead.
 *
 * One instance keeps its scratch and neighbour list between calls; it is not re-entrant.
 * Throws `E_NONFINITE` if the energy is not finite.
 */
export class GayBerne extends PairPotential {
  /** Provider name. */
  readonly name = 'gayberne';
  /** γ, the shift in `ρ = σ / (h12 + γσ)` (dimensionless). */
  readonly gamma: number;
  /** υ, the exponent of `η12 = (2 s_i s_j / det G)^(υ/2)` (dimensionless; classic ν). */
  readonly upsilon: number;
  /** μ, the exponent of `χ12` (dimensionless). */
  readonly mu: number;
  /** Largest pair cutoff (length): the neighbour-list cutoff. */
  readonly cutoff: number;
  /** The truncation in use. */
  readonly truncation: Truncation;
  /** Number of particle types. */
  readonly typeCount: number;

  private readonly t: GayBerneTables;
  /** Per type pair (`ti·nt + tj`): the switch, or null for hard truncation. */
  private readonly switches: (CutoffSwitch | null)[];
  // Per-particle scratch, grown on demand: P = R S² Rᵀ and Q = R E Rᵀ (6 each: xx xy xz yy yz zz),
  // s = (ab + c²)√(ab), and a sphere flag.
  private cap = 0;
  private pMat = new Float64Array(0);
  private qMat = new Float64Array(0);
  private lshape = new Float64Array(0);
  private sphere = new Uint8Array(0);

  /**
   * @param options see {@link GayBerneOptions}: `gamma, upsilon, mu, cutoff`, then either
   *   `epsilon, sigma, wells[, semiaxes]` (one type) or `types, pairs`; `truncation`, `switchWidth`.
   * @throws AnisoError `E_ARG` naming the bad value
   */
  constructor(options: GayBerneOptions) {
    super();
    this.t = gayBerneTables(options);
    this.gamma = this.t.gamma;
    this.upsilon = this.t.upsilon;
    this.mu = this.t.mu;
    this.cutoff = this.t.maxCutoff;
    this.typeCount = this.t.nt;
    this.truncation = options.truncation ?? 'hard';
    this.switches = pairSwitches('gayberne', options.truncation, this.t.cutoff, options.switchWidth);
  }

  /**
   * Classic GB(κ, κ', μ, ν) with σ0, ε0 (docs/CONVENTIONS.md §4 mapping): semi-axes `(σ0/2, σ0/2, κσ0/2)`,
   * wells `(1, 1, 1/κ')`, `σ = σ0` (or `sigmaW` when given), `ε = ε0`, `γ = 1`, `υ = ν`. The returned provider also uses the
   * semi-axes as the type default, so systems without `semiaxes` work.
   * GB(3, 5, 2, 1) is `{ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }`.
   */
  static fromClassic(c: GayBerneClassicOptions): GayBerneClassic {
    if (c === null || typeof c !== 'object') throw new AnisoError('E_ARG', `gayberne: classic options must be an object, got ${String(c)}`);
    for (const key of ['kappa', 'kappaPrime', 'sigma0', 'epsilon0'] as const) {
      const x = c[key];
      if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
        throw new AnisoError('E_ARG', `gayberne: ${key} = ${String(x)} must be a finite number > 0`);
      }
    }
    if (c.sigmaW !== undefined && !(typeof c.sigmaW === 'number' && Number.isFinite(c.sigmaW) && c.sigmaW > 0)) {
      throw new AnisoError('E_ARG', `gayberne: sigmaW = ${String(c.sigmaW)} must be a finite number > 0`);
    }
    if (typeof c.nu !== 'number' || !Number.isFinite(c.nu)) {
      throw new AnisoError('E_ARG', `gayberne: nu = ${String(c.nu)} must be a finite number`);
    }
    const semiaxes: [number, number, number] = [c.sigma0 / 2, c.sigma0 / 2, (c.kappa * c.sigma0) / 2];
    const opts: GayBerneOptions = {
      gamma: 1,
      upsilon: c.nu,
      mu: c.mu,
      cutoff: c.cutoff,
      epsilon: c.epsilon0,
      sigma: c.sigmaW ?? c.sigma0,
      wells: [1, 1, 1 / c.kappaPrime],
      semiaxes,
    };
    if (c.truncation !== undefined) opts.truncation = c.truncation;
    if (c.switchWidth !== undefined) opts.switchWidth = c.switchWidth;
    return { gayBerne: new GayBerne(opts), semiaxes };
  }

  /** Energy, forces, torques and virial on the pairs of `list` (see {@link PairPotential.evaluate}). */
  protected evaluate(system: ParticleSystem, list: NeighborList, energies: Float64Array | null): ForceResult {
    const n = system.n;
    const forces = new Float64Array(3 * n);
    const torques = new Float64Array(3 * n);
    const virial = new Float64Array(9);
    const energy = this.pairLoop(system, list, forces, torques, virial, energies);
    if (!Number.isFinite(energy)) {
      throw new AnisoError('E_NONFINITE', `gayberne: energy is ${energy} (overlapping ellipsoids with h12 + gamma*sigma <= 0?)`);
    }
    return { energy, forces, torques, virial, extras: {} };
  }

  /** Validate `system`, fill the per-particle scratch; returns n. */
  protected prepare(system: ParticleSystem): number {
    const n = system.n;
    if (!Number.isInteger(n) || n < 0) throw new AnisoError('E_ARG', `gayberne: system.n = ${n} is not a particle count`);
    if (system.positions.length !== 3 * n) {
      throw new AnisoError('E_SIZE', `gayberne: positions has length ${system.positions.length}, expected 3n = ${3 * n}`);
    }
    const q = system.orientations;
    if (q === undefined) throw new AnisoError('E_ARG', 'gayberne: system.orientations (4n quaternions w,x,y,z) is required');
    if (q.length !== 4 * n) throw new AnisoError('E_SIZE', `gayberne: orientations has length ${q.length}, expected 4n = ${4 * n}`);
    const sa = system.semiaxes;
    if (sa !== undefined && sa.length !== 3 * n) {
      throw new AnisoError('E_SIZE', `gayberne: semiaxes has length ${sa.length}, expected 3n = ${3 * n}`);
    }
    const types = system.types;
    if (types !== undefined && types.length !== n) {
      throw new AnisoError('E_SIZE', `gayberne: types has length ${types.length}, expected n = ${n}`);
    }
    if (n > this.cap) {
      this.cap = Math.max(n, 2 * this.cap);
      this.pMat = new Float64Array(6 * this.cap);
      this.qMat = new Float64Array(6 * this.cap);
      this.lshape = new Float64Array(this.cap);
      this.sphere = new Uint8Array(this.cap);
    }
    const nt = this.t.nt, wd = this.t.wellDiag, eqw = this.t.equalWells, def = this.t.defaultSemiaxes;
    const P = this.pMat, Q = this.qMat, L = this.lshape, sph = this.sphere;
    for (let i = 0; i < n; i++) {
      const ti = types === undefined ? 0 : types[i]!;
      if (!(ti >= 0 && ti < nt)) throw new AnisoError('E_ARG', `gayberne: particle ${i} has type ${ti}, allowed 0..${nt - 1}`);
      let a: number, b: number, c: number;
      if (sa !== undefined) {
        a = sa[3 * i]!; b = sa[3 * i + 1]!; c = sa[3 * i + 2]!;
      } else {
        a = def[3 * ti]!; b = def[3 * ti + 1]!; c = def[3 * ti + 2]!;
        if (Number.isNaN(a)) {
          throw new AnisoError('E_ARG', `gayberne: system has no semiaxes and type ${ti} has no default semiaxes`);
        }
      }
      if (!(a > 0 && b > 0 && c > 0 && a < Infinity && b < Infinity && c < Infinity)) {
        throw new AnisoError('E_ARG', `gayberne: particle ${i} has semi-axes (${a}, ${b}, ${c}); each must be a finite length > 0`);
      }
      let w = q[4 * i]!, x = q[4 * i + 1]!, y = q[4 * i + 2]!, z = q[4 * i + 3]!;
      const nq = Math.sqrt(w * w + x * x + y * y + z * z);
      if (!(nq > 0 && nq < Infinity)) {
        throw new AnisoError('E_ARG', `gayberne: particle ${i} has quaternion (${w}, ${x}, ${y}, ${z}), not a rotation`);
      }
      w /= nq; x /= nq; y /= nq; z /= nq;
      const r00 = w * w + x * x - y * y - z * z, r01 = 2 * (x * y - w * z), r02 = 2 * (x * z + w * y);
      const r10 = 2 * (x * y + w * z), r11 = w * w - x * x + y * y - z * z, r12 = 2 * (y * z - w * x);
      const r20 = 2 * (x * z - w * y), r21 = 2 * (y * z + w * x), r22 = w * w - x * x - y * y + z * z;
      // P = R diag(a², b², c²) Rᵀ
      const a2 = a * a, b2 = b * b, c2 = c * c;
      const o = 6 * i;
      P[o] = r00 * r00 * a2 + r01 * r01 * b2 + r02 * r02 * c2;
      P[o + 1] = r00 * r10 * a2 + r01 * r11 * b2 + r02 * r12 * c2;
      P[o + 2] = r00 * r20 * a2 + r01 * r21 * b2 + r02 * r22 * c2;
      P[o + 3] = r10 * r10 * a2 + r11 * r11 * b2 + r12 * r12 * c2;
      P[o + 4] = r10 * r20 * a2 + r11 * r21 * b2 + r12 * r22 * c2;
      P[o + 5] = r20 * r20 * a2 + r21 * r21 * b2 + r22 * r22 * c2;
      const ea = wd[3 * ti]!, eb = wd[3 * ti + 1]!, ec = wd[3 * ti + 2]!;
      Q[o] = r00 * r00 * ea + r01 * r01 * eb + r02 * r02 * ec;
      Q[o + 1] = r00 * r10 * ea + r01 * r11 * eb + r02 * r12 * ec;
      Q[o + 2] = r00 * r20 * ea + r01 * r21 * eb + r02 * r22 * ec;
      Q[o + 3] = r10 * r10 * ea + r11 * r11 * eb + r12 * r12 * ec;
      Q[o + 4] = r10 * r20 * ea + r11 * r21 * eb + r12 * r22 * ec;
      Q[o + 5] = r20 * r20 * ea + r21 * r21 * eb + r22 * r22 * ec;
      L[i] = (a * b + c * c) * Math.sqrt(a * b);
      sph[i] = a === b && b === c && eqw[ti] === 1 ? 1 : 0;
    }
    return n;
  }

  /** The pair loop; returns the energy and accumulates into the output arrays. */
  private pairLoop(
    system: ParticleSystem,
    list: NeighborList,
    F: Float64Array,
    T: Float64Array,
    W: Float64Array,
    E: Float64Array | null,
  ): number {
    const tb = this.t;
    const nt = tb.nt, epsT = tb.epsilon, sigT = tb.sigma, cut2T = tb.cutoffSq;
    const gamma = tb.gamma, upsilon = tb.upsilon, mu = tb.mu;
    const etaExp = 0.5 * upsilon;
    const etaMode = etaExp === 0 ? 0 : etaExp === 0.5 ? 1 : etaExp === 1 ? 2 : 3;
    const chiMode = mu === 1 ? 1 : mu === 2 ? 2 : 3;
    const switches = this.switches;
    const P = this.pMat, Q = this.qMat, L = this.lshape, sph = this.sphere;
    const types = system.types;
    const first = list.first, second = list.second, vec = list.vectors;
    const count = list.count;
    let energy = 0;
    let w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0;

    for (let k = 0; k < count; k++) {
      const i = first[k]!, j = second[k]!;
      const dx = vec[3 * k]!, dy = vec[3 * k + 1]!, dz = vec[3 * k + 2]!;
      const rsq = dx * dx + dy * dy + dz * dz;
      const tp = types === undefined ? 0 : types[i]! * nt + types[j]!;
      if (!(rsq < cut2T[tp]!)) continue;
      const r = Math.sqrt(rsq);
      const invR = 1 / r;
      const hx = dx * invR, hy = dy * invR, hz = dz * invR;
      const eps = epsT[tp]!, sig = sigT[tp]!;

      let u: number;
      // dU/dr12 and the lab torques on i and j (before the switch factor).
      let fx: number, fy: number, fz: number;
      let ti0 = 0, ti1 = 0, ti2 = 0, tj0 = 0, tj1 = 0, tj2 = 0;

      if (sph[i] === 1 && sph[j] === 1) {
        // LAMMPS SPHERE_SPHERE: plain LJ, no shape.
        const sr2 = (sig * sig) / rsq;
        const sr6 = sr2 * sr2 * sr2;
        u = 4 * eps * sr6 * (sr6 - 1);
        const du = (-24 * eps * sr6 * (2 * sr6 - 1)) * invR;
        fx = du * hx; fy = du * hy; fz = du * hz;
      } else {
        const oi = 6 * i, oj = 6 * j;
        const pi00 = P[oi]!, pi01 = P[oi + 1]!, pi02 = P[oi + 2]!, pi11 = P[oi + 3]!, pi12 = P[oi + 4]!, pi22 = P[oi + 5]!;
        const g00 = pi00 + P[oj]!, g01 = pi01 + P[oj + 1]!, g02 = pi02 + P[oj + 2]!;
        const g11 = pi11 + P[oj + 3]!, g12 = pi12 + P[oj + 4]!, g22 = pi22 + P[oj + 5]!;
        // Cofactors of the symmetric G (adj G = det G · G⁻¹).
        const c00 = g11 * g22 - g12 * g12, c01 = g02 * g12 - g01 * g22, c02 = g01 * g12 - g02 * g11;
        const c11 = g00 * g22 - g02 * g02, c12 = g01 * g02 - g00 * g12, c22 = g00 * g11 - g01 * g01;
        const detG = g00 * c00 + g01 * c01 + g02 * c02;
        const invDetG = 1 / detG;
        const wx = (c00 * hx + c01 * hy + c02 * hz) * invDetG;
        const wy = (c01 * hx + c11 * hy + c12 * hz) * invDetG;
        const wz = (c02 * hx + c12 * hy + c22 * hz) * invDetG;
        const g = hx * wx + hy * wy + hz * wz;
        const sig12 = Math.sqrt(2 / g);
        const rho = sig / (r - sig12 + gamma * sig);
        const rho2 = rho * rho;
        const rho6 = rho2 * rho2 * rho2;
        const ur = 4 * eps * rho6 * (rho6 - 1);
        const dur = ((-24 * eps * rho6 * (2 * rho6 - 1)) * rho) / sig;

        const etaBase = 2 * L[i]! * L[j]! * invDetG;
        const eta = etaMode === 1 ? Math.sqrt(etaBase) : etaMode === 2 ? etaBase : etaMode === 0 ? 1 : Math.pow(etaBase, etaExp);

        const qi00 = Q[oi]!, qi01 = Q[oi + 1]!, qi02 = Q[oi + 2]!, qi11 = Q[oi + 3]!, qi12 = Q[oi + 4]!, qi22 = Q[oi + 5]!;
        const b00 = qi00 + Q[oj]!, b01 = qi01 + Q[oj + 1]!, b02 = qi02 + Q[oj + 2]!;
        const b11 = qi11 + Q[oj + 3]!, b12 = qi12 + Q[oj + 4]!, b22 = qi22 + Q[oj + 5]!;
        const e00 = b11 * b22 - b12 * b12, e01 = b02 * b12 - b01 * b22, e02 = b01 * b12 - b02 * b11;
        const e11 = b00 * b22 - b02 * b02, e12 = b01 * b02 - b00 * b12, e22 = b00 * b11 - b01 * b01;
        const invDetB = 1 / (b00 * e00 + b01 * e01 + b02 * e02);
        const vx = (e00 * hx + e01 * hy + e02 * hz) * invDetB;
        const vy = (e01 * hx + e11 * hy + e12 * hz) * invDetB;
        const vz = (e02 * hx + e12 * hy + e22 * hz) * invDetB;
        const bb = hx * vx + hy * vy + hz * vz;
        const chiBase = 2 * bb;
        const chi = chiMode === 2 ? chiBase * chiBase : chiMode === 1 ? chiBase : Math.pow(chiBase, mu);

        const etaChi = eta * chi;
        u = ur * etaChi;
        const A = etaChi * dur;
        const sig3 = sig12 * sig12 * sig12;
        const cw = 0.5 * A * sig3 * invR;
        const cv = (2 * mu * u) / bb * invR;
        const ch = A - cw * g - cv * bb;
        fx = ch * hx + cw * wx + cv * vx;
        fy = ch * hy + cw * wy + cv * vy;
        fz = ch * hz + cw * wz + cv * vz;

        // Torques. Shape term: (A σ12³/2) (P_i w) × w; j: (A σ12³/2) (r̂ − P_i w) × w.
        const ks = 0.5 * A * sig3;
        const pwx = pi00 * wx + pi01 * wy + pi02 * wz;
        const pwy = pi01 * wx + pi11 * wy + pi12 * wz;
        const pwz = pi02 * wx + pi12 * wy + pi22 * wz;
        const sx = pwy * wz - pwz * wy, sy = pwz * wx - pwx * wz, sz = pwx * wy - pwy * wx;
        const hwx = hy * wz - hz * wy, hwy = hz * wx - hx * wz, hwz = hx * wy - hy * wx;
        // Well term: (2 μ U / b) (Q_i v) × v; j: with (r̂ − Q_i v).
        const kw = cv * r;
        const qvx = qi00 * vx + qi01 * vy + qi02 * vz;
        const qvy = qi01 * vx + qi11 * vy + qi12 * vz;
        const qvz = qi02 * vx + qi12 * vy + qi22 * vz;
        const mx = qvy * vz - qvz * vy, my = qvz * vx - qvx * vz, mz = qvx * vy - qvy * vx;
        const hvx = hy * vz - hz * vy, hvy = hz * vx - hx * vz, hvz = hx * vy - hy * vx;
        // η term: υ U ax(P_i G⁻¹) on i, the opposite on j.
        const ke = upsilon * u * invDetG;
        const ax0 = (pi01 * c02 + pi11 * c12 + pi12 * c22) - (pi02 * c01 + pi12 * c11 + pi22 * c12);
        const ax1 = (pi02 * c00 + pi12 * c01 + pi22 * c02) - (pi00 * c02 + pi01 * c12 + pi02 * c22);
        const ax2 = (pi00 * c01 + pi01 * c11 + pi02 * c12) - (pi01 * c00 + pi11 * c01 + pi12 * c02);
        ti0 = ks * sx + kw * mx + ke * ax0;
        ti1 = ks * sy + kw * my + ke * ax1;
        ti2 = ks * sz + kw * mz + ke * ax2;
        tj0 = ks * (hwx - sx) + kw * (hvx - mx) - ke * ax0;
        tj1 = ks * (hwy - sy) + kw * (hvy - my) - ke * ax1;
        tj2 = ks * (hwz - sz) + kw * (hvz - mz) - ke * ax2;
      }

      const sw = switches[tp];
      if (sw !== null && sw !== undefined && r > sw.rOn) {
        const s = sw.value(r);
        const ds = sw.derivative(r) * u;
        fx = s * fx + ds * hx; fy = s * fy + ds * hy; fz = s * fz + ds * hz;
        ti0 *= s; ti1 *= s; ti2 *= s; tj0 *= s; tj1 *= s; tj2 *= s;
        u *= s;
      }

      energy += u;
      if (E !== null) {
        E[i] += 0.5 * u;
        E[j] += 0.5 * u;
      }
      F[3 * i] += fx; F[3 * i + 1] += fy; F[3 * i + 2] += fz;
      F[3 * j] -= fx; F[3 * j + 1] -= fy; F[3 * j + 2] -= fz;
      T[3 * i] += ti0; T[3 * i + 1] += ti1; T[3 * i + 2] += ti2;
      T[3 * j] += tj0; T[3 * j + 1] += tj1; T[3 * j + 2] += tj2;
      // W += F_j ⊗ r12 with F_j = −∂U/∂r12.
      w00 -= fx * dx; w01 -= fx * dy; w02 -= fx * dz;
      w10 -= fy * dx; w11 -= fy * dy; w12 -= fy * dz;
      w20 -= fz * dx; w21 -= fz * dy; w22 -= fz * dz;
    }
    W[0] = w00; W[1] = w01; W[2] = w02;
    W[3] = w10; W[4] = w11; W[5] = w12;
    W[6] = w20; W[7] = w21; W[8] = w22;
    return energy;
  }
}

