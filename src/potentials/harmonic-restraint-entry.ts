// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of the harmonic restraint (`harmonic-restraint.ts`): bonds inside every site group. */
import { z } from 'zod';
import { AnisoError } from '../core/errors.js';
import { positiveNumber } from '../mapping/mapping-entry.js';
import { HarmonicRestraint } from './harmonic-restraint.js';
import { definePotential } from './potential-entry.js';

/** Restraint parameters (file units). */
export const restraintSchema = z.strictObject({
  kind: z.literal('restraint'),
  k: positiveNumber('restraint.k').describe('spring constant (energy/length²)'),
  length: positiveNumber('restraint.length').optional().describe('rest length (length unit); default: mapping.bondLength'),
});

/**
 * The restraint as a registry member: acts on the sites, bonds every pair of sites of a group at
 * the mapping's rest geometry (rebuilt for each site count). Its `length` becomes the dumbbell's
 * site separation (see {@link restraintPotential.restLength}).
 */
export const restraintPotential = definePotential({
  kind: 'restraint',
  schema: restraintSchema,
  actsOn: () => 'sites',
  restLength: (p) => p.length,
  create: (p, { scales: s, mapping }) => {
    if (mapping === null) throw new AnisoError('E_CONFIG', 'a restraint acts on the sites of a mapping; there is none here');
    if (mapping.sitesPerEllipsoid < 2) {
      throw new AnisoError('E_CONFIG', `a restraint needs a mapping with several sites per ellipsoid, not '${mapping.kind}'`);
    }
    if (mapping.bodySites() === null) {
      throw new AnisoError(
        'E_CONFIG',
        `restraint needs a rest geometry: set restraint.length or mapping.bondLength (dumbbell), mapping.geometry (triad)`,
      );
    }
    const k = (p.k * s.energy) / (s.length * s.length);
    return { on: 'sites', build: (n: number) => HarmonicRestraint.forMapping(mapping, n, k) };
  },
});
