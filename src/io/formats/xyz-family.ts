// SPDX-License-Identifier: BSD-3-Clause
/**
 * The multi-frame parser of XYZ-family files — extended XYZ, plain XYZ and i-PI XYZ — fed one line
 * at a time ({@link XyzFrameParser.push}); the parser of the `extxyz` and `ipi` formats
 * (`extxyz.ts`, `ipi-xyz.ts`). It holds one frame at a time and yields {@link Frame}s.
 *
 * Each frame's comment line decides its dialect (`extxyz-parse.ts` parses it):
 * - `# CELL(abcABC): …` → i-PI: columns `species x y z` (extra columns ignored), lengths converted
 *   to Å from the header's units; the per-atom quantity must be positions (`positions`,
 *   `x_centroid`), not forces or momenta;
 * - a comment with `=` → extended XYZ: `Properties` (default `species:S:1:pos:R:3`), the column
 *   count must match exactly; `Lattice`/`pbc` → the cell;
 * - anything else → plain XYZ, `species x y z` and extra columns ignored, no cell.
 *
 * Per particle (docs/CONVENTIONS.md §2–3, converted here, at the boundary):
 * - species from `species:S:1`, or from atomic numbers `Z:I:1` (symbols; `X` for 0); an optional
 *   integer `type:I:1` column is kept as the particle type;
 * - orientation from the column `orientationKey` — by default the first of `c_q`, `quat`,
 *   `quaternion`, `quaternions` present — either 4 reals in the order `quaternionOrder` (default
 *   `wxyz`, or `xyzw`; without the option a comment `quat_order=xyzw…` is honoured) or 9 reals, a
 *   row-major body → lab rotation matrix (AniSOAP's `rotation_type="matrix"`); normalised, body →
 *   lab, (w, x, y, z);
 * - shape: `semiaxes:R:3` (semi-axes), or the **diameters** `c_diameter[1..3]` (also the escaped
 *   `c_diameter\[k\]` and bracket-less `c_diameter1` spellings; halved); the `semiaxes` option wins
 *   over the file;
 * - forces and torques from `forcesKey`/`torquesKey` columns (R:3; default `forces`, `torques`),
 *   per-particle energies from `energies:R:1`, masses from `masses:R:1` (> 0), velocities from
 *   `velo:R:3`;
 * - per frame: energy from the comment key `energyKey` (default `energy`), the step from `step` /
 *   `timestep` (or i-PI's `Step:`), the virial from `virialKey` (default `virial`, 9 numbers,
 *   row-major, ASE's convention: see `frame.ts`); these keys are not repeated in `info`, the other
 *   comment pairs are, typed (`typedValue`); i-PI: `Bead`;
 * - types: the `type:I:1` column, else 1, 2, … by first appearance of each species in the input;
 * - molecule ids from an integer `molecule:I:1` column (kept as read).
 *
 * Non-finite numbers (`nan`, `inf`, overflowing exponents) are errors. Errors are
 * {@link XyzParseError}s with the line (from 1).
 */
import { Cell } from '../../core/cell.js';
import { fromRotationMatrix, fromScalarLast, semiaxisFromDiameter } from '../conventions.js';
import { elementSymbol } from '../elements.js';
import {
  arrayTokens,
  badNumberReason,
  cellFromKeyValues,
  isIpiComment,
  parseColumns,
  parseIpiHeader,
  parseKeyValues,
  parseReal,
  splitTokens,
  typedValue,
  XyzParseError,
  type Column,
} from '../extxyz-parse.js';
import { optional, type Frame, type FrameInfoValue } from '../frame.js';
import { grownColumn } from '../grow-array.js';
import type { FrameParser, ReadOptions } from './format.js';

/** Orientation columns tried by `'auto'`, in order. */
export const ORIENTATION_KEYS: readonly string[] = Object.freeze(['c_q', 'quat', 'quaternion', 'quaternions']);

