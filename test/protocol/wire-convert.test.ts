// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { multiply3 } from '../../src/core/mat3.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { ASE_UNITS, IPI_UNITS } from '../../src/core/units.js';
import { IpiDecoder } from '../../src/protocol/decoder.js';
import { encodeForceReady, encodePosData } from '../../src/protocol/encoder.js';
import type { ClientMessage, ServerMessage } from '../../src/protocol/messages.js';
import { cellFromWire, cellToWire, createWireCellScratch, forceResultFromWire, resolveUnits, wireScales } from '../../src/protocol/wire-convert.js';
import { maxRelativeError, numericalForces, numericalVirial } from '../support/finite-difference.js';

/** A triclinic cell that is not upper triangular (as ASE may send). Rows = a, b, c in Å. */
const ROWS = [5.0, 0.3, -0.2, 1.1, 6.0, 0.4, -0.7, 0.9, 7.0];

/**
 * A non-periodic model with an asymmetric virial: a uniform field g and a harmonic tether to a
 * fixed point c. E = −Σ g·r + k/2 Σ |r − c|², F = g − k (r − c), W_ij = Σ F_i r_j.
 */
const G = [0.3, -0.2, 0.5];
const C = [1, 2, -1];
const K = 0.7;
function fieldEnergy(s: ParticleSystem): number {
  let e = 0;
  for (let a = 0; a < s.n; a++) {
    for (let d = 0; d < 3; d++) {
      const r = s.positions[3 * a + d]!;
      e += -G[d]! * r + 0.5 * K * (r - C[d]!) ** 2;
    }
  }
  return e;
}
function fieldResult(s: ParticleSystem): ForceResult {
  const forces = new Float64Array(3 * s.n);
  const virial = new Float64Array(9);
  for (let a = 0; a < s.n; a++) {
    for (let d = 0; d < 3; d++) forces[3 * a + d] = G[d]! - K * (s.positions[3 * a + d]! - C[d]!);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) virial[3 * i + j] += forces[3 * a + i]! * s.positions[3 * a + j]!;
  }
  return { energy: fieldEnergy(s), forces, torques: null, virial, extras: {} };
}

const POSITIONS = Float64Array.of(0.1, 0.2, 0.3, 2.5, -1.0, 3.2, -1.7, 4.4, 0.9, 3.3, 3.1, -2.2);

function decodeOne<M>(from: 'server' | 'client', bytes: Buffer): M {
  const out: unknown[] = [];
  new IpiDecoder({ from, onMessage: (m: unknown) => out.push(m) } as never).push(bytes);
  expect(out).toHaveLength(1);
  return out[0] as M;
}

