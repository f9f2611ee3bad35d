// SPDX-License-Identifier: BSD-3-Clause
/**
 * The site-level provider a driver serves from a mapping and its terms:
 *
 *   guard( rebuilt-per-N( sum( mapped(mapping, sum(ellipsoid terms)), site terms(N)… ) ) )
 *
 * Ellipsoid terms (Gay–Berne, models, LJ on centres) act behind the site mapping; site terms act
 * on the engine's sites directly and may depend on the site count (restraints). Positions are
 * checked by {@link PositionGuard}; the whole sum is rebuilt when N changes
 * ({@link SiteCountProvider}), and a site count the mapping cannot split fails with its `E_SIZE`.
 */
import { AnisoError } from '../core/errors.js';
import type { ForceProvider } from '../core/system.js';
import { MappedProvider } from '../mapping/mapped-provider.js';
import type { SiteMapping } from '../mapping/site-mapping.js';
import { PositionGuard } from './position-guard.js';
import { SiteCountProvider } from './site-count-provider.js';
import { SumProvider } from './sum-provider.js';

/** Parts of {@link mappedSiteProvider}. */
export interface MappedSiteParts {
  /** Sites ⇄ ellipsoids (Å). */
  mapping: SiteMapping;
  /** Providers on ellipsoids (summed as `'ellipsoids'` when there are several). */
  ellipsoidTerms: readonly ForceProvider[];
  /** Builders of providers on sites, given the site count. */
  siteTerms: readonly ((nSites: number) => ForceProvider)[];
  /** Name of the result (default `'anisodrive'`). */
  name?: string;
}

/**
 * The guarded, N-adaptive site provider of `parts` (see the module doc). Energies eV, forces 3N
 * eV/Å, no torques, site virial 9 eV; with several terms, `extras.energies` per term (SumProvider).
 * Throws `E_ARG` without any term.
 */
export function mappedSiteProvider(parts: MappedSiteParts): ForceProvider {
  const { mapping, ellipsoidTerms, siteTerms } = parts;
  if (ellipsoidTerms.length + siteTerms.length === 0) throw new AnisoError('E_ARG', 'mappedSiteProvider needs at least one term');
  const name = parts.name ?? 'anisodrive';
  const inner = new SiteCountProvider((nSites) => {
    mapping.ellipsoidCount(nSites); // E_SIZE with a clear message if the engine's sites do not fit
    const terms: ForceProvider[] = [];
    if (ellipsoidTerms.length > 0) {
      const ells = ellipsoidTerms.length === 1 ? ellipsoidTerms[0]! : new SumProvider(ellipsoidTerms, 'ellipsoids');
      terms.push(new MappedProvider(mapping, ells));
    }
    for (const make of siteTerms) terms.push(make(nSites));
    return terms.length === 1 ? terms[0]! : new SumProvider(terms, 'total');
  }, name);
  return new PositionGuard(inner);
}
