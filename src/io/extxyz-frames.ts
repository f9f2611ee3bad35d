// SPDX-License-Identifier: BSD-3-Clause
/**
 * A multi-frame reader of labelled ellipsoid data in extended XYZ (training and prediction sets),
 * built on the comment-line and `Properties` parsing of `xyz-reader-lite.ts`. Streaming-friendly:
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
 * Errors are `AnisoError('E_IO')` with `source:line: what is wrong` (lines from 1).
 */
import type { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { cellFromKeyValues, parseColumns, parseKeyValues, parseReal, XyzParseError, type Column } from './xyz-reader-lite.js';

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
export const ORIENTATION_KEYS: readonly string[] = Object.freeze(['c_q', 'quat', 'quaternion', 'quaternions']);

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

const normaliseName = (name: string) => name.replace(/\\/g, '');

function findColumn(cols: Column[], name: string, count: number, line: number): Column | null {
  const c = cols.find((x) => normaliseName(x.name) === name);
  if (!c) return null;
  if (c.type !== 'R' || c.count !== count) {
    throw new XyzParseError(line, `column '${c.name}' is ${c.type}:${c.count}, expected R:${count}`);
  }
  return c;
}

function diameterColumns(cols: Column[], line: number): Column[] | null {
  for (const spell of [(k: number) => `c_diameter[${k}]`, (k: number) => `c_diameter${k}`]) {
    const found = [1, 2, 3].map((k) => findColumn(cols, spell(k), 1, line));
    if (found.every((c) => c !== null)) return found as Column[];
    if (found.some((c) => c !== null)) {
      throw new XyzParseError(line, `only some of ${spell(1)}, ${spell(2)}, ${spell(3)} are present; all three diameters are needed`);
    }
  }
  return null;
}

/**
 * Read frames from `lines` (module doc), one at a time. `source` names the input in messages.
 * @throws AnisoError `E_IO` with `source:line: …` on the first malformed frame
 */
export function* readLabelledFrames(lines: Iterable<string>, source: string, options: LabelledFrameOptions = {}): Generator<LabelledFrame> {
  const it = lines[Symbol.iterator]();
  let lineNo = 0;
  const next = (): string | undefined => {
    const r = it.next();
    if (r.done) return undefined;
    lineNo++;
    return r.value;
  };
  let index = 0;
  try {
    for (;;) {
      let head = next();
      while (head !== undefined && head.trim() === '') head = next();
      if (head === undefined) return;
      const start = lineNo;
      const first = head.trim();
      if (!/^\d+$/.test(first)) throw new XyzParseError(start, `expected the atom count of frame ${index}, found '${first.slice(0, 40)}'`);
      const n = Number(first);
      const comment = next();
      if (comment === undefined) throw new XyzParseError(start + 1, `file ends before the comment line of frame ${index}`);
      yield parseFrame(n, comment, start, index, next, () => lineNo, options);
      index++;
    }
  } catch (err) {
    if (err instanceof XyzParseError) throw new AnisoError('E_IO', `${source}:${err.line}: ${err.reason}`);
    throw err;
  }
}

function parseFrame(
  n: number,
  comment: string,
  start: number,
  index: number,
  next: () => string | undefined,
  lineNo: () => number,
  o: LabelledFrameOptions,
): LabelledFrame {
  const cl = start + 1;
  const kv = parseKeyValues(comment.trim(), cl);
  const cell = cellFromKeyValues(kv, cl);
  const props = kv.get('Properties') ?? 'species:S:1:pos:R:3';
  const cols = parseColumns(props, cl);
  const nColumns = cols.reduce((s, c) => s + c.count, 0);
  const species = cols.find((c) => c.name === 'species');
  if (!species || species.type !== 'S' || species.count !== 1) throw new XyzParseError(cl, `Properties needs species:S:1 (got '${props}')`);
  const pos = findColumn(cols, 'pos', 3, cl);
  if (!pos) throw new XyzParseError(cl, `Properties needs pos:R:3 (got '${props}')`);
  const ellipsoids = o.ellipsoids ?? true;

  const key = o.orientationKey ?? 'auto';
  let quat: Column | null = null;
  if (key === 'auto') {
    for (const k of ORIENTATION_KEYS) if ((quat = findColumn(cols, k, 4, cl))) break;
    if (!quat && ellipsoids) throw new XyzParseError(cl, `no orientation column: none of ${ORIENTATION_KEYS.join(', ')} in Properties (set the orientation key)`);
  } else {
    quat = findColumn(cols, key, 4, cl);
    if (!quat && ellipsoids) throw new XyzParseError(cl, `orientation column '${key}' (R:4) is not in Properties '${props}'`);
  }
  const semi = o.semiaxes ? null : findColumn(cols, 'semiaxes', 3, cl);
  const diam = o.semiaxes || semi ? null : diameterColumns(cols, cl);
  if (ellipsoids && !o.semiaxes && !semi && !diam) {
    throw new XyzParseError(cl, `no shape: neither semiaxes:R:3 nor c_diameter[1..3] in Properties, and no semi-axes given`);
  }
  const forcesCol = findColumn(cols, o.forcesKey ?? 'forces', 3, cl);
  const torquesCol = findColumn(cols, o.torquesKey ?? 'torques', 3, cl);

  const info: Record<string, string> = {};
  for (const [k, v] of kv) if (k !== 'Properties' && k !== 'Lattice' && k !== 'pbc') info[k] = v;
  const energyKey = o.energyKey ?? 'energy';
  let energy: number | null = null;
  if (kv.has(energyKey)) {
    energy = parseReal(kv.get(energyKey)!);
    if (!Number.isFinite(energy)) throw new XyzParseError(cl, `${energyKey}='${kv.get(energyKey)}' is not a number`);
  }
  let virial: Float64Array | null = null;
  const virialKey = o.virialKey ?? 'virial';
  if (kv.has(virialKey)) {
    const tokens = kv.get(virialKey)!.replace(/[[\]]/g, ' ').split(/[\s,]+/).filter((t) => t !== '');
    virial = Float64Array.from(tokens.map(parseReal));
    if (virial.length !== 9 || virial.some((x) => !Number.isFinite(x))) throw new XyzParseError(cl, `${virialKey} must be 9 numbers (3×3 row-major), got '${kv.get(virialKey)}'`);
  }

  const speciesOut: string[] = new Array<string>(n);
  const positions = new Float64Array(3 * n);
  const orientations = quat ? new Float64Array(4 * n) : null;
  const semiaxes = o.semiaxes || semi || diam ? new Float64Array(3 * n) : null;
  const forces = forcesCol ? new Float64Array(3 * n) : null;
  const torques = torquesCol ? new Float64Array(3 * n) : null;
  const order = o.quaternionOrder ?? 'wxyz';
  for (let i = 0; i < n; i++) {
    const raw = next();
    const ln = lineNo();
    if (raw === undefined) throw new XyzParseError(ln + 1, `file ends after ${i} of ${n} particle lines of frame ${index}`);
    const tokens = raw.trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length !== nColumns) throw new XyzParseError(ln, `found ${tokens.length} columns, expected ${nColumns} (Properties=${props})`);
    const real = (c: Column, j: number): number => {
      const x = parseReal(tokens[c.start + j]!);
      if (!Number.isFinite(x)) throw new XyzParseError(ln, `column ${c.start + j + 1} (${c.name}${c.count > 1 ? `[${j}]` : ''}) is '${tokens[c.start + j]}', not a number`);
      return x;
    };
    speciesOut[i] = tokens[species.start]!;
    for (let a = 0; a < 3; a++) positions[3 * i + a] = real(pos, a);
    if (quat && orientations) {
      const q = [real(quat, 0), real(quat, 1), real(quat, 2), real(quat, 3)];
      const [w, x, y, z] = order === 'wxyz' ? q : [q[3]!, q[0]!, q[1]!, q[2]!];
      const norm = Math.hypot(w!, x!, y!, z!);
      if (!(norm > 1e-8)) throw new XyzParseError(ln, `orientation of particle ${i} is a zero quaternion`);
      orientations.set([w! / norm, x! / norm, y! / norm, z! / norm], 4 * i);
    }
    if (semiaxes) {
      for (let a = 0; a < 3; a++) {
        const v = o.semiaxes ? o.semiaxes[a]! : semi ? real(semi, a) : real(diam![a]!, 0) / 2;
        if (!(v > 0)) throw new XyzParseError(ln, `semi-axis ${a + 1} of particle ${i} is ${v}; shapes must be > 0`);
        semiaxes[3 * i + a] = v;
      }
    }
    if (forces && forcesCol) for (let a = 0; a < 3; a++) forces[3 * i + a] = real(forcesCol, a);
    if (torques && torquesCol) for (let a = 0; a < 3; a++) torques[3 * i + a] = real(torquesCol, a);
  }
  return { index, line: start, n, species: speciesOut, positions, cell, orientations, semiaxes, energy, forces, torques, virial, info };
}

/** Read every frame of `text` (see {@link readLabelledFrames}). */
export function parseLabelledXyz(text: string, source = '<string>', options: LabelledFrameOptions = {}): LabelledFrame[] {
  return [...readLabelledFrames(linesOf(text), source, options)];
}
