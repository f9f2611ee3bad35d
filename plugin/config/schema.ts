// SPDX-License-Identifier: BSD-3-Clause
/**
 * The driver's JSON configuration, as a zod schema (the single source of truth: TypeScript types,
 * validation with paths in error messages, and the JSON Schema shipped in `schema/` all come from
 * here).
 *
 * Units: lengths in Å, energies in eV, masses in amu — unless `units.system` is `"lj"`, in which
 * case every length, energy and mass in the file is in reduced units and is multiplied by the
 * declared `sigma` (Å), `epsilon` (eV) and `mass` (amu) when the file is loaded.
 */
import { z } from 'zod';

const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
const vec3 = (what: string) => z.tuple([positive(what), positive(what), positive(what)]);

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
    sigma: positive('units.sigma').optional().describe('reduced length unit in Å (lj only)'),
    epsilon: positive('units.epsilon').optional().describe('reduced energy unit in eV (lj only)'),
    mass: positive('units.mass').optional().describe('reduced mass unit in amu (lj only)'),
    wire: z.enum(['ipi', 'ase']).default('ipi').describe("atomic-unit constants on the wire: i-PI's or ASE's (CODATA 2014)"),
  })
  .superRefine((u, ctx) => {
    if (u.system === 'lj') {
      for (const k of ['sigma', 'epsilon', 'mass'] as const) {
        if (u[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `units.system 'lj' needs units.${k}` });
      }
    }
  });

const IdentityMapping = z.strictObject({ kind: z.literal('identity') });
const DumbbellMapping = z.strictObject({
  kind: z.literal('dumbbell'),
  semiaxes: vec3('mapping.semiaxes').describe('ellipsoid semi-axes along body x, y, z (x = y: uniaxial about the site axis)'),
  masses: z.tuple([positive('mapping.masses'), positive('mapping.masses')]).optional().describe('site masses (amu); equal if absent'),
  bondLength: positive('mapping.bondLength').optional().describe('reference site separation (Å), for restraints and building sites'),
});
const TriadMapping = z.strictObject({
  kind: z.literal('triad'),
  semiaxes: vec3('mapping.semiaxes'),
  masses: z.tuple([positive('mapping.masses'), positive('mapping.masses'), positive('mapping.masses')]).optional(),
  geometry: z
    .array(z.tuple([z.number(), z.number(), z.number()]))
    .length(3)
    .optional()
    .describe('body-frame site positions (length unit): fixes the body frame and the restraint lengths'),
});
const MoleculeMapping = z.strictObject({
  kind: z.literal('molecule'),
  semiaxes: vec3('mapping.semiaxes'),
  masses: z.array(positive('mapping.masses')).min(2),
  reference: z.array(z.tuple([z.number(), z.number(), z.number()])).min(2).describe('body-frame atom positions (Å)'),
});

/** How engine sites map to ellipsoids. */
export const MappingSchema = z.discriminatedUnion('kind', [IdentityMapping, DumbbellMapping, TriadMapping, MoleculeMapping]);

const Truncation = z.enum(['hard', 'switch']);

const GayBernePotential = z.strictObject({
  kind: z.literal('gayberne'),
  kappa: positive('gayberne.kappa').describe('length-to-breadth ratio σe/σs'),
  kappaPrime: positive('gayberne.kappaPrime').describe('side-by-side to end-to-end well-depth ratio εs/εe'),
  mu: z.number().default(2),
  nu: z.number().default(1),
  sigma0: positive('gayberne.sigma0').default(1).describe('side-by-side contact distance (length unit)'),
  epsilon0: positive('gayberne.epsilon0').default(1).describe('energy scale (energy unit)'),
  cutoff: positive('gayberne.cutoff').default(4).describe('centre–centre cutoff (length unit)'),
  truncation: Truncation.default('hard').describe("'hard' as LAMMPS, 'switch' smooth to zero on [cutoff − switchWidth, cutoff]"),
  switchWidth: positive('gayberne.switchWidth').default(0.5),
});

const LennardJonesPotential = z.strictObject({
  kind: z.literal('lj'),
  sigma: positive('lj.sigma'),
  epsilon: positive('lj.epsilon'),
  cutoff: positive('lj.cutoff'),
  shift: z.boolean().default(true),
  truncation: Truncation.default('hard'),
  switchWidth: positive('lj.switchWidth').default(0.5),
  on: z.enum(['sites', 'ellipsoids']).default('sites').describe('act on engine sites or on ellipsoid centres'),
});

const RestraintPotential = z.strictObject({
  kind: z.literal('restraint'),
  k: positive('restraint.k').describe('spring constant (energy/length²)'),
  length: positive('restraint.length').optional().describe('rest length (length unit); default: mapping.bondLength'),
});

const ZeroPotential = z.strictObject({ kind: z.literal('zero') });

const ModelPotential = z.strictObject({
  kind: z.literal('model'),
  file: z.string().min(1).describe('trained model file (anisodrive train), relative to this config; acts on ellipsoids behind the mapping, in the units the model declares'),
  threads: z.union([z.number().int().min(1), z.literal('auto')]).optional().describe('feature computing threads (never changes the numbers)'),
});

/** One term of the potential; the terms are summed. */
export const PotentialSchema = z.discriminatedUnion('kind', [GayBernePotential, LennardJonesPotential, RestraintPotential, ZeroPotential, ModelPotential]);

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
