// SPDX-License-Identifier: BSD-3-Clause
/**
 * A rigid molecule as one coarse-grained ellipsoid: what {@link CoarseGrainer} (`coarse-grain.ts`)
 * needs to map atoms to ellipsoids. The CLI reads it from a JSON file validated by
 * `plugin/config/molecule-schema.ts`; the library checks the same rules again
 * ({@link checkMoleculeDefinition}) so that it can be used without the CLI.
 *
 * Body frame: the reference coordinates are given in the ellipsoid's body frame (Å), origin at the
 * molecule's centre of mass (they are re-centred if not). The orientation of a molecule is the
 * mass-weighted best-fit rotation of these coordinates onto its atoms (`molecule.ts`), so the
 * columns of `R(q)` are the body axes as the coordinates define them. For benzene,
 * `data/reference/benzene/README.md` defines e1 = unit(C1 − R), e3 = unit((C1 − R) × (C2 − R)),
 * e2 = e3 × e1, and the reference coordinates written in that frame give, for a rigid molecule, the
 * same quaternion as that construction.
 */
import { AnisoError } from '../core/errors.js';

/** Declared particle symmetry: `'uniaxial'` (semi-axes a = b, symmetry axis body z) or `'biaxial'`. */
export type ParticleSymmetry = 'uniaxial' | 'biaxial';

/** One molecule type, k atoms (module doc). Lengths Å, masses amu. */
export interface MoleculeDefinition {
  /** Name, for messages (e.g. `'benzene'`). */
  readonly name: string;
  /** Species written for every ellipsoid (e.g. `'X'`). */
  readonly cgSpecies: string;
  /** Chemical symbol of each atom, k entries, in the order the atoms appear in a frame. */
  readonly species: readonly string[];
  /** Mass of each atom (k, amu, > 0). */
  readonly masses: ArrayLike<number>;
  /** Body-frame coordinates of the atoms (3k, atom-major x, y, z, Å). */
  readonly coordinates: ArrayLike<number>;
  /** Semi-axes of the ellipsoid (body x, y, z; 3 numbers, Å, > 0). */
  readonly semiaxes: readonly [number, number, number];
  /** Declared symmetry; `'uniaxial'` needs semiaxes[0] = semiaxes[1]. */
  readonly symmetry: ParticleSymmetry;
  /** Head–tail symmetric: the body z axis n and −n are physically equivalent. */
  readonly headTail: boolean;
  /**
   * Largest distance (Å, ≥ 0) allowed between an atom and its place in the best-fit reference
   * geometry; a molecule beyond it is an error naming the deviation.
   */
  readonly tolerance: number;
}

/** The default of {@link MoleculeDefinition.tolerance}: 0.01 Å. */
export const DEFAULT_MOLECULE_TOLERANCE = 0.01;

const SPECIES_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

function bad(def: { name?: string }, message: string): never {
  throw new AnisoError('E_CONFIG', `molecule '${def.name ?? '?'}': ${message}`);
}

/**
 * Check a definition (the rules of the JSON schema, for library callers): k ≥ 2 atoms, species
 * plain names, masses finite and > 0, 3k finite coordinates, semi-axes finite and > 0, a uniaxial
 * molecule with semiaxes[0] = semiaxes[1], tolerance finite and ≥ 0.
 * @throws AnisoError `E_CONFIG` naming the molecule, the entry, its value and unit
 */
export function checkMoleculeDefinition(def: MoleculeDefinition): void {
  const k = def.species.length;
  if (k < 2) bad(def, `needs at least 2 atoms (species has ${k}); a single atom is a point particle`);
  for (let s = 0; s < k; s++) {
    if (typeof def.species[s] !== 'string' || !SPECIES_RE.test(def.species[s]!)) bad(def, `species[${s}] = ${JSON.stringify(def.species[s])} is not a plain name`);
  }
  if (!SPECIES_RE.test(def.cgSpecies)) bad(def, `cgSpecies = ${JSON.stringify(def.cgSpecies)} is not a plain name`);
  if (def.masses.length !== k) bad(def, `masses has ${def.masses.length} entries (amu), species has ${k}`);
  for (let s = 0; s < k; s++) {
    const m = def.masses[s]!;
    if (!Number.isFinite(m) || m <= 0) bad(def, `masses[${s}] = ${m} amu, must be finite and > 0`);
  }
  if (def.coordinates.length !== 3 * k) bad(def, `coordinates has ${def.coordinates.length / 3} atoms (x, y, z in Å), species has ${k}`);
  for (let j = 0; j < 3 * k; j++) {
    if (!Number.isFinite(def.coordinates[j]!)) bad(def, `coordinates[${Math.floor(j / 3)}][${j % 3}] = ${def.coordinates[j]} Å is not finite`);
  }
  if (def.semiaxes.length !== 3) bad(def, `semiaxes has ${def.semiaxes.length} entries, needs 3 (Å)`);
  for (let d = 0; d < 3; d++) {
    const a = def.semiaxes[d]!;
    if (!Number.isFinite(a) || a <= 0) bad(def, `semiaxes[${d}] = ${a} Å, must be finite and > 0`);
  }
  if (def.symmetry !== 'uniaxial' && def.symmetry !== 'biaxial') bad(def, `symmetry = ${JSON.stringify(def.symmetry)}; allowed: uniaxial, biaxial`);
  if (def.symmetry === 'uniaxial' && def.semiaxes[0] !== def.semiaxes[1]) {
    bad(def, `symmetry 'uniaxial' needs semiaxes[0] = semiaxes[1] (the symmetry axis is body z), got ${def.semiaxes[0]} and ${def.semiaxes[1]} Å`);
  }
  if (!Number.isFinite(def.tolerance) || def.tolerance < 0) bad(def, `tolerance = ${def.tolerance} Å, must be finite and ≥ 0`);
}
