// SPDX-License-Identifier: BSD-3-Clause
/** Registry entry of Lennard-Jones (`lennard-jones.ts`), on the engine's sites or on ellipsoid centres. */
import { z } from 'zod';
import { positiveNumber, type UnitScales } from '../mapping/mapping-entry.js';
import { LennardJones } from './lennard-jones.js';
import { definePotential, fixedSiteTerm, truncationSchema } from './potential-entry.js';

/** Lennard-Jones parameters (file units). */
export const lennardJonesSchema = z.strictObject({
  kind: z.literal('lj'),
  sigma: positiveNumber('lj.sigma'),
  epsilon: positiveNumber('lj.epsilon'),
  cutoff: positiveNumber('lj.cutoff'),
  shift: z.boolean().default(true),
  truncation: truncationSchema.default('hard'),
  switchWidth: positiveNumber('lj.switchWidth').default(0.5),
  on: z.enum(['sites', 'ellipsoids']).default('sites').describe('act on engine sites or on ellipsoid centres'),
});

/** Validated Lennard-Jones parameters. */
export type LennardJonesParams = z.output<typeof lennardJonesSchema>;

/** The Lennard-Jones provider of `p` in Å and eV. */
export function lennardJonesFromParams(p: LennardJonesParams, s: UnitScales): LennardJones {
  return new LennardJones({
    epsilon: p.epsilon * s.energy,
    sigma: p.sigma * s.length,
    cutoff: p.cutoff * s.length,
    shift: p.shift,
    truncation: p.truncation,
    ...(p.truncation === 'switch' ? { switchWidth: p.switchWidth * s.length } : {}),
  });
}

/** Lennard-Jones as a registry member: acts where `on` says. */
export const lennardJonesPotential = definePotential({
  kind: 'lj',
  schema: lennardJonesSchema,
  actsOn: (p) => p.on,
  create: (p, { scales }) => {
    const lj = lennardJonesFromParams(p, scales);
    return p.on === 'ellipsoids' ? { on: 'ellipsoids', provider: lj } : fixedSiteTerm(lj);
  },
});
