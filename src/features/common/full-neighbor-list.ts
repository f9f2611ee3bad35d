// SPDX-License-Identifier: BSD-3-Clause
/**
 * A full neighbour list grouped by centre (CSR), built from the half list of
 * {@link buildNeighborList}: every directed pair (centre i, neighbour j, image S) with
 * `0 ≤ |r_j + S − r_i| < cutoff`, both directions of every half pair, every periodic image
 * (including images of i itself, also when the cutoff exceeds half the cell), and optionally the
 * self pair (i, i, S = 0) first in each centre's range.
 *
 * Order: centre-major; within a centre, the self pair (if any) first, then the half-list order.
 * Deterministic for identical inputs.
 *
 * One list per frame: a {@link FullNeighborListBuilder} remembers its last input (positions, cell,
 * cutoff, self pairs; compared bit for bit) and returns the list it already holds when asked again
 * for the same input, so that a calculator asking for a frame's neighbours several times (channel
 * sets, pair counts, features) searches once.
 */
import type { Cell } from '../../core/cell.js';
import { buildNeighborList, type NeighborList } from '../../core/neighbor-list.js';

/** A centre-grouped full neighbour list (module doc). Arrays may be longer than needed. */
export interface FullNeighborList {
  /** Number of centres n. */
  n: number;
  /** Number of directed pairs P. */
  count: number;
  /** `offsets[i] … offsets[i+1]` are the pairs of centre i (length ≥ n + 1). */
  offsets: Int32Array;
  /** Neighbour j of each pair (length ≥ P). */
  neighbors: Int32Array;
  /** `r_j + S − r_i` of each pair, 3 per pair (length ≥ 3P). */
  vectors: Float64Array;
}

/** Allocator for the list arrays, so that callers can place them in shared memory. */
export interface ListAllocator {
  int32(length: number): Int32Array;
  float64(length: number): Float64Array;
}

const plainAllocator: ListAllocator = {
  int32: (n) => new Int32Array(n),
  float64: (n) => new Float64Array(n),
};

/** True if `a` and `b` hold the same doubles bit for bit over `length` entries (0 and −0 differ). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, length: number): boolean {
  for (let k = 0; k < length; k++) {
    const x = a[k]!, y = b[k]!;
    if (x !== y || (x === 0 && 1 / x !== 1 / y)) return false;
  }
  return true;
}

/** The input of the last build, to recognise a repeated request (module doc). */
class LastInput {
  private positions = new Float64Array(0);
  private readonly h = new Float64Array(9);
  private readonly hInv = new Float64Array(9);
  private readonly pbc = [false, false, false];
  private n = -1;
  private cutoff = NaN;
  private selfPairs = false;

  /** Whether `(cell, positions, cutoff, selfPairs)` is the remembered input. */
  matches(cell: Cell, positions: Float64Array, cutoff: number, selfPairs: boolean): boolean {
    return this.n === positions.length / 3 && cutoff === this.cutoff && selfPairs === this.selfPairs &&
      cell.pbc[0] === this.pbc[0] && cell.pbc[1] === this.pbc[1] && cell.pbc[2] === this.pbc[2] &&
      sameBits(cell.h, this.h, 9) && sameBits(cell.hInv, this.hInv, 9) && sameBits(positions, this.positions, positions.length);
  }

  /** Remember `(cell, positions, cutoff, selfPairs)` (copies the arrays). */
  remember(cell: Cell, positions: Float64Array, cutoff: number, selfPairs: boolean): void {
    if (this.positions.length < positions.length) this.positions = new Float64Array(positions.length);
    this.positions.set(positions);
    this.h.set(cell.h);
    this.hInv.set(cell.hInv);
    for (let d = 0; d < 3; d++) this.pbc[d] = cell.pbc[d]!;
    this.n = positions.length / 3;
    this.cutoff = cutoff;
    this.selfPairs = selfPairs;
  }

  /** Forget the input (the next build searches). */
  clear(): void {
    this.n = -1;
  }
}