describe('cell layout on the wire', () => {
  it('reads lattice vectors from the columns of the wire h', () => {
    const b = IPI_UNITS.bohrInAngstrom;
    // Wire: columns = lattice vectors, in bohr, row-major.
    const wire = [ROWS[0]!, ROWS[3]!, ROWS[6]!, ROWS[1]!, ROWS[4]!, ROWS[7]!, ROWS[2]!, ROWS[5]!, ROWS[8]!].map((x) => x / b);
    const cell = cellFromWire(wire, b);
    expect(cell.pbc).toEqual([true, true, true]);
    expect(maxRelativeError(cell.h, ROWS)).toBeLessThan(1e-15);
    const prod = multiply3(new Float64Array(9), cell.h, cell.hInv);
    expect(maxRelativeError(prod, [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThan(1e-15);
  });

  it('sends lattice vectors as columns and i-PI’s h⁻¹ = inv(h) row-major', () => {
    const cell = Cell.fromRows(ROWS);
    const s = wireScales(IPI_UNITS);
    const { h, hInv } = cellToWire(cell, s.lengthToWire);
    expect([h[0], h[3], h[6]].map((x) => x! * IPI_UNITS.bohrInAngstrom)).toEqual([ROWS[0], ROWS[1], ROWS[2]].map((x) => expect.closeTo(x!, 14)));
    expect([h[1], h[4], h[7]].map((x) => x! * IPI_UNITS.bohrInAngstrom)).toEqual([ROWS[3], ROWS[4], ROWS[5]].map((x) => expect.closeTo(x!, 14)));
    const prod = multiply3(new Float64Array(9), h, hInv);
    expect(maxRelativeError(prod, [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThan(1e-14);
    // i-PI's own cells are upper triangular: a along x.
    const ipiCell = Cell.fromParameters([10, 11, 12, 80, 95, 100]);
    const w = cellToWire(ipiCell, 1).h;
    expect([w[3], w[6], w[7]]).toEqual([0, 0, 0]);
  });

  it('round-trips a triclinic cell through POSDATA bytes, never reading the h⁻¹ block', () => {
    for (const units of [IPI_UNITS, ASE_UNITS]) {
      const s = wireScales(units);
      const cell = Cell.fromRows(ROWS);
      const { h } = cellToWire(cell, s.lengthToWire);
      // ASE sends the transpose of inv(h): give garbage to prove it is ignored.
      const bytes = encodePosData({ h, hInv: [9, 9, 9, 9, 9, 9, 9, 9, 9], positions: POSITIONS }, { positionScale: s.lengthToWire });
      const m = decodeOne<ServerMessage>('server', bytes);
      if (m.type !== 'POSDATA') throw new Error('expected POSDATA');
      const back = cellFromWire(m.h, s.lengthFromWire);
      expect(maxRelativeError(back.h, ROWS)).toBeLessThan(1e-15);
      expect(maxRelativeError(back.hInv, cell.hInv)).toBeLessThan(1e-14);
      for (let k = 0; k < POSITIONS.length; k++) expect(m.positions[k]! * s.lengthFromWire).toBeCloseTo(POSITIONS[k]!, 14);
    }
  });

  it('maps an all-zero h to an open cell and back', () => {
    const open = cellFromWire(new Float64Array(9), IPI_UNITS.bohrInAngstrom);
    expect(open.pbc).toEqual([false, false, false]);
    expect(Array.from(open.h)).toEqual(new Array(9).fill(0));
    const { h, hInv } = cellToWire(Cell.open(), 2);
    expect(Array.from(h)).toEqual(new Array(9).fill(0));
    expect(Array.from(hInv)).toEqual(new Array(9).fill(0));
  });

  it('treats any h as a non-periodic frame when periodic=false (a singular non-zero h included)', () => {
    const singular = cellFromWire([5, 0, 0, 0, 5, 0, 0, 0, 0], 1, false);
    expect(singular.pbc).toEqual([false, false, false]);
    expect(Array.from(singular.h)).toEqual([5, 0, 0, 0, 5, 0, 0, 0, 0]);
    const forced = cellFromWire([5, 0, 0, 0, 5, 0, 0, 0, 5], 1, false);
    expect(forced.pbc).toEqual([false, false, false]);
    expect(forced.h[8]).toBe(5);
  });

  it('refuses a singular non-zero h unless periodic=false: E_CELL naming the vectors in Å and the way out', () => {
    // 2-D: c = 0 (columns are lattice vectors); bohr → Å factor 2.
    for (const h of [[5, 0, 0, 0, 5, 0, 0, 0, 0], [5, 5, 0, 0, 0, 0, 0, 0, 5]]) {
      try {
        cellFromWire(h, 2);
        expect.unreachable();
      } catch (err) {
        expect((err as AnisoError).code).toBe('E_CELL');
        expect((err as AnisoError).message).toContain('singular cell');
        expect((err as AnisoError).message).toContain(' Å');
        expect((err as AnisoError).message).toContain('--no-periodic');
      }
    }
    expect(() => cellFromWire([5, 0, 0, 0, 5, 0, 0, 0, 0], 2)).toThrow('a = (10, 0, 0), b = (0, 10, 0), c = (0, 0, 0) Å');
  });

  it('refuses a non-finite wire cell', () => {
    try {
      cellFromWire([1, 0, 0, 0, NaN, 0, 0, 0, 1], 1);
      expect.unreachable();
    } catch (err) {
      expect((err as AnisoError).code).toBe('E_NONFINITE');
      expect((err as AnisoError).message).toContain('h[1][1] = NaN');
    }
  });
});

describe('units on the wire', () => {
  it('uses i-PI constants by default and ASE constants on request', () => {
    expect(resolveUnits(undefined)).toBe(IPI_UNITS);
    expect(resolveUnits('ase')).toBe(ASE_UNITS);
    expect(() => resolveUnits('cgs' as 'ipi')).toThrow("allowed: 'ipi', 'ase'");
    const s = wireScales(IPI_UNITS);
    expect(s.lengthToWire).toBeCloseTo(1.8897261, 15);
    expect(s.energyToWire).toBeCloseTo(0.036749326, 15);
    expect(s.forceToWire).toBeCloseTo(0.036749326 / 1.8897261, 15);
  });

  it('round-trips Å → bohr → Å and eV → Ha → eV to 1e-15; the two constant sets differ by ~1e-8', () => {
    for (const units of [IPI_UNITS, ASE_UNITS]) {
      const s = wireScales(units);
      for (const x of [1e-6, 0.5291772, 1, 3.14159, 1234.5]) {
        expect(Math.abs((x * s.lengthToWire * s.lengthFromWire) / x - 1)).toBeLessThan(1e-15);
        expect(Math.abs((x * s.energyToWire * s.energyFromWire) / x - 1)).toBeLessThan(1e-15);
        expect(Math.abs((x * s.forceToWire * s.forceFromWire) / x - 1)).toBeLessThan(1e-15);
      }
    }
    const a = wireScales(IPI_UNITS), b = wireScales(ASE_UNITS);
    const rel = Math.abs(a.lengthToWire / b.lengthToWire - 1);
    expect(rel).toBeGreaterThan(1e-10);
    expect(rel).toBeLessThan(1e-6);
  });
});

describe('virial on the wire (asymmetric)', () => {
  const system: ParticleSystem = { n: 4, positions: POSITIONS, cell: Cell.fromRows(ROWS) };

  it('the test model is right: forces and virial match finite differences', () => {
    const r = fieldResult(system);
    expect(maxRelativeError(r.forces, numericalForces(fieldEnergy, system))).toBeLessThan(1e-8);
    expect(maxRelativeError(r.virial, numericalVirial(fieldEnergy, system))).toBeLessThan(1e-8);
    // Asymmetric enough that a transpose would be caught.
    expect(Math.abs(r.virial[1]! - r.virial[3]!)).toBeGreaterThan(0.5);
  });

  it('sends W_ij = Σ F_i r_j in atomic units (i-PI’s definition, same layout) and decodes it back untransposed', () => {
    for (const units of [IPI_UNITS, ASE_UNITS]) {
      const s = wireScales(units);
      const r = fieldResult(system);
      const bytes = encodeForceReady({ energy: r.energy, forces: r.forces, virial: r.virial }, { energy: s.energyToWire, force: s.forceToWire, virial: s.energyToWire });
      const m = decodeOne<ClientMessage>('client', bytes);
      if (m.type !== 'FORCEREADY') throw new Error('expected FORCEREADY');
      // The server's view: positions in bohr, forces in Ha/bohr; W from its own definition.
      const expected = new Float64Array(9);
      for (let a = 0; a < system.n; a++) {
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) expected[3 * i + j] += m.forces[3 * a + i]! * (POSITIONS[3 * a + j]! * s.lengthToWire);
        }
      }
      expect(maxRelativeError(m.virial, expected)).toBeLessThan(1e-14);
      expect(m.energy).toBeCloseTo(r.energy * s.energyToWire, 14);
      const back = forceResultFromWire(m, s, {});
      expect(maxRelativeError(back.virial, r.virial)).toBeLessThan(1e-15);
      expect(maxRelativeError(back.forces, r.forces)).toBeLessThan(1e-15);
      expect(back.energy).toBeCloseTo(r.energy, 13);
      expect(back.torques).toBeNull();
    }
  });
});

describe('cellFromWire with reused storage (the driver’s)', () => {
  const b = IPI_UNITS.bohrInAngstrom;
  const tilted = [10, 1, 2, 0, 11, 3, 0, 0, 12]; // columns = lattice vectors
  const singular = [10, 10, 0, 0, 0, 0, 0, 0, 0];

  it('returns the same cell object per kind, refilled, equal to a fresh conversion', () => {
    const scratch = createWireCellScratch();
    const a = cellFromWire(tilted, b, true, scratch);
    expect(a).toEqual(cellFromWire(tilted, b));
    const again = cellFromWire(tilted.map((x) => 2 * x), b, true, scratch);
    expect(again).toBe(a);
    expect(again).toEqual(cellFromWire(tilted.map((x) => 2 * x), b));
    const open = cellFromWire(new Float64Array(9), b, true, scratch);
    expect(open).toEqual(Cell.open());
    expect(cellFromWire(new Float64Array(9), b, true, scratch)).toBe(open);
    const framed = cellFromWire(singular, b, false, scratch);
    expect(framed).toEqual(cellFromWire(singular, b, false));
    expect(framed.pbc).toEqual([false, false, false]);
    const aperiodic = cellFromWire(tilted, b, false, scratch);
    expect(aperiodic).toBe(framed);
    expect(aperiodic).toEqual(cellFromWire(tilted, b, false));
    // Back to periodic: right values again, not the framed cell's.
    expect(cellFromWire(tilted, b, true, scratch)).toEqual(cellFromWire(tilted, b));
  });
});
