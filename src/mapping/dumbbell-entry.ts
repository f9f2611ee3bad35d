// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of the dumbbell mapping (`dumbbell.ts`): two sites carry one uniaxial ellipsoid. */
import { z } from 'zod';
import { DumbbellMapping } from './dumbbell.js';
import { defineMapping, positiveNumber, positiveTriple, scaled } from './mapping-entry.js';

/** Dumbbell parameters (lengths in the file's length unit, masses in its mass unit). */
export const dumbbellMappingSchema = z.strictObject({
  kind: z.literal('dumbbell'),
  semiaxes: positiveTriple('mapping.semiaxes').describe('ellipsoid semi-axes along body x, y, z (x = y: uniaxial about the site axis)'),
  masses: z.tuple([positiveNumber('mapping.masses'), positiveNumber('mapping.masses')]).optional().describe('site masses (amu); equal if absent'),
  bondLength: positiveNumber('mapping.bondLength').optional().describe('reference site separation (Å), for restraints and building sites'),
});

/** The dumbbell mapping as a registry member; a restraint's `length` (context) takes precedence over `bondLength`. */
export const dumbbellMappingEntry = defineMapping({
  kind: 'dumbbell',
  schema: dumbbellMappingSchema,
  create: (m, { scales: s, restLength }) => {
    const length = restLength ?? m.bondLength;
    return new DumbbellMapping({
      semiaxes: scaled(m.semiaxes, s.length),
      ...(m.masses ? { masses: scaled(m.masses, s.mass) } : {}),
      ...(length !== undefined ? { length: length * s.length } : {}),
    });
  },
});
