// SPDX-License-Identifier: BSD-3-Clause
import { describe, it, expect } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { det3 } from '../../src/core/mat3.js';
import { errorCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';

const triclinic = Cell.fromRows([7, 0, 0, 2.5, 6, 0, -1.5, 2, 8]);

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

function row(cell: Cell, k: number): number[] {
  return [cell.h[3 * k]!, cell.h[3 * k + 1]!, cell.h[3 * k + 2]!];
}

describe('Cell', () => {
  it('volume', () => {
    expect(Cell.volume(Cell.orthorhombic(2, 3, 4))).toBeCloseTo(24, 14);
    expect(Cell.volume(triclinic)).toBeCloseTo(7 * 6 * 8, 12);
    // Left-handed rows: the volume is still positive.
    expect(Cell.volume(Cell.fromRows([0, 1, 0, 1, 0, 0, 0, 0, 2]))).toBeCloseTo(2, 14);
    expect(Cell.volume(Cell.open())).toBe(0);
  });

  it('widths are the distances between opposite faces', () => {
    const o = Cell.widths(Cell.orthorhombic(2, 3, 4));
    expect(Array.from(o)).toEqual([2, 3, 4]);
    const w = Cell.widths(triclinic);
    for (let d = 0; d < 3; d++) {
      const n = cross(row(triclinic, (d + 1) % 3), row(triclinic, (d + 2) % 3));
      const a = row(triclinic, d);
      const height = Math.abs(a[0]! * n[0]! + a[1]! * n[1]! + a[2]! * n[2]!) / Math.hypot(n[0]!, n[1]!, n[2]!);
      expect(w[d]).toBeCloseTo(height, 12);
      // Equivalently 1 / |column d of h⁻¹|.
      const g = triclinic.hInv;
      expect(w[d]).toBeCloseTo(1 / Math.hypot(g[d]!, g[3 + d]!, g[6 + d]!), 12);
    }
    const out = new Float64Array(3);
    expect(Cell.widths(triclinic, out)).toBe(out);
    expect(Array.from(Cell.widths(Cell.open()))).toEqual([0, 0, 0]);
  });

  it('toFractional and toCartesian are inverse', () => {
    const r = Float64Array.of(1.3, -4.2, 11.7);
    const s = new Float64Array(3), back = new Float64Array(3);
    Cell.toFractional(triclinic, r, 0, s, 0);
    Cell.toCartesian(triclinic, s, 0, back, 0);
    for (let d = 0; d < 3; d++) expect(back[d]).toBeCloseTo(r[d]!, 12);
    // r = s · h: the lattice vector a has fractional coordinates (1, 0, 0).
    Cell.toFractional(triclinic, triclinic.h, 0, s, 0);
    expect(s[0]).toBeCloseTo(1, 14);
    expect(s[1]).toBeCloseTo(0, 14);
    expect(s[2]).toBeCloseTo(0, 14);
  });

  it('wrap maps every periodic fractional coordinate into [0, 1) by lattice translations', () => {
    const r = seededRandom(1);
    const n = 200;
    const pos = new Float64Array(3 * n);
    for (let k = 0; k < 3 * n; k++) pos[k] = 60 * r() - 30;
    for (const pbc of [[true, true, true], [true, false, true]] as const) {
      const cell = Cell.fromRows(triclinic.h, pbc);
      const wrapped = Cell.wrap(cell, Float64Array.from(pos));
      const s = new Float64Array(3), s0 = new Float64Array(3);
      for (let i = 0; i < n; i++) {
        Cell.toFractional(cell, wrapped, 3 * i, s, 0);
        Cell.toFractional(cell, pos, 3 * i, s0, 0);
        for (let d = 0; d < 3; d++) {
          if (pbc[d]) {
            expect(s[d]).toBeGreaterThanOrEqual(0);
            expect(s[d]).toBeLessThan(1);
            const shift = s0[d]! - s[d]!;
            expect(Math.abs(shift - Math.round(shift))).toBeLessThan(1e-9);
          } else {
            expect(s[d]).toBeCloseTo(s0[d]!, 12);
          }
        }
      }
    }
    // A coordinate a hair below 0 wraps to 0, never to 1.
    const cube = Cell.orthorhombic(1, 1, 1);
    const edge = Cell.wrap(cube, Float64Array.of(-1e-17, 0.5, 2));
    expect(edge[0]).toBe(0);
    expect(edge[2]).toBe(0);
    // Open cells are left alone, also with a non-zero h.
    expect(Array.from(Cell.wrap(Cell.open(), Float64Array.of(-5, 7, 9)))).toEqual([-5, 7, 9]);
    const framed = Cell.fromRows([2, 0, 0, 0, 2, 0, 0, 0, 2], [false, false, false]);
    expect(Array.from(Cell.wrap(framed, Float64Array.of(-5, 7, 9)))).toEqual([-5, 7, 9]);
  });

  it('minimumImage on an orthorhombic cell gives the shortest image', () => {
    const cell = Cell.orthorhombic(4, 5, 6);
    const r = seededRandom(2);
    const d = new Float64Array(3);
    for (let t = 0; t < 100; t++) {
      const raw = [40 * r() - 20, 40 * r() - 20, 40 * r() - 20];
      d.set(raw);
      Cell.minimumImage(cell, d, 0);
      const l = [4, 5, 6];
      for (let k = 0; k < 3; k++) {
        expect(d[k]).toBeGreaterThanOrEqual(-l[k]! / 2 - 1e-12);
        expect(d[k]).toBeLessThanOrEqual(l[k]! / 2 + 1e-12);
        const m = (raw[k]! - d[k]!) / l[k]!;
        expect(Math.abs(m - Math.round(m))).toBeLessThan(1e-9);
      }
    }
    // Open cells leave displacements alone.
    const open = Float64Array.of(30, -40, 50);
    Cell.minimumImage(Cell.open(), open, 0);
    expect(Array.from(open)).toEqual([30, -40, 50]);
    // Non-periodic directions are not reduced.
    const mixed = Cell.fromRows([4, 0, 0, 0, 5, 0, 0, 0, 6], [true, false, true]);
    const v = Float64Array.of(3.5, 9, -4);
    Cell.minimumImage(mixed, v, 0);
    expect(v[0]).toBeCloseTo(-0.5, 14);
    expect(v[1]).toBeCloseTo(9, 14);
    expect(v[2]).toBeCloseTo(2, 14);
  });

  it('deformed applies x → (1 + ε) x to each lattice vector', () => {
    const eps = [0.01, 0.002, -0.003, 0.004, -0.02, 0.001, 0.0, 0.005, 0.03];
    const def = Cell.deformed(triclinic, eps);
    for (let v = 0; v < 3; v++) {
      const a = row(triclinic, v);
      for (let rr = 0; rr < 3; rr++) {
        const want = a[rr]! + eps[3 * rr]! * a[0]! + eps[3 * rr + 1]! * a[1]! + eps[3 * rr + 2]! * a[2]!;
        expect(def.h[3 * v + rr]).toBeCloseTo(want, 13);
      }
    }
    expect(def.pbc).toEqual(triclinic.pbc);
    // Volume scales with det(1 + ε); fractional coordinates of deformed positions are unchanged.
    const f = eps.map((e, k) => e + (k % 4 === 0 ? 1 : 0));
    expect(Cell.volume(def)).toBeCloseTo(Cell.volume(triclinic) * det3(f), 10);
    const r = Float64Array.of(1.5, 2.5, 3.5);
    const rd = new Float64Array(3);
    for (let rr = 0; rr < 3; rr++) rd[rr] = r[rr]! + eps[3 * rr]! * r[0]! + eps[3 * rr + 1]! * r[1]! + eps[3 * rr + 2]! * r[2]!;
    const s = new Float64Array(3), sd = new Float64Array(3);
    Cell.toFractional(triclinic, r, 0, s, 0);
    Cell.toFractional(def, rd, 0, sd, 0);
    for (let d = 0; d < 3; d++) expect(sd[d]).toBeCloseTo(s[d]!, 13);
  });

  it('parameters and fromParameters round trip (triclinic and orthorhombic)', () => {
    const p = [9.5, 8.25, 11, 63, 74.5, 112] as const;
    const cell = Cell.fromParameters(p);
    const back = Cell.parameters(cell);
    for (let k = 0; k < 6; k++) expect(back[k]).toBeCloseTo(p[k], 11);
    // Standard orientation: a along x, b in the xy plane.
    expect(cell.h[1]).toBe(0);
    expect(cell.h[2]).toBe(0);
    expect(cell.h[5]).toBe(0);
    // From an arbitrarily oriented cell: same metric h hᵀ after the round trip.
    const rebuilt = Cell.fromParameters(Cell.parameters(triclinic));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const a = row(triclinic, i), b = row(triclinic, j), c = row(rebuilt, i), d = row(rebuilt, j);
        expect(c[0]! * d[0]! + c[1]! * d[1]! + c[2]! * d[2]!).toBeCloseTo(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!, 10);
      }
    }
    expect(Cell.volume(rebuilt)).toBeCloseTo(Cell.volume(triclinic), 10);
    // Right angles give an exactly diagonal h.
    const ortho = Cell.fromParameters([3, 4, 5, 90, 90, 90]);
    expect(Array.from(ortho.h)).toEqual([3, 0, 0, 0, 4, 0, 0, 0, 5]);
    expect(Cell.parameters(ortho)).toEqual([3, 4, 5, 90, 90, 90]);
  });

  it('rejects unusable cells with E_CELL', () => {
    expect(errorCode(() => Cell.fromRows([1, 0, 0, 2, 0, 0, 0, 0, 1]))).toBe('E_CELL');
    expect(errorCode(() => Cell.fromRows([1, 0, 0, 0, 1, 0, 0, 0, 0], [true, false, false]))).toBe('E_CELL');
    expect(errorCode(() => Cell.fromRows([1, 0, 0, 0, 1, 0, 0, 0, NaN]))).toBe('E_CELL');
    expect(errorCode(() => Cell.fromRows([1, 0, 0, 0, 1, 0, 0, 0]))).toBe('E_CELL');
    expect(errorCode(() => Cell.fromParameters([3, 4, 5, 90, 90, 0]))).toBe('E_CELL');
    // A singular h is fine when nothing is periodic.
    const open = Cell.fromRows([0, 0, 0, 0, 0, 0, 0, 0, 0], [false, false, false]);
    expect(Array.from(open.hInv)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Cell.isPeriodic(open)).toBe(false);
    expect(Cell.isPeriodic(Cell.open())).toBe(false);
    expect(Cell.isPeriodic(triclinic)).toBe(true);
  });
});
