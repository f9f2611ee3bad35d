// SPDX-License-Identifier: BSD-3-Clause
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Nematic } from '../../src/analysis/nematic.js';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import {
  DIMER_GEOMETRIES,
  canonicalDimer,
  gayBerneContactDistance,
  insertEllipsoids,
  labelWithGayBerne,
  minContactRatio,
} from '../../src/datasets/gay-berne-dataset.js';
import { expectCode } from '../support/assertions.js';
import { referencePath } from '../support/reference-data.js';

const GB_SEMI = [0.5, 0.5, 1.5];
const DATA = referencePath('gayberne/');

/**
 * Independent brute-force check: the smallest r / σ12 over every pair and every image with
 * |n_a|, |n_b|, |n_c| ≤ 2 (own images included), straight from gayBerneContactDistance.
 */
function bruteMinRatio(sys: ParticleSystem): number {
  const q = sys.orientations!, s = sys.semiaxes!, h = sys.cell.h;
  let best = Infinity;
  for (let i = 0; i < sys.n; i++) {
    for (let j = i; j < sys.n; j++) {
      for (let a = -2; a <= 2; a++) {
        for (let b = -2; b <= 2; b++) {
          for (let c = -2; c <= 2; c++) {
            if (i === j && a === 0 && b === 0 && c === 0) continue;
            const d = [0, 1, 2].map(
              (k) => sys.positions[3 * j + k]! - sys.positions[3 * i + k]! + a * h[k]! + b * h[3 + k]! + c * h[6 + k]!,
            );
            const r = Math.hypot(d[0]!, d[1]!, d[2]!);
            if (r > 3.5) continue;
            const sigma = gayBerneContactDistance(q.subarray(4 * i, 4 * i + 4), s.subarray(3 * i, 3 * i + 3), q.subarray(4 * j, 4 * j + 4), s.subarray(3 * j, 3 * j + 3), d);
            best = Math.min(best, r / sigma);
          }
        }
      }
    }
  }
  return best;
}

describe('gayBerneContactDistance', () => {
  it('gives the GB(3,5,2,1) contact distances of GAYBERNE.md §4', () => {
    const z = [1, 0, 0, 0]; // body z along lab z
    const x = [Math.SQRT1_2, 0, Math.SQRT1_2, 0]; // body z along lab x (90° about y)
    const y = [Math.SQRT1_2, -Math.SQRT1_2, 0, 0]; // body z along lab y (−90° about x)
    expect(gayBerneContactDistance(z, GB_SEMI, z, GB_SEMI, [1, 0, 0])).toBeCloseTo(1, 14); // side by side
    expect(gayBerneContactDistance(z, GB_SEMI, z, GB_SEMI, [0, 0, 2])).toBeCloseTo(3, 14); // end to end
    expect(gayBerneContactDistance(x, GB_SEMI, z, GB_SEMI, [1, 0, 0])).toBeCloseTo(Math.sqrt(5), 14); // T
    expect(gayBerneContactDistance(z, GB_SEMI, y, GB_SEMI, [1, 0, 0])).toBeCloseTo(1, 14); // cross
    expectCode(() => gayBerneContactDistance(z, GB_SEMI, z, GB_SEMI, [0, 0, 0]), 'E_ARG', /zero vector/);
  });
});

