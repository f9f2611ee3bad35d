// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of the molecule mapping (`molecule.ts`): k atoms, best-fit rigid reference. */
import { z } from 'zod';
import { defineMapping, point3, positiveNumber, positiveTriple, scaled } from './mapping-entry.js';
import { MoleculeMapping } from './molecule.js';

/** Molecule parameters (lengths in the file's length unit, masses in its mass unit). */
export const moleculeMappingSchema = z.strictObject({
  kind: z.literal('molecule'),
  semiaxes: positiveTriple('mapping.semiaxes'),
  masses: z.array(positiveNumber('mapping.masses')).min(2),
  reference: z.array(point3).min(2).describe('body-frame atom positions (Å)'),
});

/** The molecule mapping as a registry member. */
export const moleculeMappingEntry = defineMapping({
  kind: 'molecule',
  schema: moleculeMappingSchema,
  create: (m, { scales: s }) =>
    new MoleculeMapping({
      semiaxes: scaled(m.semiaxes, s.length),
      masses: scaled(m.masses, s.mass),
      reference: m.reference.flatMap((p) => scaled(p, s.length)),
    }),
});
