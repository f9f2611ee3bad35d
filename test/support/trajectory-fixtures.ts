// SPDX-License-Identifier: BSD-3-Clause
/**
 * Trajectory test fixtures: random ellipsoid frames (orthogonal or triclinic cells, orientations,
 * shapes, forces, torques), temporary directories, and the seeded mutations of the reader fuzz
 * tests (byte flips, truncations, line deletions and duplications, random tokens).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cell } from '../../src/core/cell.js';
import type { Frame, FrameInput } from '../../src/io/frame.js';
import { readFramesSync, type ReadOptions } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { randomQuaternion } from './random.js';

/** What {@link randomFrame} includes. */
export interface RandomFrameSpec {
  n: number;
  triclinic?: boolean;
  orientations?: boolean;
  shapes?: boolean;
  forces?: boolean;
  torques?: boolean;
  /** Species names to draw from (default X). */
  species?: readonly string[];
  step?: number;
  energy?: number;
}

/** A random frame in a standard-orientation cell (lower-triangular rows, positive diagonal). */
export function randomFrame(rand: () => number, spec: RandomFrameSpec): FrameInput & { positions: Float64Array; species: string[] } {
  const { n } = spec;
  const lx = 8 + 4 * rand(), ly = 9 + 4 * rand(), lz = 10 + 4 * rand();
  const rows = spec.triclinic ? [lx, 0, 0, 0.3 * lx * (rand() - 0.5), ly, 0, 0.3 * lx * (rand() - 0.5), 0.3 * ly * (rand() - 0.5), lz] : [lx, 0, 0, 0, ly, 0, 0, 0, lz];
  const cell = Cell.fromRows(rows);
  const positions = new Float64Array(3 * n);
  const s = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 3; d++) s[d] = rand();
    Cell.toCartesian(cell, s, 0, positions, 3 * i);
  }
  const pool = spec.species ?? ['X'];
  const species = Array.from({ length: n }, () => pool[Math.floor(rand() * pool.length)]!);
  const vec = () => Float64Array.from({ length: 3 * n }, () => 4 * (rand() - 0.5));
  let orientations: Float64Array | null = null;
  if (spec.orientations) {
    orientations = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) orientations.set(randomQuaternion(rand), 4 * i);
  }
  const semiaxes = spec.shapes ? Float64Array.from({ length: 3 * n }, () => 0.25 + 1.5 * rand()) : null;
  return {
    positions,
    cell,
    species,
    orientations,
    semiaxes,
    forces: spec.forces ? vec() : null,
    torques: spec.torques ? vec() : null,
    step: spec.step ?? null,
    energy: spec.energy ?? null,
  };
}

/** A fresh temporary directory and a function removing it. */
export function tempDir(tag = 'anisodrive-io-'): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), tag));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const TOKENS = ['', ' ', 'nan', 'NaN', 'inf', '-inf', '1e999', 'x', '0', '-1', '99999999999', '1e308', 'ITEM:', 'ITEM: ATOMS', 'ITEM: TIMESTEP', '"', '=', 'Lattice=', 'Properties=species:S:1', '# CELL(abcABC):', '{', '[', '\\', '\t', 'pbc="T T T"', '0x10', '1d3', '\u00e9', '\0'];

/**
 * One seeded random mutation of `text`: a byte flip, a truncation, a deleted, duplicated or swapped
 * line, a random token inserted or replacing one, or a few of these at once.
 */
export function mutate(text: string, rand: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  let t = text;
  const rounds = 1 + Math.floor(rand() * 3);
  for (let r = 0; r < rounds; r++) {
    const lines = t.split('\n');
    const li = Math.floor(rand() * lines.length);
    switch (Math.floor(rand() * 8)) {
      case 0: {
        // flip a byte (a character code) somewhere
        if (t.length === 0) break;
        const k = Math.floor(rand() * t.length);
        t = t.slice(0, k) + String.fromCharCode(t.charCodeAt(k) ^ (1 << Math.floor(rand() * 7))) + t.slice(k + 1);
        break;
      }
      case 1:
        t = t.slice(0, Math.floor(rand() * t.length));
        break;
      case 2:
        lines.splice(li, 1);
        t = lines.join('\n');
        break;
      case 3:
        lines.splice(li, 0, lines[li] ?? '');
        t = lines.join('\n');
        break;
      case 4: {
        const lj = Math.floor(rand() * lines.length);
        [lines[li], lines[lj]] = [lines[lj]!, lines[li]!];
        t = lines.join('\n');
        break;
      }
      case 5: {
        // replace a whitespace-separated token of a line
        const toks = (lines[li] ?? '').split(' ');
        toks[Math.floor(rand() * toks.length)] = pick(TOKENS);
        lines[li] = toks.join(' ');
        t = lines.join('\n');
        break;
      }
      case 6: {
        const k = Math.floor(rand() * (t.length + 1));
        t = t.slice(0, k) + pick(TOKENS) + t.slice(k);
        break;
      }
      default:
        lines.splice(li, 0, pick(TOKENS));
        t = lines.join('\n');
    }
  }
  return t;
}

/** Every frame of `text` (a whole input in memory), through the one reader. */
export function parseFrames(text: string, source = '<string>', options: ReadOptions = {}): Frame[] {
  return [...readFramesSync({ text, source }, options)];
}

/** Frames as extended XYZ text, full precision, through the one writer. */
export function extxyzText(frames: Iterable<FrameInput>): string {
  const w = new FrameWriter({ write: () => undefined }, 'extxyz');
  let text = '';
  for (const f of frames) text += w.formatFrame(f);
  return text;
}

/** Every frame of an asynchronous frame stream, in order. */
export async function collect(it: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of it) out.push(f);
  return out;
}
