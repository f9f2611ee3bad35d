// SPDX-License-Identifier: BSD-3-Clause
/**
 * LAMMPS text dumps (`dump custom`): a push parser ({@link LammpsDumpParser}, one line at a time,
 * one frame held) and a formatter ({@link formatLammpsDumpFrame}).
 *
 * A frame is
 * ```
 * ITEM: TIMESTEP
 * 40000
 * ITEM: NUMBER OF ATOMS
 * 512
 * ITEM: BOX BOUNDS [xy xz yz] pp pp pp      (or: abc origin pp pp pp)
 * xlo_bound xhi_bound [xy]                   (or: ax ay az originx)
 * ylo_bound yhi_bound [xz]
 * zlo_bound zhi_bound [yz]
 * ITEM: ATOMS id type x y z quatw quati quatj quatk …
 * 1 1 1.9833 9.5984 9.1124 -0.35346 0.10792 0.01762 0.92904
 * ```
 * (`ITEM: UNITS` and `ITEM: TIME` may come first; they go to `info.units`, `info.time`.)
 *
 * Reading, in internal conventions (docs/CONVENTIONS.md §2):
 * - The box: orthogonal, or triclinic with the bounding-box bounds converted per the LAMMPS docs
 *   (`xlo = xlo_bound − min(0, xy, xz, xy+xz)`, `xhi = xhi_bound − max(0, xy, xz, xy+xz)`,
 *   `ylo = ylo_bound − min(0, yz)`, `yhi = yhi_bound − max(0, yz)`), lattice rows
 *   `a = (xhi−xlo, 0, 0)`, `b = (xy, yhi−ylo, 0)`, `c = (xz, yz, zhi−zlo)`; or the general
 *   triclinic `abc origin` form (rows as written). Periodic where the flag is `pp`.
 * - Positions are **relative to the box origin** `(xlo, ylo, zlo)`: `x − xlo` for `x`/`xu` columns,
 *   `s · h` for scaled `xs`/`xsu` columns (fractional in the tilted box for triclinic boxes), so that
 *   the cell spans [0, 1)³ in fractional coordinates. Preference: `xu` (unwrapped), `xsu`, `x`, `xs`;
 *   with wrapped coordinates and image flags `ix iy iz`, the images are added (`imageFlags: 'apply'`,
 *   default) to give unwrapped positions.
 * - Orientations (w, x, y, z), body → lab, normalised (dumps carry few decimals): from
 *   `quaternionColumns` if given (four names, components in `quaternionOrder`), else
 *   `quatw quati quatj quatk` (LAMMPS ≥ 2020 keywords, scalar first), else the compute columns
 *   `c_<key>[1..4]` (`compute property/atom quatw quati quatj quatk`, scalar first unless
 *   `quaternionOrder: 'xyzw'`; key from `orientationKey`, default `q`, also `orient`, `quat`).
 * - Shapes: `shapex shapey shapez` (or `shapeColumns`, or `c_shape[1..3]`) are **diameters** and are
 *   halved into semi-axes; `radius` / `diameter` give spheres; the `semiaxes` option overrides.
 *   Point particles (shape 0) are allowed (semi-axes 0).
 * - `fx fy fz` forces, `tqx tqy tqz` torques; `element` → species (else the type as text); `type`
 *   (default 1). Rows are **sorted by `id`** when an id column exists (duplicates are errors).
 *
 * Writing: `ITEM: ATOMS id type [element] x y z [quatw quati quatj quatk] [shapex shapey shapez]
 * [fx fy fz] [tqx tqy tqz]` with the box origin at 0, shapes as diameters. A cell not in LAMMPS's
 * standard orientation (`a` along x, `b` in the xy plane) is rotated into it, with every vector and
 * orientation; left-handed and open (all-zero) cells cannot be written.
 */
import { Cell, type Pbc } from '../../core/cell.js';
import { AnisoError } from '../../core/errors.js';
import { diameterFromSemiaxis, semiaxisFromDiameter } from '../conventions.js';
import { badNumberReason, parseReal, splitTokens, XyzParseError } from '../extxyz-parse.js';
import { optional, type Frame, type FrameInput } from '../frame.js';
import { grownColumn } from '../grow-array.js';
import { rotateQuaternions, rotateVectors, standardOrientation } from '../standard-cell.js';
import { realFormatter } from './extxyz-text.js';
import type { FrameFormat, FrameParser, WriteOptions } from './format.js';

