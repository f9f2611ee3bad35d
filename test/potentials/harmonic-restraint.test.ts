// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { IdentityMapping } from '../../src/mapping/identity.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { expectCode, expectFdMatch } from '../support/assertions.js';
import { fdErrors } from '../support/finite-difference.js';
import { jiggle, seededRandom } from '../support/random.js';
import {
  CUBIC_CELL,
  TRICLINIC_CELL,
  maxAbs,
  randomEllipsoids,
  wrapped,
} from '../support/toy-ellipsoid-potential.js';

/** 8 sites in clusters around a cell corner, wrapped, so restrained pairs straddle the boundary. */
function cornerSites(cell: Cell, seed: number): ParticleSystem {
  const rand = seededRandom(seed);
  const positions = new Float64Array(24);
  for (let k = 0; k < 24; k++) positions[k] = 1.6 * (rand() - 0.5);
  const sites = { n: 8, positions, cell };
  return Cell.isPeriodic(cell) ? wrapped(sites) : sites;
}

const restraint = new HarmonicRestraint({
  name: 'r',
  bonds: [
    { i: 0, j: 1, k: 3.0, d0: 1.1 },
    { i: 1, j: 2, k: 1.5, d0: 0.4 },
    { i: 3, j: 7, k: 2.2, d0: 0 },
    { i: 5, j: 4, k: 0.7, d0: 1.9 },
  ],
  angles: [
    { i: 0, vertex: 1, j: 2, k: 0.8, theta0: 1.9 },
    { i: 6, vertex: 5, j: 3, k: 1.3, theta0: 0.7 },
    { i: 2, vertex: 7, j: 4, k: 0.5, theta0: 3.0 },
  ],
});

describe('HarmonicRestraint', () => {
  for (const [label, cell] of [['cubic', CUBIC_CELL], ['triclinic', TRICLINIC_CELL], ['open', Cell.open()]] as const) {
    it(`bond and angle forces and virial match central differences (${label})`, () => {
      const err = fdErrors(restraint, cornerSites(cell, 17));
      expectFdMatch(err, 1e-7, `restraint ${label}`);
      expect(err.result.torques).toBeNull();
      expect(maxAbs(err.result.forces)).toBeGreaterThan(0.1);
    });
  }

  it('uses the minimum image: E = ½ k (d − d0)² across the boundary', () => {
    const cell = Cell.orthorhombic(10, 10, 10);
    const sites: ParticleSystem = { n: 2, positions: Float64Array.of(0.2, 5, 5, 9.6, 5, 5), cell };
    const r = new HarmonicRestraint({ bonds: [{ i: 0, j: 1, k: 2, d0: 0.5 }] }).compute(sites);
    expect(r.energy).toBeCloseTo(0.5 * 2 * 0.1 * 0.1, 14);
    expect(r.forces[0]).toBeCloseTo(-2 * 0.1, 13); // site 0 pulled towards −x (its image partner at −0.4)
    expect(r.forces[3]).toBeCloseTo(2 * 0.1, 13);
  });

  it('forMapping: one bond per dumbbell, a rigid triangle per triad, zero at the reference geometry', () => {
    const dumbbell = new DumbbellMapping({ semiaxes: [1, 1, 2], masses: [1, 3], length: 1.4 });
    const rd = HarmonicRestraint.forMapping(dumbbell, 8, 5);
    expect(rd.bondCount).toBe(4);
    const triad = new TriadMapping({ semiaxes: [1, 1, 2], geometry: [0, 0, 0, 0, 0, 1.5, 1.0, 0, 0.5] });
    const rt = HarmonicRestraint.forMapping(triad, 9, 5, 'rigid');
    expect(rt.bondCount).toBe(9);
    expect(rt.name).toBe('rigid');
    const rand = seededRandom(5);
    for (const [mapping, r, m] of [[dumbbell, rd, 4], [triad, rt, 3]] as const) {
      const sites = wrapped(mapping.toSites(randomEllipsoids(rand, TRICLINIC_CELL, m, [1, 1, 2])));
      const res = r.compute(sites);
      expect(res.energy).toBeLessThan(1e-26);
      expect(maxAbs(res.forces)).toBeLessThan(1e-12);
      jiggle(rand, sites.positions as Float64Array, 0.1);
      const err = fdErrors(r, sites);
      expect(err.result.energy).toBeGreaterThan(1e-4);
      expectFdMatch(err, 1e-7);
    }
    // triangle sides from the geometry
    const sites = triad.toSites(randomEllipsoids(rand, CUBIC_CELL, 1, [1, 1, 2]));
    const p = sites.positions;
    const d = (a: number, b: number) => Math.hypot(p[3 * a]! - p[3 * b]!, p[3 * a + 1]! - p[3 * b + 1]!, p[3 * a + 2]! - p[3 * b + 2]!);
    expect(d(0, 1)).toBeCloseTo(1.5, 13);
    expect(d(0, 2)).toBeCloseTo(Math.hypot(1, 0.5), 13);
    expect(d(1, 2)).toBeCloseTo(Math.hypot(1, 1), 13);
  });

  it('rejects bad bonds, angles, indices and mappings without geometry', () => {
    expectCode(() => new HarmonicRestraint({ bonds: [{ i: 0, j: 0, k: 1, d0: 1 }] }), 'E_CONFIG', /bond 0 joins site 0 to itself/);
    expectCode(() => new HarmonicRestraint({ bonds: [{ i: 0, j: 1, k: -1, d0: 1 }] }), 'E_CONFIG', /bond 0 k = -1 eV\/Å²/);
    expectCode(() => new HarmonicRestraint({ bonds: [{ i: 0, j: 1.5, k: 1, d0: 1 }] }), 'E_CONFIG', /bond 0 j = 1.5/);
    expectCode(() => new HarmonicRestraint({ angles: [{ i: 0, vertex: 1, j: 2, k: 1, theta0: 4 }] }), 'E_CONFIG', /theta0 = 4/);
    const r = new HarmonicRestraint({ bonds: [{ i: 0, j: 9, k: 1, d0: 1 }] });
    expectCode(() => r.compute({ n: 4, positions: new Float64Array(12), cell: CUBIC_CELL }), 'E_SIZE', /site 9.*4 sites/);
    expectCode(() => HarmonicRestraint.forMapping(new DumbbellMapping({ semiaxes: [1, 1, 2] }), 4, 1), 'E_CONFIG', /length/);
    expectCode(() => HarmonicRestraint.forMapping(new TriadMapping({ semiaxes: [1, 1, 2] }), 6, 1), 'E_CONFIG', /geometry/);
    expectCode(() => HarmonicRestraint.forMapping(new IdentityMapping(), 6, 1), 'E_ARG', /nothing to bond/);
    const dumbbell = new DumbbellMapping({ semiaxes: [1, 1, 2], length: 1 });
    expectCode(() => HarmonicRestraint.forMapping(dumbbell, 5, 1), 'E_SIZE', /multiple of 2/);
  });
});
