// SPDX-License-Identifier: BSD-3-Clause
// PLACEHOLDER-API: implemented by the neighbour-list work item; this file only fixes the contract.
import type { Cell } from './cell.js';

/**
 * A half neighbour list: every pair (i, j, image) with centre distance `< cutoff` listed once.
 * Contract: for periodic directions *every* image within the cutoff is listed (cutoffs larger
 * than half the cell width are fine); pairs of a particle with its own images appear with
 * `first[k] === second[k]`; no pair with zero displacement; `vectors[3k..3k+2] = r_j + S − r_i`,
 * S being a lattice translation, in the caller's length unit.
 */
export interface NeighborList {
  /** Number of pairs stored. */
  count: number;
  /** Pair k's first particle i (length ≥ count). */
  first: Int32Array;
  /** Pair k's second particle j (length ≥ count). */
  second: Int32Array;
  /** Displacement `r_j + S − r_i` of pair k, 3 per pair (length ≥ 3·count). */
  vectors: Float64Array;
  /** `|vectors[k]|` (length ≥ count). */
  distances: Float64Array;
}

export declare function buildNeighborList(
  cell: Cell,
  positions: Float64Array,
  cutoff: number,
  out?: NeighborList,
): NeighborList;