/** Options of {@link LammpsDumpParser}. */
export interface LammpsDumpOptions {
  /** Four column names of the orientation, components in `quaternionOrder`. */
  quaternionColumns?: readonly [string, string, string, string];
  /** Order of anonymous quaternion columns (`quaternionColumns`, `c_q[1..4]`); default `'wxyz'`. */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** The compute of `c_<key>[1..4]` orientation columns (with or without `c_`); default tries q, orient, quat. */
  orientationKey?: string;
  /** Three column names of the shape, **diameters** (halved). */
  shapeColumns?: readonly [string, string, string];
  /** Semi-axes for every particle, overriding the file. */
  semiaxes?: readonly [number, number, number] | null;
  /** Add image flags to wrapped coordinates (`'apply'`, default) or not. */
  imageFlags?: 'apply' | 'ignore';
  /** Require a fully periodic box (`pp pp pp`). */
  requireCell?: boolean;
}

const ITEMS = ['TIMESTEP', 'NUMBER OF ATOMS', 'BOX BOUNDS', 'ATOMS', 'UNITS', 'TIME'] as const;
type Item = (typeof ITEMS)[number];

interface Layout {
  text: string;
  ncols: number;
  names: string[];
  id: number;
  type: number;
  element: number;
  pos: [number, number, number];
  scaled: boolean;
  img: [number, number, number] | null;
  /** Column indices of w, x, y, z. */
  quat: [number, number, number, number] | null;
  shape: [number, number, number] | null;
  /** Shape columns hold diameters (else radii, used as they are). */
  diameters: boolean;
  force: [number, number, number] | null;
  torque: [number, number, number] | null;
}

interface Box {
  cell: Cell;
  origin: [number, number, number];
}

/**
 * The cell and origin of a LAMMPS box from its BOX BOUNDS lines (module doc).
 * @param lines three rows of 2 (orthogonal) or 3 (triclinic / general) numbers — for the general
 *   form, 4 (`ax ay az origin`)
 * @param kind `'orthogonal'`, `'triclinic'` (xy xz yz) or `'general'` (abc origin)
 * @throws AnisoError `E_CELL` for a degenerate box
 */
export function lammpsBoxToCell(lines: readonly (readonly number[])[], kind: 'orthogonal' | 'triclinic' | 'general', pbc: Pbc): Box {
  const [r0, r1, r2] = lines as [number[], number[], number[]];
  if (kind === 'general') {
    const cell = Cell.fromRows([r0[0]!, r0[1]!, r0[2]!, r1[0]!, r1[1]!, r1[2]!, r2[0]!, r2[1]!, r2[2]!], pbc);
    return { cell, origin: [r0[3]!, r1[3]!, r2[3]!] };
  }
  let [xlo, xhi] = [r0[0]!, r0[1]!];
  let [ylo, yhi] = [r1[0]!, r1[1]!];
  const [zlo, zhi] = [r2[0]!, r2[1]!];
  let xy = 0, xz = 0, yz = 0;
  if (kind === 'triclinic') {
    xy = r0[2]!;
    xz = r1[2]!;
    yz = r2[2]!;
    xlo -= Math.min(0, xy, xz, xy + xz);
    xhi -= Math.max(0, xy, xz, xy + xz);
    ylo -= Math.min(0, yz);
    yhi -= Math.max(0, yz);
  }
  for (const [lo, hi, axis] of [[xlo, xhi, 'x'], [ylo, yhi, 'y'], [zlo, zhi, 'z']] as const) {
    if (!(hi > lo)) throw new AnisoError('E_CELL', `box ${axis}hi ${hi} is not above ${axis}lo ${lo}${kind === 'triclinic' ? ' (after removing the tilt from the bounds)' : ''}`);
  }
  const cell = Cell.fromRows([xhi - xlo, 0, 0, xy, yhi - ylo, 0, xz, yz, zhi - zlo], pbc);
  return { cell, origin: [xlo, ylo, zlo] };
}

/**
 * The BOX BOUNDS of a cell in LAMMPS's standard orientation (lower-triangular rows), origin 0:
 * the three lines (bound pairs, plus tilts when triclinic) and whether it is triclinic.
 */
export function cellToLammpsBounds(h: ArrayLike<number>): { lines: [number, number, number][] | [number, number][]; triclinic: boolean } {
  const lx = h[0]!, xy = h[3]!, ly = h[4]!, xz = h[6]!, yz = h[7]!, lz = h[8]!;
  const triclinic = xy !== 0 || xz !== 0 || yz !== 0;
  if (!triclinic) return { lines: [[0, lx], [0, ly], [0, lz]], triclinic };
  return {
    lines: [
      [Math.min(0, xy, xz, xy + xz), lx + Math.max(0, xy, xz, xy + xz), xy],
      [Math.min(0, yz), ly + Math.max(0, yz), xz],
      [0, lz, yz],
    ],
    triclinic,
  };
}

const INITIAL_CAPACITY = 1 << 16;
const MAX_ATOMS = 2 ** 31 - 1;

