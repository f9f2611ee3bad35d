// SPDX-License-Identifier: BSD-3-Clause
/**
 * A linear model on per-particle features as a {@link ForceProvider}:
 *
 * ```
 * E = Σ_i ( w_{t(i)} · p_i + b_{t(i)} )
 * ```
 *
 * with `p_i` the features of a {@link FeatureCalculator} (F per particle), raw weights `w`
 * (T × F, row t for centre type t, energy unit per feature unit) and per-type baselines `b`
 * (T, energy unit). Forces, lab-frame torques and the virial come from
 * {@link FeatureCalculator.linearForces} (exact analytic gradients, no dense matrices); baselines
 * add energy only. Whether the energy is continuous in time depends on the calculator
 * (`metadata.smooth`; for AniSOAP use `mode: 'md'`).
 */
import { AnisoError } from '../core/errors.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';

/** Options of {@link LinearEnergyProvider}. */
export interface LinearEnergyProviderOptions {
  /** Raw weights, T × F row-major (T = `calculator.metadata.species.length`). */
  weights: ArrayLike<number>;
  /** Per-type baseline energies (T, energy unit); default zeros. */
  baselines?: ArrayLike<number>;
  /** Provider name (key in summed extras). Default `'model'`. */
  name?: string;
}

/** Linear energy model on features (module doc). */
export class LinearEnergyProvider implements ForceProvider {
  /** Provider name. */
  readonly name: string;
  /** The feature calculator. */
  readonly calculator: FeatureCalculator;
  /** Weights T × F (a copy). */
  readonly weights: Float64Array;
  /** Baselines T (a copy). */
  readonly baselines: Float64Array;

  /** @throws AnisoError `E_CONFIG` for weights or baselines of the wrong length or non-finite entries. */
  constructor(calculator: FeatureCalculator, options: LinearEnergyProviderOptions) {
    const T = calculator.metadata.species.length, F = calculator.metadata.featureCount;
    this.calculator = calculator;
    this.name = options.name ?? 'model';
    if (options.weights.length !== T * F) {
      throw new AnisoError('E_CONFIG', `linear model '${this.name}': weights have ${options.weights.length} entries, expected T·F = ${T}·${F} = ${T * F}`);
    }
    this.weights = Float64Array.from(options.weights);
    this.baselines = options.baselines === undefined ? new Float64Array(T) : Float64Array.from(options.baselines);
    if (this.baselines.length !== T) {
      throw new AnisoError('E_CONFIG', `linear model '${this.name}': baselines have ${this.baselines.length} entries, expected one per type (${T})`);
    }
    for (const [what, a] of [['weights', this.weights], ['baselines', this.baselines]] as const) {
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k]!)) throw new AnisoError('E_CONFIG', `linear model '${this.name}': ${what}[${k}] = ${a[k]} is not finite`);
      }
    }
  }

  /** Energy, forces, torques and virial of `system` (see the module doc). */
  compute(system: ParticleSystem): ForceResult {
    const result = this.calculator.linearForces(system, this.weights);
    let base = 0;
    for (let i = 0; i < system.n; i++) base += this.baselines[system.types ? system.types[i]! : 0]!;
    result.energy += base;
    return result;
  }
}
