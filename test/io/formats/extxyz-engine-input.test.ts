// SPDX-License-Identifier: BSD-3-Clause
/**
 * The embedded engine's initial structure (`loadInitialState`) through the one reader: the first
 * frame of plain XYZ, extended XYZ (cell, masses, velocities, typed info) or i-PI XYZ, and errors
 * that name `file:line`.
 */
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../../src/core/errors.js';
import { IPI_UNITS } from '../../../src/core/units.js';
import type { Frame } from '../../../src/io/frame.js';
import { readFramesSync } from '../../../src/io/read-frames.js';

/** The first frame, as the engine reads it. */
const first = (text: string, source = '<string>'): Frame | undefined => readFramesSync({ text, source }, { format: 'extxyz' }).next().value;

/** The `E_IO` message of reading `text` (fails the test if it reads). */
function message(text: string, source: string): string {
  try {
    first(text, source);
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    expect((e as AnisoError).code).toBe('E_IO');
    return (e as Error).message;
  }
  throw new Error('expected a read error');
}

describe('engine input: what is read', () => {
  it('reads plain XYZ (no cell), ignoring extra columns', () => {
    const frame = first('3\nwater, plain\nO 0 0 0\nH 0.96 0 0 0.5\nH -0.24 0.93 0\n', 'w.xyz')!;
    expect(frame.n).toBe(3);
    expect(frame.species).toEqual(['O', 'H', 'H']);
    expect(Array.from(frame.positions)).toEqual([0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0]);
    expect(frame.cell.pbc).toEqual([false, false, false]);
    expect(frame.velocities).toBeUndefined();
    expect(frame.masses).toBeUndefined();
    expect(frame.info).toEqual({});
  });

  it('reads extended XYZ with Lattice, pbc, masses, velo and info (quoted, bracketed, bare, flag)', () => {
    const text = [
      '2',
      'Lattice="4 0 0 0 5 0 1 0 6" pbc="T T F" Properties=species:S:1:pos:R:3:masses:R:1:velo:R:3 ' +
        'energy=-1.5 name="two sites" tags={a b} flag vec=[1, 2, 3]',
      'A 1 2 3 10.5 0.001 0 -0.002',
      'B -1 0.5 2e-3 20 0 0 1D-3',
      '',
    ].join('\r\n');
    const frame = first(text, 'x.extxyz')!;
    expect(Array.from(frame.cell.h)).toEqual([4, 0, 0, 0, 5, 0, 1, 0, 6]);
    expect(frame.cell.pbc).toEqual([true, true, false]);
    expect(Array.from(frame.masses!)).toEqual([10.5, 20]);
    expect(Array.from(frame.velocities!)).toEqual([0.001, 0, -0.002, 0, 0, 0.001]);
    expect(Array.from(frame.positions)).toEqual([1, 2, 3, -1, 0.5, 0.002]);
    expect(frame.energy).toBe(-1.5);
    expect(frame.info).toEqual({ name: 'two sites', tags: 'a b', flag: true, vec: '1, 2, 3' });
  });

  it('reads a frame as ASE 3.29 writes it (our writer output, read and re-written by ase.io.write)', () => {
    const ase = [
      '2',
      'Lattice="10.5 0.0 0.0 2.1 9.75 0.0 -1.3 0.7 11.2" Properties=species:S:1:pos:R:3:velo:R:3:masses:R:1 step=3 time=1.5 conserved=-0.1 temperature=300.5 label="run one" ok=T energy=-0.123456789 pbc="T T T"',
      'Ar       0.00000000       0.10000000      -0.00000010       0.00100000       0.00000000       0.00000000      39.94800000',
      'He       0.33333333       2.50000000     123.45678900      -0.00200000       0.00001000       0.00000000       4.00260000',
      '',
    ].join('\n');
    const frame = first(ase, 'ase.extxyz')!;
    expect(frame.species).toEqual(['Ar', 'He']);
    expect(Array.from(frame.cell.h)).toEqual([10.5, 0, 0, 2.1, 9.75, 0, -1.3, 0.7, 11.2]);
    expect(Array.from(frame.positions)).toEqual([0, 0.1, -1e-7, 0.33333333, 2.5, 123.456789]);
    expect(Array.from(frame.velocities!)).toEqual([0.001, 0, 0, -0.002, 0.00001, 0]);
    expect(Array.from(frame.masses!)).toEqual([39.948, 4.0026]);
    expect(frame.step).toBe(3);
    expect(frame.energy).toBe(-0.123456789);
    expect(frame.info).toEqual({ time: 1.5, conserved: -0.1, temperature: 300.5, label: 'run one', ok: true });
  });

  it('defaults to species:S:1:pos:R:3 and pbc T T T when Lattice is given without Properties', () => {
    const frame = first('1\nLattice="3 0 0 0 3 0 0 0 3" step=4\nX 1 1 1\n')!;
    expect(frame.cell.pbc).toEqual([true, true, true]);
    expect(frame.step).toBe(4);
    expect(frame.info).toEqual({});
  });

  it('recognises the i-PI header and converts atomic units', () => {
    const ang = first('1\n# CELL(abcABC):   10.0  12.0  14.0  90.0  90.0  90.0  Step: 5  Bead: 0 positions{angstrom}  cell{angstrom}\nO 1 2 3\n')!;
    expect(Array.from(ang.cell.h)).toEqual([10, 0, 0, 0, 12, 0, 0, 0, 14]);
    expect(Array.from(ang.positions)).toEqual([1, 2, 3]);
    expect(ang.step).toBe(5);
    const au = first('1\n# CELL(abcABC): 20 20 20 90 90 90 Step: 0 Bead: 0 positions{atomic_unit} cell{atomic_unit}\nO 1 0 0\n')!;
    expect(au.cell.h[0]).toBeCloseTo(20 * IPI_UNITS.bohrInAngstrom, 12);
    expect(au.positions[0]).toBeCloseTo(IPI_UNITS.bohrInAngstrom, 14);
    expect(message('1\n# CELL(abcABC): 20 20 20 90 90 90 positions{nanometer} cell{angstrom}\nO 1 0 0\n', 'i.xyz')).toBe("i.xyz:2: i-PI positions unit is 'nanometer'; allowed: angstrom, atomic_unit");
  });

  it('reads the first frame only, without parsing what follows', () => {
    const frame = first('1\n\nA 0 0 0\n1\n\nA 1 1 zz\n', 'two.xyz')!;
    expect(Array.from(frame.positions)).toEqual([0, 0, 0]);
    expect(first('', 'e.xyz')).toBeUndefined();
  });
});

