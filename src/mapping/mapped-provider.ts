// SPDX-License-Identifier: BSD-3-Clause
/**
 * A provider on ellipsoids, seen through a {@link SiteMapping} as a provider on point sites:
 * `compute(sites) = backward(sites, forward(sites), inner.compute(forward(sites)))`.
 */
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';
import type { SiteMapping } from './site-mapping.js';

/**
 * {@link ForceProvider} on sites wrapping a provider on ellipsoids. Energy is the inner energy (eV),
 * forces are exact site forces (3N, eV/Å), `torques` is `null`, the virial is the exact site virial
 * (9, eV), and the inner provider's `extras` are passed through unchanged.
 */
export class MappedProvider implements ForceProvider {
  /** The inner provider's name. */
  readonly name: string;
  /** Sites ⇄ ellipsoids. */
  readonly mapping: SiteMapping;
  /** The provider on ellipsoids. */
  readonly inner: ForceProvider;

  /** Wrap `inner` (a provider on ellipsoids) behind `mapping`. */
  constructor(mapping: SiteMapping, inner: ForceProvider) {
    this.mapping = mapping;
    this.inner = inner;
    this.name = inner.name;
  }

  /** Forward, compute on the ellipsoids, backward. Errors of the mapping (`E_SIZE`, `E_MAPPING`) propagate. */
  compute(sites: ParticleSystem): ForceResult {
    const ellipsoids = this.mapping.forward(sites);
    const result = this.inner.compute(ellipsoids);
    return this.mapping.backward(sites, ellipsoids, result);
  }
}
