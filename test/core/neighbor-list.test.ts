// SPDX-License-Identifier: BSD-3-Clause
import { describe, it, expect } from 'vitest';
import { Cell, type Pbc } from '../../src/core/cell.js';
import { buildNeighborList, createNeighborList, type NeighborList } from '../../src/core/neighbor-list.js';
import { errorCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';

/**
 * n positions with fractional coordinates uniform in [lo, hi) along each lattice vector (so that
 * some lie outside the cell), as Cartesian xyz.
 */
function randomPositions(cell: Cell, n: number, seed: number, lo = -0.5, hi = 1.5): Float64Array {
  const r = seededRandom(seed);
  const out = new Float64Array(3 * n);
  const s = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 3; d++) s[d] = lo + (hi - lo) * r();
    Cell.toCartesian(cell, s, 0, out, 3 * i);
  }
  return out;
}

/** One pair, with its lattice shift as integers along a, b, c. */
interface Pair {
  i: number;
  j: number;
  n: [number, number, number];
  v: [number, number, number];
  d: number;
}

function key(p: Pair): string {
  return `${p.i},${p.j},${p.n[0]},${p.n[1]},${p.n[2]}`;
}

function lexPositive(n: readonly number[]): boolean {
  return n[0]! > 0 || (n[0] === 0 && (n[1]! > 0 || (n[1] === 0 && n[2]! > 0)));
}

