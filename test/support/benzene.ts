// SPDX-License-Identifier: BSD-3-Clause
/**
 * The benzene reference data (`data/reference/benzene/`) for the coarse-graining tests: the
 * molecule definition (validated by the molecule file schema) and the frames of the liquid files.
 */
import { validate } from '../../plugin/config/load.js';
import { moleculeDefinition, MoleculeFileSchema } from '../../plugin/config/molecule-schema.js';
import { readFileSync } from 'node:fs';
import type { Frame } from '../../src/io/frame.js';
import { readFrames } from '../../src/io/read-frames.js';
import type { MoleculeDefinition } from '../../src/mapping/molecule-definition.js';
import { referencePath } from './reference-data.js';

/** `data/reference/benzene/molecule.json`. */
export const BENZENE_MOLECULE_FILE = referencePath('benzene/molecule.json');
/** The 24 atomistic frames (every 10th of the CG file). */
export const BENZENE_AA = referencePath('benzene/benzene_liquid_aa_train.extxyz.gz');
/** The 240 mapped frames. */
export const BENZENE_CG = referencePath('benzene/benzene_liquid_cg_train.extxyz.gz');

/** The benzene definition, optionally with some fields replaced. */
export function benzeneDefinition(changes: Partial<MoleculeDefinition> = {}): MoleculeDefinition {
  const file = validate(MoleculeFileSchema, JSON.parse(readFileSync(BENZENE_MOLECULE_FILE, 'utf8')), BENZENE_MOLECULE_FILE);
  return { ...moleculeDefinition(file), ...changes };
}

/** The frames of `path` for which `keep` holds (all by default). */
export async function framesOf(path: string, keep: (f: Frame) => boolean = () => true): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of readFrames(path)) if (keep(f)) out.push(f);
  return out;
}