describe('insertEllipsoids', () => {
  it('places isotropic particles with no pair closer than f·σ12, at the requested density', () => {
    const c = insertEllipsoids({ n: 80, density: 0.15, semiaxes: GB_SEMI, seed: 11, overlapFactor: 0.95 });
    expect(c.n).toBe(80);
    expect(c.density).toBeCloseTo(0.15, 12);
    expect(Cell.volume(c.cell)).toBeCloseTo(80 / 0.15, 9);
    const ratio = bruteMinRatio(c);
    expect(ratio).toBeGreaterThanOrEqual(0.95);
    expect(ratio).toBeLessThan(1.2); // dense enough that some pairs are near contact
    expect(minContactRatio(c)).toBeCloseTo(ratio, 12);
    expect(new Nematic().compute(c.orientations).order).toBeLessThan(0.2);
    expect(c.director).toBeNull();
    for (let i = 0; i < c.n; i++) {
      const q = c.orientations.subarray(4 * i, 4 * i + 4);
      expect(Math.hypot(...q)).toBeCloseTo(1, 14);
    }
    expect(Array.from(c.semiaxes.subarray(0, 6))).toEqual([...GB_SEMI, ...GB_SEMI]);
  });

  it('honours every periodic image in a small triclinic cell (own images included)', () => {
    // Widths ≈ 3.3–3.8 < 2·c_max·f = 3: images beyond the nearest one matter.
    const cell = Cell.fromRows([4.0, 0, 0, 1.1, 3.6, 0, -0.7, 0.9, 3.5]);
    const c = insertEllipsoids({ n: 6, cell, semiaxes: GB_SEMI, seed: 3, overlapFactor: 1 });
    expect(c.cell).toBe(cell);
    const ratio = bruteMinRatio(c);
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(minContactRatio(c)).toBeCloseTo(ratio, 12);
  });

  it('biases orientations around a director (nematic) with a spread', () => {
    const c = insertEllipsoids({
      n: 100,
      density: 0.2,
      semiaxes: GB_SEMI,
      seed: 5,
      overlapFactor: 0.95,
      orientations: { kind: 'nematic', spread: 0.25, director: [1, 1, 0] },
      boxAspect: [1, 1, 2],
    });
    const nem = new Nematic().compute(c.orientations);
    expect(nem.order).toBeGreaterThan(0.75);
    const d = nem.director;
    expect(Math.abs(d[0]! * Math.SQRT1_2 + d[1]! * Math.SQRT1_2)).toBeGreaterThan(0.98);
    expect(Array.from(c.director!)).toEqual([Math.SQRT1_2, Math.SQRT1_2, 0].map((x) => x / Math.hypot(Math.SQRT1_2, Math.SQRT1_2)));
    const h = c.cell.h;
    expect(h[8]! / h[0]!).toBeCloseTo(2, 12);
    expect(bruteMinRatio(c)).toBeGreaterThanOrEqual(0.95);
    // Without a director one is drawn from the seed.
    const r = insertEllipsoids({ n: 30, density: 0.1, semiaxes: GB_SEMI, seed: 6, orientations: { kind: 'nematic', spread: 0.1 } });
    expect(Math.hypot(...r.director!)).toBeCloseTo(1, 14);
    expect(Math.abs(new Nematic().compute(r.orientations).director.reduce((a, x, k) => a + x * r.director![k]!, 0))).toBeGreaterThan(0.99);
  });

  it('is reproducible from the seed', () => {
    const opts = { n: 40, density: 0.1, semiaxes: GB_SEMI, overlapFactor: 0.9, orientations: { kind: 'nematic' as const, spread: 0.4 } };
    const a = insertEllipsoids({ ...opts, seed: 42 });
    const b = insertEllipsoids({ ...opts, seed: 42 });
    const c = insertEllipsoids({ ...opts, seed: 43 });
    expect(Array.from(b.positions)).toEqual(Array.from(a.positions));
    expect(Array.from(b.orientations)).toEqual(Array.from(a.orientations));
    expect(b.attempts).toBe(a.attempts);
    expect(Array.from(c.positions)).not.toEqual(Array.from(a.positions));
  });

  it('says so when the box is too full, and rejects bad options', () => {
    expectCode(
      () => insertEllipsoids({ n: 60, density: 0.5, semiaxes: GB_SEMI, seed: 1, maxAttempts: 200 }),
      'E_ARG',
      /could not place particle \d+ of 60 in 200 trials \(density 0\.5000, overlap factor 1, isotropic/,
    );
    const base = { n: 10, density: 0.1, semiaxes: GB_SEMI, seed: 1 };
    expectCode(() => insertEllipsoids({ ...base, n: 0 }), 'E_ARG', /n = 0/);
    expectCode(() => insertEllipsoids({ ...base, density: -1 }), 'E_ARG', /density = -1/);
    expectCode(() => insertEllipsoids({ ...base, semiaxes: [1, 1] }), 'E_ARG', /semiaxes must be 3/);
    expectCode(() => insertEllipsoids({ ...base, semiaxes: [1, 0, 1] }), 'E_ARG', /semiaxes\[1\] = 0/);
    expectCode(() => insertEllipsoids({ ...base, overlapFactor: 0 }), 'E_ARG', /overlapFactor = 0/);
    expectCode(() => insertEllipsoids({ ...base, cell: Cell.orthorhombic(5, 5, 5) }), 'E_ARG', /either density or cell/);
    expectCode(() => insertEllipsoids({ ...base, seed: -1 }), 'E_ARG', /seed/);
    expectCode(() => insertEllipsoids({ ...base, orientations: { kind: 'nematic', spread: -1 } }), 'E_ARG', /spread = -1/);
    expectCode(() => insertEllipsoids({ ...base, orientations: { kind: 'nematic', spread: 0.1, director: [0, 0, 0] } }), 'E_ARG', /director/);
    expectCode(() => insertEllipsoids({ ...base, orientations: { kind: 'smectic' } as never }), 'E_ARG', /'smectic'/);
  });
});

describe('labelWithGayBerne', () => {
  it('returns exactly what GayBerne computes, per-particle energies summing to the total', () => {
    const { gayBerne } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 0.5 });
    const c = insertEllipsoids({ n: 64, density: 0.2, semiaxes: GB_SEMI, seed: 9, overlapFactor: 0.92 });
    const labels = labelWithGayBerne(gayBerne, c);
    const ref = gayBerne.compute(c);
    expect(labels.energy).toBe(ref.energy);
    expect(Array.from(labels.forces)).toEqual(Array.from(ref.forces));
    expect(Array.from(labels.torques)).toEqual(Array.from(ref.torques!));
    expect(Array.from(labels.virial)).toEqual(Array.from(ref.virial));
    expect(labels.energies.length).toBe(64);
    expect(labels.energies.reduce((a, x) => a + x, 0)).toBeCloseTo(labels.energy, 10);
    expect(Number.isFinite(labels.energy)).toBe(true);
  });
});

