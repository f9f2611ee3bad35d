// SPDX-License-Identifier: BSD-3-Clause
/**
 * Malformed trajectories: every reader reports `AnisoError('E_IO')` whose message starts with
 * `file:line:` — truncated frames, wrong column counts, non-numeric and non-finite fields, a missing
 * Lattice, bad ITEM headers, atom count mismatches, corrupt gzip data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { readFrames, type ReadOptions } from '../../src/io/read-frames.js';
import { parseFrames, tempDir } from '../support/trajectory-fixtures.js';
import { referencePath } from '../support/reference-data.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** The E_IO message of reading `text` (as file `f`), or fail. */
function message(text: string, options: ReadOptions = {}, source = 'f'): string {
  try {
    parseFrames(text, source, options);
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    expect((e as AnisoError).code).toBe('E_IO');
    return (e as Error).message;
  }
  throw new Error('expected an E_IO error');
}

async function streamMessage(path: string, options: ReadOptions = {}): Promise<string> {
  try {
    for await (const _ of readFrames(path, options)) void _;
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    expect((e as AnisoError).code).toBe('E_IO');
    return (e as Error).message;
  }
  throw new Error('expected an E_IO error');
}

const PROPS = 'Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3:quat:R:4';
const xyz = (...atoms: string[]) => [String(atoms.length), PROPS, ...atoms].join('\n') + '\n';

