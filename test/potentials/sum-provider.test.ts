// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import type { ForceProvider } from '../../src/core/system.js';
import { emptyForceResult } from '../../src/core/system.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { SumProvider } from '../../src/potentials/sum-provider.js';
import { expectCode, expectFdMatch } from '../support/assertions.js';
import { fdErrors } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';
import {
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  UNIAXIAL_TOY,
  maxAbs,
  randomEllipsoids,
} from '../support/toy-ellipsoid-potential.js';

const fixed = (name: string, n: number, energy: number, torques: boolean, extras: Record<string, unknown> = {}): ForceProvider => ({
  name,
  compute: () => {
    const r = emptyForceResult(n, torques);
    r.energy = energy;
    r.forces.fill(energy);
    r.torques?.fill(2 * energy);
    r.virial.fill(-energy);
    r.extras = extras;
    return r;
  },
});

describe('SumProvider', () => {
  it('sums energies, forces, torques and virials exactly (FD on ellipsoids)', () => {
    const sys = randomEllipsoids(seededRandom(8), TRICLINIC_CELL, 4, [1.2, 0.8, 1.6]);
    const bonds = new HarmonicRestraint({ bonds: [{ i: 0, j: 2, k: 1.2, d0: 2.0 }, { i: 1, j: 3, k: 0.6, d0: 1.0 }] });
    const sum = new SumProvider([new ToyEllipsoidPotential(), new ToyEllipsoidPotential({ ...UNIAXIAL_TOY, A: -0.3, s: 1.3 }), bonds]);
    const err = fdErrors(sum, sys, { torques: true });
    expectFdMatch(err, 1e-7, 'sum');
    const r = err.result;
    const energies = r.extras.energies as Record<string, number>;
    expect(Object.keys(energies)).toEqual(['toy', 'toy#2', 'restraint']);
    expect(energies.toy! + energies['toy#2']! + energies.restraint!).toBeCloseTo(r.energy, 14);
    expect((r.extras.terms as Record<string, unknown>)['toy#2']).toEqual({ toyPairs: 6 });
    expect(maxAbs(r.torques!)).toBeGreaterThan(1e-2);
  });

  it('makes duplicate names unique in order and keeps torques null when no term has any', () => {
    const sum = new SumProvider([fixed('a', 2, 1, false), fixed('a', 2, 2, false), fixed('a#2', 2, 4, false), fixed('a', 2, 8, false)], 'total');
    expect(sum.name).toBe('total');
    expect(sum.termNames).toEqual(['a', 'a#2', 'a#2#2', 'a#3']);
    const r = sum.compute({ n: 2, positions: new Float64Array(6), cell: TRICLINIC_CELL });
    expect(r.energy).toBe(15);
    expect(r.torques).toBeNull();
    expect(Array.from(r.forces)).toEqual(new Array(6).fill(15));
    expect(Array.from(r.virial)).toEqual(new Array(9).fill(-15));
    expect(r.extras).toEqual({ energies: { a: 1, 'a#2': 2, 'a#2#2': 4, 'a#3': 8 } });
  });

  it('treats a term without torques as zero torque', () => {
    const r = new SumProvider([fixed('p', 3, 1, false), fixed('e', 3, 3, true)]).compute({ n: 3, positions: new Float64Array(9), cell: TRICLINIC_CELL });
    expect(Array.from(r.torques!)).toEqual(new Array(9).fill(6));
  });

  it('rejects mismatched sizes, naming the term, and an empty sum', () => {
    const sys = { n: 3, positions: new Float64Array(9), cell: TRICLINIC_CELL };
    expectCode(() => new SumProvider([fixed('ok', 3, 1, false), fixed('short', 2, 1, false)]).compute(sys), 'E_SIZE', /'short' returned 6 force components, expected 9/);
    const badTorques: ForceProvider = { name: 'bt', compute: () => ({ ...emptyForceResult(3, false), torques: new Float64Array(3) }) };
    expectCode(() => new SumProvider([badTorques]).compute(sys), 'E_SIZE', /'bt' returned 3 torque components/);
    const badVirial: ForceProvider = { name: 'bv', compute: () => ({ ...emptyForceResult(3, false), virial: new Float64Array(6) }) };
    expectCode(() => new SumProvider([badVirial]).compute(sys), 'E_SIZE', /'bv' returned a virial of length 6/);
    expectCode(() => new SumProvider([]), 'E_ARG', /at least one term/);
  });
});
