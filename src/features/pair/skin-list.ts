// SPDX-License-Identifier: BSD-3-Clause
/**
 * A half neighbour list reused between MD steps (a Verlet list with a skin) for the pair
 * features' MD path. It is built with `cutoff + skin` by `core/neighbor-list.ts` and kept while no
 * particle has moved more than `skin/2` since the build, the cell (rows and periodicity) and the
 * particle count are unchanged; then every pair closer than `cutoff` now was closer than
 * `cutoff + skin` at the build (each end moved less than skin/2), so the list still holds every
 * pair within the cutoff, each once. Pairs beyond the cutoff are listed too; the switch gives
 * them exactly zero weight (the pair loops skip them).
 *
 * Each listed pair keeps its lattice translation as integers `(n_a, n_b, n_c)` (from the build's
 * vectors), and its vector is recomputed every step as `r_j − r_i + n_a a + n_b b + n_c c` from the
 * current positions, so the pairs and their vectors are a function of the current input alone,
 * whatever positions the list was built at (up to the order of the pairs). A particle wrapped
 * into the cell by the caller jumps by a lattice vector and triggers a rebuild. `distances` is not
 * maintained (the pair code does not read it). Pure computation; no allocation between rebuilds.
 */
import type { Cell } from '../../core/cell.js';
import { buildNeighborList, createNeighborList, type NeighborList } from '../../core/neighbor-list.js';

/** Default skin as a fraction of the cutoff (0.3 σ0 at rc = 4 σ0). */
export const PAIR_SKIN_FRACTION = 0.075;

/** A neighbour list reused while it stays valid (module doc). Not re-entrant. */
export class SkinNeighborList {
  /** Cutoff of the pairs that matter (length). */
  readonly cutoff: number;
  /** Skin (length), ≥ 0; 0 rebuilds at every call. */
  readonly skin: number;
  /** Builds so far (for tests and benchmarks). */
  builds = 0;
  private list: NeighborList = createNeighborList(0);
  /** Positions at the last build, 3n. */
  private reference = new Float64Array(0);
  private n = -1;
  private readonly h = new Float64Array(9);
  private pbc: readonly boolean[] = [false, false, false];
  /** Lattice translation of each pair as integers (n_a, n_b, n_c), 3 per pair. */
  private images = new Int32Array(0);

  /**
   * @param cutoff - pair cutoff (length), > 0
   * @param skin - extra range of the list (length), ≥ 0
   */
  constructor(cutoff: number, skin: number) {
    this.cutoff = cutoff;
    this.skin = skin;
  }

  /**
   * The list for `positions` (3n, length unit of `cell`): rebuilt when needed (module doc), else
   * the previous pairs with their vectors recomputed. Valid until the next call.
   */
  update(cell: Cell, positions: Float64Array, n: number): NeighborList {
    if (this.mustRebuild(cell, positions, n)) this.rebuild(cell, positions, n);
    const list = this.list, first = list.first, second = list.second, vec = list.vectors, img = this.images, h = this.h;
    const h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!, h6 = h[6]!, h7 = h[7]!, h8 = h[8]!;
    for (let k = 0; k < list.count; k++) {
      const i = first[k]!, j = second[k]!;
      const na = img[3 * k]!, nb = img[3 * k + 1]!, nc = img[3 * k + 2]!;
      vec[3 * k] = positions[3 * j]! - positions[3 * i]! + (na * h0 + nb * h3 + nc * h6);
      vec[3 * k + 1] = positions[3 * j + 1]! - positions[3 * i + 1]! + (na * h1 + nb * h4 + nc * h7);
      vec[3 * k + 2] = positions[3 * j + 2]! - positions[3 * i + 2]! + (na * h2 + nb * h5 + nc * h8);
    }
    return list;
  }

  private mustRebuild(cell: Cell, positions: Float64Array, n: number): boolean {
    if (n !== this.n || this.skin <= 0) return true;
    for (let d = 0; d < 9; d++) if (cell.h[d] !== this.h[d]) return true;
    for (let d = 0; d < 3; d++) if (cell.pbc[d] !== this.pbc[d]) return true;
    const limit = 0.25 * this.skin * this.skin, ref = this.reference;
    for (let i = 0; i < n; i++) {
      const dx = positions[3 * i]! - ref[3 * i]!, dy = positions[3 * i + 1]! - ref[3 * i + 1]!, dz = positions[3 * i + 2]! - ref[3 * i + 2]!;
      // `!(… <= …)`: a NaN coordinate rebuilds too, and the build reports it
      if (!(dx * dx + dy * dy + dz * dz <= limit)) return true;
    }
    return false;
  }

  private rebuild(cell: Cell, positions: Float64Array, n: number): void {
    const list = (this.list = buildNeighborList(cell, positions, this.cutoff + this.skin, this.list));
    this.builds++;
    this.n = n;
    this.h.set(cell.h);
    this.pbc = [cell.pbc[0], cell.pbc[1], cell.pbc[2]];
    if (this.reference.length < 3 * n) this.reference = new Float64Array(3 * n);
    this.reference.set(positions.subarray(0, 3 * n));
    if (this.images.length < 3 * list.count) this.images = new Int32Array(Math.max(3 * list.count, 2 * this.images.length));
    const img = this.images, vec = list.vectors, first = list.first, second = list.second, q = cell.hInv;
    // rows of h⁻¹ for the periodic directions only (a non-periodic direction has no images)
    const pa = cell.pbc[0] ? 1 : 0, pb = cell.pbc[1] ? 1 : 0, pc = cell.pbc[2] ? 1 : 0;
    const q0 = pa * q[0]!, q3 = pa * q[3]!, q6 = pa * q[6]!, q1 = pb * q[1]!, q4 = pb * q[4]!, q7 = pb * q[7]!, q2 = pc * q[2]!, q5 = pc * q[5]!, q8 = pc * q[8]!;
    for (let k = 0; k < list.count; k++) {
      const i = first[k]!, j = second[k]!;
      // the build's translation S = vector − (r_j − r_i), in lattice units (nearest integers;
      // Math.floor(f + 0.5) is ~3× faster than Math.round here in node 20)
      const sx = vec[3 * k]! - (positions[3 * j]! - positions[3 * i]!);
      const sy = vec[3 * k + 1]! - (positions[3 * j + 1]! - positions[3 * i + 1]!);
      const sz = vec[3 * k + 2]! - (positions[3 * j + 2]! - positions[3 * i + 2]!);
      img[3 * k] = Math.floor(sx * q0 + sy * q3 + sz * q6 + 0.5);
      img[3 * k + 1] = Math.floor(sx * q1 + sy * q4 + sz * q7 + 0.5);
      img[3 * k + 2] = Math.floor(sx * q2 + sy * q5 + sz * q8 + 0.5);
    }
  }
}
