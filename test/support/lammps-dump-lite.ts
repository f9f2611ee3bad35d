// SPDX-License-Identifier: BSD-3-Clause
/**
 * Test-only reader of LAMMPS text dumps of ellipsoids (`ITEM: ATOMS id type x y z quatw quati
 * quatj quatk`, or the `c_q[1..4]` names), orthogonal boxes only: the whole file in memory, frames
 * as arrays. Independent of `src/io` so that the analysis tests check against the shared reference
 * data whatever state the streaming readers are in.
 */
import { readFileSync } from 'node:fs';
import { Cell } from '../../src/core/cell.js';

/** One dump frame. */
export interface DumpFrame {
  step: number;
  n: number;
  cell: Cell;
  /** Box origin (lo per axis). */
  origin: [number, number, number];
  /** Positions minus the box origin, 3n, sorted by id. */
  positions: Float64Array;
  /** Quaternions (w, x, y, z), 4n, as dumped (not normalised). */
  orientations: Float64Array;
}

/** All frames of `path`. */
export function readLammpsDumpLite(path: string): DumpFrame[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const frames: DumpFrame[] = [];
  let l = 0;
  while (l < lines.length) {
    if (!lines[l]!.startsWith('ITEM: TIMESTEP')) {
      l++;
      continue;
    }
    const step = Number(lines[l + 1]);
    const n = Number(lines[l + 3]);
    const lo: number[] = [], len: number[] = [];
    for (let d = 0; d < 3; d++) {
      const [a, b] = lines[l + 5 + d]!.trim().split(/\s+/).map(Number);
      lo.push(a!);
      len.push(b! - a!);
    }
    const cols = lines[l + 8]!.trim().split(/\s+/).slice(2);
    const ix = cols.indexOf('x'), iid = cols.indexOf('id');
    let iw = cols.indexOf('quatw');
    if (iw < 0) iw = cols.indexOf('c_q[1]');
    const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n);
    for (let k = 0; k < n; k++) {
      const tok = lines[l + 9 + k]!.trim().split(/\s+/);
      const i = Number(tok[iid]) - 1;
      for (let d = 0; d < 3; d++) positions[3 * i + d] = Number(tok[ix + d]) - lo[d]!;
      for (let d = 0; d < 4; d++) orientations[4 * i + d] = Number(tok[iw + d]);
    }
    frames.push({ step, n, cell: Cell.orthorhombic(len[0]!, len[1]!, len[2]!), origin: [lo[0]!, lo[1]!, lo[2]!], positions, orientations });
    l += 9 + n;
  }
  return frames;
}

/** Rows of a CSV file with a header, as numbers (`nan` → NaN), keyed by column. */
export function readCsv(path: string): { head: string[]; rows: number[][]; col(name: string): number[] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const rows = lines.slice(1).map((line) => line.split(',').map((t) => (t.trim().toLowerCase() === 'nan' ? Number.NaN : Number(t))));
  return {
    head,
    rows,
    col(name: string) {
      const k = head.indexOf(name);
      if (k < 0) throw new Error(`no column ${name} in ${path} (${head.join(',')})`);
      return rows.map((r) => r[k]!);
    },
  };
}
