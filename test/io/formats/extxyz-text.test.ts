// SPDX-License-Identifier: BSD-3-Clause
/**
 * Extended XYZ text: the column-level formatter (`formatExtxyzText`), the engine's frames through
 * the `FrameWriter` (velocities, masses, 10 digits) and back through the one reader.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../../src/core/cell.js';
import { AnisoError } from '../../../src/core/errors.js';
import { formatExtxyzText } from '../../../src/io/formats/extxyz-text.js';
import type { FrameInput } from '../../../src/io/frame.js';
import { readFramesSync } from '../../../src/io/read-frames.js';
import { FrameWriter } from '../../../src/io/write-frames.js';

const formatExtxyzFrame = formatExtxyzText;
/** One frame through the extxyz FrameWriter (default precision here: 10 digits, as the engine writes). */
const writeOne = (frame: FrameInput, precision: number | 'full' = 10) => new FrameWriter({ write: () => undefined }, 'extxyz', { precision }).formatFrame(frame);
const readOne = (text: string, source = '<string>') => readFramesSync({ text, source }).next().value!;

const triclinic = Cell.fromRows([10.5, 0, 0, 2.1, 9.75, 0, -1.3, 0.7, 11.2]);

function randomish(n: number, scale: number, offset = 0): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = scale * Math.sin(1.7 * k + 0.3 + offset) * (1 + k / 7) + (k % 3) * 1e-9;
  return out;
}