/** Options of {@link XyzFrameParser}. */
export interface XyzFrameOptions {
  /** Orientation column, or `'auto'` (default): the first of {@link ORIENTATION_KEYS}. */
  orientationKey?: string;
  /** Component order of a 4-wide orientation column (default `'wxyz'`, or the file's `quat_order`). */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** Semi-axes for every particle, overriding the file. */
  semiaxes?: readonly [number, number, number] | null;
  /** Frame energy key (default `energy`). */
  energyKey?: string;
  /** Force column (default `forces`). */
  forcesKey?: string;
  /** Torque column (default `torques`). */
  torquesKey?: string;
  /** Virial key (default `virial`). */
  virialKey?: string;
  /** Require an orientation column (default false). */
  requireOrientations?: boolean;
  /** Require shapes, from the file or the `semiaxes` option (default false). */
  requireShapes?: boolean;
  /** Require a periodic cell (a `Lattice` or an i-PI cell) in every frame (default false). */
  requireCell?: boolean;
  /** `'ipi'`: every frame must have an i-PI header; `'any'` (default): per-frame detection. */
  dialect?: 'any' | 'ipi';
}

interface Header {
  n: number;
  start: number;
  dialect: Dialect;
  propsText: string;
  nColumns: number;
  exact: boolean;
  species: Column | null;
  z: Column | null;
  type: Column | null;
  molecule: Column | null;
  pos: Column;
  posScale: number;
  quat: Column | null;
  order: 'wxyz' | 'xyzw';
  semi: Column | null;
  diam: Column[] | null;
  forces: Column | null;
  torques: Column | null;
  energies: Column | null;
  masses: Column | null;
  velo: Column | null;
  cell: Cell;
  energy: number | null;
  step: number | null;
  virial: Float64Array | null;
  info: Map<string, string>;
  consumedKeys: string[];
}

/** Dialect of a comment line. */
type Dialect = 'extxyz' | 'xyz' | 'ipi';

/** Largest atom count accepted on a count line. */
export const MAX_ATOMS = 2 ** 31 - 1;
/** Particles allocated before the first line of a frame arrives (arrays grow beyond). */
const INITIAL_CAPACITY = 1 << 16;

const normaliseName = (name: string) => name.replace(/\\/g, '');

function findColumn(cols: Column[], name: string, counts: readonly number[], line: number): Column | null {
  const c = cols.find((x) => normaliseName(x.name) === name);
  if (!c) return null;
  if (c.type !== 'R' || !counts.includes(c.count)) {
    const want = counts.length === 1 ? `R:${counts[0]}` : 'R:4 (quaternion) or R:9 (rotation matrix)';
    throw new XyzParseError(line, `column '${c.name}' is ${c.type}:${c.count}, expected ${want}`);
  }
  return c;
}

function diameterColumns(cols: Column[], line: number): Column[] | null {
  for (const spell of [(k: number) => `c_diameter[${k}]`, (k: number) => `c_diameter${k}`]) {
    const found = [1, 2, 3].map((k) => findColumn(cols, spell(k), [1], line));
    if (found.every((c) => c !== null)) return found as Column[];
    if (found.some((c) => c !== null)) {
      throw new XyzParseError(line, `only some of ${spell(1)}, ${spell(2)}, ${spell(3)} are present; all three diameters are needed`);
    }
  }
  return null;
}

function intColumn(cols: Column[], name: string, line: number): Column | null {
  const c = cols.find((x) => x.name === name);
  if (!c) return null;
  if (c.type !== 'I' || c.count !== 1) throw new XyzParseError(line, `column '${name}' is ${c.type}:${c.count}, expected I:1`);
  return c;
}

/** Push parser of XYZ-family frames (module doc). */
export class XyzFrameParser implements FrameParser {
  private readonly o: XyzFrameOptions;
  private readonly source: string;
  private readonly typeOf = new Map<string, number>();
  private lineNo = 0;
  private index = 0;
  /** 0: expecting a count line; 1: the comment line; 2: particle lines. */
  private state: 0 | 1 | 2 = 0;
  private n = 0;
  private start = 0;
  private i = 0;
  private h: Header | null = null;
  /** First blank line met among particle lines (0: none): an error unless the input ends there. */
  private blankAt = 0;
  private cap = 0;
  private species: string[] = [];
  private types: Int32Array | null = null;
  private molecules: Int32Array | null = null;
  private positions = new Float64Array(0);
  private orientations: Float64Array | null = null;
  private semiaxes: Float64Array | null = null;
  private forces: Float64Array | null = null;
  private torques: Float64Array | null = null;
  private energies: Float64Array | null = null;
  private masses: Float64Array | null = null;
  private velocities: Float64Array | null = null;
  private readonly m9 = new Float64Array(9);
  private readonly q4 = new Float64Array(4);

