// SPDX-License-Identifier: BSD-3-Clause
/**
 * The scaffolding that the neighbour-list pair potentials (`GayBerne`, `LennardJones`) share: the
 * three entry points around one subclass pair loop (a cached neighbour list of their own, per-particle
 * energies, or a caller's list), and the per-type-pair cutoff switches. The pair loops themselves
 * stay in the subclasses, so that each hot loop is a single monomorphic function.
 */
import { AnisoError } from '../core/errors.js';
import { buildNeighborList, type NeighborList } from '../core/neighbor-list.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';
import { CutoffSwitch, makeCutoffSwitch } from '../core/cutoff-switch.js';

/** A {@link ForceResult} with per-particle energies. */
export interface ForceResultWithEnergies extends ForceResult {
  /**
   * Per-particle energies (n, energy unit): half of every pair energy to each partner, as LAMMPS
   * `compute pe/atom`; they sum to `energy`.
   */
  energies: Float64Array;
}

/**
 * Validate the `truncation` option of a pair potential and build one switch per type pair: `null`
 * everywhere for `'hard'` (or undefined), a {@link CutoffSwitch} on `[rc − switchWidth, rc]` with that
 * pair's cutoff `rc` for `'switch'`. The width is checked against the smallest cutoff, so it must fit
 * every pair.
 * @param what      the model name that prefixes error messages (`'gayberne'`, `'lj'`)
 * @param cutoffs   per type pair cutoffs (length), `ti·nt + tj` order
 * @throws AnisoError `E_ARG` for an unknown truncation, or a missing or bad width
 */
export function pairSwitches(
  what: string,
  truncation: string | undefined,
  cutoffs: ArrayLike<number>,
  switchWidth: number | undefined,
): (CutoffSwitch | null)[] {
  let minCut = Infinity;
  for (let k = 0; k < cutoffs.length; k++) minCut = Math.min(minCut, cutoffs[k]!);
  makeCutoffSwitch(what, truncation, minCut, switchWidth);
  return Array.from(cutoffs, (rc) => (truncation === 'switch' ? new CutoffSwitch(rc, switchWidth as number) : null));
}

/**
 * A {@link ForceProvider} whose energy is a sum over the pairs of a half neighbour list. Subclasses
 * supply the validation ({@link PairPotential.prepare}) and the pair loop
 * ({@link PairPotential.evaluate}); this class supplies `compute`, `computePerParticle` and
 * `computeWithNeighborList`, and keeps the neighbour list between calls (instances are not
 * re-entrant).
 */
export abstract class PairPotential implements ForceProvider {
  /** Provider name; also the prefix of error messages. */
  abstract readonly name: string;
  /** Largest pair cutoff (length): the neighbour-list cutoff. */
  abstract readonly cutoff: number;

  private list: NeighborList | undefined;

  /** Energy, forces (torques where the model has them) and virial of `system`, building (and reusing) a neighbour list. */
  compute(system: ParticleSystem): ForceResult {
    return this.run(system, null, null);
  }

  /** As {@link PairPotential.compute}, plus per-particle energies (half of each pair energy to each partner). */
  computePerParticle(system: ParticleSystem): ForceResultWithEnergies {
    const energies = new Float64Array(system.n);
    return { ...this.run(system, null, energies), energies };
  }

  /**
   * The computation on a caller-supplied half neighbour list, which must hold every pair (every
   * image) with distance `< this.cutoff` once (the `NeighborList` contract); pairs farther than
   * their type pair's cutoff are skipped. When `energies` (n) is given, per-particle energies are
   * accumulated into it (it is zeroed first).
   */
  computeWithNeighborList(system: ParticleSystem, list: NeighborList, energies: Float64Array | null = null): ForceResult {
    return this.run(system, list, energies);
  }

  /**
   * Validate `system` (sizes, types) and fill any per-particle scratch; returns n.
   * @throws AnisoError `E_SIZE` or `E_ARG` naming the bad input
   */
  protected abstract prepare(system: ParticleSystem): number;

  /**
   * The pair loop over `list` on a prepared `system`: energy, forces, torques (or null) and virial,
   * adding half of each pair energy to both partners in `energies` (already zeroed) when given.
   * @throws AnisoError `E_NONFINITE` when the energy is not finite
   */
  protected abstract evaluate(system: ParticleSystem, list: NeighborList, energies: Float64Array | null): ForceResult;

  private run(system: ParticleSystem, given: NeighborList | null, energies: Float64Array | null): ForceResult {
    const n = this.prepare(system);
    if (energies !== null) {
      if (energies.length !== n) throw new AnisoError('E_SIZE', `${this.name}: energies has length ${energies.length}, expected ${n}`);
      energies.fill(0);
    }
    let list = given;
    if (list === null) {
      this.list = buildNeighborList(system.cell, system.positions, this.cutoff, this.list);
      list = this.list;
    }
    return this.evaluate(system, list, energies);
  }
}