/** Push parser of LAMMPS dump frames (module doc). Errors are {@link XyzParseError}s. */
export class LammpsDumpParser implements FrameParser {
  private readonly o: LammpsDumpOptions;
  private readonly source: string;
  private lineNo = 0;
  private index = 0;
  /** What the next line is: an ITEM line, or the value(s) of an item, or atom rows. */
  private expect: 'item' | Item = 'item';
  private frameStart = 0;
  private step: number | null = null;
  private n = -1;
  private boxKind: 'orthogonal' | 'triclinic' | 'general' = 'orthogonal';
  private pbc: Pbc = [true, true, true];
  private boxRows: number[][] = [];
  private box: Box | null = null;
  private info: Record<string, string | number | boolean> = {};
  private seen = new Set<Item>();
  private layout: Layout | null = null;
  private rows = 0;
  private blankAt = 0;
  private lastN = -1;
  // Per-frame buffers (grown as rows arrive).
  private cap = 0;
  private ids: Float64Array | null = null;
  private types = new Int32Array(0);
  private elements: string[] | null = null;
  private pos = new Float64Array(0);
  private quat: Float64Array | null = null;
  private shape: Float64Array | null = null;
  private force: Float64Array | null = null;
  private torque: Float64Array | null = null;

  /** @param source names the input in `frame.source` */
  constructor(source: string, options: LammpsDumpOptions = {}) {
    this.source = source;
    this.o = options;
  }

  /** Lines consumed so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  /**
   * Consume one line (without its line end); returns the frame it completes, else null.
   * @throws XyzParseError
   */
  push(line: string): Frame | null {
    const ln = ++this.lineNo;
    switch (this.expect) {
      case 'item':
        return this.item(line, ln);
      case 'TIMESTEP': {
        const t = line.trim();
        if (!/^[+-]?\d{1,18}$/.test(t)) throw new XyzParseError(ln, `TIMESTEP of frame ${this.index} is '${t.slice(0, 40)}', not an integer`);
        this.step = Number(t);
        this.expect = 'item';
        return null;
      }
      case 'TIME': {
        const t = line.trim();
        const x = parseReal(t);
        if (!Number.isFinite(x)) throw new XyzParseError(ln, `TIME of frame ${this.index} is '${t.slice(0, 40)}', ${badNumberReason(t)}`);
        this.info.time = x;
        this.expect = 'item';
        return null;
      }
      case 'UNITS':
        this.info.units = line.trim();
        this.expect = 'item';
        return null;
      case 'NUMBER OF ATOMS': {
        const t = line.trim();
        if (!/^\d+$/.test(t)) throw new XyzParseError(ln, `NUMBER OF ATOMS of frame ${this.index} is '${t.slice(0, 40)}', not a non-negative integer`);
        const n = t.length > 10 ? Number.POSITIVE_INFINITY : Number(t);
        if (n > MAX_ATOMS) throw new XyzParseError(ln, `NUMBER OF ATOMS ${t.slice(0, 20)} of frame ${this.index} is too large`);
        this.n = n;
        this.expect = 'item';
        return null;
      }
      case 'BOX BOUNDS':
        return this.boxLine(line, ln);
      case 'ATOMS':
        return this.atomLine(line, ln);
    }
  }

  /**
   * Declare the end of the input.
   * @throws XyzParseError when it ends inside a frame
   */
  end(): void {
    if (this.expect === 'ATOMS') {
      const at = this.blankAt !== 0 ? this.blankAt : this.lineNo + 1;
      throw new XyzParseError(at, `file ends after ${this.rows} of ${this.n} atom lines of frame ${this.index} (truncated frame)`);
    }
    if (this.expect !== 'item' || this.seen.size > 0) {
      throw new XyzParseError(this.lineNo + 1, `file ends inside the header of frame ${this.index} (started on line ${this.frameStart}; truncated frame)`);
    }
  }