describe('extended XYZ errors name file:line', () => {
  it('a truncated frame (with and without a final newline, in a later frame)', () => {
    const one = xyz('A 0 0 0 1 0 0 0', 'B 1 1 1 1 0 0 0');
    expect(message(one + '3\n' + PROPS + '\nA 0 0 0 1 0 0 0\n')).toBe('f:8: file ends after 1 of 3 particle lines of frame 1 (truncated frame)');
    expect(message(one + '3\n' + PROPS + '\nA 0 0 0 1 0 0 0')).toBe('f:8: file ends after 1 of 3 particle lines of frame 1 (truncated frame)');
    expect(message(one + '3\n')).toBe('f:6: file ends before the comment line of frame 1');
    expect(message(one.slice(0, one.lastIndexOf('B') + 7))).toBe("f:4: found 4 columns, expected 8 (Properties=species:S:1:pos:R:3:quat:R:4)");
  });

  it('a wrong column count, a blank line inside a frame, a bad atom count', () => {
    expect(message(xyz('A 0 0 0 1 0 0 0', 'B 1 1 1 1 0 0 0 9'))).toBe('f:4: found 9 columns, expected 8 (Properties=species:S:1:pos:R:3:quat:R:4)');
    expect(message(['2', PROPS, 'A 0 0 0 1 0 0 0', '', 'B 1 1 1 1 0 0 0'].join('\n'))).toMatch(/^f:4: found 0 columns, expected 8 .*blank line inside frame 0$/);
    expect(message('two\n')).toBe("f:1: expected the atom count of frame 0, found 'two'");
    expect(message('99999999999999\n')).toMatch(/^f:1: atom count 99999999999999 of frame 0 is too large$/);
    // more particle lines than the count: the extra line is read as the next count line
    expect(message(xyz('A 0 0 0 1 0 0 0').replace(/^1/, '1') + 'B 1 1 1 1 0 0 0\n')).toBe("f:4: expected the atom count of frame 1, found 'B 1 1 1 1 0 0 0'");
  });

  it('non-numeric and non-finite fields', () => {
    expect(message(xyz('A 0 zz 0 1 0 0 0'))).toBe("f:3: column 3 (pos[1]) is 'zz', not a number");
    expect(message(xyz('A 0 0 NaN 1 0 0 0'))).toBe("f:3: column 4 (pos[2]) is 'NaN', not a finite number");
    expect(message(xyz('A 0 0 0 1 inf 0 0'))).toBe("f:3: column 6 (quat[1]) is 'inf', not a finite number");
    expect(message(xyz('A 1e999 0 0 1 0 0 0'))).toBe("f:3: column 2 (pos[0]) is '1e999', not a finite number");
    expect(message(xyz('A 0 0 0 0 0 0 0'))).toBe('f:3: orientation of particle 0 is a zero quaternion');
    expect(message('1\nLattice="5 0 0 0 5 0 0 0 nan"\nA 0 0 0\n')).toBe("f:2: Lattice entry 9 is 'nan', not a finite number");
    expect(message('1\nenergy=nan Properties=species:S:1:pos:R:3\nA 0 0 0\n')).toBe("f:2: energy='nan' is not a finite number");
    expect(message('1\nstep=1.5 Properties=species:S:1:pos:R:3\nA 0 0 0\n')).toBe("f:2: step='1.5' is not an integer");
  });

  it('a missing Lattice: when pbc says T, and when a periodic cell is required', () => {
    expect(message('1\npbc="T T T" Properties=species:S:1:pos:R:3\nA 0 0 0\n')).toBe('f:2: pbc="T T T" has periodic directions but there is no Lattice');
    expect(message('1\nProperties=species:S:1:pos:R:3\nA 0 0 0\n', { requireCell: true })).toBe('f:2: no Lattice (or pbc="F F F"), but a periodic cell is required');
    expect(message(xyz('A 0 0 0 1 0 0 0') + '1\nProperties=species:S:1:pos:R:3\nA 0 0 0\n', { requireCell: true })).toMatch(/^f:5: no Lattice/);
    expect(message('1\nplain\nA 0 0 0\n', { requireCell: true })).toBe('f:2: a plain XYZ cell, but a periodic cell is required');
  });

  it('bad comment lines and columns', () => {
    expect(message('1\nProperties=species:S:1:pos:R:2\nA 0 0\n')).toBe("f:2: column 'pos' is R:2, expected R:3");
    expect(message('1\nProperties=pos:R:3\n0 0 0\n')).toBe("f:2: Properties needs species:S:1 (got 'pos:R:3')");
    expect(message('1\nProperties=species:S:1:pos:R:3:c_diameter[1]:R:1\nA 0 0 0 1\n')).toMatch(/^f:2: only some of c_diameter\[1\]/);
    expect(message('1\nname="open\nA 0 0 0\n')).toBe("f:2: value of 'name' has no closing \"");
    expect(message('1\nProperties=species:S:1:pos:R:3:c_q:R:9\nA 0 0 0 1 0 0 0 1 0 0 0 2\n')).toMatch(/^f:3: orientation of particle 0 is not a rotation matrix/);
    expect(message('1\nProperties=Z:R:1:pos:R:3\n1 0 0 0\n')).toBe("f:2: column 'Z' is R:1, expected I:1");
    expect(message('1\nProperties=Z:I:1:pos:R:3\n-1 0 0 0\n')).toBe('f:3: column 1 (Z) is -1; atomic numbers are ≥ 0');
  });
});

describe('i-PI xyz errors name file:line', () => {
  const head = '# CELL(abcABC): 10 10 10 90 90 90 Step: 0 Bead: 0 positions{angstrom} cell{angstrom}';
  it('bad headers, units, quantities; truncation; NaN', () => {
    expect(message(`1\n${head}\nO 0 0 0\n1\nno header\nO 0 0 0\n`, { format: 'ipi' })).toMatch(/^f:5: expected an i-PI header/);
    expect(message(`1\n${head.replace('positions{angstrom}', 'positions{furlong}')}\nO 0 0 0\n`)).toBe("f:2: i-PI positions unit is 'furlong'; allowed: angstrom, atomic_unit");
    expect(message(`1\n${head.replace('positions', 'forces')}\nO 0 0 0\n`)).toBe("f:2: i-PI file holds 'forces', not positions; only position trajectories can be read");
    expect(message(`1\n# CELL(abcABC): 10 10 x 90 90 90\nO 0 0 0\n`)).toBe("f:2: i-PI cell parameter 3 is 'x', not a number");
    expect(message(`1\n# CELL(abcABC): 10 10 10 0 90 90\nO 0 0 0\n`)).toMatch(/^f:2: i-PI cell: /);
    expect(message(`2\n${head}\nO 0 0 0\n`)).toBe('f:4: file ends after 1 of 2 particle lines of frame 0 (truncated frame)');
    expect(message(`1\n${head}\nO 0 nan 0\n`)).toBe("f:3: column 3 (pos[1]) is 'nan', not a finite number");
    expect(message(`1\n${head}\nO 0 0\n`)).toBe('f:3: found 3 columns, expected at least 4 (Properties=species:S:1:pos:R:3)');
  });
});

