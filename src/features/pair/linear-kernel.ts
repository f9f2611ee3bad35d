// SPDX-License-Identifier: BSD-3-Clause
/**
 * The MD kernel of the pair features: energy, forces, lab torques and virial of a linear model
 * `E = Σ_pairs Σ_(n,m) w_nm S_sw(r) g_n(ξ) P_m(x, y, c)` in one pass over the half neighbour list
 * (`docs/PAIR_FEATURES.md` §5; the geometry and conventions of `calculator.ts`).
 *
 * Per pair the radial side is contracted first, into angular coefficients
 *
 * ```
 * cv_m = Σ_n w_nm g_n(ξ),   cd_m = Σ_n w_nm g_n'(ξ)      (m < nA),
 * ```
 *
 * then {@link AngularBasis.contract} gives `G = Σ cv_m P_m`, `∂G/∂x, ∂G/∂y, ∂G/∂c` and
 * `∂G/∂ξ = Σ cd_m P_m` in one generated straight-line pass. Gaussians: the N radial functions
 * of `gaussian-grid.ts`, 2·N·nA multiply–adds. Splines: only 4 functions are non-zero, and their
 * weighted sum is a cubic in the local coordinate u of the interval, so the weights are
 * precombined per interval into power-basis coefficients (`splineTable`, rebuilt by
 * {@link PairLinearKernel.setWeights}) and `cv_m`, `cd_m` cost one Horner step each; a pair whose
 * t(ξ) lies outside the support of every spline contributes nothing and is skipped.
 *
 * Layouts (flat, documented index order):
 * - `pairWeights[(ti·T + tj)·M + n·nA + m]`: the combined weight `½(w[ti] + w[tj])` of feature
 *   (n, m) of the channel of the ordered type pair (ti, tj), M = nRadial · nA;
 * - `splineTable[(((ti·T + tj)·(N + 3) + k + 2)·nA + m)·4 + d]`: coefficient `C_d` of interval
 *   k ∈ [−2, N] (`s ∈ [k, k + 1)`), angular function m, of that type pair.
 *
 * Nothing allocates in the pair loop; single-threaded.
 */
import { AnisoError } from '../../core/errors.js';
import type { CutoffSwitch } from '../../core/cutoff-switch.js';
import type { NeighborList } from '../../core/neighbor-list.js';
import { angularContractionSource, type AngularBasis } from './angular-basis.js';
import type { GaussianGrid } from './gaussian-grid.js';
import { splineIntervalCoefficients, type SplineGrid } from './spline-grid.js';

/** The constant parts of the kernel: the basis, the shape and the switch. */
export interface PairKernelSetup {
  /** Number of types T. */
  readonly types: number;
  /** The angular functions. */
  readonly angular: AngularBasis;
  /** The radial functions: the Gaussians or the splines. */
  readonly radial: { readonly kind: 'gaussian'; readonly grid: GaussianGrid } | { readonly kind: 'spline'; readonly grid: SplineGrid };
  /** Radial coordinate ξ = r − σ_c + σ0 (true) or ξ = r (false). */
  readonly contact: boolean;
  /** χ of the declared shape (dimensionless). */
  readonly chi: number;
  /** σ0 (length). */
  readonly sigma0: number;
  /** The switch on the bare centre distance. */
  readonly sw: CutoffSwitch;
}

/** The linear-model pass of the pair features (module doc). Not re-entrant. */
export class PairLinearKernel {
  private readonly T: number;
  private readonly nA: number;
  private readonly nR: number;
  private readonly gaussian: GaussianGrid | null;
  private readonly spline: SplineGrid | null;
  /** The generated pair pass of this basis ({@link compilePass}) and what it reads. */
  private readonly pass: GeneratedPass;
  private readonly constants: KernelConstants;
  /** Combined pair weights, T·T·M (module doc); the Gaussian path reads them directly. */
  private readonly pairWeights: Float64Array;
  /** The pair weights transposed, `[(ti·T + tj)·M + m·N + n]`, for the Gaussian path; empty for splines. */
  private readonly weightsByAngle: Float64Array;
  /** Per-interval spline coefficients, T·T·(N + 3)·nA·4 (module doc); empty for Gaussians. */
  private readonly splineTable: Float64Array;