  /** @param source names the input in `frame.source` */
  constructor(source: string, options: XyzFrameOptions = {}) {
    this.source = source;
    this.o = options;
  }

  /** Lines consumed so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  /** Frames completed so far. */
  get framesRead(): number {
    return this.index;
  }

  /**
   * Consume one line (without its line end). Returns the frame this line completes, else null.
   * @throws XyzParseError
   */
  push(line: string): Frame | null {
    const ln = ++this.lineNo;
    if (this.state === 0) {
      const first = line.trim();
      if (first === '') return null;
      if (!/^\d+$/.test(first)) throw new XyzParseError(ln, `expected the atom count of frame ${this.index}, found '${first.slice(0, 40)}'`);
      const n = first.length > 10 ? Number.POSITIVE_INFINITY : Number(first);
      if (n > MAX_ATOMS) throw new XyzParseError(ln, `atom count ${first.slice(0, 20)} of frame ${this.index} is too large`);
      this.n = n;
      this.start = ln;
      this.state = 1;
      return null;
    }
    if (this.state === 1) {
      this.h = this.header(line);
      this.allocate();
      this.i = 0;
      this.blankAt = 0;
      this.state = 2;
      return this.n === 0 ? this.finish() : null;
    }
    const h = this.h!;
    const tokens = splitTokens(line);
    if (tokens.length === 0) {
      if (this.blankAt === 0) this.blankAt = ln;
      return null;
    }
    if (this.blankAt !== 0) {
      throw new XyzParseError(this.blankAt, `found 0 columns, expected ${h.nColumns} (Properties=${h.propsText}); blank line inside frame ${this.index}`);
    }
    if (h.exact ? tokens.length !== h.nColumns : tokens.length < h.nColumns) {
      throw new XyzParseError(ln, `found ${tokens.length} columns, expected ${h.exact ? '' : 'at least '}${h.nColumns} (Properties=${h.propsText})`);
    }
    this.particle(h, tokens, ln);
    return ++this.i === this.n ? this.finish() : null;
  }

  /**
   * Declare the end of the input.
   * @throws XyzParseError when it ends inside a frame
   */
  end(): void {
    if (this.state === 1) throw new XyzParseError(this.start + 1, `file ends before the comment line of frame ${this.index}`);
    if (this.state === 2) {
      const at = this.blankAt !== 0 ? this.blankAt : this.lineNo + 1;
      throw new XyzParseError(at, `file ends after ${this.i} of ${this.n} particle lines of frame ${this.index} (truncated frame)`);
    }
  }

