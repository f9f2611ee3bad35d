// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `zero` potential: zero energy, forces and virial on the engine's sites. Useful to test a
 * driver connection, and **the template of a potential**: copy this file to add a potential.
 *
 * A potential is one module that exports
 * 1. its provider (a `ForceProvider`: energy eV, forces 3n eV/Å, torques 3n eV or `null`, virial
 *    9 eV, on flat `Float64Array`s, no allocation in the hot loop),
 * 2. its zod schema (a strict object with `kind: z.literal('<kind>')`; every parameter with its
 *    default and a `.describe()`; numbers in the configuration's units),
 * 3. its registry entry (`definePotential({ kind, schema, actsOn, create })`), whose `create`
 *    converts the parameters with `context.scales` and returns the term.
 *
 * Then add one line to `POTENTIALS` in `registry.ts`, run `npm run schema` (the driver's JSON
 * Schema), add a minimal configuration of the new kind to `MINIMAL` in
 * `test/potentials/registry.test.ts` (it fails until you do), and test the provider in
 * `test/potentials/<name>.test.ts` (finite-difference forces, torques and virial, as the zero
 * potential's tests in `registry.test.ts` do).
 */
import { z } from 'zod';
import { emptyForceResult, type ForceProvider, type ForceResult, type ParticleSystem } from '../core/system.js';
import { definePotential, fixedSiteTerm } from './potential-entry.js';

/**
 * A provider that does nothing: zero energy, forces (3n) and virial (9); no torques.
 *
 * Like every provider on the driver's hot path it allocates nothing per step: the result is kept
 * and returned again while `n` is unchanged. Callers treat a returned result as read-only (the
 * driver and `SumProvider` only read it), so the zeros stay zeros.
 */
export class ZeroProvider implements ForceProvider {
  /** Provider name. */
  readonly name = 'zero';
  private result: ForceResult | null = null;

  /** Zero result for `system.n` particles (the same object while `n` is unchanged). */
  compute(system: ParticleSystem): ForceResult {
    if (this.result === null || this.result.forces.length !== 3 * system.n) this.result = emptyForceResult(system.n, false);
    return this.result;
  }
}

/** `{ "kind": "zero" }`: no parameters. */
export const zeroSchema = z.strictObject({ kind: z.literal('zero') }).describe('zero energy and forces on the sites (connection tests)');

/** The zero potential as a registry member: acts on the sites. */
export const zeroPotential = definePotential({
  kind: 'zero',
  schema: zeroSchema,
  actsOn: () => 'sites',
  create: () => fixedSiteTerm(new ZeroProvider()),
});
