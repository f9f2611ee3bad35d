// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { REAL_UNITS } from '../../src/mapping/mapping-entry.js';
import { mappingFromParams, type MappingParams } from '../../src/mapping/registry.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { MappedProvider } from '../../src/mapping/mapped-provider.js';
import { MoleculeMapping } from '../../src/mapping/molecule.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { SumProvider } from '../../src/potentials/sum-provider.js';
import { expectFdMatch } from '../support/assertions.js';
import { fdErrors } from '../support/finite-difference.js';
import { jiggle, seededRandom } from '../support/random.js';
import {
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  randomEllipsoids,
  wrapped,
} from '../support/toy-ellipsoid-potential.js';

describe('MappedProvider', () => {
  it('is forward → compute → backward, named after the inner provider, carrying extras', () => {
    const mapping = new TriadMapping({ semiaxes: [1.2, 0.7, 1.6], geometry: [0, 0, 0, 0, 0, 1.4, 0.9, 0, 0.3] });
    const toy = new ToyEllipsoidPotential({}, 'gb');
    const provider = new MappedProvider(mapping, toy);
    expect(provider.name).toBe('gb');
    const rand = seededRandom(9);
    const sites = wrapped(mapping.toSites(randomEllipsoids(rand, TRICLINIC_CELL, 4, [1, 1, 1])));
    jiggle(rand, sites.positions as Float64Array, 0.1);
    const r = provider.compute(sites);
    const ells = mapping.forward(sites);
    const ref = mapping.backward(sites, ells, toy.compute(ells));
    expect(Array.from(r.forces)).toEqual(Array.from(ref.forces));
    expect(r.extras).toEqual({ toyPairs: 6 });
    expect(r.torques).toBeNull();
  });

  it('a mapped potential plus a rigidity restraint is exact on the sites (FD)', () => {
    const rand = seededRandom(10);
    for (const mapping of [
      new DumbbellMapping({ semiaxes: [0.8, 0.8, 1.5], length: 1.3, masses: [2, 1] }),
      new TriadMapping({ semiaxes: [1.2, 0.7, 1.6], geometry: [0, 0, 0, 0, 0, 1.4, 0.9, 0, 0.3] }),
      new MoleculeMapping({ semiaxes: [1.2, 0.7, 1.6], masses: [12, 1, 1, 16], reference: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0.2, 0.3, 1.1] }),
    ]) {
      const inner = new ToyEllipsoidPotential(mapping.kind === 'dumbbell' ? { e: 0, f: 0, h: 0 } : {});
      const m = 4;
      const sites = mapping.toSites(randomEllipsoids(rand, TRICLINIC_CELL, m, [1, 1, 1]));
      jiggle(rand, sites.positions as Float64Array, 0.1);
      const total = new SumProvider([new MappedProvider(mapping, inner), HarmonicRestraint.forMapping(mapping, sites.n, 4)]);
      for (const sys of [wrapped(sites), { ...sites, cell: Cell.open() }]) {
        const err = fdErrors(total, sys);
        expectFdMatch(err, 1e-7, `mapped ${mapping.kind} + restraint (${sys.cell.pbc[0] ? 'periodic' : 'open'})`);
        expect(Object.keys(err.result.extras.energies as object)).toEqual(['toy', 'restraint']);
      }
    }
  });

  it('mappingFromParams builds every kind and rejects unknown ones', () => {
    const build = (p: unknown) => mappingFromParams(p as MappingParams, { scales: REAL_UNITS });
    expect(build({ kind: 'identity' }).kind).toBe('identity');
    expect(build({ kind: 'dumbbell', semiaxes: [1, 1, 2] }).sitesPerEllipsoid).toBe(2);
    expect(build({ kind: 'triad', semiaxes: [1, 1, 2] }).sitesPerEllipsoid).toBe(3);
    expect(build({ kind: 'molecule', semiaxes: [1, 1, 2], masses: [1, 1, 1, 1], reference: [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]] }).sitesPerEllipsoid).toBe(4);
    try {
      build({ kind: 'quad' });
      throw new Error('expected an error');
    } catch (e) {
      expect((e as AnisoError).code).toBe('E_CONFIG');
      expect((e as Error).message).toMatch(/unknown mapping kind 'quad'; allowed: identity, dumbbell, triad, molecule/);
    }
  });
});