/** Brute force over every pair and every image within a shift range large enough for the cutoff. */
function reference(cell: Cell, pos: Float64Array, rc: number): Map<string, Pair> {
  const n = pos.length / 3;
  const out = new Map<string, Pair>();
  const periodic = Cell.isPeriodic(cell);
  const w = Cell.widths(cell);
  const h = cell.h;
  const si = new Float64Array(3), sj = new Float64Array(3);
  const range = [0, 1, 2].map((d) => (periodic && cell.pbc[d] ? Math.ceil(rc / w[d]!) + 1 : 0));
  const r0 = range[0]!, r1 = range[1]!, r2 = range[2]!;
  for (let i = 0; i < n; i++) {
    Cell.toFractional(cell, pos, 3 * i, si, 0);
    for (let j = i; j < n; j++) {
      Cell.toFractional(cell, pos, 3 * j, sj, 0);
      // Centre the shift range on the nearest image.
      const c0 = r0 > 0 ? -Math.round(sj[0]! - si[0]!) : 0;
      const c1 = r1 > 0 ? -Math.round(sj[1]! - si[1]!) : 0;
      const c2 = r2 > 0 ? -Math.round(sj[2]! - si[2]!) : 0;
      const dx = pos[3 * j]! - pos[3 * i]!, dy = pos[3 * j + 1]! - pos[3 * i + 1]!, dz = pos[3 * j + 2]! - pos[3 * i + 2]!;
      for (let a = c0 - r0; a <= c0 + r0; a++) {
        for (let b = c1 - r1; b <= c1 + r1; b++) {
          for (let c = c2 - r2; c <= c2 + r2; c++) {
            if (i === j && !lexPositive([a, b, c])) continue;
            const vx = dx + a * h[0]! + b * h[3]! + c * h[6]!;
            const vy = dy + a * h[1]! + b * h[4]! + c * h[7]!;
            const vz = dz + a * h[2]! + b * h[5]! + c * h[8]!;
            const d = Math.hypot(vx, vy, vz);
            if (d < rc) {
              const p: Pair = { i, j, n: [a + 0, b + 0, c + 0], v: [vx, vy, vz], d };
              out.set(key(p), p);
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * The pairs of a built list, keyed like {@link reference}; checks on the way that every vector is
 * `r_j − r_i` plus an integer lattice translation (zero along non-periodic directions), that the
 * distance matches the vector, that the pair is canonical and listed once.
 */
function pairsOf(cell: Cell, pos: Float64Array, nl: NeighborList, rc: number): Map<string, Pair> {
  const out = new Map<string, Pair>();
  const problems: string[] = [];
  const periodic = Cell.isPeriodic(cell);
  const sv = new Float64Array(3);
  const shift = new Float64Array(3);
  expect(nl.first.length).toBeGreaterThanOrEqual(nl.count);
  expect(nl.second.length).toBeGreaterThanOrEqual(nl.count);
  expect(nl.distances.length).toBeGreaterThanOrEqual(nl.count);
  expect(nl.vectors.length).toBeGreaterThanOrEqual(3 * nl.count);
  for (let k = 0; k < nl.count && problems.length < 10; k++) {
    const i = nl.first[k]!, j = nl.second[k]!;
    const v: [number, number, number] = [nl.vectors[3 * k]!, nl.vectors[3 * k + 1]!, nl.vectors[3 * k + 2]!];
    for (let d = 0; d < 3; d++) shift[d] = v[d] - (pos[3 * j + d]! - pos[3 * i + d]!);
    let nn: [number, number, number] = [0, 0, 0];
    if (periodic) {
      Cell.toFractional(cell, shift, 0, sv, 0);
      nn = [Math.round(sv[0]!) + 0, Math.round(sv[1]!) + 0, Math.round(sv[2]!) + 0];
      for (let d = 0; d < 3; d++) {
        if (!(Math.abs(sv[d]! - nn[d]!) < 1e-9)) problems.push(`pair ${k}: shift ${Array.from(sv)} is not a lattice vector`);
        if (!cell.pbc[d] && nn[d] !== 0) problems.push(`pair ${k}: shift ${nn} along non-periodic direction ${d}`);
      }
    } else if (!(Math.hypot(shift[0]!, shift[1]!, shift[2]!) < 1e-9)) {
      problems.push(`pair ${k}: shift ${Array.from(shift)} in an open cell`);
    }
    const d = nl.distances[k]!;
    if (!(Math.abs(d - Math.hypot(v[0], v[1], v[2])) < 1e-12 * (1 + d))) problems.push(`pair ${k}: distance ${d} ≠ |v|`);
    if (!(d < rc && d >= 0)) problems.push(`pair ${k}: distance ${d} outside [0, ${rc})`);
    if (i > j) problems.push(`pair ${k}: first ${i} > second ${j}`);
    if (i === j && !lexPositive(nn)) problems.push(`pair ${k}: self pair with shift ${nn}`);
    const p: Pair = { i, j, n: nn, v, d };
    if (out.has(key(p))) problems.push(`pair ${key(p)} listed twice`);
    out.set(key(p), p);
  }
  expect(problems).toEqual([]);
  return out;
}

/** Build and compare with the brute-force reference: same (i, j, shift) set, same vectors. */
function checkAgainstReference(cell: Cell, pos: Float64Array, rc: number, out?: NeighborList): NeighborList {
  const nl = buildNeighborList(cell, pos, rc, out);
  const got = pairsOf(cell, pos, nl, rc);
  const want = reference(cell, pos, rc);
  const missing = [...want.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !want.has(k));
  expect(missing, 'pairs missing from the list').toEqual([]);
  expect(extra, 'pairs not in the reference').toEqual([]);
  let worst = 0;
  for (const [k, p] of want) {
    const q = got.get(k)!;
    for (let d = 0; d < 3; d++) worst = Math.max(worst, Math.abs(q.v[d] - p.v[d]));
    worst = Math.max(worst, Math.abs(q.d - p.d));
  }
  expect(worst).toBeLessThan(1e-9);
  return nl;
}

const skewed = Cell.fromRows([8, 0, 0, 6.5, 7, 0, -5, 4.5, 6]);

describe('buildNeighborList against a brute-force all-images reference', () => {
  it('cubic box, cutoff well below half the width', () => {
    const cell = Cell.orthorhombic(12, 12, 12);
    const nl = checkAgainstReference(cell, randomPositions(cell, 200, 1), 3);
    expect(nl.count).toBeGreaterThan(100);
  });

  it('orthorhombic box with unequal edges', () => {
    const cell = Cell.orthorhombic(9, 14, 6.5);
    checkAgainstReference(cell, randomPositions(cell, 150, 2), 2.9);
  });

  it('small orthorhombic cells with cutoffs just below half the widths (the all-pairs minimum-image search)', () => {
    // ≤ 2 bins per direction and rc < L/2: the minimum-image path; positions outside the cell,
    // on the faces and at half-cell separations included
    for (const [k, [a, b, c, rc]] of [[10, 10, 10, 4.999], [9, 11, 13, 4.4], [8, 8.5, 9, 3.9], [7, 15, 7, 3.49]].entries()) {
      const cell = Cell.orthorhombic(a!, b!, c!);
      const pos = randomPositions(cell, 120, 40 + k, -1, 2);
      pos.set([0, 0, 0, a! / 2, b! / 2, c! / 2, a!, 0, c!, -a! / 2, 0, 0], 0);
      const nl = checkAgainstReference(cell, pos, rc!);
      expect(nl.count).toBeGreaterThan(50);
    }
  });

  it('strongly skewed triclinic cell', () => {
    checkAgainstReference(skewed, randomPositions(skewed, 150, 3), 2.5);
    checkAgainstReference(skewed, randomPositions(skewed, 120, 4), 3.4);
  });

  it('triclinic cell from lattice parameters', () => {
    const cell = Cell.fromParameters([11, 10, 12, 62, 75, 118]);
    checkAgainstReference(cell, randomPositions(cell, 150, 5), 3.3);
  });

  it('cell narrower than twice the cutoff (several images of a pair)', () => {
    const cell = Cell.orthorhombic(5, 6, 5.5);
    const nl = checkAgainstReference(cell, randomPositions(cell, 30, 6), 3.5);
    // Some pair must appear with two different shifts.
    const seen = new Map<string, number>();
    for (let k = 0; k < nl.count; k++) {
      const id = `${nl.first[k]},${nl.second[k]}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(Math.max(...seen.values())).toBeGreaterThan(1);
    checkAgainstReference(skewed, randomPositions(skewed, 25, 7), 5.5);
  });

  it('cell narrower than the cutoff (particles see their own images)', () => {
    const cell = Cell.orthorhombic(2.2, 2.6, 2.4);
    const nl = checkAgainstReference(cell, randomPositions(cell, 6, 8), 3.1);
    let self = 0;
    for (let k = 0; k < nl.count; k++) if (nl.first[k] === nl.second[k]) self++;
    expect(self).toBeGreaterThan(0);
    checkAgainstReference(skewed, randomPositions(skewed, 5, 9), 9.5);
    checkAgainstReference(Cell.fromParameters([1.5, 1.7, 1.6, 70, 80, 100]), randomPositions(skewed, 4, 10), 4.2);
  });

  it('a single particle in a cube of edge 2 with cutoff 3 has 9 self pairs', () => {
    const cell = Cell.orthorhombic(2, 2, 2);
    const nl = checkAgainstReference(cell, Float64Array.of(0.3, -0.7, 5.1), 3);
    // Shifts with |n|² ∈ {1, 2} (|2n| < 3): 6 + 12 images, half of them lexicographically positive.
    expect(nl.count).toBe(9);
    for (let k = 0; k < nl.count; k++) expect(nl.first[k]).toBe(0);
  });

  it('N = 1 in a large box has no pairs; N = 2 has the one pair', () => {
    const cell = Cell.orthorhombic(10, 10, 10);
    expect(buildNeighborList(cell, Float64Array.of(1, 2, 3), 4).count).toBe(0);
    // Minimum image across the boundary: 9.5 → −0.5, displacement from particle 0 to 1 is −1 in x.
    const nl = checkAgainstReference(cell, Float64Array.of(0.5, 5, 5, 9.5, 5, 5), 4);
    expect(nl.count).toBe(1);
    expect(nl.first[0]).toBe(0);
    expect(nl.second[0]).toBe(1);
    expect(nl.vectors[0]).toBeCloseTo(-1, 12);
    expect(nl.vectors[1]).toBeCloseTo(0, 12);
    expect(nl.vectors[2]).toBeCloseTo(0, 12);
    expect(nl.distances[0]).toBeCloseTo(1, 12);
  });

  it('no particles gives an empty list', () => {
    const nl = buildNeighborList(Cell.orthorhombic(5, 5, 5), new Float64Array(0), 3);
    expect(nl.count).toBe(0);
    const out = createNeighborList(4);
    out.count = 3;
    expect(buildNeighborList(Cell.open(), new Float64Array(0), 3, out).count).toBe(0);
  });

  it('mixed periodicity [true, false, true] with positions far outside along b', () => {
    const pbc: Pbc = [true, false, true];
    const cell = Cell.fromRows([7, 0, 0, 1.5, 6, 0, -1, 2, 6.5], pbc);
    const pos = randomPositions(cell, 120, 11, -2, 3);
    const nl = checkAgainstReference(cell, pos, 3.2);
    expect(nl.count).toBeGreaterThan(0);
    // Narrow along the periodic directions, with self images along a and c only.
    const thin = Cell.fromRows([2, 0, 0, 0, 4, 0, 0.5, 0, 2.5], pbc);
    const nt = checkAgainstReference(thin, randomPositions(thin, 12, 12, -1, 2), 3);
    for (let k = 0; k < nt.count; k++) {
      if (nt.first[k] === nt.second[k]) expect(nt.vectors[3 * k + 1]).toBeCloseTo(0, 12);
    }
  });

  it('other mixed periodicities', () => {
    const cell = Cell.fromRows([6, 0, 0, 1, 5, 0, 0, 1, 7], [false, true, false]);
    checkAgainstReference(cell, randomPositions(cell, 80, 13, -1, 2), 2.7);
    const slab = Cell.fromRows([5, 0, 0, 0, 5, 0, 0, 0, 5], [true, true, false]);
    checkAgainstReference(slab, randomPositions(slab, 80, 14, -0.2, 4), 2.6);
  });

  it('open cell with zero h: Cartesian bounding-box binning', () => {
    const cell = Cell.open();
    const r = seededRandom(15);
    const pos = new Float64Array(3 * 300);
    for (let k = 0; k < pos.length; k++) pos[k] = -40 + 60 * r() + (k % 3) * 7;
    const nl = checkAgainstReference(cell, pos, 5);
    expect(nl.count).toBeGreaterThan(0);
    // A flat (2-D) arrangement and a line: zero extent along some directions.
    const flat = Float64Array.from(pos);
    for (let i = 0; i < 300; i++) flat[3 * i + 2] = 1.25;
    checkAgainstReference(cell, flat, 5);
    const line = new Float64Array(3 * 50);
    for (let i = 0; i < 50; i++) line[3 * i] = 100 * r();
    checkAgainstReference(cell, line, 3);
  });

  it('non-periodic cell with a non-zero h is also binned in Cartesian space', () => {
    const cell = Cell.fromRows([4, 0, 0, 1, 4, 0, 0, 0, 4], [false, false, false]);
    checkAgainstReference(cell, randomPositions(cell, 100, 16, -3, 4), 3);
  });

  it('widely spread particles do not blow up the number of bins', () => {
    const pos = Float64Array.of(0, 0, 0, 1e7, -3e6, 5e6, 1e7 + 0.5, -3e6, 5e6);
    const nl = checkAgainstReference(Cell.open(), pos, 1);
    expect(nl.count).toBe(1);
  });

  it('coincident particles are paired at distance 0, never dropped (overlaps must be seen)', () => {
    const cell = Cell.orthorhombic(6, 6, 6);
    const nl = buildNeighborList(cell, Float64Array.of(1, 1, 1, 1, 1, 1, 2, 1, 1), 2);
    const found = [...pairsOf(cell, Float64Array.of(1, 1, 1, 1, 1, 1, 2, 1, 1), nl, 2).keys()].sort();
    expect(found).toEqual(['0,1,0,0,0', '0,2,0,0,0', '1,2,0,0,0']);
    const k = [...Array(nl.count).keys()].find((q) => nl.first[q] === 0 && nl.second[q] === 1)!;
    expect(nl.distances[k]).toBe(0);
  });

  it('random small cells, periodicities and cutoffs', () => {
    const r = seededRandom(99);
    for (let t = 0; t < 60; t++) {
      const pbc: Pbc = [r() < 0.7, r() < 0.7, r() < 0.7];
      let cell: Cell;
      if (!pbc[0] && !pbc[1] && !pbc[2] && r() < 0.5) {
        cell = Cell.open();
      } else {
        // Diagonal 1.5..6.5 plus off-diagonal tilts up to ±4: from nearly cubic to very skewed.
        const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => (k % 4 === 0 ? 1.5 + 5 * r() : 8 * r() - 4));
        rows[1] = rows[2] = rows[5] = 0; // lower-triangular keeps the volume positive and known
        cell = Cell.fromRows(rows, pbc);
      }
      const ref = Cell.isPeriodic(cell) ? cell : Cell.orthorhombic(5, 5, 5);
      const n = Math.floor(25 * r());
      const w = Cell.widths(ref);
      const rc = (0.2 + 2 * r()) * Math.min(w[0]!, w[1]!, w[2]!);
      checkAgainstReference(cell, randomPositions(ref, n, 1000 + t, -1, 2), rc);
    }
  });

  it('dense liquid-like system with many pairs and a fresh list', () => {
    const n = 500;
    const l = Math.cbrt(n / 0.3);
    const cell = Cell.fromParameters([l * 1.1, l * 0.9, l, 75, 82, 105]);
    checkAgainstReference(cell, randomPositions(cell, n, 17, 0, 1), 4);
  });
});

describe('buildNeighborList properties', () => {
  it('reuses out, growing it for larger systems', () => {
    const cell = Cell.orthorhombic(10, 10, 10);
    const out = createNeighborList(0);
    for (const [n, seed] of [[10, 20], [200, 21], [50, 22], [600, 23]] as const) {
      const nl = checkAgainstReference(cell, randomPositions(cell, n, seed), 3, out);
      expect(nl).toBe(out);
    }
    expect(out.first.length).toBeGreaterThanOrEqual(out.count);
    // The same arrays serve a smaller system again.
    const first = out.first;
    checkAgainstReference(cell, randomPositions(cell, 30, 24), 3, out);
    expect(out.first).toBe(first);
  });

  it('an out with too little room grows geometrically and keeps its pairs consistent', () => {
    const cell = Cell.orthorhombic(6, 6, 6);
    const out = createNeighborList(1);
    checkAgainstReference(cell, randomPositions(cell, 120, 25), 3, out);
    expect(out.count).toBeGreaterThan(64);
  });

  it('does not modify the positions', () => {
    const pos = randomPositions(skewed, 80, 26, -3, 4);
    const copy = Float64Array.from(pos);
    buildNeighborList(skewed, pos, 4);
    const mixed = Cell.fromRows(skewed.h, [true, false, true]);
    buildNeighborList(mixed, pos, 4);
    buildNeighborList(Cell.open(), pos, 4);
    expect(Array.from(pos)).toEqual(Array.from(copy));
  });

  it('translating every particle by a lattice vector keeps the vectors', () => {
    const pos = randomPositions(skewed, 100, 27);
    const a = buildNeighborList(skewed, pos, 3.7);
    const moved = Float64Array.from(pos);
    const h = skewed.h;
    for (let i = 0; i < 100; i++) {
      for (let d = 0; d < 3; d++) moved[3 * i + d] += h[d]! + 2 * h[3 + d]! - 3 * h[6 + d]!;
    }
    // Also move a single particle by another lattice vector.
    for (let d = 0; d < 3; d++) moved[3 * 7 + d] -= 4 * h[3 + d]!;
    const b = buildNeighborList(skewed, moved, 3.7);
    const set = (nl: NeighborList) =>
      Array.from({ length: nl.count }, (_, k) =>
        [nl.first[k], nl.second[k], ...[0, 1, 2].map((d) => nl.vectors[3 * k + d]!.toFixed(6))].join(','),
      ).sort();
    expect(b.count).toBe(a.count);
    expect(set(b)).toEqual(set(a));
  });

  it('vectors point from first to second and distances match', () => {
    const cell = Cell.orthorhombic(7, 7, 7);
    const pos = randomPositions(cell, 60, 28, 0, 1);
    const nl = buildNeighborList(cell, pos, 3);
    for (let k = 0; k < nl.count; k++) {
      const i = nl.first[k]!, j = nl.second[k]!;
      const v = [0, 1, 2].map((d) => nl.vectors[3 * k + d]!);
      // Minimum image is the only image here (cutoff < half width).
      const dmin = Float64Array.from([0, 1, 2].map((d) => pos[3 * j + d]! - pos[3 * i + d]!));
      Cell.minimumImage(cell, dmin, 0);
      for (let d = 0; d < 3; d++) expect(v[d]).toBeCloseTo(dmin[d]!, 12);
      expect(nl.distances[k]).toBeCloseTo(Math.hypot(v[0]!, v[1]!, v[2]!), 13);
    }
  });

  it('rejects bad arguments with AnisoError codes', () => {
    const cell = Cell.orthorhombic(5, 5, 5);
    const pos = Float64Array.of(0, 0, 0, 1, 1, 1);
    expect(errorCode(() => buildNeighborList(cell, pos, 0))).toBe('E_ARG');
    expect(errorCode(() => buildNeighborList(cell, pos, -1))).toBe('E_ARG');
    expect(errorCode(() => buildNeighborList(cell, pos, NaN))).toBe('E_ARG');
    expect(errorCode(() => buildNeighborList(cell, pos, Infinity))).toBe('E_ARG');
    expect(errorCode(() => buildNeighborList(cell, pos, 1e4))).toBe('E_ARG');
    expect(errorCode(() => buildNeighborList(cell, Float64Array.of(0, 0, 0, 1), 2))).toBe('E_SIZE');
    expect(errorCode(() => buildNeighborList(cell, Float64Array.of(0, NaN, 0), 2))).toBe('E_NONFINITE');
  });
});
