// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fuzz tests of each reader (extended XYZ, LAMMPS dump, i-PI xyz): seeded random mutations of valid
 * files (byte flips, truncations, deleted / duplicated / swapped lines, random tokens). The reader
 * must either return frames — all finite, unit quaternions, consistent sizes — or throw
 * `AnisoError('E_IO')` whose message starts with `file:line:`; never hang, never throw anything
 * else. Bounded iterations, through the synchronous path and through files (plain and gzip).
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import type { Frame } from '../../src/io/frame.js';
import { readFrames } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { seededRandom } from '../support/random.js';
import { mutate, parseFrames, randomFrame, tempDir } from '../support/trajectory-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

function validFile(format: string, seed: number): string {
  const rand = seededRandom(seed);
  const chunks: string[] = [];
  const w = new FrameWriter({ write: (t) => void chunks.push(t) }, format, { precision: 8 });
  for (let k = 0; k < 3; k++) {
    w.writeFrame(randomFrame(rand, { n: 3 + k, triclinic: k === 1, orientations: true, shapes: true, forces: format !== 'ipi', torques: k === 2, species: ['A', 'B'], step: 10 * k, energy: format === 'extxyz' ? -k : undefined }));
  }
  let text = chunks.join('');
  if (format === 'lammps') {
    // unsorted ids in the mix (the reader sorts them)
    text = text.replace(/\n1 (\d) /, '\n9 $1 ');
  }
  return text;
}

function checkFrame(f: Frame): void {
  const finite = (a: ArrayLike<number> | undefined, len: number) => {
    if (a === undefined) return;
    expect(a.length).toBe(len);
    for (let k = 0; k < a.length; k++) expect(Number.isFinite(a[k]!)).toBe(true);
  };
  expect(Number.isInteger(f.n) && f.n >= 0).toBe(true);
  finite(f.positions, 3 * f.n);
  finite(f.cell.h, 9);
  finite(f.orientations, 4 * f.n);
  finite(f.semiaxes, 3 * f.n);
  finite(f.forces, 3 * f.n);
  finite(f.torques, 3 * f.n);
  expect(f.species.length).toBe(f.n);
  expect(f.types.length).toBe(f.n);
  if (f.orientations) for (let i = 0; i < f.n; i++) expect(Math.abs(Math.hypot(...f.orientations.subarray(4 * i, 4 * i + 4)) - 1)).toBeLessThan(1e-12);
  if (f.semiaxes) for (const s of f.semiaxes) expect(s).toBeGreaterThanOrEqual(0);
  if (f.energy !== undefined) expect(Number.isFinite(f.energy)).toBe(true);
  expect(f.source).toMatch(/^.+:\d+$/);
}

/** Classify one outcome: 'frames' or 'error'; anything else fails the test. */
function judge(run: () => Frame[], source: string): 'frames' | 'error' {
  let frames: Frame[];
  try {
    frames = run();
  } catch (e) {
    if (!(e instanceof AnisoError) || e.code !== 'E_IO') throw new Error(`not an E_IO AnisoError: ${String(e)}`, { cause: e });
    expect(e.message.startsWith(`${source}:`)).toBe(true);
    expect(e.message.slice(source.length)).toMatch(/^:\d+: \S/);
    return 'error';
  }
  frames.forEach(checkFrame);
  return 'frames';
}

/** `ANISODRIVE_FUZZ_SCALE=50 npx vitest run test/io/read-fuzz.test.ts` for a longer campaign. */
const SCALE = Math.max(1, Number(process.env.ANISODRIVE_FUZZ_SCALE ?? 1) || 1);
const FORMATS: [string, number][] = [
  ['extxyz', 1000 * SCALE],
  ['lammps', 1000 * SCALE],
  ['ipi', 600 * SCALE],
];

describe('fuzz: mutated valid files never crash a reader', () => {
  for (const [format, iterations] of FORMATS) {
    it(`${format}: ${iterations} mutations (synchronous path; auto and forced format)`, () => {
      const base = validFile(format, 100 + iterations);
      // the unmutated file reads back
      expect(judge(() => parseFrames(base, 'fz'), 'fz')).toBe('frames');
      expect(parseFrames(base, 'fz')).toHaveLength(3);
      const rand = seededRandom(format.length * 7919 + SCALE);
      const tally = { frames: 0, error: 0 };
      const t0 = Date.now();
      for (let k = 0; k < iterations; k++) {
        const text = mutate(base, rand);
        const options = k % 2 === 0 ? {} : { format };
        tally[judge(() => parseFrames(text, 'fz', options), 'fz')]++;
      }
      expect(Date.now() - t0).toBeLessThan(20_000 * SCALE);
      // both outcomes occur: the mutations are neither all harmless nor all fatal
      expect(tally.frames).toBeGreaterThan(iterations / 100);
      expect(tally.error).toBeGreaterThan(iterations / 2);
    });

    it(`${format}: mutated files and gzip streams through readFrames`, async () => {
      const base = validFile(format, 7);
      const rand = seededRandom(format.length * 104729);
      const outcomes = new Set<string>();
      for (let k = 0; k < 24; k++) {
        const text = mutate(base, rand);
        let bytes: Buffer = Buffer.from(text);
        const gz = k % 3 === 0;
        if (gz) {
          bytes = gzipSync(bytes);
          if (k % 2 === 0) bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8); // corrupt the stream itself
        }
        const path = tmp.path(`fuzz-${format}-${k}${gz ? '.gz' : ''}`);
        writeFileSync(path, bytes);
        const frames: Frame[] = [];
        let outcome: string;
        try {
          for await (const f of readFrames(path)) frames.push(f);
          frames.forEach(checkFrame);
          outcome = 'frames';
        } catch (e) {
          if (!(e instanceof AnisoError) || e.code !== 'E_IO') throw new Error(`not an E_IO AnisoError: ${String(e)}`, { cause: e });
          expect(e.message.slice(0, path.length + 1)).toBe(`${path}:`);
          expect(e.message.slice(path.length)).toMatch(/^:\d+: \S/);
          outcome = 'error';
        }
        outcomes.add(outcome);
      }
      expect(outcomes.size).toBeGreaterThan(0);
    });
  }
});
