// SPDX-License-Identifier: BSD-3-Clause
/**
 * Analytic limits of the order parameters and pair functions: perfect alignment, random
 * orientations (S2 → 0 as N^(−1/2) with the known finite-N bias), the ideal gas (g = 1 in a
 * triclinic cell), a perfectly layered lattice (smectic order 1, also rotated into a triclinic
 * cell), plus a brute-force check of the triclinic minimum-image pair counts.
 */
import { describe, expect, it } from 'vitest';
import { Nematic, PairCorrelation, Smectic } from '../../src/analysis/index.js';
import { Cell } from '../../src/core/cell.js';
import { quatFromAxisAngle, quatMultiply, quatRotate } from '../../src/core/quaternion.js';
import { expectCode } from '../support/assertions.js';
import { randomQuaternion, seededRandom } from '../support/random.js';

function randomQuaternions(n: number, rand: () => number): Float64Array {
  const q = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) q.set(randomQuaternion(rand), 4 * i);
  return q;
}

/** n quaternions whose body z is lab z (random spins). */
function aligned(n: number, rand: () => number): Float64Array {
  const q = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) quatFromAxisAngle(q, 4 * i, 0, 0, 1, 2 * Math.PI * rand());
  return q;
}

/** Uniform random positions in `cell` (fractional uniform → Cartesian). */
function uniformPositions(cell: Cell, n: number, rand: () => number): Float64Array {
  const p = new Float64Array(3 * n), s = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    s[0] = rand(); s[1] = rand(); s[2] = rand();
    Cell.toCartesian(cell, s, 0, p, 3 * i);
  }
  return p;
}

/** A skewed (triclinic) cell: a along x, b tilted in xy, c tilted in x and y. */
const TRICLINIC = Cell.fromRows([9, 0, 0, 2.5, 8.5, 0, -1.8, 2.2, 9.5]);

describe('nematic limits', () => {
  it('perfect alignment: S2 = 1, P4 = 1, S2_mid = 1, biaxiality 0', () => {
    const nem = new Nematic().compute(aligned(256, seededRandom(1)));
    expect(nem.order).toBeCloseTo(1, 14);
    expect(nem.p4).toBeCloseTo(1, 14);
    expect(nem.middleEstimator).toBeCloseTo(1, 14);
    expect(nem.biaxiality).toBeCloseTo(0, 14);
  });

  it('random orientations: S2 → 0 as 0.81/√N (finite-N bias), S2_mid and P4 → 0', () => {
    const rand = seededRandom(2);
    for (const n of [128, 512, 2048]) {
      const nem = new Nematic();
      let s2 = 0, mid = 0, p4 = 0;
      const samples = 200;
      for (let k = 0; k < samples; k++) {
        nem.compute(randomQuaternions(n, rand));
        s2 += nem.order / samples;
        mid += nem.middleEstimator / samples;
        p4 += nem.p4 / samples;
      }
      expect(Math.abs(s2 * Math.sqrt(n) - 0.81)).toBeLessThan(0.05);
      expect(Math.abs(mid)).toBeLessThan(2 / Math.sqrt(n) / Math.sqrt(samples) * 3 + 1e-3);
      expect(p4).toBeGreaterThan(0); // biased too (c = u·n with n fitted to the sample) …
      expect(p4).toBeLessThan(2 / Math.sqrt(n)); // … and → 0
    }
  });
});

