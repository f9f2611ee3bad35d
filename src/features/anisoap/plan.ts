// SPDX-License-Identifier: BSD-3-Clause
/**
 * Everything the AniSOAP kernels need that depends only on the hyper-parameters: sizes and index
 * layouts, the radial basis, the solid harmonics, the Wigner-D block layout, the rotation
 * generators and the feature labels. Deterministic, so that worker threads rebuild the identical
 * plan (and identical generated kernels) from the resolved hypers alone.
 *
 * ## Layouts
 * - **ν = 1 coefficients** of one centre: `S` species channels (type order of `hypers.species`),
 *   each `nc = Σ_l N_l (2l+1)` values: block l at `cOff[l]`, inside it n-major, m-minor
 *   (`cOff[l] + n (2l+1) + (m + l)`). So `coef[(i·S + a)·nc + cOff[l] + n(2l+1) + m + l]`.
 * - **features** (native layout, ANISOAP.md §15): `F = Σ_l (S N_l)²` per centre; block l at
 *   `fOff[l]`, then `q1 = a1·N_l + n1`, then `q2 = a2·N_l + n2`:
 *   `p[fOff[l] + q1·(S N_l) + q2] = (−1)^l/√(2l+1) Σ_m c(a1,n1,l,m) c(a2,n2,l,m)`.
 *   Labels `[l, a1, n1, a2, n2]` with `a` the species id.
 */
import { RadialBasis } from '../common/radial-basis.js';
import { solidHarmonics, type SolidHarmonics } from '../common/solid-harmonics.js';
import { angularMomentumGenerators, blockOffsets } from '../common/wigner.js';
import type { FeatureLabels } from '../feature-labels.js';
import type { ResolvedAniSoapHypers } from './hypers.js';

/** Per-particle record length in the engine's particle array (see {@link AniSoapPlan}). */
export const PARTICLE_STRIDE = 16;

/** The hyper-parameter-dependent tables of one AniSOAP calculator (module doc). */
export class AniSoapPlan {
  /** The resolved hypers this plan was built from. */
  readonly hypers: ResolvedAniSoapHypers;
  /** lmax. */
  readonly lmax: number;
  /** N_l per l. */
  readonly nPerL: Int32Array;
  /** Number of species channels S. */
  readonly nSpecies: number;
  /** Coefficients per channel, `Σ_l N_l (2l+1)`. */
  readonly nc: number;
  /** Block offsets of l inside a channel (length lmax + 2). */
  readonly cOff: Int32Array;
  /** Features per centre F. */
  readonly featureCount: number;
  /** Block offsets of l in the features (length lmax + 2). */
  readonly fOff: Int32Array;
  /** Largest polynomial degree `max_l (l + 2(N_l − 1))`. */
  readonly maxDegree: number;
  /** `1/σ²` for GTO, 0 for the monomial basis. */
  readonly invSigma2: number;
  /** The orthonormalised radial basis. */
  readonly radial: RadialBasis;
  /** Monomial expansions of the solid harmonics. */
  readonly harmonics: SolidHarmonics;
  /** Offsets of the Wigner-D blocks (length lmax + 2). */
  readonly wignerOffsets: Int32Array;
  /** `Σ_l (2l+1)²`. */
  readonly wignerSize: number;
  private generatorsCache: { x: Float64Array; y: Float64Array; z: Float64Array } | null = null;

  /** Rotation generators `L_x, L_y, L_z` (Wigner block layout; built on first use, only gradients need them). */
  get generators(): { x: Float64Array; y: Float64Array; z: Float64Array } {
    this.generatorsCache ??= angularMomentumGenerators(this.lmax);
    return this.generatorsCache;
  }
  /** Feature labels `[l, a1, n1, a2, n2]`. */
  readonly labels: FeatureLabels;
  /** `(−1)^l / √(2l+1)` per l. */
  readonly cgFactor: Float64Array;

  /** @throws AnisoError `E_CONFIG` if the radial basis fails its orthonormalisation check. */
  constructor(hypers: ResolvedAniSoapHypers) {
    this.hypers = hypers;
    const lmax = (this.lmax = hypers.maxAngular);
    this.nPerL = Int32Array.from(hypers.nPerL);
    const S = (this.nSpecies = hypers.species.length);
    this.cOff = new Int32Array(lmax + 2);
    this.fOff = new Int32Array(lmax + 2);
    this.cgFactor = new Float64Array(lmax + 1);
    let deg = 0;
    for (let l = 0; l <= lmax; l++) {
      const nl = this.nPerL[l]!;
      this.cOff[l + 1] = this.cOff[l]! + nl * (2 * l + 1);
      this.fOff[l + 1] = this.fOff[l]! + (S * nl) ** 2;
      this.cgFactor[l] = (l % 2 === 0 ? 1 : -1) / Math.sqrt(2 * l + 1);
      deg = Math.max(deg, l + 2 * (nl - 1));
    }
    this.nc = this.cOff[lmax + 1]!;
    this.featureCount = this.fOff[lmax + 1]!;
    this.maxDegree = deg;
    this.invSigma2 = hypers.radialBasis === 'gto' ? 1 / hypers.gaussianWidth! ** 2 : 0;
    this.radial = new RadialBasis({
      kind: hypers.radialBasis,
      nPerL: hypers.nPerL,
      sigma: hypers.gaussianWidth ?? undefined,
      cutoff: hypers.cutoff,
      rcond: hypers.basisRcond,
      tol: hypers.basisTol,
    });
    this.harmonics = solidHarmonics(lmax);
    const wb = blockOffsets(lmax);
    this.wignerOffsets = wb.offsets;
    this.wignerSize = wb.size;
    const F = this.featureCount;
    const values = new Int32Array(5 * F);
    let f = 0;
    for (let l = 0; l <= lmax; l++) {
      const nl = this.nPerL[l]!;
      for (let a1 = 0; a1 < S; a1++) {
        for (let n1 = 0; n1 < nl; n1++) {
          for (let a2 = 0; a2 < S; a2++) {
            for (let n2 = 0; n2 < nl; n2++, f++) {
              values.set([l, hypers.species[a1]!, n1, hypers.species[a2]!, n2], 5 * f);
            }
          }
        }
      }
    }
    this.labels = { names: ['l', 'a1', 'n1', 'a2', 'n2'], values };
  }
}
