// SPDX-License-Identifier: BSD-3-Clause
/**
 * Bad input to the coarse-grainer (`src/mapping/coarse-grain.ts`) and to the molecule definition
 * (`src/mapping/molecule-definition.ts`): each refusal names the frame, the molecule, the atom and
 * the value (the deviation in Å for a distorted molecule); frames without forces give ellipsoids
 * without forces and torques; molecule ids are checked and carried.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import type { Frame } from '../../src/io/frame.js';
import { CoarseGrainer, type AtomisticFrame } from '../../src/mapping/coarse-grain.js';
import { checkMoleculeDefinition, type MoleculeDefinition } from '../../src/mapping/molecule-definition.js';
import { expectCode } from '../support/assertions.js';
import { BENZENE_AA, benzeneDefinition, framesOf } from '../support/benzene.js';

let frame: Frame;
beforeAll(async () => {
  frame = (await framesOf(BENZENE_AA, (f) => f.index === 3))[0]!;
});

/** Frame 3 of the benzene file with some fields replaced. */
function variant(changes: Partial<AtomisticFrame> = {}): AtomisticFrame {
  return {
    positions: Float64Array.from(frame.positions),
    cell: frame.cell,
    species: [...frame.species],
    forces: frame.forces!,
    molecules: frame.molecules!,
    ...changes,
  };
}

const grainer = () => new CoarseGrainer(benzeneDefinition());

/** The deviation (Å) and atom named by a tolerance error. */
function namedDeviation(fn: () => unknown): { atom: number; deviation: number; rms: number } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    expect((e as AnisoError).code).toBe('E_MAPPING');
    const m = /molecule 17 \(sites 204–215\): atom (\d+) \([CH]\) is ([0-9.e+-]+) Å from the best-fit benzene geometry \(rms over the molecule ([0-9.e+-]+) Å\), tolerance/.exec((e as Error).message);
    expect(m, (e as Error).message).not.toBeNull();
    return { atom: Number(m![1]), deviation: Number(m![2]), rms: Number(m![3]) };
  }
  throw new Error('expected an error');
}

describe('coarse-grain: bad frames', () => {
  it('an atom count that is not a multiple of the molecule size', () => {
    const f = variant();
    expectCode(() => grainer().map({ ...f, positions: f.positions.subarray(0, 3 * 2591), species: f.species.slice(0, 2591), forces: null, molecules: null }, 3, 'aa.extxyz:7783'),
      'E_MAPPING', /^frame 3 \(aa\.extxyz:7783\): 2591 atoms is not a positive multiple of 12 \(atoms per benzene molecule\)/);
    expectCode(() => grainer().map({ ...f, positions: new Float64Array(0), species: [], forces: null, molecules: null }, 0), 'E_MAPPING', /0 atoms/);
  });

  it('species out of order names the frame, molecule, atom and both species', () => {
    const species = [...frame.species];
    [species[17 * 12 + 4], species[17 * 12 + 6]] = [species[17 * 12 + 6]!, species[17 * 12 + 4]!];
    expectCode(() => grainer().map(variant({ species }), 3), 'E_MAPPING', /^frame 3, molecule 17: atom 4 \(site 208\) is H, the molecule definition expects C/);
  });

  it('a distorted molecule names the largest deviation (Å), the atom and the tolerance', () => {
    for (const shift of [0.3, 0.05]) {
      const positions = Float64Array.from(frame.positions);
      positions[3 * (17 * 12 + 4) + 2]! += shift;
      const named = namedDeviation(() => grainer().map(variant({ positions }), 3));
      expect(named.atom).toBe(4);
      // The fit absorbs part of the shift (translation by m_C/M and some rotation): the residual lies below it, well above the tolerance.
      expect(named.deviation).toBeLessThan(shift);
      expect(named.deviation).toBeGreaterThan(0.5 * shift);
      expect(named.rms).toBeLessThan(named.deviation);
    }
  });

  it('the tolerance decides: a 0.005 Å shift passes at 0.01 Å; the rounding of the file (~1e-8 Å) fails at 1e-9 Å', () => {
    const positions = Float64Array.from(frame.positions);
    positions[3 * (17 * 12 + 4)]! += 0.005;
    const out = grainer().map(variant({ positions }), 3);
    expect(out.maxDeviation).toBeGreaterThan(0.002);
    expect(out.maxDeviation).toBeLessThan(0.01);
    const strict = new CoarseGrainer(benzeneDefinition({ tolerance: 1e-9 }));
    expectCode(() => strict.map(variant(), 3), 'E_MAPPING', /^frame 3, molecule 0 \(sites 0–11\): atom \d+ \([CH]\) is [0-9.]+e-[89] Å .*tolerance 1e-9 Å/);
  });

  it('a non-finite position or force names the atom and the unit', () => {
    const positions = Float64Array.from(frame.positions);
    positions[3 * 30 + 1] = NaN;
    expectCode(() => grainer().map(variant({ positions }), 3), 'E_MAPPING', /^frame 3, molecule 2: position y of atom 6 \(site 30\) is NaN Å/);
    const forces = Float64Array.from(frame.forces!);
    forces[3 * 13] = Infinity;
    expectCode(() => grainer().map(variant({ forces }), 3), 'E_MAPPING', /^frame 3, molecule 1: force x on atom 1 \(site 13\) is Infinity eV\/Å/);
  });

  it('without forces: ellipsoids without forces and torques (and no virial)', () => {
    const withForces = grainer().map(variant(), 3);
    const without = grainer().map(variant({ forces: null, virial: new Float64Array(9).fill(1) }), 3);
    expect(without.forces).toBeUndefined();
    expect(without.torques).toBeUndefined();
    expect(without.virial).toBeUndefined();
    expect(Array.from(without.orientations)).toEqual(Array.from(withForces.orientations));
    expect(Array.from(without.positions)).toEqual(Array.from(withForces.positions));
  });

  it('molecule ids must agree with the k-at-a-time layout; they are carried to the ellipsoids', () => {
    const ids = Int32Array.from(frame.molecules!, (id) => id + 100);
    expect(Array.from(grainer().map(variant({ molecules: ids }), 3).molecules.subarray(0, 3))).toEqual([100, 101, 102]);
    expect(Array.from(grainer().map(variant({ molecules: null }), 3).molecules.subarray(0, 3))).toEqual([0, 1, 2]);
    const mixed = Int32Array.from(frame.molecules!);
    mixed[5 * 12 + 7] = 6;
    expectCode(() => grainer().map(variant({ molecules: mixed }), 3), 'E_MAPPING', /^frame 3, molecule 5: atom 7 \(site 67\) has molecule id 6, atom 0 has 5/);
    const repeated = Int32Array.from(frame.molecules!);
    repeated.fill(2, 9 * 12, 10 * 12);
    expectCode(() => grainer().map(variant({ molecules: repeated }), 3), 'E_MAPPING', /^frame 3, molecule 9: molecule id 2 is already that of molecule 2 \(sites 24–35\)/);
  });

  it('arrays of the wrong length are E_SIZE', () => {
    expectCode(() => grainer().map(variant({ forces: new Float64Array(5) }), 3), 'E_SIZE', /forces have length 5, expected 3·2592/);
  });
});

