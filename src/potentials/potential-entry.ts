// SPDX-License-Identifier: BSD-3-Clause
/**
 * What a member of the potential registry (`registry.ts`) is: a `kind`, a zod schema of its
 * configuration (the single source of its parameters and defaults: the driver's JSON Schema and
 * validation come from it), where it acts for given parameters, and a factory from the validated
 * parameters and a {@link PotentialContext} to the term the driver sums.
 *
 * Parameters are written in the configuration's units; the factory converts them with
 * `context.scales` (lengths × `length`, energies × `energy`, masses × `mass`), so the provider it
 * returns works in Å, eV and amu. `zero.ts` is the template of a member.
 */
import { z } from 'zod';
import { TRUNCATIONS, type Truncation } from '../core/cutoff-switch.js';
import type { ForceProvider } from '../core/system.js';
import type { UnitScales } from '../mapping/mapping-entry.js';
import type { SiteMapping } from '../mapping/site-mapping.js';

/**
 * Where a term acts: `'ellipsoids'` (behind the site mapping: centres, orientations, semi-axes)
 * or `'sites'` (directly on the engine's point sites).
 */
export type ActsOn = 'ellipsoids' | 'sites';

/** What a potential factory gets besides its own parameters. */
export interface PotentialContext {
  /** File units → Å, eV, amu. */
  readonly scales: UnitScales;
  /**
   * The configuration's site mapping (built, Å), or `null` when the term serves ellipsoids given
   * directly (a rigid-body trajectory replayed): then only ellipsoid terms are created, and checks
   * against the mapping are skipped.
   */
  readonly mapping: SiteMapping | null;
  /**
   * The mapping's validated parameters as written (file units), `null` with `mapping`. Ellipsoid
   * terms check `semiaxes` against their own shape.
   */
  readonly mappingParams: { readonly kind: string; readonly semiaxes?: readonly number[] } | null;
  /** Folder that relative paths in the parameters (files) are relative to. */
  readonly baseDir: string;
}

/** A built term: an ellipsoid provider, or a builder of a site provider for a given site count. */
export type PotentialTerm =
  | { readonly on: 'ellipsoids'; readonly provider: ForceProvider }
  | { readonly on: 'sites'; build(nSites: number): ForceProvider };

/**
 * A registry member: see the module doc. `S` is the member's zod schema (a strict object, or a
 * discriminated union of strict objects, with a literal `kind`); `C` the context it needs.
 */
export interface PotentialEntry<S extends z.ZodType = z.ZodType, C extends PotentialContext = PotentialContext> {
  /** The `kind` value that selects this potential in a configuration. */
  readonly kind: string;
  /** Parameters and defaults, in the configuration's units. */
  readonly schema: S;
  /** Where the term with these parameters acts (decided without building anything). */
  actsOn(params: z.output<S>): ActsOn;
  /**
   * Build the term. Throws `E_CONFIG` for parameters the schema cannot check (inconsistent with
   * the mapping, a missing rest length), before any connection is made.
   */
  create(params: z.output<S>, context: C): PotentialTerm;
  /**
   * A rest length (file length unit) these parameters declare for the sites of one group, which
   * the mapping takes as its own (a dumbbell's site separation); absent or undefined for none.
   */
  restLength?(params: z.output<S>): number | undefined;
  /**
   * The species name of each particle type the parameters define (index = type), `undefined`
   * where none is given; absent for a term without types. Replaying an ellipsoid trajectory maps
   * the frames' species to types with it.
   */
  speciesNames?(params: z.output<S>): readonly (string | undefined)[];
}

/** Identity helper that keeps the schema's type for the entry's functions. */
export function definePotential<S extends z.ZodType, C extends PotentialContext = PotentialContext>(entry: PotentialEntry<S, C>): PotentialEntry<S, C> {
  return entry;
}

/** A site term that does not depend on the site count. */
export function fixedSiteTerm(provider: ForceProvider): PotentialTerm {
  return { on: 'sites', build: () => provider };
}

/** `'hard'` or `'switch'` (see `core/cutoff-switch.ts`), for the schemas of pair potentials. */
export const truncationSchema = z.enum(TRUNCATIONS as [Truncation, ...Truncation[]]);
