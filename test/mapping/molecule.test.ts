// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cell.js';
import { quatMultiply } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { MoleculeMapping, type MoleculeMappingOptions } from '../../src/mapping/molecule.js';
import { expectCode, expectFdMatch } from '../support/assertions.js';
import { randomRotation, rotateSystem, seededRandom } from '../support/random.js';
import {
  CUBIC_CELL,
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  groupBalanceErrors,
  jiggledSites,
  mappingFdErrors,
  quatDistance,
  randomEllipsoids,
  straddles,
} from '../support/toy-ellipsoid-potential.js';

const SEMI = [1.4, 0.9, 1.9, 1.0, 0.7, 1.5];
const toy = new ToyEllipsoidPotential();

const variants: Array<[string, MoleculeMappingOptions]> = [
  [
    '4 atoms, non-planar',
    { semiaxes: SEMI, masses: [12.011, 1.008, 15.999, 14.007], reference: [0, 0, 0, 1.05, 0.1, -0.3, -0.4, 1.2, 0.2, 0.3, -0.5, 1.1] },
  ],
  ['3 atoms, planar', { semiaxes: SEMI, masses: [15.999, 1.008, 1.008], reference: [0, 0, 0.12, 0.76, 0, -0.47, -0.76, 0, -0.47] }],
  [
    '6 atoms, uncentred reference',
    {
      semiaxes: SEMI,
      masses: [12, 12, 12, 1, 1, 16],
      reference: [3, 3, 3, 4.4, 3, 3, 3.7, 4.2, 3, 2.5, 2.2, 3.4, 5, 2.4, 2.6, 3.6, 5.2, 3.9],
    },
  ],
];

function makeSites(mapping: MoleculeMapping, cell: Cell, seed: number, m = 4): ParticleSystem {
  return jiggledSites(mapping, cell, seed, m, SEMI, 0.15);
}

describe('MoleculeMapping', () => {
  for (const [label, options] of variants) {
    const mapping = new MoleculeMapping(options);
    for (const [cellLabel, cell] of [['cubic', CUBIC_CELL], ['triclinic', TRICLINIC_CELL]] as const) {
      it(`exact site forces and virial (derivative of the best fit): ${label}, ${cellLabel}`, () => {
        const sites = makeSites(mapping, cell, 60 + label.length);
        expect(straddles(mapping, sites, 3)).toBe(true);
        expectFdMatch(mappingFdErrors(mapping, toy, sites), 1e-7, `molecule ${label} ${cellLabel}`);
      });
    }

    it(`site forces balance the centre force and torque: ${label}`, () => {
      const sites = makeSites(mapping, TRICLINIC_CELL, 8);
      const bal = groupBalanceErrors(mapping, toy, sites);
      expect(bal.force).toBeLessThan(1e-13);
      expect(bal.moment).toBeLessThan(1e-12);
    });

    it(`round trip and covariance: ${label}`, () => {
      const rand = seededRandom(3);
      const ells = randomEllipsoids(rand, CUBIC_CELL, 5, SEMI, 2);
      const back = mapping.forward(mapping.toSites(ells));
      for (let i = 0; i < ells.n; i++) {
        expect(quatDistance(back.orientations!, 4 * i, ells.orientations!, 4 * i)).toBeLessThan(1e-13);
        for (let d = 0; d < 3; d++) expect(back.positions[3 * i + d]).toBeCloseTo(ells.positions[3 * i + d]!, 12);
      }
      const sites = makeSites(mapping, TRICLINIC_CELL, 14);
      const a = mapping.forward(sites);
      const q = randomRotation(rand, 1.7);
      const c = mapping.forward(rotateSystem(sites, q));
      const rc = rotateSystem(a, q);
      const qq = new Float64Array(4);
      for (let i = 0; i < a.n; i++) {
        quatMultiply(qq, 0, q, 0, a.orientations!, 4 * i);
        expect(quatDistance(c.orientations!, 4 * i, qq, 0)).toBeLessThan(1e-13);
        for (let d = 0; d < 3; d++) expect(c.positions[3 * i + d]).toBeCloseTo(rc.positions[3 * i + d]!, 12);
      }
    });
  }

  it('the centre is the centre of mass and the body frame is the reference frame', () => {
    const mapping = new MoleculeMapping(variants[2]![1]);
    const body = mapping.bodySites();
    const masses = [12, 12, 12, 1, 1, 16];
    for (let d = 0; d < 3; d++) {
      let c = 0;
      for (let s = 0; s < 6; s++) c += masses[s]! * body[3 * s + d]!;
      expect(Math.abs(c)).toBeLessThan(1e-12);
    }
    // sites placed at the reference itself (identity rotation) map to q = 1
    const e = mapping.forward({ n: 6, positions: Float64Array.from(variants[2]![1].reference), cell: CUBIC_CELL });
    expect(quatDistance(e.orientations!, 0, [1, 0, 0, 0], 0)).toBeLessThan(1e-14);
  });

  it('rejects collinear references, degenerate atoms and misfit counts', () => {
    const mapping = new MoleculeMapping(variants[0]![1]);
    expectCode(
      () => new MoleculeMapping({ semiaxes: SEMI, masses: [1, 1, 1], reference: [0, 0, 0, 0, 0, 1, 0, 0, 2.5] }),
      'E_CONFIG',
      /collinear/,
    );
    expectCode(() => new MoleculeMapping({ semiaxes: SEMI, masses: [1, 1], reference: [0, 0, 0] }), 'E_CONFIG', /'reference' needs 6/);
    const sites = makeSites(mapping, CUBIC_CELL, 2, 3);
    const pos = Float64Array.from(sites.positions);
    for (let s = 5; s < 8; s++) pos.copyWithin(3 * s, 12, 15); // ellipsoid 1: all atoms on atom 4
    expectCode(() => mapping.forward({ ...sites, positions: pos }), 'E_MAPPING', /ellipsoid 1 .*no unique best-fit/);
    const pos2 = Float64Array.from(sites.positions); // ellipsoid 2: atoms on a line
    for (let s = 9; s < 12; s++) for (let d = 0; d < 3; d++) pos2[3 * s + d] = pos2[24 + d]! + 0.4 * (s - 8) * [1, 0.5, 0.2][d]!;
    expectCode(() => mapping.forward({ ...sites, positions: pos2 }), 'E_MAPPING', /ellipsoid 2/);
    expectCode(() => mapping.forward({ ...sites, n: 10, positions: new Float64Array(30) }), 'E_SIZE', /multiple of 4 sites.*got 10/);
  });
});