describe('LAMMPS dump errors name file:line', () => {
  const frame = (atoms: string[], n = atoms.length, header = 'id type x y z quatw quati quatj quatk') =>
    ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', String(n), 'ITEM: BOX BOUNDS pp pp pp', '0 10', '0 10', '0 10', `ITEM: ATOMS ${header}`, ...atoms].join('\n') + '\n';
  const A = ['1 1 0 0 0 1 0 0 0', '2 1 1 1 1 1 0 0 0'];

  it('a truncated frame (atoms, header)', () => {
    expect(message(frame(A) + frame(A).slice(0, -20))).toMatch(/^f:21: /);
    expect(message(frame(A, 3))).toBe('f:12: file ends after 2 of 3 atom lines of frame 0 (truncated frame)');
    expect(message(frame(A) + 'ITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n')).toBe('f:15: file ends inside the header of frame 1 (started on line 12; truncated frame)');
    expect(message(frame(A) + 'ITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n')).toMatch(/^f:18: file ends inside the header of frame 1/);
  });

  it('an atom count mismatch (fewer and more lines than NUMBER OF ATOMS)', () => {
    expect(message(frame(A, 3) + frame(A))).toBe('f:12: frame 0 has 2 atom lines, but NUMBER OF ATOMS is 3 (atom count mismatch)');
    expect(message(frame(A, 1) + frame(A))).toBe("f:11: expected an 'ITEM:' line, found '2 1 1 1 1 1 0 0 0' (more atom lines than NUMBER OF ATOMS = 1 in frame 0?)");
  });

  it('a wrong column count, non-numeric and non-finite fields, duplicate ids', () => {
    expect(message(frame(['1 1 0 0 0 1 0 0', A[1]!]))).toBe('f:10: found 8 columns, expected 9 (ITEM: ATOMS id type x y z quatw quati quatj quatk)');
    expect(message(frame(['1 1 0 abc 0 1 0 0 0', A[1]!]))).toBe("f:10: column 4 (y) is 'abc', not a number");
    expect(message(frame([A[0]!, '2 1 1 1 -nan 1 0 0 0']))).toBe("f:11: column 5 (z) is '-nan', not a finite number");
    expect(message(frame([A[0]!, '2 1 1 1 1 inf 0 0 0']))).toBe("f:11: column 6 (quatw) is 'inf', not a finite number");
    expect(message(frame(['1.5 1 0 0 0 1 0 0 0', A[1]!]))).toBe("f:10: column 1 (id) is '1.5', not an integer");
    expect(message(frame(['1 0 0 0 0 1 0 0 0', A[1]!]))).toBe('f:10: column 2 (type) is 0; LAMMPS types are ≥ 1');
    expect(message(frame(['2 1 0 0 0 1 0 0 0', '1 1 0 0 0 1 0 0 0', '2 1 0 0 0 1 0 0 0']))).toBe('f:12: atom id 2 appears twice in frame 0 (also on line 10)');
    expect(message(frame(['1 1 0 0 0 0 0 0 0']))).toBe('f:10: orientation of atom row 1 is a zero quaternion');
  });

  it('bad ITEM headers and box lines', () => {
    expect(message('ITEM: TIMESTEP\n0\nITEM: BONDS\n')).toBe("f:3: unknown item 'ITEM: BONDS'; expected one of ITEM: TIMESTEP, ITEM: NUMBER OF ATOMS, ITEM: BOX BOUNDS, ITEM: ATOMS, ITEM: UNITS, ITEM: TIME");
    expect(message('ITEM: TIMESTEP\nzero\n')).toBe("f:2: TIMESTEP of frame 0 is 'zero', not an integer");
    expect(message('ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n-1\n')).toBe("f:4: NUMBER OF ATOMS of frame 0 is '-1', not a non-negative integer");
    expect(message(frame(A).replace('ITEM: NUMBER OF ATOMS\n2\n', ''))).toBe('f:7: ITEM: ATOMS of frame 0 comes without ITEM: NUMBER OF ATOMS (frame started on line 1)');
    expect(message(frame(A).replace('ITEM: BOX BOUNDS pp pp pp', 'ITEM: BOX BOUNDS xy pp pp pp'))).toMatch(/^f:5: bad BOX BOUNDS header/);
    expect(message(frame(A).replace('0 10\n0 10\n0 10', '0 10\n0 10 3\n0 10'))).toBe('f:7: BOX BOUNDS line has 3 numbers, expected 2 (lo hi)');
    expect(message(frame(A).replace('0 10\n0 10\n0 10', '0 10\n0 nan\n0 10'))).toBe("f:7: BOX BOUNDS entry 2 is 'nan', not a finite number");
    expect(message(frame(A).replace('0 10\n0 10\n0 10', '0 10\n5 1\n0 10'))).toMatch(/^f:8: BOX BOUNDS: box yhi 1 is not above ylo 5/);
    expect(message(frame(A, 2, 'id type q1 q2 q3 q4 a b c'))).toMatch(/^f:9: ITEM: ATOMS has no positions/);
    expect(message(frame(A, 2, 'id type x y z quatw quati quatj c'))).toMatch(/^f:9: ITEM: ATOMS has only some of quatw quati quatj quatk/);
    expect(message(frame(A, 2, 'id type x y z quatw quati quatj quatk'), { quaternionColumns: ['a', 'b', 'c', 'd'] })).toMatch(/^f:9: ITEM: ATOMS lacks the quaternion column\(s\) a, b, c, d/);
    expect(message(frame(A).replace('ITEM: TIMESTEP\n0\n', 'ITEM: TIMESTEP\n0\nITEM: TIMESTEP\n0\n'))).toMatch(/^f:3: ITEM: TIMESTEP appears twice in frame 0/);
    expect(message('garbage\n', { format: 'lammps' })).toBe("f:1: expected an 'ITEM:' line, found 'garbage'");
    expect(message(frame(A).replace('pp pp pp', 'pp pp ff'), { requireCell: true })).toBe('f:5: the box is not periodic in every direction, but a periodic cell is required');
  });
});

