// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of the triad mapping (`triad.ts`): three sites carry one biaxial ellipsoid. */
import { z } from 'zod';
import { defineMapping, point3, positiveNumber, positiveTriple, scaled } from './mapping-entry.js';
import { TriadMapping } from './triad.js';

/** Triad parameters (lengths in the file's length unit, masses in its mass unit). */
export const triadMappingSchema = z.strictObject({
  kind: z.literal('triad'),
  semiaxes: positiveTriple('mapping.semiaxes'),
  masses: z.tuple([positiveNumber('mapping.masses'), positiveNumber('mapping.masses'), positiveNumber('mapping.masses')]).optional(),
  geometry: z
    .array(point3)
    .length(3)
    .optional()
    .describe('body-frame site positions (length unit): fixes the body frame and the restraint lengths'),
});

/** The triad mapping as a registry member. */
export const triadMappingEntry = defineMapping({
  kind: 'triad',
  schema: triadMappingSchema,
  create: (m, { scales: s }) =>
    new TriadMapping({
      semiaxes: scaled(m.semiaxes, s.length),
      ...(m.masses ? { masses: scaled(m.masses, s.mass) } : {}),
      ...(m.geometry ? { geometry: m.geometry.flatMap((p) => scaled(p, s.length)) } : {}),
    }),
});