  private item(line: string, ln: number): Frame | null {
    const t = line.trim();
    if (t === '') return null;
    if (!t.startsWith('ITEM:')) {
      const hint = this.lastN >= 0 && this.seen.size === 0 ? ` (more atom lines than NUMBER OF ATOMS = ${this.lastN} in frame ${this.index - 1}?)` : '';
      throw new XyzParseError(ln, `expected an 'ITEM:' line, found '${t.slice(0, 40)}'${hint}`);
    }
    const rest = t.slice(5).trim();
    const item = ITEMS.find((k) => rest === k || rest.startsWith(`${k} `));
    if (item === undefined) throw new XyzParseError(ln, `unknown item 'ITEM: ${rest.slice(0, 40)}'; expected one of ${ITEMS.map((k) => `ITEM: ${k}`).join(', ')}`);
    if (this.seen.size === 0) this.frameStart = ln;
    if (this.seen.has(item)) {
      throw new XyzParseError(ln, `ITEM: ${item} appears twice in frame ${this.index} (started on line ${this.frameStart}) before its ITEM: ATOMS; truncated frame?`);
    }
    this.seen.add(item);
    if (item === 'BOX BOUNDS') {
      const flags = rest.slice(10).trim().split(/\s+/).filter((x) => x !== '');
      const tilts = flags.filter((f) => f === 'xy' || f === 'xz' || f === 'yz');
      const general = flags.includes('abc') || flags.includes('origin');
      const bc = flags.filter((f) => !['xy', 'xz', 'yz', 'abc', 'origin'].includes(f));
      if ((tilts.length !== 0 && tilts.length !== 3) || (general && tilts.length > 0) || (bc.length !== 0 && bc.length !== 3) || bc.some((f) => !/^[pfsm]{2}$/.test(f))) {
        throw new XyzParseError(ln, `bad BOX BOUNDS header '${t.slice(0, 60)}'; expected 'ITEM: BOX BOUNDS [xy xz yz] xx yy zz' with boundary flags such as pp, ff, fs`);
      }
      this.boxKind = general ? 'general' : tilts.length === 3 ? 'triclinic' : 'orthogonal';
      this.pbc = bc.length === 3 ? [bc[0] === 'pp', bc[1] === 'pp', bc[2] === 'pp'] : [true, true, true];
      this.boxRows = [];
      this.expect = 'BOX BOUNDS';
      return null;
    }
    if (item === 'ATOMS') return this.atomsHeader(rest.slice(5).trim(), ln);
    this.expect = item;
    return null;
  }

  private boxLine(line: string, ln: number): null {
    const tokens = splitTokens(line);
    const want = this.boxKind === 'orthogonal' ? 2 : this.boxKind === 'triclinic' ? 3 : 4;
    const what = this.boxKind === 'orthogonal' ? 'lo hi' : this.boxKind === 'triclinic' ? 'lo hi tilt' : 'vx vy vz origin';
    if (tokens.length !== want) throw new XyzParseError(ln, `BOX BOUNDS line has ${tokens.length} numbers, expected ${want} (${what})`);
    const row = tokens.map((tok, k) => {
      const x = parseReal(tok);
      if (!Number.isFinite(x)) throw new XyzParseError(ln, `BOX BOUNDS entry ${k + 1} is '${tok}', ${badNumberReason(tok)}`);
      return x;
    });
    this.boxRows.push(row);
    if (this.boxRows.length === 3) {
      try {
        this.box = lammpsBoxToCell(this.boxRows, this.boxKind, this.pbc);
      } catch (err) {
        throw new XyzParseError(ln, `BOX BOUNDS: ${(err as Error).message}`);
      }
      if (this.o.requireCell && !(this.pbc[0] && this.pbc[1] && this.pbc[2])) {
        throw new XyzParseError(ln - 3, `the box is not periodic in every direction, but a periodic cell is required`);
      }
      this.expect = 'item';
    }
    return null;
  }

  private atomsHeader(text: string, ln: number): Frame | null {
    const missing = (['TIMESTEP', 'NUMBER OF ATOMS', 'BOX BOUNDS'] as const).filter((k) => !this.seen.has(k));
    if (missing.length > 0) {
      throw new XyzParseError(ln, `ITEM: ATOMS of frame ${this.index} comes without ${missing.map((k) => `ITEM: ${k}`).join(', ')} (frame started on line ${this.frameStart})`);
    }
    if (this.layout === null || this.layout.text !== text) this.layout = this.makeLayout(text, ln);
    this.rows = 0;
    this.blankAt = 0;
    this.allocate();
    this.expect = 'ATOMS';
    return this.n === 0 ? this.finish(ln) : null;
  }

