// SPDX-License-Identifier: BSD-3-Clause
/**
 * The sum of several force providers on the same system: a model + a restraint + a reference
 * potential.
 */
import { AnisoError } from '../core/errors.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';

/**
 * {@link ForceProvider} that adds the energies (eV), forces (3n, eV/Å), torques (3n, eV; a term
 * returning `null` counts as zero; `null` only if every term returns `null`) and virials (9, eV) of
 * its terms. Extras: `energies` maps each term's unique name to its energy (eV); `terms` maps it to
 * the term's own extras, for terms whose extras are not empty. A repeated name gets the suffix `#2`,
 * `#3`, … in order of appearance.
 */
export class SumProvider implements ForceProvider {
  /** This provider's name (default `'sum'`). */
  readonly name: string;
  /** The summed providers, in order. */
  readonly terms: readonly ForceProvider[];
  /** Unique names of the terms (keys of `extras.energies`), parallel to `terms`. */
  readonly termNames: readonly string[];

  /** Throws `E_ARG` for an empty list of terms. */
  constructor(terms: readonly ForceProvider[], name = 'sum') {
    if (terms.length === 0) throw new AnisoError('E_ARG', `sum provider '${name}' needs at least one term, got 0`);
    this.name = name;
    this.terms = [...terms];
    const used = new Set<string>();
    const names: string[] = [];
    for (const t of terms) {
      let candidate = t.name;
      for (let copy = 2; used.has(candidate); copy++) candidate = `${t.name}#${copy}`;
      used.add(candidate);
      names.push(candidate);
    }
    this.termNames = names;
  }

  /**
   * Compute every term on `system` and add. Throws `E_SIZE`, naming the term, if a term returns
   * forces or torques not of length `3n`, or a virial not of length 9.
   */
  compute(system: ParticleSystem): ForceResult {
    const n3 = 3 * system.n;
    const forces = new Float64Array(n3);
    const virial = new Float64Array(9);
    let torques: Float64Array | null = null;
    let energy = 0;
    const energies: Record<string, number> = {};
    const termExtras: Record<string, unknown> = {};
    let anyExtras = false;
    for (let t = 0; t < this.terms.length; t++) {
      const name = this.termNames[t]!;
      const r = this.terms[t]!.compute(system);
      if (r.forces.length !== n3) {
        throw new AnisoError('E_SIZE', `sum '${this.name}': term '${name}' returned ${r.forces.length} force components, expected ${n3}`);
      }
      if (r.virial.length !== 9) {
        throw new AnisoError('E_SIZE', `sum '${this.name}': term '${name}' returned a virial of length ${r.virial.length}, expected 9`);
      }
      if (r.torques !== null) {
        if (r.torques.length !== n3) {
          throw new AnisoError('E_SIZE', `sum '${this.name}': term '${name}' returned ${r.torques.length} torque components, expected ${n3}`);
        }
        if (torques === null) torques = new Float64Array(n3);
        for (let k = 0; k < n3; k++) torques[k] = torques[k]! + r.torques[k]!;
      }
      for (let k = 0; k < n3; k++) forces[k] = forces[k]! + r.forces[k]!;
      for (let k = 0; k < 9; k++) virial[k] = virial[k]! + r.virial[k]!;
      energy += r.energy;
      energies[name] = r.energy;
      if (Object.keys(r.extras).length > 0) {
        termExtras[name] = r.extras;
        anyExtras = true;
      }
    }
    const extras: Record<string, unknown> = { energies };
    if (anyExtras) extras.terms = termExtras;
    return { energy, forces, torques, virial, extras };
  }
}
