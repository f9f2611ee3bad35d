// SPDX-License-Identifier: BSD-3-Clause
/**
 * The driver's JSON configuration, as a zod schema (the single source of truth: TypeScript types,
 * validation with paths in error messages, and the JSON Schema shipped in `schema/` all come from
 * here). The `mapping` and `potentials` entries are built from the registries
 * (`src/mapping/registry.ts`, `src/potentials/registry.ts` + the plugin's `model`): each member's
 * module holds its own schema.
 *
 * Units: lengths in Å, energies in eV, masses in amu — unless `units.system` is `"lj"`, in which
 * case every length, energy and mass in the file is in reduced units and is multiplied by the
 * declared `sigma` (Å), `epsilon` (eV) and `mass` (amu) when the file is loaded.
 */
import { z } from 'zod';
import { positiveNumber } from '../../src/mapping/mapping-entry.js';
import { MAPPINGS } from '../../src/mapping/registry.js';
import { POTENTIALS } from '../../src/potentials/registry.js';
import { modelPotential } from './model-potential.js';


/** Where the server listens (the `-u -a -p -S` flags override these). */
export const SocketSchema = z
  .strictObject({
    mode: z.enum(['unix', 'inet']).default('unix').describe('UNIX domain socket or TCP'),
    address: z.string().min(1).default('anisodrive').describe('socket name (unix) or host (inet)'),
    port: z.number().int().min(1).max(65535).default(31415).describe('TCP port (inet only)'),
    prefix: z.string().default('/tmp/ipi_').describe("unix socket path = prefix + address (i-PI's -S)"),
    connectTimeout: z.number().nonnegative().default(60).describe('seconds to keep retrying the connection'),
  })
  .describe('how to reach the i-PI server');

/** Unit system of the numbers in the file. */
export const UnitsSchema = z
  .strictObject({
    system: z.enum(['real', 'lj']).default('real').describe("'real': Å, eV, amu; 'lj': reduced, scaled by sigma, epsilon, mass"),
    sigma: positiveNumber('units.sigma').optional().describe('reduced length unit in Å (lj only)'),
    epsilon: positiveNumber('units.epsilon').optional().describe('reduced energy unit in eV (lj only)'),
    mass: positiveNumber('units.mass').optional().describe('reduced mass unit in amu (lj only)'),
    wire: z.enum(['ipi', 'ase']).default('ipi').describe("atomic-unit constants on the wire: i-PI's or ASE's (CODATA 2014)"),
  })
  .superRefine((u, ctx) => {
    if (u.system === 'lj') {
      for (const k of ['sigma', 'epsilon', 'mass'] as const) {
        if (u[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `units.system 'lj' needs units.${k}` });
      }
    }
  });

/**
 * Every potential a driver configuration can name: the library's registry plus the plugin's
 * `model` entry (it reads files). Adding a potential to `src/potentials/registry.ts` adds it here.
 */
export const DRIVER_POTENTIALS = [...POTENTIALS, modelPotential] as const;

/** The zod schemas of a list of registry entries, as the tuple `z.discriminatedUnion` takes. */
function schemasOf<T extends readonly { readonly schema: z.ZodType }[]>(entries: T): { -readonly [K in keyof T]: T[K]['schema'] } {
  return entries.map((e) => e.schema) as { -readonly [K in keyof T]: T[K]['schema'] };
}

/** How engine sites map to ellipsoids: one of the mapping registry's members (`src/mapping/registry.ts`). */
export const MappingSchema = z.discriminatedUnion('kind', schemasOf(MAPPINGS));

/** One term of the potential; the terms are summed. One of {@link DRIVER_POTENTIALS}. */
export const PotentialSchema = z.discriminatedUnion('kind', schemasOf(DRIVER_POTENTIALS));

/** The whole driver configuration file. */
export const DriverConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  socket: SocketSchema.default(SocketSchema.parse({})),
  units: UnitsSchema.default(UnitsSchema.parse({})),
  mapping: MappingSchema.default({ kind: 'identity' }),
  potentials: z.array(PotentialSchema).min(1, { error: 'potentials needs at least one term' }),
  extras: z.boolean().default(false).describe('send per-term energies as JSON extras (ASE 3.22 crashes on extras)'),
  verbosity: z.enum(['quiet', 'low', 'medium', 'high', 'debug']).default('low'),
});

/** A validated driver configuration (defaults filled in, units as written in the file). */
export type DriverConfig = z.infer<typeof DriverConfigSchema>;
/** One potential term. */
export type PotentialConfig = z.infer<typeof PotentialSchema>;
/** One mapping. */
export type MappingConfig = z.infer<typeof MappingSchema>;