  constructor(setup: PairKernelSetup) {
    const T = (this.T = setup.types);
    const nA = (this.nA = setup.angular.count);
    const nR = (this.nR = setup.radial.grid.count);
    this.gaussian = setup.radial.kind === 'gaussian' ? setup.radial.grid : null;
    this.spline = setup.radial.kind === 'spline' ? setup.radial.grid : null;
    this.pairWeights = new Float64Array(T * T * nR * nA);
    this.splineTable = new Float64Array(this.spline ? T * T * (nR + 3) * nA * 4 : 0);
    this.weightsByAngle = new Float64Array(this.spline ? 0 : T * T * nR * nA);
    const spline = this.spline;
    this.constants = {
      chi: setup.chi, sigma0: setup.sigma0, rOn: setup.sw.rOn, rOff: setup.sw.rOff, invWidth: 1 / setup.sw.width,
      sOrigin: spline ? spline.origin : 0, sInvScale: spline ? 1 / spline.scale : 0, sFirst: spline ? spline.first : 0, sInvStep: spline ? 1 / spline.step : 0,
      pwT: this.weightsByAngle, tab: this.splineTable,
      cv: new Float64Array(nA), cd: new Float64Array(nA), g: new Float64Array(nR), dg: new Float64Array(nR),
      gaussian: this.gaussian,
    };
    this.pass = compilePass(T, nA, nR, spline !== null, setup.contact, setup.angular);
  }

  /**
   * The combined pair weights `pairWeights[(ti·T + tj)·M + n·nA + m]` to be filled by the caller
   * before {@link PairLinearKernel.setWeights}.
   */
  get weights(): Float64Array {
    return this.pairWeights;
  }

  /** Derive the kernel's tables from {@link PairLinearKernel.weights}: the spline coefficients, or the transposed Gaussian weights. */
  setWeights(): void {
    const T = this.T, nA = this.nA, nR = this.nR, pw = this.pairWeights, tab = this.splineTable;
    const M = nR * nA;
    if (!this.spline) {
      const wT = this.weightsByAngle;
      for (let tp = 0; tp < T * T; tp++) for (let n = 0; n < nR; n++) for (let m = 0; m < nA; m++) wT[tp * M + m * nR + n] = pw[tp * M + n * nA + m]!;
      return;
    }
    const w = (o: number, n: number, m: number) => (n >= 0 && n < nR ? pw[o + n * nA + m]! : 0);
    for (let tp = 0; tp < T * T; tp++) {
      const o = tp * M;
      for (let k = -2; k <= nR; k++) {
        const base = (tp * (nR + 3) + k + 2) * nA * 4;
        for (let m = 0; m < nA; m++) splineIntervalCoefficients(w(o, k - 1, m), w(o, k, m), w(o, k + 1, m), w(o, k + 2, m), tab, base + 4 * m);
      }
    }
  }

  /**
   * Accumulate forces (3n), lab torques (3n) and the virial (9, W = −∂E/∂ε) of the pairs of
   * `list` into the (zeroed) outputs and return the energy.
   * @param axes - lab directions of the distinct axes, 3n
   * @param types - type index per particle, or undefined for one type
   * @throws AnisoError `E_ARG` for two particles at one place, `E_NONFINITE` for a non-finite energy
   */
  run(list: NeighborList, axes: Float64Array, types: Int32Array | undefined, forces: Float64Array, torques: Float64Array, virial: Float64Array): number {
    const energy = this.pass(list.count, list.first, list.second, list.vectors, axes, types, forces, torques, virial, this.constants, AnisoError);
    if (!Number.isFinite(energy)) throw new AnisoError('E_NONFINITE', `pair linearForces: energy is ${energy} (non-finite weights or positions?)`);
    return energy;
  }
}

