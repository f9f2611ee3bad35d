// SPDX-License-Identifier: BSD-3-Clause
/**
 * Writers: round trips through files for every format (plain and gzip; the per-format round trips
 * are in `formats/<name>.test.ts`), rotation into the standard orientation, writer refusals, and
 * the all-or-nothing file helper.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { quatRotate } from '../../src/core/quaternion.js';
import { writeFileAtomically } from '../../src/io/atomic-write.js';
import { formatExtxyzFrame } from '../../src/io/formats/extxyz.js';
import { formatIpiXyzFrame } from '../../src/io/formats/ipi-xyz.js';
import { cellToLammpsBounds, formatLammpsDumpFrame, lammpsBoxToCell } from '../../src/io/formats/lammps-dump.js';
import type { Frame, FrameInput } from '../../src/io/frame.js';
import { readFrames } from '../../src/io/read-frames.js';
import { standardOrientation } from '../../src/io/standard-cell.js';
import { FrameWriter, writeFrames } from '../../src/io/write-frames.js';
import { seededRandom, randomQuaternion } from '../support/random.js';
import { expectArray, ROUND_TRIP_SPEC as spec, writeAll } from '../support/frame-assertions.js';
import { collect, parseFrames, randomFrame, tempDir } from '../support/trajectory-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('round trips write → read', () => {
  it('through files: every format, plain and gzip, with writeFrames and readFrames', async () => {
    const rand = seededRandom(5);
    const frames = [0, 1, 2].map((k) => randomFrame(rand, { ...spec, triclinic: true, step: k }));
    for (const name of ['t.extxyz', 't.extxyz.gz', 't.lammpstrj', 't.lammpstrj.gz', 't.xyz']) {
      const p = tmp.path(name);
      expect(await writeFrames(p, frames)).toBe(3);
      expect(readFileSync(p)[0] === 0x1f).toBe(name.endsWith('.gz'));
      const back = await collect(readFrames(p));
      expect(back).toHaveLength(3);
      expectArray(back[2]!.positions, frames[2]!.positions, 1e-14);
      expectArray(back[2]!.orientations, frames[2]!.orientations, 1e-15);
    }
    const ipi = tmp.path('sim.pos_0.xyz');
    await writeFrames(ipi, frames, { format: 'ipi' });
    const back = await collect(readFrames(ipi));
    expectArray(back[1]!.positions, frames[1]!.positions, 1e-14);
    // a converted stream: LAMMPS → extxyz → LAMMPS keeps the data
    const lmp2 = tmp.path('again.lammpstrj');
    await writeFrames(lmp2, readFrames(tmp.path('t.extxyz.gz')));
    const again = await collect(readFrames(lmp2));
    expectArray(again[0]!.semiaxes, frames[0]!.semiaxes);
  });
});

describe('standard orientation for LAMMPS and i-PI', () => {
  it('rotates a general cell with all vectors and orientations (same configuration up to a rotation)', () => {
    const rand = seededRandom(77);
    const f = randomFrame(rand, { ...spec, triclinic: true });
    // rotate the whole frame by a random rotation: the cell is no longer lower-triangular
    const q = randomQuaternion(rand);
    const rot = (v: ArrayLike<number>) => {
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i += 3) quatRotate(out, i, q, 0, v, i);
      return out;
    };
    const orient = new Float64Array(f.orientations!.length);
    for (let i = 0; i < orient.length; i += 4) {
      const [w, x, y, z] = [q[0]!, q[1]!, q[2]!, q[3]!];
      const [bw, bx, by, bz] = [f.orientations![i]!, f.orientations![i + 1]!, f.orientations![i + 2]!, f.orientations![i + 3]!];
      orient.set([w * bw - x * bx - y * by - z * bz, w * bx + x * bw + y * bz - z * by, w * by - x * bz + y * bw + z * bx, w * bz + x * by - y * bx + z * bw], i);
    }
    const g: FrameInput = { ...f, positions: rot(f.positions), cell: Cell.fromRows(rot(f.cell.h)), orientations: orient, forces: rot(f.forces!), torques: rot(f.torques!) };
    expect(standardOrientation(g.cell)!.rotation).not.toBeNull();
    const [b] = parseFrames(formatLammpsDumpFrame(g), 'r.lammpstrj');
    // back in the original (standard) frame, up to rounding
    expectArray(b!.cell.h, f.cell.h, 1e-13);
    expectArray(b!.positions, f.positions, 1e-13);
    expectArray(b!.forces, f.forces, 1e-13);
    expectArray(b!.torques, f.torques, 1e-13);
    for (let i = 0; i < f.orientations!.length; i += 4) {
      const dot = [0, 1, 2, 3].reduce((s, k) => s + b!.orientations![i + k]! * f.orientations![i + k]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 13);
    }
    const [c] = parseFrames(formatIpiXyzFrame(g), 'r.xyz');
    expectArray(c!.positions, f.positions, 1e-13);
  });

  it('converts LAMMPS bounds both ways', () => {
    const h = [10, 0, 0, -2.5, 8, 0, 3, -1.5, 9];
    const { lines, triclinic } = cellToLammpsBounds(h);
    expect(triclinic).toBe(true);
    const box = lammpsBoxToCell(lines, 'triclinic', [true, true, true]);
    expectArray(box.cell.h, h, 1e-15);
    expect(box.origin).toEqual([0, 0, 0]);
    expect(cellToLammpsBounds([3, 0, 0, 0, 4, 0, 0, 0, 5])).toEqual({ lines: [[0, 3], [0, 4], [0, 5]], triclinic: false });
  });

  it('open cells: i-PI writes 0 0 0 90 90 90 and reads back open; LAMMPS refuses', () => {
    const f = { positions: [1, 2, 3], cell: Cell.open(), species: ['A'] };
    const text = formatIpiXyzFrame(f);
    expect(text.split('\n')[1]).toMatch(/^# CELL\(abcABC\): 0 0 0 90 90 90 /);
    const [b] = parseFrames(text);
    expect(b!.cell.pbc).toEqual([false, false, false]);
    expect(Array.from(b!.positions)).toEqual([1, 2, 3]);
    expect(() => formatLammpsDumpFrame(f)).toThrow(/open, all-zero cell/);
    expect(() => formatLammpsDumpFrame({ ...f, cell: Cell.fromRows([1, 0, 0, 0, 1, 0, 0, 0, -1]) })).toThrow(/left-handed/);
  });
});

describe('writer refusals', () => {
  it('non-finite values, bad sizes, bad formats and options', () => {
    const base = { positions: [0, 0, 0], cell: Cell.orthorhombic(5, 5, 5), species: ['A'] };
    const w = new FrameWriter({ write: () => undefined }, 'extxyz');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AnisoError).code;
      }
      return null;
    };
    expect(code(() => w.writeFrame({ ...base, positions: [0, Number.NaN, 0] }))).toBe('E_NONFINITE');
    expect(code(() => w.writeFrame({ ...base, energy: Number.POSITIVE_INFINITY }))).toBe('E_NONFINITE');
    expect(code(() => w.writeFrame({ ...base, orientations: [1, 0, 0] }))).toBe('E_SIZE');
    expect(code(() => formatLammpsDumpFrame({ ...base, semiaxes: [1, 1] }))).toBe('E_SIZE');
    expect(code(() => formatLammpsDumpFrame({ ...base, types: [0] }))).toBe('E_ARG');
    expect(code(() => new FrameWriter({ write: () => undefined }, 'pdb' as string))).toBe('E_ARG');
    expect(code(() => new FrameWriter({ write: () => undefined }, 'lammps', { precision: 0 }))).toBe('E_ARG');
    expect(code(() => formatIpiXyzFrame({ ...base, species: ['A B'] }))).toBe('E_ARG');
    expect(w.framesWritten).toBe(0);
  });

  it('extxyz: writes a type column only when the types are not 1, 2, … by first appearance; skips unwritable info', () => {
    const typeOf = new Map<string, number>();
    const cell = Cell.orthorhombic(5, 5, 5);
    const a = formatExtxyzFrame({ positions: [0, 0, 0, 1, 1, 1], cell, species: ['C', 'O'], types: [1, 2], info: { units: 'lj', 'bad key': 1, pbc: 'x', quote: 'a"b', t: true } }, {}, { typeOf });
    expect(a).not.toContain('type:I:1');
    expect(a.split('\n')[1]).toBe('Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 units=lj t=T pbc="T T T"');
    const b = formatExtxyzFrame({ positions: [0, 0, 0], cell, species: ['O'], types: [5] }, {}, { typeOf });
    expect(b).toContain('Properties=species:S:1:pos:R:3:type:I:1');
    expect(Array.from(parseFrames(b)[0]!.types)).toEqual([5]);
  });
});

describe('writeFileAtomically', () => {
  it('renames into place on success and returns the producer result', async () => {
    const p = tmp.path('ok.txt');
    const r = await writeFileAtomically(p, async (sink) => {
      await sink.write('hello ');
      await sink.write('world\n');
      expect(existsSync(p)).toBe(false);
      return 42;
    });
    expect(r).toBe(42);
    expect(readFileSync(p, 'utf8')).toBe('hello world\n');
    expect(readdirSync(tmp.dir).filter((x) => x.includes('.tmp'))).toEqual([]);
  });

  it('leaves no partial output and keeps an existing file when the producer fails', async () => {
    const p = tmp.path('keep.txt');
    writeFileSync(p, 'old\n');
    await expect(
      writeFileAtomically(p, async (sink) => {
        await sink.write('half a file');
        throw new Error('producer broke');
      }),
    ).rejects.toThrow('producer broke');
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    const q = tmp.path('never.txt');
    await expect(writeFileAtomically(q, () => Promise.reject(new AnisoError('E_IO', 'x:1: bad')))).rejects.toThrow('x:1: bad');
    expect(existsSync(q)).toBe(false);
    expect(readdirSync(tmp.dir).filter((x) => x.includes('.tmp'))).toEqual([]);
  });

  it('streams large output with back-pressure, gzip by extension', async () => {
    const p = tmp.path('big.txt.gz');
    const line = 'x'.repeat(1000) + '\n';
    await writeFileAtomically(p, async (sink) => {
      for (let k = 0; k < 5000; k++) await sink.write(line);
    });
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(readFileSync(p)).length).toBe(5000 * 1001);
  });

  it('reports a missing directory as E_IO naming the path, before running the producer', async () => {
    let ran = false;
    const p = tmp.path('no/such/dir/out.txt');
    await expect(writeFileAtomically(p, () => void (ran = true))).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining(p) });
    expect(ran).toBe(false);
  });

  it('a conversion whose input fails half-way leaves nothing at the target', async () => {
    const rand = seededRandom(9);
    const good = writeAll('extxyz', [0, 1, 2].map(() => randomFrame(rand, { n: 3 })));
    const lines = good.split('\n');
    lines[12] = lines[12]!.replace(/\S+$/, 'nan');
    const bad = tmp.path('bad-input.extxyz');
    writeFileSync(bad, lines.join('\n'));
    const out = tmp.path('converted.lammpstrj');
    await expect(writeFrames(out, readFrames(bad))).rejects.toMatchObject({ code: 'E_IO', message: `${bad}:13: column 4 (pos[2]) is 'nan', not a finite number` });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((x) => x.includes('.tmp'))).toEqual([]);
  });
});
