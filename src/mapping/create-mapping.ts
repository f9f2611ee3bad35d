// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry of site mappings by name: a validated configuration object in, a {@link SiteMapping} out.
 */
import { AnisoError } from '../core/errors.js';
import { DumbbellMapping, type DumbbellMappingOptions } from './dumbbell.js';
import { IdentityMapping, type IdentityMappingOptions } from './identity.js';
import { MoleculeMapping, type MoleculeMappingOptions } from './molecule.js';
import type { SiteMapping } from './site-mapping.js';
import { TriadMapping, type TriadMappingOptions } from './triad.js';

/** A mapping configuration: `kind` plus that mapping's options. */
export type SiteMappingConfig =
  | ({ kind: 'identity' } & IdentityMappingOptions)
  | ({ kind: 'dumbbell' } & DumbbellMappingOptions)
  | ({ kind: 'triad' } & TriadMappingOptions)
  | ({ kind: 'molecule' } & MoleculeMappingOptions);

/** The mapping kinds {@link createMapping} knows. */
export const SITE_MAPPING_KINDS = ['identity', 'dumbbell', 'triad', 'molecule'] as const;

/** Build the mapping `config.kind` from its options. Throws `E_CONFIG` for an unknown kind or bad options. */
export function createMapping(config: SiteMappingConfig): SiteMapping {
  switch (config.kind) {
    case 'identity':
      return new IdentityMapping(config);
    case 'dumbbell':
      return new DumbbellMapping(config);
    case 'triad':
      return new TriadMapping(config);
    case 'molecule':
      return new MoleculeMapping(config);
    default:
      throw new AnisoError(
        'E_CONFIG',
        `unknown mapping kind '${(config as { kind: unknown }).kind}'; allowed: ${SITE_MAPPING_KINDS.join(', ')}`,
      );
  }
}