describe('errors through files and gzip', () => {
  it('name the path and line for plain and gzip files; corrupt gzip is E_IO', async () => {
    const text = xyz('A 0 0 0 1 0 0 0', 'B 1 1 zz 1 0 0 0');
    const p = tmp.path('bad.extxyz');
    writeFileSync(p, text);
    expect(await streamMessage(p)).toBe(`${p}:4: column 4 (pos[2]) is 'zz', not a number`);
    const g = tmp.path('bad.extxyz.gz');
    writeFileSync(g, gzipSync(text));
    expect(await streamMessage(g)).toBe(`${g}:4: column 4 (pos[2]) is 'zz', not a number`);
    const good = gzipSync(readFileSync(referencePath('gayberne/gb_dimers.extxyz')));
    const cut = tmp.path('cut.extxyz.gz');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length / 2)));
    expect(await streamMessage(cut)).toMatch(new RegExp(`^${cut.replace(/[.]/g, '\\.')}:\\d+: (gzip data is corrupt or truncated|file ends)`));
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 3)] ^= 0xff;
    const bad = tmp.path('flipped.gz');
    writeFileSync(bad, flipped);
    expect(await streamMessage(bad)).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:\\d+: `));
    expect(await streamMessage(tmp.path('missing.extxyz'))).toMatch(/missing\.extxyz: cannot open: ENOENT/);
  });

  it('bad options are E_ARG at once', () => {
    expect(() => readFrames('x', { semiaxes: [1, 0, 1] })).toThrow(/semiaxes override/);
    expect(() => readFrames('x', { format: 'pdb' as 'lammps' })).toThrow(/allowed: auto, lammps, ipi, extxyz/);
  });
});
