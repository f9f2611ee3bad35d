// SPDX-License-Identifier: BSD-3-Clause
/**
 * The potentials a configuration can name, one line each. To add a potential: copy `zero.ts`
 * (provider, zod schema, entry), add its entry below, run `npm run schema`, and test it in
 * `test/potentials/`. The driver's configuration schema (`plugin/config/schema.ts`), its JSON
 * Schema, `drive` and `replay` follow from this list (the plugin adds the `model` entry, which
 * reads files).
 */
import { gayBernePotential } from './gay-berne-entry.js';
import { restraintPotential } from './harmonic-restraint-entry.js';
import { lennardJonesPotential } from './lennard-jones-entry.js';
import { zeroPotential } from './zero.js';

/** Every library potential, in the order the schema lists them. */
export const POTENTIALS = [gayBernePotential, lennardJonesPotential, restraintPotential, zeroPotential] as const;
