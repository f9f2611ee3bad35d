// SPDX-License-Identifier: BSD-3-Clause
/**
 * The feature-calculator abstraction (metadata first, then values and, on request, gradients),
 * and the contract a linear model relies on. AniSOAP and LODE are implementations.
 *
 * Index orders (all flat `Float64Array`s):
 * - per-particle features `values[i·F + f]` (particle-major), F = `metadata.featureCount`;
 * - per-centre-type sums `sums[t·F + f]` = Σ_{i: type(i) = t} values[i·F + f];
 * - position gradients of those sums `dPos[((t·n + j)·3 + a)·F + f]` = ∂ sums[t·F + f] / ∂r_{j,a};
 * - orientation gradients `dRot[((t·n + j)·3 + a)·F + f]` = ∂ sums[t·F + f] / ∂θ_{j,a} for the
 *   lab-frame rotation `R_j → exp(θ [e_a]×) R_j` of particle j about its centre;
 * - strain gradients `dStrain[(t·9 + 3a + b)·F + f]` = ∂ sums[t·F + f] / ∂ε_{ab} for
 *   `r → (1+ε) r`, `h → (1+ε) h` at fixed lab orientations.
 * Types are the indices in `system.types` (all 0 if absent), `t < metadata.species.length`.
 *
 * Calculators built as a density expansion plus a contraction (AniSOAP: ν = 1 coefficients, then
 * the power spectrum) expose both ({@link FeatureCalculator.densityExpansion},
 * {@link FeatureCalculator.contraction}); `values` is then `contraction.forward` of the expansion,
 * and `linearForces` is the generic adjoint path of `linear-forces.ts`.
 */
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { Contraction } from './contraction.js';
import type { DensityExpansion } from './density-expansion.js';
import type { FeatureLabels } from './feature-labels.js';

export type { FeatureLabels } from './feature-labels.js';

/** What a calculator computes, known before any system is seen. */
export interface FeatureMetadata {
  /** Calculator name, e.g. `'anisoap'`. */
  readonly name: string;
  /** Species identifiers (e.g. atomic numbers; 0 for `X`) of type indices 0, 1, …. */
  readonly species: readonly number[];
  /** Features per particle (the same for every centre type). */
  readonly featureCount: number;
  /** Labels of the features. */
  readonly labels: FeatureLabels;
  /** The largest centre–neighbour distance that contributes (length unit). */
  readonly cutoff: number;
  /** Whether energies built on the features are continuous at the cutoff (a smooth switch). */
  readonly smooth: boolean;
}

/** Sums over centres and their gradients, for training on energies, forces, torques, virials. */
export interface FeatureSumGradients {
  /** Per-particle features, n × F. */
  values: Float64Array;
  /** Per-type sums, T × F. */
  sums: Float64Array;
  /** ∂sums/∂r, T × n × 3 × F (see the module comment). */
  dPos: Float64Array;
  /** ∂sums/∂θ, T × n × 3 × F; null for point particles. */
  dRot: Float64Array | null;
  /** ∂sums/∂ε, T × 9 × F. */
  dStrain: Float64Array;
}

/** A per-particle feature calculator. Instances are not re-entrant (they keep scratch space). */
export interface FeatureCalculator {
  /** Metadata, fixed at construction. */
  readonly metadata: FeatureMetadata;
  /** Per-particle features, n × F, written to `out` if given (length ≥ n·F). */
  values(system: ParticleSystem, out?: Float64Array): Float64Array;
  /** Features, their per-type sums and all their gradients (dense; for training sets). */
  sumGradients(system: ParticleSystem): FeatureSumGradients;
  /**
   * For the linear energy `E = Σ_i w[type(i)] · values_i` with `weights` (T × F): the energy,
   * forces `−∂E/∂r` (3n), torques `−∂E/∂θ` (3n, lab frame; null for point particles) and virial
   * `−∂E/∂ε` (9), without forming dense gradients. This is the MD hot path.
   */
  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult;
  /** The ν = 1 density expansion the features are contracted from, if the calculator has one. */
  readonly densityExpansion?: DensityExpansion;
  /** The contraction from {@link FeatureCalculator.densityExpansion} to `values`, if any. */
  readonly contraction?: Contraction;
  /** Release worker threads or other resources (idempotent); the calculator is unusable after. */
  close?(): void;
}
