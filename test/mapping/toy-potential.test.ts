// SPDX-License-Identifier: BSD-3-Clause
// The toy ellipsoid potential used by every mapping test must itself be exact: check it first.
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { expectFdMatch } from '../support/assertions.js';
import { fdErrors } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';
import {
  CUBIC_CELL,
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  UNIAXIAL_TOY,
  randomEllipsoids,
} from '../support/toy-ellipsoid-potential.js';

const cells = { cubic: CUBIC_CELL, triclinic: TRICLINIC_CELL, open: Cell.open() };

describe('toy ellipsoid potential (test support)', () => {
  for (const [label, cell] of Object.entries(cells)) {
    it(`forces, torques and virial match central differences (${label})`, () => {
      const rand = seededRandom(11);
      const sys = randomEllipsoids(rand, cell, 4, [1.2, 0.8, 1.6, 0.9, 0.9, 1.4], 2);
      const toy = new ToyEllipsoidPotential();
      const err = fdErrors(toy, sys, { torques: true });
      expectFdMatch(err, 1e-8);
      const r = err.result;
      expect(Math.max(...Array.from(r.forces, Math.abs))).toBeGreaterThan(1e-3);
      expect(Math.max(...Array.from(r.torques!, Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it('the uniaxial parameter set is invariant under spin about body z', () => {
    const rand = seededRandom(5);
    const sys = randomEllipsoids(rand, CUBIC_CELL, 3, [1, 1, 1.5]);
    const toy = new ToyEllipsoidPotential(UNIAXIAL_TOY);
    const r = toy.compute(sys);
    // τ·u = 0 for every particle
    const m = new Float64Array(9);
    for (let i = 0; i < sys.n; i++) {
      const q = sys.orientations!;
      const w = q[4 * i]!, x = q[4 * i + 1]!, y = q[4 * i + 2]!, z = q[4 * i + 3]!;
      m[2] = 2 * (x * z + w * y); m[5] = 2 * (y * z - w * x); m[8] = w * w - x * x - y * y + z * z;
      const tu = r.torques![3 * i]! * m[2]! + r.torques![3 * i + 1]! * m[5]! + r.torques![3 * i + 2]! * m[8]!;
      expect(Math.abs(tu)).toBeLessThan(1e-13);
    }
  });
});
