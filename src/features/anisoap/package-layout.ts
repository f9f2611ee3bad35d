// SPDX-License-Identifier: BSD-3-Clause
/**
 * Conversions from the native, data-independent layouts of {@link AniSoapCalculator} to the
 * AniSOAP package's own output layouts (ANISOAP.md §5–6, main@6b28869), so that package output can
 * be reproduced number for number.
 *
 * The package's channel set depends on the data: for centre type t it keeps only the neighbour
 * species e for which some pair (t, e) occurs **anywhere in the data set** of the call (the self
 * pair counts when the centre contribution is kept), sorted by species id; call that list `E_t`
 * (`T_t` entries). Its values are laid out n-major, species-minor: `q = n·T_t + e_idx`, and the
 * power spectrum is `l` outermost, then q1, then q2: `F_t = Σ_l (T_t N_l)²` per centre of type t.
 * Per-frame means (`power_spectrum(mean_over_samples=True)`) average the particles of each centre
 * type in the frame and concatenate the blocks of the centre types present in the data set, sorted
 * by species id. Centres without any pair (possible only with `subtractCenterContribution`) are
 * absent from the package's samples and left out of the means.
 */
import { AnisoError } from '../../core/errors.js';
import type { ParticleSystem } from '../../core/system.js';
import type { AniSoapCalculator } from './calculator.js';
import type { AniSoapPlan } from './plan.js';

/** The package's channel sets of a data set. */
export interface PackageChannels {
  /** `present[t·S + e] = 1` if neighbour type e occurs around centre type t (type indices). */
  readonly present: Uint8Array;
  /** Per centre type t: its neighbour type indices `E_t`, sorted by species id. */
  readonly neighborTypes: ReadonlyArray<readonly number[]>;
  /** Centre type indices that occur in the data set, sorted by species id. */
  readonly centreTypes: readonly number[];
}

/** Channel sets of `systems` as the package would derive them in one call (module doc). */
export function packageChannels(calc: AniSoapCalculator, systems: readonly ParticleSystem[]): PackageChannels {
  const S = calc.plan.nSpecies, species = calc.hypers.species;
  const present = new Uint8Array(S * S);
  const centre = new Uint8Array(S);
  for (const sys of systems) {
    calc.channelPresence(sys, present);
    const counts = calc.pairCounts(sys);
    for (let i = 0; i < sys.n; i++) if (counts[i]! > 0) centre[sys.types ? sys.types[i]! : 0] = 1;
  }
  const bySpecies = (a: number, b: number) => species[a]! - species[b]!;
  const neighborTypes: number[][] = [];
  for (let t = 0; t < S; t++) {
    const e: number[] = [];
    for (let k = 0; k < S; k++) if (present[t * S + k]) e.push(k);
    neighborTypes.push(e.sort(bySpecies));
  }
  const centreTypes: number[] = [];
  for (let t = 0; t < S; t++) if (centre[t]) centreTypes.push(t);
  return { present, neighborTypes, centreTypes: centreTypes.sort(bySpecies) };
}

/** `F_t = Σ_l (T_t N_l)²`, the package's feature count for centre type t. */
export function packageFeatureCount(plan: AniSoapPlan, channels: PackageChannels, t: number): number {
  const Tt = channels.neighborTypes[t]!.length;
  let f = 0;
  for (let l = 0; l <= plan.lmax; l++) f += (Tt * plan.nPerL[l]!) ** 2;
  return f;
}

/**
 * The power spectrum of one centre of type `t` in the package's value order (module doc), from
 * its native features `native[offset … offset + F)`. Returns `F_t` values.
 */
export function toPackageLayout(
  plan: AniSoapPlan,
  channels: PackageChannels,
  t: number,
  native: ArrayLike<number>,
  offset = 0,
): Float64Array {
  const E = channels.neighborTypes[t]!, Tt = E.length, S = plan.nSpecies;
  const out = new Float64Array(packageFeatureCount(plan, channels, t));
  let o = 0;
  for (let l = 0; l <= plan.lmax; l++) {
    const nl = plan.nPerL[l]!, Q = S * nl, fo = offset + plan.fOff[l]!;
    for (let q1 = 0; q1 < Tt * nl; q1++) {
      const n1 = Math.floor(q1 / Tt), a1 = E[q1 % Tt]!;
      for (let q2 = 0; q2 < Tt * nl; q2++, o++) {
        const n2 = Math.floor(q2 / Tt), a2 = E[q2 % Tt]!;
        out[o] = native[fo + (a1 * nl + n1) * Q + a2 * nl + n2]!;
      }
    }
  }
  return out;
}

