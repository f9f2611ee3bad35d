// SPDX-License-Identifier: BSD-3-Clause
/**
 * Labelled extxyz through the one reader (orientations and shapes required, as the training-data
 * reader asks): the shared data sets' conventions, the labels, and the error messages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atomicNumber, elementSymbol } from '../../../src/io/elements.js';
import type { Frame } from '../../../src/io/frame.js';
import { readFramesSync, type ReadOptions } from '../../../src/io/read-frames.js';
import { referencePath } from '../../support/reference-data.js';

const referenceText = (path: string) => readFileSync(referencePath(path), 'utf8');
const LABELLED: ReadOptions = { format: 'extxyz', requireOrientations: true, requireShapes: true };
const parseLabelledXyz = (text: string, source = '<string>', options: ReadOptions = {}): Frame[] => [...readFramesSync({ text, source }, { ...LABELLED, ...options })];

describe('readFramesSync: labelled extxyz', () => {
  it('reads the LAMMPS Gay–Berne training set: quat, semiaxes, energy, forces, torques', () => {
    const frames = parseLabelledXyz(referenceText('gayberne/gb_configs_train.extxyz'), 'gb');
    expect(frames.length).toBe(30);
    const f = frames[0]!;
    expect(f.n).toBe(100);
    expect(f.energy).toBeCloseTo(9.2367722704589337, 12);
    expect(f.semiaxes!.subarray(0, 3)).toEqual(Float64Array.of(0.5, 0.5, 1.5));
    expect(f.forces![0]).toBeCloseTo(-0.0845652285529018, 15);
    expect(f.torques![0]).toBeCloseTo(0.60186642684436176, 15);
    const q = f.orientations!.subarray(0, 4);
    expect(q[0]).toBeCloseTo(-0.17836878321457544, 12);
    expect(Math.hypot(...q)).toBeCloseTo(1, 14);
    expect(f.cell.pbc).toEqual([true, true, true]);
    expect(f.info.config_id).toBe('rand_000');
  });

  it('reads AniSOAP benchmark files: quaternions, escaped c_diameter\\[k\\] diameters halved, xyzw on request', () => {
    const text = referenceText('anisoap/gay_berne_dimers/random_rotations.xyz');
    const [f] = readFramesSync({ lines: text.split('\n'), source: 'rr' }, LABELLED);
    expect(f!.semiaxes!.subarray(0, 3)).toEqual(Float64Array.of(0.5, 1, 0.5));
    expect(f!.energy).toBeCloseTo(-0.061000181887834806, 15);
    expect(f!.forces).toBeUndefined();
    const g = parseLabelledXyz(text.split('\n').slice(0, 4).join('\n'), 'rr', { quaternionOrder: 'xyzw' })[0]!;
    expect(g.orientations![0]).toBeCloseTo(f!.orientations![3]!, 12);
  });

  it('accepts c_diameter1 spellings, a semi-axes override and the virial', () => {
    const text = [
      '1',
      'Properties=species:S:1:pos:R:3:c_q:R:4:c_diameter1:R:1:c_diameter2:R:1:c_diameter3:R:1 virial="1 2 3 4 5 6 7 8 9"',
      'X 0 0 0 1 0 0 0 2 4 6',
    ].join('\n');
    const [f] = parseLabelledXyz(text);
    expect(Array.from(f!.semiaxes!)).toEqual([1, 2, 3]);
    expect(Array.from(f!.virial!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [g] = parseLabelledXyz(text, 's', { semiaxes: [0.1, 0.2, 0.3] });
    expect(Array.from(g!.semiaxes!)).toEqual([0.1, 0.2, 0.3]);
    expect(f!.info.virial).toBeUndefined(); // a label, not repeated in info
  });

  it('reads per-particle energies (energies:R:1), masses and velocities; refuses a mass ≤ 0', () => {
    const head = 'Properties=species:S:1:pos:R:3:velo:R:3:masses:R:1:quat:R:4:semiaxes:R:3:energies:R:1 energy=-3';
    const [f] = parseLabelledXyz(['2', head, 'X 0 0 0 1 2 3 4 1 0 0 0 1 1 1 -1', 'X 1 0 0 0 0 0 5 1 0 0 0 1 1 1 -2'].join('\n'));
    expect(Array.from(f!.energies!)).toEqual([-1, -2]);
    expect(Array.from(f!.masses!)).toEqual([4, 5]);
    expect(Array.from(f!.velocities!)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(f!.energy).toBe(-3);
    expect(() => parseLabelledXyz(['1', head, 'X 0 0 0 1 2 3 0 1 0 0 0 1 1 1 -1'].join('\n'), 'm.xyz')).toThrow(/^m\.xyz:3: mass of particle 0 is 0; masses must be > 0$/);
  });

  it('names file and line of errors', () => {
    const good = ['1', 'Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3 energy=1', 'X 0 0 0 1 0 0 0 1 1 1'];
    expect(() => parseLabelledXyz([...good, '1', 'Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3', 'X 0 0 zz 1 0 0 0 1 1 1'].join('\n'), 'f.xyz')).toThrow(
      /^f\.xyz:6: column 4 \(pos\[2\]\) is 'zz', not a number$/,
    );
    expect(() => parseLabelledXyz([...good, '2', good[1], good[2]].join('\n'), 'f.xyz')).toThrow(/f\.xyz:7: file ends after 1 of 2 particle lines of frame 1/);
    expect(() => parseLabelledXyz(['1', 'Properties=species:S:1:pos:R:3:semiaxes:R:3', 'X 0 0 0 1 1 1'].join('\n'), 'f.xyz')).toThrow(/f\.xyz:2: no orientation column/);
    expect(() => parseLabelledXyz(['1', 'Properties=species:S:1:pos:R:3:quat:R:4', 'X 0 0 0 1 0 0 0'].join('\n'), 'f.xyz')).toThrow(/f\.xyz:2: no shape/);
    expect(() => parseLabelledXyz(['1', good[1], 'X 0 0 0 0 0 0 0 1 1 1'].join('\n'), 'f.xyz')).toThrow(/f\.xyz:3: orientation of particle 0 is a zero quaternion/);
    expect(() => parseLabelledXyz(['x'].join('\n'), 'f.xyz')).toThrow(/f\.xyz:1: expected the atom count/);
  });

  it('maps element symbols to atomic numbers', () => {
    expect(atomicNumber('X')).toBe(0);
    expect(atomicNumber('C')).toBe(6);
    expect(atomicNumber('12')).toBe(12);
    expect(elementSymbol(8)).toBe('O');
    expect(() => atomicNumber('Qq')).toThrow(/neither a chemical symbol/);
  });
});
