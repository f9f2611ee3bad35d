// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { IdentityMapping } from '../../src/mapping/identity.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { expectFdMatch } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';
import {
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  mappingFdErrors,
  randomEllipsoids,
} from '../support/toy-ellipsoid-potential.js';

describe('IdentityMapping', () => {
  it('passes point particles through unchanged', () => {
    const mapping = new IdentityMapping();
    const sites = mapping.toSites(randomEllipsoids(seededRandom(1), TRICLINIC_CELL, 4, [1, 1, 1]));
    const ells = mapping.forward(sites);
    expect(ells.orientations).toBeUndefined();
    expect(ells.positions).toBe(sites.positions);
    const provider = new HarmonicRestraint({ bonds: [{ i: 0, j: 3, k: 2, d0: 1 }, { i: 1, j: 2, k: 1, d0: 3 }] });
    const r = provider.compute(ells);
    const back = mapping.backward(sites, ells, r);
    expect(Array.from(back.forces)).toEqual(Array.from(r.forces));
    expect(Array.from(back.virial)).toEqual(Array.from(r.virial));
    expect(back.forces).not.toBe(r.forces);
    expectFdMatch(mappingFdErrors(mapping, provider, sites), 1e-7);
    expect(mapping.ellipsoidCount(7)).toBe(7);
    expect(mapping.siteCount(7)).toBe(7);
  });

  it('with semi-axes: fixed identity orientations, torques dropped, site derivatives exact', () => {
    const mapping = new IdentityMapping({ semiaxes: [1.2, 0.8, 1.5, 0.9, 0.9, 1.1] });
    const ref = randomEllipsoids(seededRandom(2), TRICLINIC_CELL, 5, [1, 1, 1], 2);
    const sites = mapping.toSites(ref);
    const ells = mapping.forward(sites);
    expect(Array.from(ells.orientations!.subarray(0, 8))).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(ells.semiaxes!.subarray(3, 6))).toEqual([0.9, 0.9, 1.1]);
    expectFdMatch(mappingFdErrors(mapping, new ToyEllipsoidPotential(), sites), 1e-7, 'identity+semiaxes');
    expect(mapping.backward(sites, ells, new ToyEllipsoidPotential().compute(ells)).torques).toBeNull();
    try {
      mapping.forward({ ...sites, types: Int32Array.of(0, 1, 2, 0, 1) });
      throw new Error('expected an error');
    } catch (e) {
      expect((e as AnisoError).code).toBe('E_CONFIG');
      expect((e as Error).message).toMatch(/particle 2 has type 2/);
    }
  });
});
