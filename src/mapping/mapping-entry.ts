// SPDX-License-Identifier: BSD-3-Clause
/**
 * What a member of the site-mapping registry (`registry.ts`) is: a `kind`, a zod schema of its
 * configuration (the single source of its parameters and defaults: the driver's JSON Schema and
 * validation come from it) and a factory from the validated parameters to a {@link SiteMapping}.
 *
 * Parameters are written in the configuration's units; the factory multiplies lengths and masses by
 * the {@link UnitScales} of its context, so the library only ever sees Å, eV and amu.
 */
import { z } from 'zod';
import type { SiteMapping } from './site-mapping.js';

/** Multipliers from a configuration's units to Å, eV and amu (all 1 for real units). */
export interface UnitScales {
  /** Å per length unit of the file. */
  readonly length: number;
  /** eV per energy unit of the file. */
  readonly energy: number;
  /** amu per mass unit of the file. */
  readonly mass: number;
}

/** The scales of real units (Å, eV, amu): all 1. */
export const REAL_UNITS: UnitScales = Object.freeze({ length: 1, energy: 1, mass: 1 });

/** What a mapping factory gets besides its own parameters. */
export interface MappingContext {
  /** File units → Å, eV, amu. */
  readonly scales: UnitScales;
  /**
   * A rest length (file length unit) that a potential of the same configuration declares for the
   * sites of one group (the restraint's `length`); a dumbbell takes it as its site separation in
   * place of its own `bondLength`. Undefined when no potential declares one.
   */
  readonly restLength?: number;
}

/** A registry member: see the module doc. `S` is the member's zod schema (a strict object with a literal `kind`). */
export interface MappingEntry<S extends z.ZodType = z.ZodType> {
  /** The `kind` value that selects this mapping in a configuration. */
  readonly kind: string;
  /** Parameters and defaults, in the configuration's units. */
  readonly schema: S;
  /** Build the mapping (Å, amu) from validated parameters. Throws `E_CONFIG` for values the schema cannot check. */
  create(params: z.output<S>, context: MappingContext): SiteMapping;
}

/** Identity helper that keeps the schema's type for the factory's parameters. */
export function defineMapping<S extends z.ZodType>(entry: MappingEntry<S>): MappingEntry<S> {
  return entry;
}

/** A number that must be > 0; `what` (e.g. `'mapping.semiaxes'`) names it in the messages. */
export function positiveNumber(what: string) {
  return z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
}

/** Three numbers, each > 0 (body x, y, z). */
export function positiveTriple(what: string) {
  return z.tuple([positiveNumber(what), positiveNumber(what), positiveNumber(what)]);
}

/** Three numbers (a point or a vector). */
export const point3 = z.tuple([z.number(), z.number(), z.number()]);

/** Every element of `v` times `scale` (unit conversion of a length or mass list). */
export function scaled(v: readonly number[], scale: number): number[] {
  return v.map((x) => x * scale);
}