/** Reusable builder (keeps the half list and the output arrays between calls). */
export class FullNeighborListBuilder {
  /** The half list, kept between builds (none before the first: its first build sizes it). */
  private half: NeighborList | undefined;
  private cursor = new Int32Array(0);
  private readonly alloc: ListAllocator;
  private readonly last = new LastInput();
  private searches = 0;
  /** The last list built. */
  readonly list: FullNeighborList;

  /** `alloc` creates the output arrays (default: ordinary typed arrays). */
  constructor(alloc: ListAllocator = plainAllocator) {
    this.alloc = alloc;
    this.list = { n: 0, count: 0, offsets: alloc.int32(1), neighbors: alloc.int32(0), vectors: alloc.float64(0) };
  }

  /** How many neighbour searches this builder has run (repeated inputs are not searched again). */
  get searchCount(): number {
    return this.searches;
  }

  /**
   * Build the full list of `positions` (3n) in `cell` for centre distances `< cutoff`, with the
   * self pairs (i, i, 0) when `selfPairs`. Returns {@link FullNeighborListBuilder.list}, unchanged
   * and without a new search when the input equals the previous call's bit for bit.
   */
  build(cell: Cell, positions: Float64Array, cutoff: number, selfPairs: boolean): FullNeighborList {
    if (this.last.matches(cell, positions, cutoff, selfPairs)) return this.list;
    this.last.clear();
    const n = positions.length / 3;
    const half = (this.half = buildNeighborList(cell, positions, cutoff, this.half));
    this.searches++;
    const total = this.countPairs(half, n, selfPairs);
    this.reserve(total);
    this.fillPairs(half, n, selfPairs);
    this.last.remember(cell, positions, cutoff, selfPairs);
    return this.list;
  }

  /** Set `list.n`, the CSR offsets of `half` (plus self pairs) and `list.count`; returns the count. */
  private countPairs(half: NeighborList, n: number, selfPairs: boolean): number {
    const out = this.list;
    out.n = n;
    if (out.offsets.length < n + 1) out.offsets = this.alloc.int32(Math.max(n + 1, 2 * out.offsets.length));
    const off = out.offsets;
    off.fill(0, 0, n + 1);
    const self = selfPairs ? 1 : 0;
    for (let i = 0; i < n; i++) off[i + 1] = self;
    const hc = half.count, first = half.first, second = half.second;
    for (let k = 0; k < hc; k++) {
      off[first[k]! + 1]!++;
      off[second[k]! + 1]!++;
    }
    for (let i = 0; i < n; i++) off[i + 1]! += off[i]!;
    out.count = off[n]!;
    return out.count;
  }

  /** Room for `total` directed pairs in the list (geometric growth). */
  private reserve(total: number): void {
    const out = this.list;
    if (out.neighbors.length < total) {
      const cap = Math.max(total, Math.ceil(1.25 * out.neighbors.length));
      out.neighbors = this.alloc.int32(cap);
      out.vectors = this.alloc.float64(3 * cap);
    }
  }

  /** Self pairs first, then both directions of every half pair, each centre from its offset. */
  private fillPairs(half: NeighborList, n: number, selfPairs: boolean): void {
    const out = this.list, off = out.offsets;
    if (this.cursor.length < n) this.cursor = new Int32Array(Math.max(n, 2 * this.cursor.length));
    const cur = this.cursor;
    const nb = out.neighbors, vec = out.vectors, hv = half.vectors;
    for (let i = 0; i < n; i++) {
      cur[i] = off[i]!;
      if (selfPairs) {
        const p = cur[i]!++;
        nb[p] = i;
        vec[3 * p] = 0; vec[3 * p + 1] = 0; vec[3 * p + 2] = 0;
      }
    }
    const hc = half.count, first = half.first, second = half.second;
    for (let k = 0; k < hc; k++) {
      const i = first[k]!, j = second[k]!;
      const vx = hv[3 * k]!, vy = hv[3 * k + 1]!, vz = hv[3 * k + 2]!;
      let p = cur[i]!++;
      nb[p] = j;
      vec[3 * p] = vx; vec[3 * p + 1] = vy; vec[3 * p + 2] = vz;
      p = cur[j]!++;
      nb[p] = i;
      vec[3 * p] = -vx; vec[3 * p + 1] = -vy; vec[3 * p + 2] = -vz;
    }
  }
}