  private makeLayout(text: string, ln: number): Layout {
    const names = text.split(/\s+/).filter((x) => x !== '');
    if (names.length === 0) throw new XyzParseError(ln, `ITEM: ATOMS names no columns`);
    const dup = names.find((x, k) => names.indexOf(x) !== k);
    if (dup !== undefined) throw new XyzParseError(ln, `ITEM: ATOMS names column '${dup}' twice`);
    const col = (x: string) => names.indexOf(x);
    const group = (set: readonly string[], what: string): number[] | null => {
      const idx = set.map(col);
      if (idx.every((k) => k >= 0)) return idx;
      if (idx.some((k) => k >= 0)) {
        throw new XyzParseError(ln, `ITEM: ATOMS has only some of ${set.join(' ')} (${what}); all ${set.length} are needed`);
      }
      return null;
    };
    let pos: number[] | null = null;
    let scaled = false;
    let wrapped = false;
    for (const [set, isScaled, isWrapped] of [
      [['xu', 'yu', 'zu'], false, false],
      [['xsu', 'ysu', 'zsu'], true, false],
      [['x', 'y', 'z'], false, true],
      [['xs', 'ys', 'zs'], true, true],
    ] as const) {
      pos = group(set, 'positions');
      if (pos) {
        scaled = isScaled;
        wrapped = isWrapped;
        break;
      }
    }
    if (!pos) throw new XyzParseError(ln, `ITEM: ATOMS has no positions (x y z, xu yu zu, xs ys zs or xsu ysu zsu): '${text.slice(0, 80)}'`);
    const img = wrapped && (this.o.imageFlags ?? 'apply') === 'apply' ? group(['ix', 'iy', 'iz'], 'image flags') : null;

    const order = this.o.quaternionOrder ?? 'wxyz';
    const toWxyz = (idx: number[]): [number, number, number, number] =>
      (order === 'wxyz' ? [idx[0]!, idx[1]!, idx[2]!, idx[3]!] : [idx[3]!, idx[0]!, idx[1]!, idx[2]!]);
    let quat: [number, number, number, number] | null = null;
    if (this.o.quaternionColumns) {
      const idx = this.o.quaternionColumns.map(col);
      const bad = this.o.quaternionColumns.filter((_, k) => idx[k]! < 0);
      if (bad.length > 0) throw new XyzParseError(ln, `ITEM: ATOMS lacks the quaternion column(s) ${bad.join(', ')} (columns: ${names.join(' ')})`);
      quat = toWxyz(idx);
    } else {
      const named = group(['quatw', 'quati', 'quatj', 'quatk'], 'quaternion');
      if (named) quat = [named[0]!, named[1]!, named[2]!, named[3]!];
      else {
        const key = this.o.orientationKey;
        const keys = key ? [key.startsWith('c_') ? key : `c_${key}`, key] : ['c_q', 'c_orient', 'c_quat'];
        for (const k of keys) {
          const idx = group([1, 2, 3, 4].map((j) => `${k}[${j}]`), 'quaternion');
          if (idx) {
            quat = toWxyz(idx);
            break;
          }
        }
        if (!quat && key) throw new XyzParseError(ln, `ITEM: ATOMS has no orientation columns ${keys[0]}[1..4] (columns: ${names.join(' ')})`);
      }
    }
    let shape: number[] | null = null;
    let diameters = true;
    if (!this.o.semiaxes) {
      if (this.o.shapeColumns) {
        shape = this.o.shapeColumns.map(col);
        const bad = this.o.shapeColumns.filter((_, k) => shape![k]! < 0);
        if (bad.length > 0) throw new XyzParseError(ln, `ITEM: ATOMS lacks the shape column(s) ${bad.join(', ')} (columns: ${names.join(' ')})`);
      } else {
        shape = group(['shapex', 'shapey', 'shapez'], 'shape diameters') ?? group(['c_shape[1]', 'c_shape[2]', 'c_shape[3]'], 'shape diameters');
        if (!shape && col('radius') >= 0) {
          shape = [col('radius'), col('radius'), col('radius')];
          diameters = false;
        } else if (!shape && col('diameter') >= 0) shape = [col('diameter'), col('diameter'), col('diameter')];
      }
    }
    const t3 = (g: number[] | null) => (g ? ([g[0]!, g[1]!, g[2]!] as [number, number, number]) : null);
    return {
      text,
      ncols: names.length,
      names,
      id: col('id'),
      type: col('type'),
      element: col('element'),
      pos: t3(pos)!,
      scaled,
      img: t3(img),
      quat,
      shape: t3(shape),
      diameters,
      force: t3(group(['fx', 'fy', 'fz'], 'forces')),
      torque: t3(group(['tqx', 'tqy', 'tqz'], 'torques')),
    };
  }

  private allocate(): void {
    const L = this.layout!;
    const cap = Math.min(this.n, INITIAL_CAPACITY);
    this.cap = cap;
    this.ids = L.id >= 0 ? new Float64Array(cap) : null;
    this.types = new Int32Array(cap);
    this.elements = L.element >= 0 ? [] : null;
    this.pos = new Float64Array(3 * cap);
    this.quat = L.quat ? new Float64Array(4 * cap) : null;
    this.shape = L.shape || this.o.semiaxes ? new Float64Array(3 * cap) : null;
    this.force = L.force ? new Float64Array(3 * cap) : null;
    this.torque = L.torque ? new Float64Array(3 * cap) : null;
  }

  private grow(): void {
    const cap = Math.min(this.n, 2 * this.cap);
    this.ids = grownColumn(this.ids, 1, cap);
    this.types = grownColumn(this.types, 1, cap)!;
    this.pos = grownColumn(this.pos, 3, cap)!;
    this.quat = grownColumn(this.quat, 4, cap);
    this.shape = grownColumn(this.shape, 3, cap);
    this.force = grownColumn(this.force, 3, cap);
    this.torque = grownColumn(this.torque, 3, cap);
    this.cap = cap;
  }