/**
 * ν = 1 coefficients of one centre of type `t` in the package layout: per l a `(2l+1) × (T_t N_l)`
 * row-major block (rows m = −l…l, columns `q = n·T_t + e_idx`), from the native coefficients
 * `coef[offset …]` (`S · nc`, plan layout).
 */
export function nu1ToPackageLayout(
  plan: AniSoapPlan,
  channels: PackageChannels,
  t: number,
  coef: ArrayLike<number>,
  offset = 0,
): Float64Array[] {
  const E = channels.neighborTypes[t]!, Tt = E.length;
  const blocks: Float64Array[] = [];
  for (let l = 0; l <= plan.lmax; l++) {
    const nl = plan.nPerL[l]!, W = 2 * l + 1, cols = Tt * nl;
    const b = new Float64Array(W * cols);
    for (let mi = 0; mi < W; mi++) {
      for (let q = 0; q < cols; q++) {
        const n = Math.floor(q / Tt), a = E[q % Tt]!;
        b[mi * cols + q] = coef[offset + a * plan.nc + plan.cOff[l]! + n * W + mi]!;
      }
    }
    blocks.push(b);
  }
  return blocks;
}

/**
 * ν = 1 coefficients of one centre in the golden files' native layout: per species channel a,
 * flat over l, then m, then n (`[a][l][m][n]`), from the plan layout (`[a][l][n][m]`).
 */
export function nu1ToNativeLayout(plan: AniSoapPlan, coef: ArrayLike<number>, offset = 0): Float64Array {
  const out = new Float64Array(plan.nSpecies * plan.nc);
  let o = 0;
  for (let a = 0; a < plan.nSpecies; a++) {
    for (let l = 0; l <= plan.lmax; l++) {
      const nl = plan.nPerL[l]!, W = 2 * l + 1;
      for (let mi = 0; mi < W; mi++) {
        for (let n = 0; n < nl; n++) out[o++] = coef[offset + a * plan.nc + plan.cOff[l]! + n * W + mi]!;
      }
    }
  }
  return out;
}

/** The package's outputs for a data set (one `power_spectrum` call on `systems`). */
export interface PackagePowerSpectrum {
  /** Channel sets of the data set. */
  channels: PackageChannels;
  /** `[frame][particle]`: the particle's features in the package order (length `F_t`). */
  perParticle: Float64Array[][];
  /** `[frame]`: means per centre type, blocks of `channels.centreTypes` concatenated. */
  frameMean: Float64Array[];
}

/**
 * Compute `systems` with `calc` and convert to the package's per-particle layout and per-frame
 * means (module doc).
 * @throws AnisoError `E_ARG` if a frame lacks one of the data set's centre types (the package
 *   fails there too).
 */
export function packagePowerSpectrum(calc: AniSoapCalculator, systems: readonly ParticleSystem[]): PackagePowerSpectrum {
  const plan = calc.plan, F = plan.featureCount;
  // One frame: its features first, so that the calculator's first neighbour search is the one
  // of the computation (overlapped with the particles' preparation on workers); the channel
  // sets then reuse that list.
  const first = systems.length === 1 ? Float64Array.from(calc.values(systems[0]!)) : null;
  const channels = packageChannels(calc, systems);
  const perParticle: Float64Array[][] = [];
  const frameMean: Float64Array[] = [];
  systems.forEach((sys, fi) => {
    const native = first ?? calc.values(sys);
    const counts = calc.pairCounts(sys);
    const rows: Float64Array[] = [];
    for (let i = 0; i < sys.n; i++) rows.push(toPackageLayout(plan, channels, sys.types ? sys.types[i]! : 0, native, i * F));
    perParticle.push(rows);
    const blocks: Float64Array[] = [];
    for (const t of channels.centreTypes) {
      const Ft = packageFeatureCount(plan, channels, t);
      const mean = new Float64Array(Ft);
      let count = 0;
      for (let i = 0; i < sys.n; i++) {
        if ((sys.types ? sys.types[i]! : 0) !== t || counts[i] === 0) continue;
        const r = rows[i]!;
        for (let f = 0; f < Ft; f++) mean[f]! += r[f]!;
        count++;
      }
      if (count === 0) {
        throw new AnisoError('E_ARG', `package layout: frame ${fi} has no centre of species ${calc.hypers.species[t]}, which other frames have; the package's per-frame mean fails here too`);
      }
      for (let f = 0; f < Ft; f++) mean[f] = mean[f]! / count;
      blocks.push(mean);
    }
    const total = blocks.reduce((s, b) => s + b.length, 0);
    const cat = new Float64Array(total);
    let o = 0;
    for (const b of blocks) {
      cat.set(b, o);
      o += b.length;
    }
    frameMean.push(cat);
  });
  return { channels, perParticle, frameMean };
}
