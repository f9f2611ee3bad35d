// SPDX-License-Identifier: BSD-3-Clause
/**
 * One neighbour search per frame: a {@link FullNeighborListBuilder} asked again for the same input
 * returns the list it holds without searching, and any change of the input (a coordinate moved in
 * place, the cell, the cutoff, the self pairs, even 0 → −0) searches again and gives the list a
 * fresh builder gives. The list's content is checked against brute force in
 * anisoap-reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../../src/core/cell.js';
import { FullNeighborListBuilder, type FullNeighborList } from '../../../src/features/common/full-neighbor-list.js';
import { seededRandom } from '../../support/random.js';

function positionsIn(cell: Cell, n: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  const s = new Float64Array(3);
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 3; d++) s[d] = r();
    Cell.toCartesian(cell, s, 0, out, 3 * i);
  }
  return out;
}

/** The meaningful part of a list, copied. */
function snapshot(l: FullNeighborList): { n: number; count: number; offsets: number[]; neighbors: number[]; vectors: number[] } {
  return {
    n: l.n, count: l.count,
    offsets: Array.from(l.offsets.subarray(0, l.n + 1)),
    neighbors: Array.from(l.neighbors.subarray(0, l.count)),
    vectors: Array.from(l.vectors.subarray(0, 3 * l.count)),
  };
}

function fresh(cell: Cell, positions: Float64Array, cutoff: number, self: boolean) {
  return snapshot(new FullNeighborListBuilder().build(cell, positions, cutoff, self));
}

describe('FullNeighborListBuilder reuses the list of a repeated input', () => {
  const cell = Cell.fromRows([6, 0, 0, 1, 5.5, 0, -0.5, 0.8, 6.2]);
  const pos = positionsIn(cell, 40, 3);

  it('the same input is searched once', () => {
    const b = new FullNeighborListBuilder();
    const first = snapshot(b.build(cell, pos, 3.1, true));
    expect(b.build(cell, pos, 3.1, true)).toBe(b.list);
    expect(b.build(Cell.fromRows(cell.h), Float64Array.from(pos), 3.1, true)).toBe(b.list); // equal copies
    expect(b.searchCount).toBe(1);
    expect(snapshot(b.list)).toEqual(first);
  });

  it('every change of the input searches again and matches a fresh builder', () => {
    const b = new FullNeighborListBuilder();
    b.build(cell, pos, 3.1, true);
    const moved = Float64Array.from(pos);
    const changes: Array<[string, () => FullNeighborList, () => ReturnType<typeof fresh>]> = [
      ['a coordinate moved in place', () => { moved[7] = moved[7]! + 0.3; return b.build(cell, moved, 3.1, true); }, () => fresh(cell, moved, 3.1, true)],
      ['self pairs off', () => b.build(cell, moved, 3.1, false), () => fresh(cell, moved, 3.1, false)],
      ['another cutoff', () => b.build(cell, moved, 2.5, false), () => fresh(cell, moved, 2.5, false)],
      ['another cell', () => b.build(Cell.orthorhombic(6, 5.5, 6.2), moved, 2.5, false), () => fresh(Cell.orthorhombic(6, 5.5, 6.2), moved, 2.5, false)],
      ['another periodicity', () => b.build(Cell.fromRows([6, 0, 0, 0, 5.5, 0, 0, 0, 6.2], [true, false, true]), moved, 2.5, false),
        () => fresh(Cell.fromRows([6, 0, 0, 0, 5.5, 0, 0, 0, 6.2], [true, false, true]), moved, 2.5, false)],
      ['fewer particles', () => b.build(cell, moved.subarray(0, 60), 2.5, false), () => fresh(cell, moved.subarray(0, 60), 2.5, false)],
    ];
    changes.forEach(([what, build, want], k) => {
      expect(snapshot(build()), what).toEqual(want());
      expect(b.searchCount, what).toBe(k + 2);
    });
    const zero = Float64Array.from(moved);
    zero[0] = 0;
    b.build(cell, zero, 2.5, false);
    const negZero = Float64Array.from(zero);
    negZero[0] = -0;
    b.build(cell, negZero, 2.5, false);
    expect(b.searchCount).toBe(changes.length + 3);
  });

  it('a failed build is not remembered', () => {
    const b = new FullNeighborListBuilder();
    const bad = Float64Array.from(pos);
    bad[4] = NaN;
    expect(() => b.build(cell, bad, 3.1, true)).toThrow(/finite/);
    expect(snapshot(b.build(cell, pos, 3.1, true))).toEqual(fresh(cell, pos, 3.1, true));
    expect(b.searchCount).toBe(1);
  });
});
