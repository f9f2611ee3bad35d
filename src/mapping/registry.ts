// SPDX-License-Identifier: BSD-3-Clause
/**
 * The site mappings a configuration can name, one line each. To add a mapping: write its class
 * (`SiteMapping`, usually a `GroupedSiteMapping`), an entry module like `dumbbell-entry.ts`
 * (kind, zod schema, factory), one line below, and its tests in `test/mapping/`. The driver's
 * schema (`plugin/config/schema.ts`) and JSON Schema (`npm run schema`) follow from this list.
 */
import type { z } from 'zod';
import { AnisoError } from '../core/errors.js';
import { dumbbellMappingEntry } from './dumbbell-entry.js';
import { identityMappingEntry } from './identity-entry.js';
import type { MappingContext } from './mapping-entry.js';
import { moleculeMappingEntry } from './molecule-entry.js';
import type { SiteMapping } from './site-mapping.js';
import { triadMappingEntry } from './triad-entry.js';

/** Every mapping kind, in the order the schema lists them. */
export const MAPPINGS = [identityMappingEntry, dumbbellMappingEntry, triadMappingEntry, moleculeMappingEntry] as const;

/** A validated mapping configuration of any registered kind. */
export type MappingParams = z.output<(typeof MAPPINGS)[number]['schema']>;

/**
 * Build the mapping a validated configuration names (lengths and masses scaled by
 * `context.scales`). Throws `E_CONFIG` for an unknown kind, listing the known ones.
 */
export function mappingFromParams(params: MappingParams, context: MappingContext): SiteMapping {
  const entry = MAPPINGS.find((e) => e.kind === params.kind);
  if (entry === undefined) {
    throw new AnisoError('E_CONFIG', `unknown mapping kind '${String(params.kind)}'; allowed: ${MAPPINGS.map((e) => e.kind).join(', ')}`);
  }
  return (entry.create as (p: MappingParams, c: MappingContext) => SiteMapping)(params, context);
}