  private atomLine(line: string, ln: number): Frame | null {
    const L = this.layout!;
    const tokens = splitTokens(line);
    if (tokens.length === 0) {
      if (this.blankAt === 0) this.blankAt = ln;
      return null;
    }
    if (this.blankAt !== 0) throw new XyzParseError(this.blankAt, `blank line inside the atoms of frame ${this.index}`);
    if (tokens[0] === 'ITEM:') {
      throw new XyzParseError(ln, `frame ${this.index} has ${this.rows} atom lines, but NUMBER OF ATOMS is ${this.n} (atom count mismatch)`);
    }
    if (tokens.length !== L.ncols) {
      throw new XyzParseError(ln, `found ${tokens.length} columns, expected ${L.ncols} (ITEM: ATOMS ${L.text})`);
    }
    const i = this.rows;
    if (i >= this.cap) this.grow();
    const real = (k: number): number => {
      const t = tokens[k]!;
      const x = parseReal(t);
      if (!Number.isFinite(x)) throw new XyzParseError(ln, `column ${k + 1} (${L.names[k]}) is '${t}', ${badNumberReason(t)}`);
      return x;
    };
    const int = (k: number): number => {
      const t = tokens[k]!;
      if (!/^[+-]?\d{1,15}$/.test(t)) throw new XyzParseError(ln, `column ${k + 1} (${L.names[k]}) is '${t}', not an integer`);
      return Number(t);
    };
    if (this.ids) this.ids[i] = int(L.id);
    if (L.type >= 0) {
      const ty = int(L.type);
      if (ty < 1 || ty > MAX_ATOMS) throw new XyzParseError(ln, `column ${L.type + 1} (type) is ${ty}; LAMMPS types are ≥ 1`);
      this.types[i] = ty;
    } else this.types[i] = 1;
    if (this.elements) this.elements.push(tokens[L.element]!);
    const box = this.box!;
    const h = box.cell.h;
    const a = real(L.pos[0]), b = real(L.pos[1]), c = real(L.pos[2]);
    let x: number, y: number, z: number;
    if (L.scaled) {
      x = a * h[0]! + b * h[3]! + c * h[6]!;
      y = a * h[1]! + b * h[4]! + c * h[7]!;
      z = a * h[2]! + b * h[5]! + c * h[8]!;
    } else {
      x = a - box.origin[0];
      y = b - box.origin[1];
      z = c - box.origin[2];
    }
    if (L.img) {
      const ix = int(L.img[0]), iy = int(L.img[1]), iz = int(L.img[2]);
      x += ix * h[0]! + iy * h[3]! + iz * h[6]!;
      y += ix * h[1]! + iy * h[4]! + iz * h[7]!;
      z += ix * h[2]! + iy * h[5]! + iz * h[8]!;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw new XyzParseError(ln, `position of atom row ${i + 1} is not finite after conversion to box coordinates`);
    }
    this.pos[3 * i] = x;
    this.pos[3 * i + 1] = y;
    this.pos[3 * i + 2] = z;
    if (this.quat && L.quat) {
      const w = real(L.quat[0]), qi = real(L.quat[1]), qj = real(L.quat[2]), qk = real(L.quat[3]);
      const norm = Math.hypot(w, qi, qj, qk);
      if (!(norm > 1e-8) || !Number.isFinite(norm)) throw new XyzParseError(ln, `orientation of atom row ${i + 1} is a zero quaternion`);
      this.quat[4 * i] = w / norm;
      this.quat[4 * i + 1] = qi / norm;
      this.quat[4 * i + 2] = qj / norm;
      this.quat[4 * i + 3] = qk / norm;
    }
    if (this.shape) {
      const over = this.o.semiaxes;
      for (let d = 0; d < 3; d++) {
        const v = over ? over[d]! : L.diameters ? semiaxisFromDiameter(real(L.shape![d]!)) : real(L.shape![d]!);
        if (!(v >= 0)) throw new XyzParseError(ln, `shape ${d + 1} of atom row ${i + 1} is ${v}; shapes must be ≥ 0`);
        this.shape[3 * i + d] = v;
      }
    }
    if (this.force) for (let d = 0; d < 3; d++) this.force[3 * i + d] = real(L.force![d]!);
    if (this.torque) for (let d = 0; d < 3; d++) this.torque[3 * i + d] = real(L.torque![d]!);
    this.rows++;
    return this.rows === this.n ? this.finish(ln) : null;
  }

