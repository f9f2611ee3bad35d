// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { quatRotate } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { expectCode, expectFdMatch } from '../support/assertions.js';
import { randomRotation, rotateSystem, seededRandom } from '../support/random.js';
import {
  CUBIC_CELL,
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  UNIAXIAL_TOY,
  bodyAxis,
  groupBalanceErrors,
  jiggledSites,
  mappingFdErrors,
  maxAbs,
  randomEllipsoids,
  straddles,
} from '../support/toy-ellipsoid-potential.js';

const SEMI = [0.9, 0.9, 1.7, 0.7, 0.7, 1.4];
const toy = new ToyEllipsoidPotential(UNIAXIAL_TOY);

function makeSites(mapping: DumbbellMapping, cell: Cell, seed: number, m = 5): ParticleSystem {
  return jiggledSites(mapping, cell, seed, m, SEMI, 0.15);
}

describe('DumbbellMapping', () => {
  const mapping = new DumbbellMapping({ semiaxes: SEMI, masses: [12, 16], length: 1.6 });

  for (const [label, cell] of [['cubic', CUBIC_CELL], ['triclinic', TRICLINIC_CELL]] as const) {
    it(`site forces and virial are exact derivatives of E(forward(sites)) (${label}, straddling groups)`, () => {
      const sites = makeSites(mapping, cell, 21);
      expect(straddles(mapping, sites, 3)).toBe(true);
      const err = mappingFdErrors(mapping, toy, sites);
      expectFdMatch(err, 1e-7, `dumbbell ${label}`);
      expect(err.energy).toBe(0);
    });
  }

  it('explicit groups give the same physics as the permuted consecutive layout', () => {
    const sites = makeSites(mapping, TRICLINIC_CELL, 3, 3);
    const perm = [4, 1, 5, 0, 3, 2]; // new site j holds old site perm[j]
    const groups: number[][] = [[], [], []];
    const pos = new Float64Array(18), types = new Int32Array(6);
    for (let j = 0; j < 6; j++) {
      const old = perm[j]!;
      pos.set(sites.positions.subarray(3 * old, 3 * old + 3), 3 * j);
      types[j] = sites.types![old]!;
      groups[Math.floor(old / 2)]![old % 2] = j;
    }
    const explicit = new DumbbellMapping({ semiaxes: SEMI, masses: [12, 16], groups });
    const psites = { ...sites, positions: pos, types };
    const a = mapping.forward(sites), b = explicit.forward(psites);
    expect(maxAbs(a.positions.map((x, k) => x - b.positions[k]!))).toBeLessThan(1e-14);
    expect(Array.from(b.types!)).toEqual(Array.from(a.types!));
    const ra = mapping.backward(sites, a, toy.compute(a));
    const rb = explicit.backward(psites, b, toy.compute(b));
    for (let j = 0; j < 6; j++) {
      for (let d = 0; d < 3; d++) expect(rb.forces[3 * j + d]).toBeCloseTo(ra.forces[3 * perm[j]! + d]!, 13);
    }
    expectFdMatch(mappingFdErrors(explicit, toy, psites), 1e-7);
    expect(explicit.siteCount(3)).toBe(6);
    expectCode(() => explicit.forward({ ...psites, n: 8, positions: new Float64Array(24) }), 'E_SIZE', /exactly 6 sites/);
  });

  it('site forces add up to the centre force and their moment to the torque', () => {
    const bal = groupBalanceErrors(mapping, toy, makeSites(mapping, CUBIC_CELL, 8));
    expect(bal.force).toBeLessThan(1e-13);
    expect(bal.moment).toBeLessThan(1e-13);
    expect(maxAbs(bal.result.torques!)).toBeGreaterThan(1e-2);
  });

  it('forward is translation invariant and rotates the axis with the system', () => {
    const rand = seededRandom(4);
    const sites = makeSites(mapping, TRICLINIC_CELL, 9);
    const a = mapping.forward(sites);
    const shift = [1.3, -2.2, 0.7];
    const moved = { ...sites, positions: sites.positions.map((x, k) => x + shift[k % 3]!) };
    const b = mapping.forward(moved);
    for (let i = 0; i < a.n; i++) {
      for (let d = 0; d < 3; d++) expect(b.positions[3 * i + d]).toBeCloseTo(a.positions[3 * i + d]! + shift[d]!, 12);
      for (let k = 0; k < 4; k++) expect(b.orientations![4 * i + k]).toBeCloseTo(a.orientations![4 * i + k]!, 12);
    }
    const q = randomRotation(rand, 1.1);
    const c = mapping.forward(rotateSystem(sites, q));
    const rc = rotateSystem(a, q);
    for (let i = 0; i < a.n; i++) {
      for (let d = 0; d < 3; d++) expect(c.positions[3 * i + d]).toBeCloseTo(rc.positions[3 * i + d]!, 12);
      // the spin is not defined by two sites: compare body z axes
      const uz = bodyAxis(a.orientations!, 4 * i, 2), cz = bodyAxis(c.orientations!, 4 * i, 2);
      const rot = new Float64Array(3);
      quatRotate(rot, 0, q, 0, uz, 0);
      for (let d = 0; d < 3; d++) expect(cz[d]).toBeCloseTo(rot[d]!, 12);
    }
  });

  it('round trip: ellipsoids → sites → ellipsoids keeps centres, axes, types and semi-axes', () => {
    const rand = seededRandom(31);
    const ells = randomEllipsoids(rand, TRICLINIC_CELL, 6, SEMI, 2);
    const back = mapping.forward(mapping.toSites(ells));
    for (let i = 0; i < ells.n; i++) {
      for (let d = 0; d < 3; d++) expect(back.positions[3 * i + d]).toBeCloseTo(ells.positions[3 * i + d]!, 12);
      const z0 = bodyAxis(ells.orientations!, 4 * i, 2), z1 = bodyAxis(back.orientations!, 4 * i, 2);
      for (let d = 0; d < 3; d++) expect(z1[d]).toBeCloseTo(z0[d]!, 12);
      expect(back.types![i]).toBe(ells.types![i]);
      for (let d = 0; d < 3; d++) expect(back.semiaxes![3 * i + d]).toBe(ells.semiaxes![3 * i + d]);
    }
    const body = mapping.bodySites()!;
    expect(body[5]! - body[2]!).toBeCloseTo(1.6, 14);
  });

  it('rejects coincident sites, misfit site counts and biaxial semi-axes', () => {
    const sites = makeSites(mapping, CUBIC_CELL, 2, 4);
    const pos = Float64Array.from(sites.positions);
    pos.copyWithin(15, 12, 15); // site 5 onto site 4: ellipsoid 2
    expectCode(() => mapping.forward({ ...sites, positions: pos }), 'E_MAPPING', /ellipsoid 2 .*coincident/);
    expectCode(() => mapping.forward({ ...sites, n: 7, positions: new Float64Array(21) }), 'E_SIZE', /multiple of 2 sites.*got 7/);
    expectCode(() => new DumbbellMapping({ semiaxes: [1, 1.2, 2] }), 'E_CONFIG', /uniaxial/);
    expectCode(() => new DumbbellMapping({ semiaxes: [1, 1, 2], masses: [1, -1] }), 'E_CONFIG', /masses\[1\]/);
    expectCode(() => new DumbbellMapping({ semiaxes: [1, 1, 2], groups: [[0, 1], [1, 2]] }), 'E_CONFIG', /site 1 appears/);
    expectCode(() => new DumbbellMapping({ semiaxes: [1, 1, 2] }).toSites(mapping.forward(sites)), 'E_CONFIG', /site geometry/);
  });
});