  private header(comment: string): Header {
    const cl = this.lineNo;
    const o = this.o;
    const text = comment.trim();
    let dialect: Dialect;
    let kv = new Map<string, string>();
    let cell = Cell.open();
    let posScale = 1;
    let props: string | undefined;
    let step: number | null = null;
    const info = new Map<string, string>();
    const consumedKeys: string[] = [];
    if (isIpiComment(text)) {
      dialect = 'ipi';
      const ipi = parseIpiHeader(text, cl);
      if (ipi.quantity !== 'positions' && ipi.quantity !== 'x_centroid') {
        throw new XyzParseError(cl, `i-PI file holds '${ipi.quantity}', not positions; only position trajectories can be read`);
      }
      cell = ipi.cell;
      posScale = ipi.posScale;
      step = ipi.step;
      if (ipi.bead !== null) info.set('Bead', String(ipi.bead));
    } else if (o.dialect === 'ipi') {
      throw new XyzParseError(cl, `expected an i-PI header '# CELL(abcABC): a b c alpha beta gamma …', found '${text.slice(0, 40)}'`);
    } else if (text.includes('=')) {
      dialect = 'extxyz';
      kv = parseKeyValues(text, cl);
      cell = cellFromKeyValues(kv, cl);
      props = kv.get('Properties');
      for (const [k, v] of kv) if (k !== 'Properties' && k !== 'Lattice' && k !== 'pbc') info.set(k, v);
    } else {
      dialect = 'xyz';
    }
    if (o.requireCell && !Cell.isPeriodic(cell)) {
      throw new XyzParseError(cl, dialect === 'extxyz' ? 'no Lattice (or pbc="F F F"), but a periodic cell is required' : `a ${dialect === 'ipi' ? 'zero i-PI' : 'plain XYZ'} cell, but a periodic cell is required`);
    }
    const propsText = props ?? 'species:S:1:pos:R:3';
    const cols = parseColumns(propsText, cl);
    const nColumns = cols.reduce((s, c) => s + c.count, 0);
    let species: Column | null = cols.find((c) => c.name === 'species') ?? null;
    if (species && (species.type !== 'S' || species.count !== 1)) species = null;
    const z = species ? null : intColumn(cols, 'Z', cl);
    if (!species && !z) throw new XyzParseError(cl, `Properties needs species:S:1 (got '${propsText}')`);
    const type = intColumn(cols, 'type', cl);
    const molecule = intColumn(cols, 'molecule', cl);
    const pos = findColumn(cols, 'pos', [3], cl);
    if (!pos) throw new XyzParseError(cl, `Properties needs pos:R:3 (got '${propsText}')`);

    const key = o.orientationKey ?? 'auto';
    let quat: Column | null = null;
    if (key === 'auto') {
      for (const k of ORIENTATION_KEYS) if ((quat = findColumn(cols, k, [4, 9], cl))) break;
      if (!quat && o.requireOrientations) throw new XyzParseError(cl, `no orientation column: none of ${ORIENTATION_KEYS.join(', ')} in Properties (set the orientation key)`);
    } else {
      quat = findColumn(cols, key, [4, 9], cl);
      if (!quat && o.requireOrientations) throw new XyzParseError(cl, `orientation column '${key}' (R:4) is not in Properties '${propsText}'`);
    }
    let order = o.quaternionOrder;
    if (order === undefined) order = /^xyzw/i.test(info.get('quat_order') ?? '') ? 'xyzw' : 'wxyz';
    const semi = o.semiaxes ? null : findColumn(cols, 'semiaxes', [3], cl);
    const diam = o.semiaxes || semi ? null : diameterColumns(cols, cl);
    if (o.requireShapes && !o.semiaxes && !semi && !diam) {
      throw new XyzParseError(cl, `no shape: neither semiaxes:R:3 nor c_diameter[1..3] in Properties, and no semi-axes given`);
    }
    if (o.semiaxes) {
      for (let a = 0; a < 3; a++) {
        const v = o.semiaxes[a]!;
        if (!(v > 0 && Number.isFinite(v))) throw new XyzParseError(cl, `semi-axis override ${a + 1} is ${v}; shapes must be finite and > 0`);
      }
    }
    const forces = findColumn(cols, o.forcesKey ?? 'forces', [3], cl);
    const torques = findColumn(cols, o.torquesKey ?? 'torques', [3], cl);
    const energies = findColumn(cols, 'energies', [1], cl);
    const masses = findColumn(cols, 'masses', [1], cl);
    const velo = findColumn(cols, 'velo', [3], cl);

    const energyKey = o.energyKey ?? 'energy';
    let energy: number | null = null;
    if (kv.has(energyKey)) {
      const v = kv.get(energyKey)!;
      energy = parseReal(v);
      if (!Number.isFinite(energy)) throw new XyzParseError(cl, `${energyKey}='${v}' is ${badNumberReason(v)}`);
      consumedKeys.push(energyKey);
    }
    for (const k of ['step', 'timestep']) {
      const v = kv.get(k);
      if (v === undefined) continue;
      if (!/^[+-]?\d{1,15}$/.test(v)) throw new XyzParseError(cl, `${k}='${v}' is not an integer`);
      step = Number(v);
      consumedKeys.push(k);
      break;
    }
    let virial: Float64Array | null = null;
    const virialKey = o.virialKey ?? 'virial';
    if (kv.has(virialKey)) {
      virial = Float64Array.from(arrayTokens(kv.get(virialKey)!).map(parseReal));
      if (virial.length !== 9 || virial.some((x) => !Number.isFinite(x))) throw new XyzParseError(cl, `${virialKey} must be 9 numbers (3×3 row-major), got '${kv.get(virialKey)}'`);
      consumedKeys.push(virialKey);
    }
    return {
      n: this.n, start: this.start, dialect, propsText, nColumns, exact: props !== undefined,
      species, z, type, molecule, pos, posScale, quat, order, semi, diam, forces, torques, energies, masses, velo,
      cell, energy, step, virial, info, consumedKeys,
    };
  }