describe('canonicalDimer', () => {
  const { gayBerne } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
  const rmin = 2 ** (1 / 6) - 1;

  it('has the well depths of GAYBERNE.md §4 at r_min', () => {
    const wells: Record<string, [number, number]> = {
      side_by_side: [1 + rmin, -5 / 3],
      end_to_end: [3 + rmin, -1 / 3],
      T_shape: [Math.sqrt(5) + rmin, -0.381966011250105],
      cross: [1 + rmin, -1],
    };
    for (const g of DIMER_GEOMETRIES) {
      const [r, u] = wells[g]!;
      expect(gayBerne.compute(canonicalDimer(g, r)).energy).toBeCloseTo(u, 12);
    }
  });

  it('reproduces the LAMMPS scans of gb_dimer_scans.csv (hard cutoff) to 1e-10', () => {
    const rows = readFileSync(`${DATA}gb_dimer_scans.csv`, 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(124);
    let worst = 0;
    for (const row of rows) {
      const [g, r, e] = row.split(',');
      const got = gayBerne.compute(canonicalDimer(g as never, Number(r))).energy;
      worst = Math.max(worst, Math.abs(got - Number(e)) / Math.max(1, Math.abs(Number(e))));
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('places particle 1 at +r r̂ in a 50³ box and rejects bad input', () => {
    const d = canonicalDimer('T_shape', 2.5, { box: 20 });
    expect(Array.from(d.positions)).toEqual([10, 10, 10, 12.5, 10, 10]);
    expect(d.cell.h[0]).toBe(20);
    expect(canonicalDimer('cross', 1).cell.h[4]).toBe(50);
    expectCode(() => canonicalDimer('L_shape' as never, 1), 'E_ARG', /'L_shape' is not one of side_by_side/);
    expectCode(() => canonicalDimer('cross', 0), 'E_ARG', /r = 0/);
    expectCode(() => canonicalDimer('cross', 30), 'E_ARG', /box = 50/);
  });
});