/** The generated pass: `(count, first, second, vectors, axes, types, forces, torques, virial, constants, AnisoError) → E`. */
type GeneratedPass = (
  count: number, first: Int32Array, second: Int32Array, vec: Float64Array, u: Float64Array, types: Int32Array | undefined,
  forces: Float64Array, torques: Float64Array, virial: Float64Array, K: KernelConstants, errorClass: typeof AnisoError,
) => number;

/** What the generated pass reads besides its per-call arguments. */
interface KernelConstants {
  readonly chi: number;
  readonly sigma0: number;
  readonly rOn: number;
  readonly rOff: number;
  readonly invWidth: number;
  readonly sOrigin: number;
  readonly sInvScale: number;
  readonly sFirst: number;
  readonly sInvStep: number;
  readonly pwT: Float64Array;
  readonly tab: Float64Array;
  readonly cv: Float64Array;
  readonly cd: Float64Array;
  readonly g: Float64Array;
  readonly dg: Float64Array;
  readonly gaussian: GaussianGrid | null;
}

/**
 * Source of the pair pass for one basis (module doc): the sizes are literals, the radial branch
 * and the radial coordinate are fixed, and the angular contraction is inlined. One function per
 * kernel, so that V8 optimises each basis on its own (a pass shared by calculators of different
 * bases is slowed by their mixed type feedback).
 */
