// SPDX-License-Identifier: BSD-3-Clause
/**
 * A multi-frame reader of labelled ellipsoid data in extended XYZ (training and prediction sets),
 * built on the frame parser of `xyz-frames.ts` (itself on `extxyz-parse.ts`). Streaming-friendly:
 * {@link readLabelledFrames} consumes an iterable of lines and yields one frame at a time.
 *
 * Per frame it reads (STYLE.md B3, ANISOAP.md §15):
 * - `species:S:1`, `pos:R:3` (required); the cell from `Lattice` / `pbc`;
 * - the orientation, 4 reals per particle, from the column `orientationKey` — by default the first
 *   of `c_q`, `quat`, `quaternion`, `quaternions` present — in the order `quaternionOrder`
 *   (`'wxyz'`, default, or `'xyzw'`), normalised, body → lab;
 * - the shape: `semiaxes:R:3` (semi-axes), or the **diameters** `c_diameter[1..3]` (also the
 *   escaped `c_diameter\[k\]` and the bracket-less `c_diameter1` spellings; halved), or an override
 *   (`semiaxes` option) that wins over the file;
 * - labels: the frame energy from the comment key `energyKey` (default `energy`), forces and
 *   torques from `forcesKey` / `torquesKey` columns (R:3; defaults `forces`, `torques`), the virial
 *   from the comment key `virialKey` (default `virial`, 9 numbers row-major). Absent labels are null.
 *
 * The frame parser also accepts atomic numbers `Z:I:1` instead of species, 9-wide rotation-matrix
 * orientation columns, a file's `quat_order=xyzw…` when no order is given, and i-PI headers.
 *
 * Errors are `AnisoError('E_IO')` with `source:line: what is wrong` (lines from 1).
 */
import type { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { XyzParseError } from './extxyz-parse.js';
import { ORIENTATION_KEYS, XyzFrameParser } from './xyz-frames.js';

/** Options of {@link readLabelledFrames}. */
export interface LabelledFrameOptions {
  /** Orientation column, or `'auto'` (default): the first of c_q, quat, quaternion, quaternions. */
  orientationKey?: string;
  /** Component order of the orientation column (default `'wxyz'`). */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** Semi-axes for every particle, overriding the file (length unit of the file). */
  semiaxes?: readonly [number, number, number] | null;
  /** Frame energy key (default `energy`). */
  energyKey?: string;
  /** Force column (default `forces`). */
  forcesKey?: string;
  /** Torque column (default `torques`). */
  torquesKey?: string;
  /** Virial key (default `virial`). */
  virialKey?: string;
  /** Require orientations and shapes (default true); false reads point particles too. */
  ellipsoids?: boolean;
}

/** One frame read. Arrays are particle-major. */
export interface LabelledFrame {
  /** Frame index in the file (from 0). */
  index: number;
  /** Line of the atom-count line (from 1). */
  line: number;
  n: number;
  species: string[];
  positions: Float64Array;
  cell: Cell;
  /** Unit quaternions (w, x, y, z), body → lab; null when absent (point particles). */
  orientations: Float64Array | null;
  /** Semi-axes (3n); null when absent. */
  semiaxes: Float64Array | null;
  energy: number | null;
  forces: Float64Array | null;
  torques: Float64Array | null;
  virial: Float64Array | null;
  /** Other comment pairs, raw strings. */
  info: Record<string, string>;
}

/** Orientation columns tried by `'auto'`, in order. */
export { ORIENTATION_KEYS };

/** Lines of a text, without line ends (a lazy iterable; `\r\n` tolerated). */
export function* linesOf(text: string): Generator<string> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    yield line.endsWith('\r') ? line.slice(0, -1) : line;
    start = end + 1;
  }
}

/**
 * Read frames from `lines` (module doc), one at a time. `source` names the input in messages.
 * @throws AnisoError `E_IO` with `source:line: …` on the first malformed frame
 */
export function* readLabelledFrames(lines: Iterable<string>, source: string, options: LabelledFrameOptions = {}): Generator<LabelledFrame> {
  const ellipsoids = options.ellipsoids ?? true;
  const parser = new XyzFrameParser({
    ...options,
    requireOrientations: ellipsoids,
    requireShapes: ellipsoids,
  });
  try {
    for (const line of lines) {
      const f = parser.push(line);
      if (f === null) continue;
      const info: Record<string, string> = {};
      for (const [k, v] of f.info) info[k] = v;
      yield {
        index: f.index,
        line: f.line,
        n: f.n,
        species: f.species,
        positions: f.positions,
        cell: f.cell,
        orientations: f.orientations,
        semiaxes: f.semiaxes,
        energy: f.energy,
        forces: f.forces,
        torques: f.torques,
        virial: f.virial,
        info,
      };
    }
    parser.end();
  } catch (err) {
    if (err instanceof XyzParseError) throw new AnisoError('E_IO', `${source}:${err.line}: ${err.reason}`);
    throw err;
  }
}

/** Read every frame of `text` (see {@link readLabelledFrames}). */
export function parseLabelledXyz(text: string, source = '<string>', options: LabelledFrameOptions = {}): LabelledFrame[] {
  return [...readLabelledFrames(linesOf(text), source, options)];
}