  private finish(ln: number): Frame {
    const n = this.n;
    let perm: Int32Array | null = null;
    if (this.ids) {
      const ids = this.ids;
      let sorted = true;
      for (let i = 1; i < n && sorted; i++) sorted = ids[i]! > ids[i - 1]!;
      if (!sorted) {
        perm = Int32Array.from({ length: n }, (_, k) => k);
        perm.sort((p, q) => ids[p]! - ids[q]!);
        for (let k = 1; k < n; k++) {
          if (ids[perm[k]!] === ids[perm[k - 1]!]) {
            const first = Math.min(perm[k]!, perm[k - 1]!), second = Math.max(perm[k]!, perm[k - 1]!);
            throw new XyzParseError(ln - n + 1 + second, `atom id ${ids[perm[k]!]} appears twice in frame ${this.index} (also on line ${ln - n + 1 + first})`);
          }
        }
      }
    }
    const take = <T extends Float64Array | Int32Array>(a: T | null, w: number): T | null => {
      if (!a) return null;
      if (!perm) return a.length === w * n ? a : (a.subarray(0, w * n) as T);
      const out = new (a.constructor as new (k: number) => T)(w * n);
      for (let k = 0; k < n; k++) for (let d = 0; d < w; d++) out[w * k + d] = a[w * perm[k]! + d]!;
      return out;
    };
    const types = take(this.types, 1)!;
    const species: string[] = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      const src = perm ? perm[k]! : k;
      species[k] = this.elements ? this.elements[src]! : String(this.types[src]!);
    }
    const frame: Frame = {
      n,
      positions: take(this.pos, 3)!,
      cell: this.box!.cell,
      species,
      types,
      ...optional('orientations', take(this.quat, 4) ?? undefined),
      ...optional('semiaxes', take(this.shape, 3) ?? undefined),
      ...optional('forces', take(this.force, 3) ?? undefined),
      ...optional('torques', take(this.torque, 3) ?? undefined),
      ...optional('step', this.step ?? undefined),
      info: { ...this.info },
      index: this.index,
      line: this.frameStart,
      source: `${this.source}:${this.frameStart}`,
    };
    this.index++;
    this.lastN = n;
    this.seen.clear();
    this.expect = 'item';
    this.step = null;
    this.n = -1;
    this.box = null;
    // `units` and `time` are written once per frame by LAMMPS when enabled; keep units across frames.
    this.info = this.info.units !== undefined ? { units: this.info.units } : {};
    this.ids = this.quat = this.shape = this.force = this.torque = null;
    this.elements = null;
    this.pos = new Float64Array(0);
    this.types = new Int32Array(0);
    return frame;
  }
}

/**
 * One frame as LAMMPS `dump custom` text (module doc). `types` (default: 1, 2, … by first
 * appearance of each species in `typeOf`, which callers keep across frames) and `element` (written
 * when species are not the type numbers).
 * @throws AnisoError `E_SIZE` for arrays of the wrong length, `E_ARG` for a cell LAMMPS cannot hold
 */