describe('pair correlation limits', () => {
  it('ideal gas in a triclinic cell: g(r) = 1 within the counting noise in every bin', () => {
    const rand = seededRandom(3);
    const n = 400, frames = 40;
    const pc = new PairCorrelation({ rmax: 4, nbins: 20 });
    for (let f = 0; f < frames; f++) pc.compute({ positions: uniformPositions(TRICLINIC, n, rand), cell: TRICLINIC }, { reset: false });
    const g = pc.rdf, counts = pc.pairCounts;
    for (let b = 0; b < 20; b++) {
      // Poisson-like relative error 1/√count; 5σ.
      const sigma = 1 / Math.sqrt(Math.max(counts[b]!, 1));
      expect(Math.abs(g[b]! - 1), `bin ${b} (${counts[b]} pairs)`).toBeLessThan(5 * sigma);
    }
    // Over all bins together the mean is 1 to well under 1 %.
    const total = counts.reduce((a, x) => a + x, 0);
    const rmax = 4, vol = Cell.volume(TRICLINIC);
    const expected = (frames * n * (n - 1) / 2) * ((4 / 3) * Math.PI * rmax ** 3) / vol;
    expect(Math.abs(total / expected - 1)).toBeLessThan(0.005);
    // Without orientations g1, g2 are NaN.
    expect(Number.isNaN(pc.g2[10]!)).toBe(true);
  });

  it('aligned particles give g1 = g2 = 1; random orientations give g1, g2 ≈ 0', () => {
    const rand = seededRandom(4);
    const cell = Cell.orthorhombic(10, 10, 10);
    const positions = uniformPositions(cell, 300, rand);
    const pc = new PairCorrelation({ rmax: 5, nbins: 10 }).compute({ positions, cell, orientations: aligned(300, rand) });
    for (let b = 0; b < 10; b++) {
      expect(pc.g1[b]).toBeCloseTo(1, 12);
      expect(pc.g2[b]).toBeCloseTo(1, 12);
    }
    const pr = new PairCorrelation({ rmax: 5, nbins: 2 });
    for (let f = 0; f < 20; f++) pr.compute({ positions: uniformPositions(cell, 300, rand), cell, orientations: randomQuaternions(300, rand) }, { reset: false });
    for (const x of [...pr.g1, ...pr.g2]) expect(Math.abs(x)).toBeLessThan(0.02);
  });

  it('counts every pair once at its minimum-image distance in a triclinic cell (brute force over images)', () => {
    const rand = seededRandom(5);
    const n = 80;
    const positions = uniformPositions(TRICLINIC, n, rand);
    // Unwrap some positions by lattice vectors: the analysis must not care.
    for (let i = 0; i < n; i += 3) for (let d = 0; d < 3; d++) positions[3 * i + d]! += 2 * TRICLINIC.h[3 + d]! - TRICLINIC.h[6 + d]!;
    const w = Cell.widths(TRICLINIC);
    const rmax = 0.5 * Math.min(w[0]!, w[1]!, w[2]!);
    const nbins = 25;
    const pc = new PairCorrelation({ rmax, nbins }).compute({ positions, cell: TRICLINIC });
    const brute = new Float64Array(nbins);
    const h = TRICLINIC.h;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let best = Infinity;
        for (let a = -3; a <= 3; a++) for (let b = -3; b <= 3; b++) for (let c = -3; c <= 3; c++) {
          let r2 = 0;
          for (let d = 0; d < 3; d++) {
            const x = positions[3 * j + d]! - positions[3 * i + d]! + a * h[d]! + b * h[3 + d]! + c * h[6 + d]!;
            r2 += x * x;
          }
          best = Math.min(best, r2);
        }
        const r = Math.sqrt(best);
        if (r < rmax) brute[Math.floor((r / rmax) * nbins)]!++;
      }
    }
    expect(Array.from(pc.pairCounts)).toEqual(Array.from(brute));
    // Single frame: g = 2 n_pairs V / (N (N − 1) V_shell) with exact shells.
    const e = pc.binEdges, g = pc.rdf, V = Cell.volume(TRICLINIC);
    for (let b = 0; b < nbins; b++) {
      const shell = (4 / 3) * Math.PI * (e[b + 1]! ** 3 - e[b]! ** 3);
      expect(g[b]).toBeCloseTo((2 * brute[b]! * V) / (n * (n - 1) * shell), 12);
    }
  });

  it('refuses rmax beyond half the smallest width and non-periodic cells', () => {
    const pc = new PairCorrelation({ rmax: 5.1, nbins: 10 });
    expectCode(() => pc.compute({ positions: new Float64Array(6), cell: Cell.orthorhombic(10, 20, 20) }), 'E_CELL', /exceeds half the smallest cell width/);
    expectCode(() => pc.compute({ positions: new Float64Array(6), cell: Cell.open() }), 'E_CELL', /periodic in all three/);
    expectCode(() => new PairCorrelation({ rmax: 0, nbins: 10 }), 'E_ARG', /rmax/);
    expectCode(() => new PairCorrelation({ rmax: 1, nbins: 1.5 }), 'E_ARG', /nbins/);
    expectCode(() => pc.rdf, 'E_ARG', /not computed/);
  });
});