  private allocate(): void {
    const h = this.h!;
    const cap = Math.min(this.n, INITIAL_CAPACITY);
    this.cap = cap;
    this.species = [];
    this.types = h.type ? new Int32Array(cap) : null;
    this.molecules = h.molecule ? new Int32Array(cap) : null;
    this.positions = new Float64Array(3 * cap);
    this.orientations = h.quat ? new Float64Array(4 * cap) : null;
    this.semiaxes = h.semi || h.diam || this.o.semiaxes ? new Float64Array(3 * cap) : null;
    this.forces = h.forces ? new Float64Array(3 * cap) : null;
    this.torques = h.torques ? new Float64Array(3 * cap) : null;
    this.energies = h.energies ? new Float64Array(cap) : null;
    this.masses = h.masses ? new Float64Array(cap) : null;
    this.velocities = h.velo ? new Float64Array(3 * cap) : null;
  }

  private grow(): void {
    const cap = Math.min(this.n, 2 * this.cap);
    this.types = grownColumn(this.types, 1, cap);
    this.molecules = grownColumn(this.molecules, 1, cap);
    this.positions = grownColumn(this.positions, 3, cap)!;
    this.orientations = grownColumn(this.orientations, 4, cap);
    this.semiaxes = grownColumn(this.semiaxes, 3, cap);
    this.forces = grownColumn(this.forces, 3, cap);
    this.torques = grownColumn(this.torques, 3, cap);
    this.energies = grownColumn(this.energies, 1, cap);
    this.masses = grownColumn(this.masses, 1, cap);
    this.velocities = grownColumn(this.velocities, 3, cap);
    this.cap = cap;
  }

  private particle(h: Header, tokens: string[], ln: number): void {
    const i = this.i;
    if (i >= this.cap) this.grow();
    const real = (c: Column, j: number): number => {
      const t = tokens[c.start + j]!;
      const x = parseReal(t);
      if (!Number.isFinite(x)) throw new XyzParseError(ln, `column ${c.start + j + 1} (${c.name}${c.count > 1 ? `[${j}]` : ''}) is '${t}', ${badNumberReason(t)}`);
      return x;
    };
    const int = (c: Column): number => {
      const t = tokens[c.start]!;
      if (!/^[+-]?\d{1,9}$/.test(t)) throw new XyzParseError(ln, `column ${c.start + 1} (${c.name}) is '${t}', not an integer`);
      return Number(t);
    };
    if (h.species) this.species.push(tokens[h.species.start]!);
    else {
      const zv = int(h.z!);
      if (zv < 0) throw new XyzParseError(ln, `column ${h.z!.start + 1} (Z) is ${zv}; atomic numbers are ≥ 0`);
      this.species.push(elementSymbol(zv));
    }
    if (h.type) this.types![i] = int(h.type);
    if (h.molecule) this.molecules![i] = int(h.molecule);
    const p = this.positions;
    for (let a = 0; a < 3; a++) {
      const x = h.posScale * real(h.pos, a);
      if (!Number.isFinite(x)) throw new XyzParseError(ln, `position of particle ${i} overflows after unit conversion`);
      p[3 * i + a] = x;
    }
    const q = this.orientations;
    if (q && h.quat) {
      const q4 = this.q4;
      if (h.quat.count === 9) {
        const m = this.m9;
        for (let k = 0; k < 9; k++) m[k] = real(h.quat, k);
        if (!isRotation(m)) throw new XyzParseError(ln, `orientation of particle ${i} is not a rotation matrix (row-major, orthonormal, det +1)`);
        fromRotationMatrix(q4, 0, m, 0);
      } else if (h.order === 'wxyz') {
        for (let k = 0; k < 4; k++) q4[k] = real(h.quat, k);
      } else {
        for (let k = 0; k < 4; k++) q4[k] = real(h.quat, k);
        fromScalarLast(q4, 0, q4, 0);
      }
      const norm = Math.hypot(q4[0]!, q4[1]!, q4[2]!, q4[3]!);
      if (!(norm > 1e-8) || !Number.isFinite(norm)) throw new XyzParseError(ln, `orientation of particle ${i} is a zero quaternion`);
      for (let k = 0; k < 4; k++) q[4 * i + k] = q4[k]! / norm;
    }
    const s = this.semiaxes;
    if (s) {
      const over = this.o.semiaxes;
      for (let a = 0; a < 3; a++) {
        const v = over ? over[a]! : h.semi ? real(h.semi, a) : semiaxisFromDiameter(real(h.diam![a]!, 0));
        if (!(v > 0)) throw new XyzParseError(ln, `semi-axis ${a + 1} of particle ${i} is ${v}; shapes must be > 0`);
        s[3 * i + a] = v;
      }
    }
    if (this.forces) for (let a = 0; a < 3; a++) this.forces[3 * i + a] = real(h.forces!, a);
    if (this.torques) for (let a = 0; a < 3; a++) this.torques[3 * i + a] = real(h.torques!, a);
    if (this.energies) this.energies[i] = real(h.energies!, 0);
    if (this.velocities) for (let a = 0; a < 3; a++) this.velocities[3 * i + a] = real(h.velo!, a);
    if (this.masses) {
      const m = real(h.masses!, 0);
      if (!(m > 0)) throw new XyzParseError(ln, `mass of particle ${i} is ${m}; masses must be > 0`);
      this.masses[i] = m;
    }
  }