describe('molecule definition checks (library)', () => {
  const cases: Array<[string, Partial<MoleculeDefinition>, RegExp]> = [
    ['one atom', { species: ['C'], masses: [12], coordinates: [0, 0, 0] }, /needs at least 2 atoms \(species has 1\)/],
    ['masses count', { masses: [12.011, 12.011] }, /masses has 2 entries \(amu\), species has 12/],
    ['a bad mass', { masses: [...benzeneDefinition().masses].map((m, s) => (s === 7 ? -1 : m)) }, /masses\[7\] = -1 amu, must be finite and > 0/],
    ['coordinates count', { coordinates: [0, 0, 0, 1, 0, 0] }, /coordinates has 2 atoms \(x, y, z in Å\), species has 12/],
    ['a non-finite coordinate', { coordinates: Array.from(benzeneDefinition().coordinates, (x, j) => (j === 10 ? NaN : x)) }, /coordinates\[3\]\[1\] = NaN Å is not finite/],
    ['uniaxial with a ≠ b', { semiaxes: [2, 1.5, 0.25] }, /symmetry 'uniaxial' needs semiaxes\[0\] = semiaxes\[1\].*got 2 and 1.5 Å/],
    ['a zero semi-axis', { semiaxes: [2, 2, 0], symmetry: 'biaxial' }, /semiaxes\[2\] = 0 Å, must be finite and > 0/],
    ['a negative tolerance', { tolerance: -0.1 }, /tolerance = -0.1 Å, must be finite and ≥ 0/],
    ['a species that is not a name', { species: ['C', 'C', 'C', 'C', 'C', 'C', 'H', 'H', 'H', 'H', 'H', 'H h'] }, /species\[11\] = "H h" is not a plain name/],
  ];
  for (const [label, changes, pattern] of cases) {
    it(label, () => {
      expectCode(() => checkMoleculeDefinition(benzeneDefinition(changes)), 'E_CONFIG', new RegExp(`^molecule 'benzene': ${pattern.source}`));
      expectCode(() => new CoarseGrainer(benzeneDefinition(changes)), 'E_CONFIG', pattern);
    });
  }

  it('the benzene definition passes, and a collinear reference is refused by the mapping', () => {
    expect(() => checkMoleculeDefinition(benzeneDefinition())).not.toThrow();
    expectCode(() => new CoarseGrainer(benzeneDefinition({ species: ['C', 'O'], masses: [12, 16], coordinates: [0, 0, -0.6, 0, 0, 0.6] })), 'E_CONFIG', /collinear/);
  });
});