describe('smectic limits', () => {
  /** A layered lattice: `layers` planes z = (k + 0.5) d, random in-plane positions, axes along z. */
  function layered(rand: () => number, d: number, layers: number, perLayer: number) {
    const lx = 12, ly = 12;
    const cell = Cell.orthorhombic(lx, ly, layers * d);
    const n = layers * perLayer;
    const positions = new Float64Array(3 * n);
    for (let k = 0, i = 0; k < layers; k++) {
      for (let m = 0; m < perLayer; m++, i++) {
        positions[3 * i] = lx * rand(); positions[3 * i + 1] = ly * rand(); positions[3 * i + 2] = (k + 0.5) * d;
      }
    }
    return { cell, positions, orientations: aligned(n, rand), n };
  }

  it('a perfectly layered lattice gives τ = τ_pbc = 1 at the layer spacing', () => {
    const { cell, positions, orientations } = layered(seededRandom(6), 3, 4, 60);
    const n = new Nematic().compute(orientations).director;
    const sm = new Smectic({ dmin: 2, dmax: 5, nd: 301 }).compute(positions, n, cell);
    expect(sm.order).toBeCloseTo(1, 12);
    expect(sm.spacing).toBeCloseTo(3, 12);
    expect(sm.orderPbc).toBeCloseTo(1, 12);
    expect(sm.spacingPbc).toBeCloseTo(3, 12);
    // Only the layer spacing is near 1 on the grid: τ(d) falls off away from it.
    const prof = sm.profile, grid = sm.spacings;
    for (let k = 0; k < grid.length; k++) if (Math.abs(grid[k]! - 3) > 0.6) expect(prof[k]!).toBeLessThan(0.5);
  });

  it('stays 1 when the layered system and its cell are rotated (triclinic reciprocal lattice)', () => {
    const rand = seededRandom(7);
    const sys = layered(rand, 2.5, 5, 40);
    const g = randomQuaternion(rand);
    const positions = new Float64Array(sys.positions.length);
    for (let i = 0; i < sys.n; i++) quatRotate(positions, 3 * i, g, 0, sys.positions, 3 * i);
    const rows = new Float64Array(9);
    for (let v = 0; v < 3; v++) quatRotate(rows, 3 * v, g, 0, sys.cell.h, 3 * v);
    // Shear the cell along the layers (adds a to b: the same lattice, skewed basis).
    for (let d = 0; d < 3; d++) rows[3 + d]! += rows[d]!;
    const cell = Cell.fromRows(rows);
    const q = new Float64Array(4 * sys.n);
    for (let i = 0; i < sys.n; i++) quatMultiply(q, 4 * i, g, 0, sys.orientations, 4 * i);
    const n = new Nematic().compute(q).director;
    const sm = new Smectic({ dmin: 2, dmax: 4 }).compute(positions, n, cell);
    expect(sm.order).toBeCloseTo(1, 10);
    expect(sm.spacing).toBeCloseTo(2.5, 2);
    expect(sm.orderPbc).toBeCloseTo(1, 10);
    expect(sm.spacingPbc).toBeCloseTo(2.5, 10);
  });

  it('a uniform fluid gives noise-level τ ~ 1/√N; no allowed G gives τ_pbc = 0, NaN', () => {
    const rand = seededRandom(8);
    const cell = Cell.orthorhombic(10, 10, 10);
    const positions = uniformPositions(cell, 1000, rand);
    const sm = new Smectic({ dmin: 2, dmax: 5 }).compute(positions, [0, 0, 1], cell);
    expect(sm.order).toBeLessThan(0.15);
    expect(sm.orderPbc).toBeLessThan(0.15);
    // 2π/|G| along z is 10/l: none in [3.5, 4.5] within 25° (only l ≥ 3 reach 3.33 < 3.5, l = 2 gives 5).
    const none = new Smectic({ dmin: 3.5, dmax: 4.5, maxAngleDeg: 5 }).compute(positions, [0, 0, 1], cell);
    expect(none.orderPbc).toBe(0);
    expect(Number.isNaN(none.spacingPbc)).toBe(true);
    expect(none.reciprocalCount).toBe(0);
    // An open cell has no reciprocal lattice.
    const open = new Smectic({ dmin: 2, dmax: 5 }).compute(positions, [0, 0, 1], Cell.open());
    expect(open.orderPbc).toBe(0);
  });

  it('checks its options and inputs', () => {
    expectCode(() => new Smectic({ dmin: 0, dmax: 5 }), 'E_ARG', /dmin/);
    expectCode(() => new Smectic({ dmin: 3, dmax: 2 }), 'E_ARG', /dmin/);
    expectCode(() => new Smectic({ dmin: 2, dmax: 3, nd: 1 }), 'E_ARG', /nd = 1/);
    expectCode(() => new Smectic({ dmin: 2, dmax: 3, maxIndex: 0 }), 'E_ARG', /maxIndex/);
    expectCode(() => new Smectic({ dmin: 2, dmax: 3 }).compute([0, 0], [0, 0, 1]), 'E_SIZE', /multiple of 3/);
    expectCode(() => new Smectic({ dmin: 2, dmax: 3 }).compute([0, 0, 0], [0, 0, 0]), 'E_ARG', /director/);
    expectCode(() => new Smectic({ dmin: 2, dmax: 3 }).order, 'E_ARG', /not computed/);
    expect(new Smectic({ dmin: 2, dmax: 2, nd: 1 }).spacings).toEqual(Float64Array.of(2));
  });
});