describe('extxyz text', () => {
  it('writes the ASE/libAtoms layout: count, Lattice rows, Properties, info in order, pbc last', () => {
    const text = writeOne({
      species: ['Ar', 'He'],
      positions: [0, 0.1, -1e-7, 1 / 3, 2.5, 123456.789],
      cell: Cell.orthorhombic(10, 11, 12.5),
      velocities: [0.001, 0, 0, -0.002, 1e-5, 0],
      step: 3,
      energy: -0.123456789012345,
      info: { time: 1.5, conserved: -0.1, label: 'run one', ok: true, dipole: [0.1, 0, -2] },
    });
    const lines = text.split('\n');
    expect(lines).toHaveLength(5); // 2 header lines, 2 atoms, trailing newline
    expect(lines[0]).toBe('2');
    expect(lines[1]).toBe(
      'Lattice="10 0 0 0 11 0 0 0 12.5" Properties=species:S:1:pos:R:3:velo:R:3 step=3 energy=-0.123456789 ' +
        'time=1.5 conserved=-0.1 label="run one" ok=T dipole="0.1 0 -2" pbc="T T T"',
    );
    expect(lines[2]!.trim().split(/\s+/)).toEqual(['Ar', '0', '0.1', '-1e-7', '0.001', '0', '0']);
    expect(lines[3]!.trim().split(/\s+/)).toEqual(['He', '0.3333333333', '2.5', '123456.789', '-0.002', '0.00001', '0']);
    expect(lines[4]).toBe('');
  });

  it('omits Lattice for an open cell and writes partial periodicity as given', () => {
    const open = formatExtxyzFrame({ species: ['X'], positions: [1, 2, 3], cell: Cell.open() });
    expect(open.split('\n')[1]).toBe('Properties=species:S:1:pos:R:3 pbc="F F F"');
    const slab = formatExtxyzFrame({ species: ['X'], positions: [1, 2, 3], cell: Cell.fromRows([5, 0, 0, 0, 5, 0, 0, 0, 30], [true, true, false]) });
    expect(slab.split('\n')[1]).toBe('Lattice="5 0 0 0 5 0 0 0 30" Properties=species:S:1:pos:R:3 pbc="T T F"');
  });

  it('round-trips species, positions, lattice, velocities and masses exactly with precision "full"', () => {
    const n = 7;
    const frame = {
      species: ['C', 'O', 'H', 'H', 'CG1', 'Na', 'Cl'],
      positions: randomish(3 * n, 12.3),
      velocities: randomish(3 * n, 0.01, 5),
      masses: Float64Array.from([12.011, 15.999, 1.008, 1.008, 72.1, 22.99, 35.45]),
      cell: triclinic,
      step: 120,
      energy: -3.25e-3,
      info: { time: 60.0000001 },
    };
    const back = readOne(writeOne(frame, 'full'), 'rt.extxyz');
    expect(back.species).toEqual(frame.species);
    expect(Array.from(back.positions)).toEqual(Array.from(frame.positions));
    expect(Array.from(back.velocities!)).toEqual(Array.from(frame.velocities));
    expect(Array.from(back.masses!)).toEqual(Array.from(frame.masses));
    expect(Array.from(back.cell.h)).toEqual(Array.from(triclinic.h));
    expect(back.cell.pbc).toEqual([true, true, true]);
    expect(back.info).toEqual({ time: 60.0000001 });
    expect(back.step).toBe(120);
    expect(back.energy).toBe(-0.00325);
  });

  it('keeps 10 significant digits by default (relative error ≤ 5e-10) and honours other precisions', () => {
    const positions = randomish(30, 7.77);
    const text = formatExtxyzFrame({ species: new Array<string>(10).fill('Si'), positions, cell: triclinic });
    const back = readOne(text);
    for (let k = 0; k < 30; k++) {
      expect(Math.abs(back.positions[k]! - positions[k]!)).toBeLessThanOrEqual(5e-10 * Math.abs(positions[k]!));
    }
    const p4 = formatExtxyzFrame({ species: ['A'], positions: [Math.PI, -Math.E, 1e-12 / 3], cell: Cell.open() }, { precision: 4 });
    expect(p4.split('\n')[2]!.trim().split(/\s+/)).toEqual(['A', '3.142', '-2.718', '3.333e-13']);
  });

  it('writes extra columns (the reader takes c_q as orientations and skips the others)', () => {
    const text = formatExtxyzFrame({
      species: ['A', 'B'], positions: [0, 0, 0, 1, 1, 1], cell: Cell.orthorhombic(4, 4, 4),
      columns: [
        { name: 'c_q', type: 'R', width: 4, values: [1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5] },
        { name: 'id', type: 'I', width: 1, values: [10, 11] },
        { name: 'mol', type: 'S', width: 1, values: ['w1', 'w2'] },
        { name: 'fixed', type: 'L', width: 1, values: [true, false] },
      ],
    });
    expect(text.split('\n')[1]).toContain('Properties=species:S:1:pos:R:3:c_q:R:4:id:I:1:mol:S:1:fixed:L:1');
    expect(text.split('\n')[3]!.trim().split(/\s+/)).toEqual(['B', '1', '1', '1', '0.5', '0.5', '0.5', '0.5', '11', 'w2', 'F']);
    const r = readOne(text, 'cols.extxyz');
    expect(Array.from(r.positions)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(r.orientations!)).toEqual([1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]);
    expect(Object.keys(r)).not.toContain('velocities');
  });

  it('refuses what it cannot write unquoted or consistently', () => {
    const base = { species: ['A'], positions: [0, 0, 0], cell: Cell.open() };
    const code = (f: () => unknown) => { try { f(); } catch (e) { return [(e as AnisoError).code, (e as Error).message]; } return null; };
    expect(code(() => formatExtxyzFrame({ ...base, species: ['A B'] }))).toEqual(['E_ARG', expect.stringMatching(/species of site 0 is "A B"/)]);
    expect(code(() => formatExtxyzFrame({ ...base, positions: [0, 0] }))).toEqual(['E_SIZE', expect.stringMatching(/positions .* length 2, expected 3/)]);
    expect(code(() => writeOne({ ...base, velocities: [0] }))).toEqual(['E_SIZE', expect.stringMatching(/velocities/)]);
    expect(code(() => writeOne({ ...base, masses: [1, 2] }))).toEqual(['E_SIZE', expect.stringMatching(/masses/)]);
    expect(code(() => formatExtxyzFrame({ ...base, info: { pbc: 'T' } }))).toEqual(['E_ARG', expect.stringMatching(/'pbc' is reserved/)]);
    expect(code(() => formatExtxyzFrame({ ...base, info: { 'bad key': 1 } }))).toEqual(['E_ARG', expect.stringMatching(/not a plain name/)]);
    expect(code(() => formatExtxyzFrame({ ...base, info: { note: 'say "hi"' } }))).toEqual(['E_ARG', expect.stringMatching(/quote/)]);
    expect(code(() => formatExtxyzFrame(base, { precision: 0 }))).toEqual(['E_ARG', expect.stringMatching(/precision is 0; allowed: an integer 1–17 or 'full'/)]);
    expect(code(() => formatExtxyzFrame({ ...base, columns: [{ name: 'id', type: 'I', width: 1, values: [1.5] }] }))).toEqual(['E_ARG', expect.stringMatching(/not an integer/)]);
    expect(code(() => formatExtxyzFrame({ ...base, columns: [{ name: 'pos', type: 'R', width: 3, values: [1, 2, 3] }] }))).toEqual(['E_ARG', expect.stringMatching(/given twice/)]);
    expect(code(() => formatExtxyzFrame({ ...base, columns: [{ name: 'q', type: 'R', width: 2, values: [1] }] }))).toEqual(['E_SIZE', expect.stringMatching(/expected 2/)]);
  });
});

describe('FrameWriter (extxyz)', () => {
  it('streams one write per frame and counts frames', async () => {
    const chunks: string[] = [];
    const w = new FrameWriter({ write: (t) => { chunks.push(t); } }, 'extxyz', { precision: 10 });
    const frame = { species: ['A'], positions: [1, 2, 3], cell: Cell.orthorhombic(5, 5, 5) };
    expect(w.writeFrame({ ...frame, step: 0 })).toBeUndefined();
    w.writeFrame({ ...frame, step: 1 });
    expect(w.framesWritten).toBe(2);
    expect(chunks.join('')).toBe(formatExtxyzFrame({ ...frame, info: { step: 0 } }) + formatExtxyzFrame({ ...frame, info: { step: 1 } }));
  });

  it('returns the sink promise so callers can await back-pressure', async () => {
    let resolved = false;
    const w = new FrameWriter({ write: () => new Promise<void>((r) => setTimeout(() => { resolved = true; r(); }, 5)) }, 'extxyz', { precision: 'full' });
    const p = w.writeFrame({ species: ['A'], positions: [1, 2, 3], cell: Cell.open() });
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(resolved).toBe(true);
  });

  it('validates options at construction', () => {
    expect(() => new FrameWriter({ write: () => undefined }, 'extxyz', { precision: 18 })).toThrow(/precision is 18/);
  });
});
