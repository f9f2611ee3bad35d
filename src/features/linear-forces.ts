// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one generic force path of a linear model on contracted density features, usable with any
 * {@link DensityExpansion} and any {@link Contraction}:
 *
 * ```
 * E = Σ_i w[t(i)] · p_i,   p = contraction(c),   c = expansion(system)
 * ∂E/∂p_i = w[t(i)]  →  contraction.adjoint  →  ∂E/∂c  →  expansion.backward  →  F, τ, W
 * ```
 *
 * No dense gradient is formed: the cost is one expansion, one contraction forward and adjoint per
 * centre, and one backward pass over the pairs. Weights are `T × F`, type-major (`w[t·F + f]`).
 */
import { AnisoError } from '../core/errors.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { Contraction } from './contraction.js';
import type { DensityExpansion } from './density-expansion.js';

/** Energy, forces, torques and virial of a linear model through an expansion and a contraction. */
export class LinearContractionForces {
  /** The expansion the features are built on. */
  readonly expansion: DensityExpansion;
  /** The contraction from coefficients to features. */
  readonly contraction: Contraction;
  private features = new Float64Array(0);

  /** @throws AnisoError `E_ARG` if the contraction's record length differs from the expansion's. */
  constructor(expansion: DensityExpansion, contraction: Contraction) {
    if (contraction.recordLength !== expansion.metadata.recordLength) {
      throw new AnisoError('E_ARG', `linear forces: contraction '${contraction.name}' expects records of ${contraction.recordLength} values, the expansion '${expansion.metadata.name}' has ${expansion.metadata.recordLength}`);
    }
    this.expansion = expansion;
    this.contraction = contraction;
  }

  /**
   * `E = Σ_i weights[t(i)] · p_i` and its forces `−∂E/∂r` (3n), lab torques `−∂E/∂θ` (3n) and
   * virial `−∂E/∂ε` (9) for `system` (module doc).
   * @throws AnisoError `E_SIZE` if `weights` is not `T · F` long.
   */
  compute(system: ParticleSystem, weights: Float64Array): ForceResult {
    const T = this.expansion.metadata.species.length, F = this.contraction.featureCount;
    if (weights.length !== T * F) {
      throw new AnisoError('E_SIZE', `linearForces: weights have length ${weights.length}, expected T·F = ${T}·${F} = ${T * F}`);
    }
    const c = this.expansion.compute(system), n = c.n;
    if (this.features.length < n * F) this.features = new Float64Array(Math.max(n * F, Math.ceil(1.25 * this.features.length)));
    const feat = this.features;
    this.contraction.forward(c.values, c.types, feat, 0, n);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const wo = c.types[i]! * F, fo = i * F;
      let e = 0;
      for (let f = 0; f < F; f++) e += weights[wo + f]! * feat[fo + f]!;
      energy += e;
    }
    this.contraction.adjoint(c.values, c.types, weights, c.types, c.adjoint, 0, n);
    const g = this.expansion.backward(c.adjoint);
    return { energy, forces: g.forces, torques: g.torques, virial: g.virial, extras: {} };
  }
}