describe('engine input: errors name file:line', () => {
  const props = 'Properties=species:S:1:pos:R:3:velo:R:3';

  it('a truncated frame', () => {
    expect(message(`3\n${props}\nA 0 0 0 0 0 0\nB 1 1 1 0 0 0\n`, 'cut.extxyz')).toMatch(/^cut\.extxyz:5: file ends after 2 of 3 particle lines of frame 0 \(truncated frame\)$/);
    expect(message('2\ncomment\nA 0 0 0', 'cut.xyz')).toMatch(/^cut\.xyz:4: file ends after 1 of 2 particle lines/);
    expect(message('2', 'cut.xyz')).toMatch(/^cut\.xyz:2: file ends before the comment line of frame 0$/);
  });

  it('a non-numeric field, a bad mass', () => {
    expect(message(`2\n${props}\nA 0 0 0 0 0 0\nB 1 abc 1 0 0 0\n`, 'nan.extxyz')).toMatch(/^nan\.extxyz:4: column 3 \(pos\[1\]\) is 'abc', /);
    expect(message(`1\n${props}\nA 0 0 0 0 0x10 0\n`, 'hex.extxyz')).toMatch(/^hex\.extxyz:3: column 6 \(velo\[1\]\) is '0x10', /);
    expect(message('1\nProperties=species:S:1:pos:R:3:masses:R:1\nA 0 0 0 -1\n', 'm.extxyz')).toBe('m.extxyz:3: mass of particle 0 is -1; masses must be > 0');
  });

  it('a wrong column count', () => {
    expect(message(`2\n${props}\nA 0 0 0 0 0 0\nB 1 1 1 0 0\n`, 'cols.extxyz')).toBe('cols.extxyz:4: found 6 columns, expected 7 (Properties=species:S:1:pos:R:3:velo:R:3)');
    expect(message(`1\n${props}\nA 0 0 0 0 0 0 9\n`, 'cols.extxyz')).toMatch(/^cols\.extxyz:3: found 8 columns, expected 7/);
    expect(message('1\nplain\nA 0 0\n', 'p.xyz')).toBe('p.xyz:3: found 3 columns, expected at least 4 (Properties=species:S:1:pos:R:3)');
    expect(message('2\nplain\n\nA 0 0 0\n', 'p.xyz')).toMatch(/^p\.xyz:3: found 0 columns/);
  });

  it('a malformed atom count', () => {
    expect(message('A 0 0 0\n', 'e.xyz')).toMatch(/^e\.xyz:1: expected the atom count of frame 0, found 'A 0 0 0'$/);
    expect(message('-2\n\n', 'e.xyz')).toMatch(/^e\.xyz:1: /);
  });

  it('a bad comment line', () => {
    const msg = (comment: string) => message(`1\n${comment}\nA 0 0 0\n`, 'c.extxyz');
    expect(msg('Lattice="1 0 0 0 1 0 0 0"')).toBe('c.extxyz:2: Lattice has 8 numbers, expected 9 (rows a, b, c, Å)');
    expect(msg('Lattice="1 0 0 0 1 0 0 0 zz"')).toBe("c.extxyz:2: Lattice entry 9 is 'zz', not a number");
    expect(msg('Lattice="1 0 0 2 0 0 0 0 1"')).toMatch(/^c\.extxyz:2: Lattice: periodic cell is singular/);
    expect(msg('Lattice="1 0 0 0 1 0 0 0 1" pbc="T T"')).toBe("c.extxyz:2: pbc is 'T T'; expected three of T/F");
    expect(msg('pbc="T T T" Properties=species:S:1:pos:R:3')).toBe('c.extxyz:2: pbc="T T T" has periodic directions but there is no Lattice');
    expect(msg('name="unterminated')).toBe("c.extxyz:2: value of 'name' has no closing \"");
    expect(msg('Properties=species:S:1:pos:R')).toBe("c.extxyz:2: Properties 'species:S:1:pos:R' is not a list of name:type:count triplets");
    expect(msg('Properties=species:S:1:pos:X:3')).toBe("c.extxyz:2: Properties entry 'pos' has type 'X'; allowed: S, R, I, L");
    expect(msg('Properties=species:S:1:pos:R:0')).toBe("c.extxyz:2: Properties entry 'pos' has column count '0'; expected an integer ≥ 1");
    expect(msg('Properties=pos:R:3')).toMatch(/^c\.extxyz:2: Properties needs species:S:1/);
    expect(msg('Properties=species:S:1:pos:R:2')).toMatch(/^c\.extxyz:2: column 'pos' is R:2, expected R:3$/);
    expect(msg('# CELL(GENH): 1 0 0 0 1 0 0 0 1')).toMatch(/^c\.extxyz:2: unsupported i-PI header/);
  });
});
