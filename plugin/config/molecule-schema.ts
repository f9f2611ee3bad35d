// SPDX-License-Identifier: BSD-3-Clause
/**
 * The molecule definition file of `anisodrive coarse-grain` (`--molecule FILE`), as a zod schema
 * (validation with JSON paths in messages; JSON Schema `schema/molecule.schema.json` via
 * {@link moleculeJsonSchema}). Units: Å and amu. The library's {@link MoleculeDefinition}
 * (`src/mapping/molecule-definition.ts`) is what {@link moleculeDefinition} makes of it.
 *
 * Example (benzene, `data/reference/benzene/molecule.json`, body frame of its README):
 * ```json
 * {
 *   "name": "benzene", "cgSpecies": "X",
 *   "species": ["C", "C", "C", "C", "C", "C", "H", "H", "H", "H", "H", "H"],
 *   "masses": [12.011, 12.011, 12.011, 12.011, 12.011, 12.011, 1.008, 1.008, 1.008, 1.008, 1.008, 1.008],
 *   "coordinates": [[1.4, 0, 0], [0.7, 1.212435565298, 0], …],
 *   "semiaxes": [2, 2, 0.25], "symmetry": "uniaxial", "headTail": true, "tolerance": 0.01
 * }
 * ```
 */
import { z } from 'zod';
import { DEFAULT_MOLECULE_TOLERANCE, type MoleculeDefinition } from '../../src/mapping/molecule-definition.js';

const SYMBOL_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

const symbol = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(SYMBOL_RE, { error: (iss) => `${what} ${JSON.stringify(iss.input)} is not a plain name (a letter, then letters, digits or _)` });
const positive = (what: string, unit: string) =>
  z.number({ error: `${what} must be a number (${unit})` }).positive({ error: (iss) => `${what} = ${String(iss.input)} ${unit}, must be > 0` });
const point = z.tuple([z.number({ error: 'coordinates must be numbers (Å)' }), z.number({ error: 'coordinates must be numbers (Å)' }), z.number({ error: 'coordinates must be numbers (Å)' })], {
  error: 'each coordinate entry must be [x, y, z] in Å',
});

/** The molecule definition file (module doc). */
export const MoleculeFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('path or URL of this JSON Schema (ignored)'),
    name: z.string().min(1).default('molecule').describe('name of the molecule, for messages'),
    description: z.string().optional().describe('free text'),
    cgSpecies: symbol('cgSpecies').default('X').describe('species written for every ellipsoid'),
    species: z.array(symbol('species entry')).min(2, { error: 'species needs at least 2 atoms (one symbol per atom, in file order)' }).describe('chemical symbol of each atom, in the order the atoms appear in a frame'),
    masses: z.array(positive('masses entry', 'amu')).describe('mass of each atom (amu)'),
    coordinates: z.array(point).describe("body-frame coordinates of each atom (Å, [x, y, z]); the ellipsoid's body axes are this frame's axes"),
    semiaxes: z.tuple([positive('semiaxes[0]', 'Å'), positive('semiaxes[1]', 'Å'), positive('semiaxes[2]', 'Å')], { error: 'semiaxes must be [a, b, c] in Å' }).describe('semi-axes of the ellipsoid (body x, y, z; Å)'),
    symmetry: z.enum(['uniaxial', 'biaxial'], { error: (iss) => `symmetry ${JSON.stringify(iss.input)}; allowed: uniaxial, biaxial` }).describe("declared particle symmetry; 'uniaxial' needs semiaxes[0] = semiaxes[1] (symmetry axis body z)"),
    headTail: z.boolean({ error: 'headTail must be true or false' }).describe('head–tail symmetric: n and −n (body z) are equivalent'),
    tolerance: z.number({ error: 'tolerance must be a number (Å)' }).nonnegative({ error: (iss) => `tolerance = ${String(iss.input)} Å, must be ≥ 0` }).default(DEFAULT_MOLECULE_TOLERANCE)
      .describe('largest distance (Å) of an atom from the best-fit reference geometry'),
  })
  .superRefine((m, ctx) => {
    const k = m.species.length;
    if (m.masses.length !== k) ctx.addIssue({ code: 'custom', path: ['masses'], message: `has ${m.masses.length} entries (amu), species has ${k} atoms` });
    if (m.coordinates.length !== k) ctx.addIssue({ code: 'custom', path: ['coordinates'], message: `has ${m.coordinates.length} entries ([x, y, z] Å), species has ${k} atoms` });
    if (m.symmetry === 'uniaxial' && m.semiaxes[0] !== m.semiaxes[1]) {
      ctx.addIssue({ code: 'custom', path: ['semiaxes'], message: `symmetry 'uniaxial' needs semiaxes[0] = semiaxes[1] (the symmetry axis is body z), got ${m.semiaxes[0]} and ${m.semiaxes[1]} Å` });
    }
  });

/** A validated molecule file. */
export type MoleculeFile = z.output<typeof MoleculeFileSchema>;

/** The library's definition of a validated file (coordinates flattened, atom-major). */
export function moleculeDefinition(m: MoleculeFile): MoleculeDefinition {
  return {
    name: m.name,
    cgSpecies: m.cgSpecies,
    species: m.species,
    masses: m.masses,
    coordinates: m.coordinates.flat(),
    semiaxes: m.semiaxes,
    symmetry: m.symmetry,
    headTail: m.headTail,
    tolerance: m.tolerance,
  };
}

/** The molecule file's JSON Schema (draft 2020-12), as pretty-printed JSON text. */
export function moleculeJsonSchema(): string {
  const schema = z.toJSONSchema(MoleculeFileSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ title: 'anisodrive molecule definition', ...schema }, null, 2) + '\n';
}
