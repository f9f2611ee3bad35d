// SPDX-License-Identifier: BSD-3-Clause
/**
 * The format registry (`src/io/formats/index.ts`): every listed format round-trips a random frame
 * through its own `format` and `parser`, recognises its own output with `sniff` (and the reader
 * picks it by content), and is named by its extensions. A new format added to the list is covered
 * here without a new line; its own details go in `test/io/formats/<name>.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORMAT, FORMATS, FORMAT_NAMES, formatByName, formatFromPath, sniffFormat } from '../../../src/io/formats/index.js';
import type { Frame } from '../../../src/io/frame.js';
import { readFramesSync } from '../../../src/io/read-frames.js';
import { seededRandom } from '../../support/random.js';
import { randomFrame } from '../../support/trajectory-fixtures.js';

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[k]!)));
}

describe('format registry', () => {
  it('lists extxyz, lammps and ipi, with unique names and extensions', () => {
    expect([...FORMAT_NAMES].sort()).toEqual(['extxyz', 'ipi', 'lammps']);
    expect(new Set(FORMAT_NAMES).size).toBe(FORMATS.length);
    const exts = FORMATS.flatMap((f) => f.extensions);
    expect(new Set(exts).size).toBe(exts.length);
    expect(() => formatByName('pdb')).toThrow(/allowed: lammps, ipi, extxyz/);
    expect(sniffFormat([])).toBe(DEFAULT_FORMAT);
  });

  for (const format of FORMATS) {
    it(`${format.name}: round trip through its own formatter and parser; sniffed from its output`, () => {
      const rand = seededRandom(40 + format.name.length);
      const frames = [0, 1].map((k) => randomFrame(rand, { n: 6, triclinic: true, orientations: true, shapes: true, species: ['A', 'B'], step: 10 * k }));
      const state = { typeOf: new Map<string, number>() };
      const text = frames.map((f) => format.format(f, { precision: 'full' }, state)).join('');
      const lines = text.split('\n');
      expect(format.sniff(lines.slice(0, 2))).toBe(true);
      expect(sniffFormat(lines.slice(0, 2))).toBe(format);
      const parser = format.parser('rt', {}, false);
      const back: Frame[] = [];
      for (const line of lines) {
        const f = parser.push(line);
        if (f !== null) back.push(f);
      }
      parser.end();
      expect(back).toHaveLength(2);
      const auto = [...readFramesSync({ text, source: 'rt' })];
      frames.forEach((f, k) => {
        const b = back[k]!;
        expect(b.index).toBe(k);
        expect(b.source).toBe(`rt:${b.line}`);
        expect(b.species).toEqual(f.species);
        expect(b.step).toBe(f.step);
        close(b.positions, f.positions, 1e-13);
        close(b.cell.h, f.cell.h, 1e-13);
        if (b.orientations) close(b.orientations, f.orientations!, 1e-15);
        if (b.semiaxes) close(b.semiaxes, f.semiaxes!, 1e-15);
        expect(Array.from(auto[k]!.positions)).toEqual(Array.from(b.positions));
      });
      for (const ext of format.extensions) expect(formatFromPath(`run/traj.${ext}.gz`)).toBe(format);
    });
  }
});