export function formatLammpsDumpFrame(frame: FrameInput, options: WriteOptions = {}, typeOf: Map<string, number> = new Map()): string {
  const { fmt } = realFormatter(options.precision ?? 'full');
  const o = options.lammps ?? {};
  const n = frame.positions.length / 3;
  if (!Number.isInteger(n)) throw new AnisoError('E_SIZE', `LAMMPS dump: positions has length ${frame.positions.length}, not a multiple of 3`);
  const check = (a: ArrayLike<unknown> | null | undefined, w: number, what: string) => {
    if (a && a.length !== w * n) throw new AnisoError('E_SIZE', `LAMMPS dump: ${what} has length ${a.length}, expected ${w * n} (${w} per particle)`);
  };
  check(frame.species, 1, 'species');
  check(frame.types, 1, 'types');
  check(frame.orientations, 4, 'orientations');
  check(frame.semiaxes, 3, 'semiaxes');
  check(frame.forces, 3, 'forces');
  check(frame.torques, 3, 'torques');
  const std = standardOrientation(frame.cell);
  if (!std) throw new AnisoError('E_ARG', 'LAMMPS dump: the cell has no lattice vectors (open, all-zero cell); LAMMPS needs a box');
  if (!std.proper) throw new AnisoError('E_ARG', 'LAMMPS dump: the cell is left-handed; LAMMPS boxes are right-handed (reorder or negate a lattice vector)');
  const M = std.rotation;
  const positions = M ? rotateVectors(M, frame.positions) : frame.positions;
  const forces = frame.forces && M ? rotateVectors(M, frame.forces) : frame.forces;
  const torques = frame.torques && M ? rotateVectors(M, frame.torques) : frame.torques;
  const orientations = frame.orientations && M ? rotateQuaternions(M, frame.orientations) : frame.orientations;

  const types = new Int32Array(n);
  let elements = false;
  for (let i = 0; i < n; i++) {
    const s = frame.species?.[i];
    let t = frame.types?.[i];
    if (t === undefined) {
      const key = s ?? 'X';
      t = typeOf.get(key);
      if (t === undefined) typeOf.set(key, (t = typeOf.size + 1));
    }
    if (!Number.isSafeInteger(t) || t < 1) throw new AnisoError('E_ARG', `LAMMPS dump: type of particle ${i} is ${t}; LAMMPS types are integers ≥ 1`);
    types[i] = t;
    if (s !== undefined && s !== String(t)) elements = true;
  }
  if (elements) {
    for (let i = 0; i < n; i++) {
      const s = frame.species![i]!;
      if (!/^\S+$/.test(s)) throw new AnisoError('E_ARG', `LAMMPS dump: species of particle ${i} is ${JSON.stringify(s)}; it must be a token without spaces`);
    }
  }
  const coords = o.coordinates ?? 'x';
  const cols = ['id', 'type'];
  if (elements) cols.push('element');
  cols.push(...(coords === 'x' ? ['x', 'y', 'z'] : coords === 'xu' ? ['xu', 'yu', 'zu'] : ['xs', 'ys', 'zs']));
  if (orientations) cols.push(...(o.quaternionColumns === 'c_q' ? ['c_q[1]', 'c_q[2]', 'c_q[3]', 'c_q[4]'] : ['quatw', 'quati', 'quatj', 'quatk']));
  if (frame.semiaxes) cols.push('shapex', 'shapey', 'shapez');
  if (forces) cols.push('fx', 'fy', 'fz');
  if (torques) cols.push('tqx', 'tqy', 'tqz');

  const step = frame.step ?? frame.index ?? 0;
  const out: string[] = [];
  if (o.units !== undefined) {
    if (!/^\S+$/.test(o.units)) throw new AnisoError('E_ARG', `LAMMPS dump: units '${o.units}' must be one token`);
    out.push('ITEM: UNITS', o.units);
  }
  out.push('ITEM: TIMESTEP', String(Math.trunc(step)), 'ITEM: NUMBER OF ATOMS', String(n));
  const bounds = cellToLammpsBounds(std.h);
  const bc = frame.cell.pbc.map((p) => (p ? 'pp' : 'ff')).join(' ');
  out.push(`ITEM: BOX BOUNDS ${bounds.triclinic ? 'xy xz yz ' : ''}${bc}`);
  for (const row of bounds.lines) out.push(row.map(fmt).join(' '));
  out.push(`ITEM: ATOMS ${cols.join(' ')}`);
  let hInv: Float64Array | null = null;
  if (coords === 'xs') {
    hInv = Cell.fromRows(std.h, [false, false, false]).hInv;
  }
  const s = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    let line = `${i + 1} ${types[i]}`;
    if (elements) line += ` ${frame.species![i]}`;
    if (hInv) {
      const x = positions[3 * i]!, y = positions[3 * i + 1]!, z = positions[3 * i + 2]!;
      for (let d = 0; d < 3; d++) s[d] = x * hInv[d]! + y * hInv[3 + d]! + z * hInv[6 + d]!;
      line += ` ${fmt(s[0]!)} ${fmt(s[1]!)} ${fmt(s[2]!)}`;
    } else line += ` ${fmt(positions[3 * i]!)} ${fmt(positions[3 * i + 1]!)} ${fmt(positions[3 * i + 2]!)}`;
    if (orientations) for (let d = 0; d < 4; d++) line += ` ${fmt(orientations[4 * i + d]!)}`;
    if (frame.semiaxes) for (let d = 0; d < 3; d++) line += ` ${fmt(diameterFromSemiaxis(frame.semiaxes[3 * i + d]!))}`;
    if (forces) for (let d = 0; d < 3; d++) line += ` ${fmt(forces[3 * i + d]!)}`;
    if (torques) for (let d = 0; d < 3; d++) line += ` ${fmt(torques[3 * i + d]!)}`;
    out.push(line);
  }
  return out.join('\n') + '\n';
}

/** The LAMMPS `dump custom` format (module doc). */
export const lammpsDump: FrameFormat = {
  name: 'lammps',
  extensions: ['lammpstrj', 'lammpsdump', 'dump'],
  fileNames: /^dump\./,
  sniff: (lines) => lines.length > 0 && lines[0]!.trimStart().startsWith('ITEM:'),
  parser: (source, options) =>
    new LammpsDumpParser(source, {
      ...(options.quaternionColumns ? { quaternionColumns: options.quaternionColumns } : {}),
      ...(options.quaternionOrder ? { quaternionOrder: options.quaternionOrder } : {}),
      ...(options.orientationKey ? { orientationKey: options.orientationKey } : {}),
      ...(options.shapeColumns ? { shapeColumns: options.shapeColumns } : {}),
      ...(options.imageFlags ? { imageFlags: options.imageFlags } : {}),
      semiaxes: options.semiaxes ?? null,
      requireCell: options.requireCell ?? false,
    }),
  format: (frame, options, state) => formatLammpsDumpFrame(frame, options, state.typeOf),
};
