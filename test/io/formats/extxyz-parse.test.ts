// SPDX-License-Identifier: BSD-3-Clause
/**
 * The shared low-level pieces: strict number parsing, tokens, the comment-line parser (quotes,
 * arrays, escapes), typed info values, the i-PI header, and line splitting over chunks (CRLF,
 * chunk boundaries, multi-byte characters, gzip detection by content).
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IPI_UNITS } from '../../../src/core/units.js';
import { diameterFromSemiaxis, fromRotationMatrix, fromScalarLast, semiaxisFromDiameter, toScalarLast } from '../../../src/io/conventions.js';
import { badNumberReason, parseIpiHeader, parseKeyValues, parseReal, splitTokens, typedValue } from '../../../src/io/extxyz-parse.js';
import { isGzipFile, LineSplitter } from '../../../src/io/text-lines.js';
import type { Frame } from '../../../src/io/frame.js';
import { readFrames } from '../../../src/io/read-frames.js';
import { tempDir } from '../../support/trajectory-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('parseReal and tokens', () => {
  it('accepts decimal reals (Fortran D exponents too) and nothing else', () => {
    const ok: [string, number][] = [['1', 1], ['-2.5', -2.5], ['+.5', 0.5], ['5.', 5], ['1e-3', 1e-3], ['1.E+2', 100], ['2d3', 2000], ['-1D-2', -0.01], ['007', 7]];
    for (const [t, x] of ok) expect(parseReal(t)).toBe(x);
    for (const t of ['', ' 1', '1 ', '0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'nan', 'NaN', 'inf', '.', '-', '1e', 'e5', '1_0', '1,5', '--1']) {
      expect(parseReal(t)).toBeNaN();
    }
    expect(parseReal('1e999')).toBe(Number.POSITIVE_INFINITY);
    expect(badNumberReason('nan')).toBe('not a finite number');
    expect(badNumberReason('-Infinity')).toBe('not a finite number');
    expect(badNumberReason('1e999')).toBe('not a finite number');
    expect(badNumberReason('abc')).toBe('not a number');
  });

  it('splits on blanks and tabs', () => {
    expect(splitTokens('  a\tb  c \r')).toEqual(['a', 'b', 'c']);
    expect(splitTokens(' \t ')).toEqual([]);
    expect(splitTokens('x')).toEqual(['x']);
  });

  it('types comment values like extxyz (int, float, bool, else string)', () => {
    expect(typedValue('3')).toBe(3);
    expect(typedValue('-1.5e2')).toBe(-150);
    expect(typedValue('T')).toBe(true);
    expect(typedValue('false')).toBe(false);
    expect(typedValue('1 2 3')).toBe('1 2 3');
    expect(typedValue('rand_000')).toBe('rand_000');
  });
});

describe('conventions', () => {
  it('diameters ↔ semi-axes, scalar-last ↔ scalar-first, matrices → quaternions', () => {
    expect(semiaxisFromDiameter(3)).toBe(1.5);
    expect(diameterFromSemiaxis(1.5)).toBe(3);
    const q = new Float64Array(4);
    fromScalarLast(q, 0, [0.1, 0.2, 0.3, 0.9], 0);
    expect(Array.from(q)).toEqual([0.9, 0.1, 0.2, 0.3]);
    toScalarLast(q, 0, q, 0);
    expect(Array.from(q)).toEqual([0.1, 0.2, 0.3, 0.9]);
    fromRotationMatrix(q, 0, [-1, 0, 0, 0, -1, 0, 0, 0, 1], 0); // π about z
    expect(Array.from(q).map((x) => Math.abs(x))).toEqual([0, 0, 0, 1]);
  });
});

describe('parseKeyValues', () => {
  it('reads bare, quoted, bracketed (nested) and escaped values and bare flags', () => {
    const kv = parseKeyValues(`a=1 b="x y" c='q' d={1 2} e=[[1, 2], [3, 4]] f g="say \\"hi\\"" gb={'k':[1,2]}`, 2);
    expect(Object.fromEntries(kv)).toEqual({ a: '1', b: 'x y', c: 'q', d: '1 2', e: '[1, 2], [3, 4]', f: 'T', g: 'say "hi"', gb: "'k':[1,2]" });
  });

  it('reads i-PI headers: cell, units, Step, Bead, the quantity', () => {
    const h = parseIpiHeader('# CELL(abcABC):  10 11 12 90 90 90  Step: 7  Bead: 2 x_centroid{atomic_unit}  cell{angstrom}', 2);
    expect(Array.from(h.cell.h)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12]);
    expect(h.posScale).toBe(IPI_UNITS.bohrInAngstrom);
    expect([h.step, h.bead, h.quantity]).toEqual([7, 2, 'x_centroid']);
    expect(parseIpiHeader('# CELL(abcABC): 0 0 0 90 90 90', 2).cell.pbc).toEqual([false, false, false]);
  });
});

describe('line splitting and input', () => {
  it('joins lines across chunks and strips CR', () => {
    const s = new LineSplitter();
    expect(s.push('ab')).toEqual([]);
    expect(s.push('c\r\nde')).toEqual(['abc']);
    expect(s.push('f\n\ng\r')).toEqual(['def', '']);
    expect(s.end()).toEqual(['g']);
    expect(s.end()).toEqual([]);
  });

  it('reads CRLF files, multi-byte species across chunk boundaries, and gzip by content only', async () => {
    // the second frame's species 'Ω' (2 bytes in UTF-8) straddles the 64 KiB read-chunk boundary
    const props = 'Properties=species:S:1:pos:R:3\r\n';
    const fill = 65535 - (2 + 3 + 8 + 2 + props.length);
    const text = `1\nk=${'x'.repeat(fill)}\nA 0 0 0\n1\n${props}Ω 1 2 3\r\n`;
    expect(Buffer.from(text).indexOf(Buffer.from('Ω'))).toBe(65535);
    const p = tmp.path('crlf.extxyz');
    writeFileSync(p, text);
    const frames: Frame[] = [];
    for await (const f of readFrames(p)) frames.push(f);
    expect(frames.map((f) => f.species[0])).toEqual(['A', 'Ω']);
    expect(Array.from(frames[1]!.positions)).toEqual([1, 2, 3]);
    // named .gz but plain: read as plain; gzip named .txt: decompressed
    const fake = tmp.path('plain.extxyz.gz');
    writeFileSync(fake, '1\nplain\nA 0 0 0\n');
    expect(await isGzipFile(fake)).toBe(false);
    const real = tmp.path('packed.txt');
    writeFileSync(real, gzipSync('1\nplain\nB 1 1 1\n'));
    expect(await isGzipFile(real)).toBe(true);
    for (const [path, sp] of [[fake, 'A'], [real, 'B']] as const) {
      for await (const f of readFrames(path)) expect(f.species).toEqual([sp]);
    }
  });
});
