// SPDX-License-Identifier: BSD-3-Clause
/**
 * Where the tests find the reference data: `data/reference/` of this repository (provenance and
 * licence in the README of each folder there). Every test that reads a reference file goes
 * through here, so that the data have one home.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of `data/reference/`, with a trailing slash. */
export const REFERENCE_DIR = fileURLToPath(new URL('../../data/reference/', import.meta.url));

/**
 * Absolute path of a reference file or folder, e.g. `referencePath('lc/traj_nematic.lammpstrj')`
 * or `referencePath('gayberne/')` (a trailing slash is kept). Throws, naming the path, when it does
 * not exist, so that a missing file is one clear line rather than an ENOENT deep inside a reader.
 */
export function referencePath(relative: string): string {
  const path = `${REFERENCE_DIR}${relative}`;
  if (!existsSync(path)) throw new Error(`reference data missing: ${path} (it belongs to the repository: data/reference/)`);
  return path;
}