  private finish(): Frame {
    const h = this.h!;
    const n = this.n;
    const types = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const sp = this.species[i]!;
      let t = this.typeOf.get(sp);
      if (t === undefined) this.typeOf.set(sp, (t = this.typeOf.size + 1));
      types[i] = this.types ? this.types[i]! : t;
    }
    const info: Record<string, FrameInfoValue> = {};
    for (const [k, v] of h.info) if (!h.consumedKeys.includes(k)) info[k] = typedValue(v);
    const fit = (a: Float64Array | null, w: number): Float64Array | undefined => (a === null ? undefined : a.length === w * n ? a : a.subarray(0, w * n));
    const frame: Frame = {
      n,
      positions: fit(this.positions, 3)!,
      cell: h.cell,
      species: this.species,
      types,
      ...optional('orientations', fit(this.orientations, 4)),
      ...optional('semiaxes', fit(this.semiaxes, 3)),
      ...optional('masses', fit(this.masses, 1)),
      ...optional('velocities', fit(this.velocities, 3)),
      ...optional('energy', h.energy ?? undefined),
      ...optional('energies', fit(this.energies, 1)),
      ...optional('forces', fit(this.forces, 3)),
      ...optional('torques', fit(this.torques, 3)),
      ...optional('virial', h.virial ?? undefined),
      ...optional('step', h.step ?? undefined),
      ...optional('molecules', this.molecules === null ? undefined : this.molecules.length === n ? this.molecules : this.molecules.subarray(0, n)),
      info,
      index: this.index,
      line: h.start,
      source: `${this.source}:${h.start}`,
    };
    this.index++;
    this.state = 0;
    this.h = null;
    this.species = [];
    this.positions = new Float64Array(0);
    this.types = null;
    this.molecules = null;
    this.orientations = this.semiaxes = this.forces = this.torques = this.energies = this.masses = this.velocities = null;
    return frame;
  }
}

/** Is the row-major `m` a proper rotation (orthonormal to 1e-4, det > 0)? */
function isRotation(m: Float64Array): boolean {
  for (let r = 0; r < 3; r++) {
    for (let c = r; c < 3; c++) {
      const d = m[3 * r]! * m[3 * c]! + m[3 * r + 1]! * m[3 * c + 1]! + m[3 * r + 2]! * m[3 * c + 2]!;
      if (!(Math.abs(d - (r === c ? 1 : 0)) < 1e-4)) return false;
    }
  }
  const det =
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  return det > 0;
}

/** The XYZ-family parser for `dialect` with the extxyz reading options. */
export function xyzFamilyParser(source: string, options: ReadOptions, dialect: 'any' | 'ipi'): XyzFrameParser {
  return new XyzFrameParser(source, {
    ...(options.orientationKey !== undefined ? { orientationKey: options.orientationKey } : {}),
    ...(options.quaternionOrder !== undefined ? { quaternionOrder: options.quaternionOrder } : {}),
    ...(options.energyKey !== undefined ? { energyKey: options.energyKey } : {}),
    ...(options.forcesKey !== undefined ? { forcesKey: options.forcesKey } : {}),
    ...(options.torquesKey !== undefined ? { torquesKey: options.torquesKey } : {}),
    ...(options.virialKey !== undefined ? { virialKey: options.virialKey } : {}),
    semiaxes: options.semiaxes ?? null,
    requireCell: options.requireCell ?? false,
    requireOrientations: options.requireOrientations ?? false,
    requireShapes: options.requireShapes ?? false,
    dialect,
  });
}