function compilePass(T: number, nA: number, nR: number, spline: boolean, contact: boolean, angular: AngularBasis): GeneratedPass {
  const M = nR * nA, intervals = nR + 3;
  const radial = spline
    ? `
      const t = Math.exp(-(xi - sOrigin) * sInvScale);
      const s = (t - sFirst) * sInvStep;
      const kI = Math.floor(s);
      if (!(kI >= -2 && kI <= ${nR})) continue; // every spline is 0 here
      const uu = s - kI, ds = -t * sInvScale * sInvStep;
      let o = (tp * ${intervals} + kI + 2) * ${4 * nA};
      for (let m = 0; m < ${nA}; m++, o += 4) {
        const c0 = tab[o], c1 = tab[o + 1], c2 = tab[o + 2], c3 = tab[o + 3];
        cv[m] = c0 + uu * (c1 + uu * (c2 + uu * c3));
        cd[m] = (c1 + uu * (2 * c2 + 3 * uu * c3)) * ds;
      }`
    : `
      gaussian.evaluate(xi, g, dg);
      let o = tp * ${M};
      for (let m = 0; m < ${nA}; m++) {
        let a = 0, b = 0;
        for (let n = 0; n < ${nR}; n++, o++) {
          const w = pwT[o];
          a += w * g[n];
          b += w * dg[n];
        }
        cv[m] = a;
        cd[m] = b;
      }`;
  const shape = contact
    ? `
      const sp = x + y, sm = x - y;
      const ip = 1 / (1 + chi * c), im = 1 / (1 - chi * c);
      const A = sp * sp * ip, B = sm * sm * im;
      const sigma = sigma0 / Math.sqrt(1 - 0.5 * chi * (A + B));
      const kc = (chi * sigma * sigma * sigma) / (4 * sigma0 * sigma0);
      const xi = r - sigma + sigma0;
      const sx = kc * (2 * sp * ip + 2 * sm * im);
      const sy = kc * (2 * sp * ip - 2 * sm * im);
      const sc = kc * chi * (sm * sm * im * im - sp * sp * ip * ip);`
    : `
      const xi = r, sx = 0, sy = 0, sc = 0;`;
  const body = `"use strict";
    const chi = K.chi, sigma0 = K.sigma0, rOn = K.rOn, rOff = K.rOff, invWidth = K.invWidth;
    const sOrigin = K.sOrigin, sInvScale = K.sInvScale, sFirst = K.sFirst, sInvStep = K.sInvStep;
    const pwT = K.pwT, tab = K.tab, cv = K.cv, cd = K.cd, g = K.g, dg = K.dg, gaussian = K.gaussian;
    let energy = 0;
    let w00 = 0, w01 = 0, w02 = 0, w10 = 0, w11 = 0, w12 = 0, w20 = 0, w21 = 0, w22 = 0;
    for (let k = 0; k < count; k++) {
      const i = first[k], j = second[k];
      const ax = vec[3 * k], ay = vec[3 * k + 1], az = vec[3 * k + 2];
      const r = Math.sqrt(ax * ax + ay * ay + az * az);
      if (!(r > 0)) {
        throw new errorClass('E_ARG', 'pair: particles ' + i + ' and ' + j + ' are at the same place (centre distance ' + r + '); pair features need a direction between the centres');
      }
      let S = 1, dS = 0;
      if (r > rOn) {
        if (r >= rOff) continue;
        const ts = (r - rOn) * invWidth, us = 1 - ts;
        S = 1 - ts * ts * ts * (10 + ts * (-15 + 6 * ts));
        dS = -30 * ts * ts * us * us * invWidth;
      }
      const invR = 1 / r, rx = ax * invR, ry = ay * invR, rz = az * invR;
      const uix = u[3 * i], uiy = u[3 * i + 1], uiz = u[3 * i + 2];
      const ujx = u[3 * j], ujy = u[3 * j + 1], ujz = u[3 * j + 2];
      const x = uix * rx + uiy * ry + uiz * rz;
      const y = ujx * rx + ujy * ry + ujz * rz;
      const c = uix * ujx + uiy * ujy + uiz * ujz;${shape}
      const tp = ${T === 1 ? '0' : `types === undefined ? 0 : types[i] * ${T} + types[j]`};${radial}
      ${angularContractionSource(angular.terms).join('\n      ')}
      energy += S * G;
      const aR = dS * G + S * Gxi;
      const aX = S * (Gx - Gxi * sx), aY = S * (Gy - Gxi * sy), aC = S * (Gc - Gxi * sc);
      const radialPart = aR - (aX * x + aY * y) * invR, bx = aX * invR, by = aY * invR;
      const gx = radialPart * rx + bx * uix + by * ujx;
      const gy = radialPart * ry + bx * uiy + by * ujy;
      const gz = radialPart * rz + bx * uiz + by * ujz;
      forces[3 * i] += gx; forces[3 * i + 1] += gy; forces[3 * i + 2] += gz;
      forces[3 * j] -= gx; forces[3 * j + 1] -= gy; forces[3 * j + 2] -= gz;
      const ijx = uiy * ujz - uiz * ujy, ijy = uiz * ujx - uix * ujz, ijz = uix * ujy - uiy * ujx;
      torques[3 * i] -= aX * (uiy * rz - uiz * ry) + aC * ijx;
      torques[3 * i + 1] -= aX * (uiz * rx - uix * rz) + aC * ijy;
      torques[3 * i + 2] -= aX * (uix * ry - uiy * rx) + aC * ijz;
      torques[3 * j] -= aY * (ujy * rz - ujz * ry) - aC * ijx;
      torques[3 * j + 1] -= aY * (ujz * rx - ujx * rz) - aC * ijy;
      torques[3 * j + 2] -= aY * (ujx * ry - ujy * rx) - aC * ijz;
      w00 -= gx * ax; w01 -= gx * ay; w02 -= gx * az;
      w10 -= gy * ax; w11 -= gy * ay; w12 -= gy * az;
      w20 -= gz * ax; w21 -= gz * ay; w22 -= gz * az;
    }
    virial[0] = w00; virial[1] = w01; virial[2] = w02;
    virial[3] = w10; virial[4] = w11; virial[5] = w12;
    virial[6] = w20; virial[7] = w21; virial[8] = w22;
    return energy;`;
  const key = `${spline ? 'spline' : 'gaussian'}-${contact ? 'contact' : 'distance'}-T${T}-N${nR}-A${nA}`;
  return new Function('count', 'first', 'second', 'vec', 'u', 'types', 'forces', 'torques', 'virial', 'K', 'errorClass', body + `\n//# sourceURL=anisodrive-kernel/pair-linear-${key}.js`) as GeneratedPass;
}
