// SPDX-License-Identifier: BSD-3-Clause
/**
 * A provider built for the number of sites it is asked about, and rebuilt when that number
 * changes: i-PI may send a different N to the same driver, and some terms (restraints on every
 * group, the mapping's group count) depend on it.
 */
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';

/**
 * {@link ForceProvider} that calls `build(n)` on the first request and whenever `system.n`
 * differs from the previous request, then computes with the provider built. Errors of `build`
 * (e.g. `E_SIZE` for a site count the mapping cannot split) propagate, and the next request
 * tries again.
 */
export class SiteCountProvider implements ForceProvider {
  private n = -1;
  private current: ForceProvider | null = null;

  /** `build(nSites)` makes the provider for `nSites` sites; `name` is this provider's. */
  constructor(
    private readonly build: (nSites: number) => ForceProvider,
    readonly name = 'sites',
  ) {}

  /** Number of sites of the provider built last, or -1 before the first request. */
  get siteCount(): number {
    return this.current === null ? -1 : this.n;
  }

  /** Compute with the provider for `system.n`, building it first if N changed. */
  compute(system: ParticleSystem): ForceResult {
    if (system.n !== this.n || this.current === null) {
      this.current = null;
      this.current = this.build(system.n);
      this.n = system.n;
    }
    return this.current.compute(system);
  }
}
