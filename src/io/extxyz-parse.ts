// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one parser of XYZ-family comment lines, used by the XYZ-family frame parser
 * (`formats/xyz-family.ts`) behind the `extxyz` and `ipi` formats:
 *
 * - extended XYZ (libAtoms/ASE; docs/CONVENTIONS.md §2–3): `key=value` pairs, values bare or quoted with `"…"`,
 *   `'…'`, `{…}`, `[…]` (nested brackets kept balanced, backslash escapes), a key alone meaning `T`;
 *   `Lattice` (9 numbers, rows a, b, c; old `"…"` or new `[[…], […], […]]` form), `pbc` (three T/F,
 *   default `T T T` with a Lattice, else no periodicity), `Properties` (`name:type:count` triplets,
 *   types `S`, `R`, `I`, `L`);
 * - i-PI's own XYZ header `# CELL(abcABC): a b c α β γ  Step: n  Bead: k  positions{unit}
 *   cell{unit}` (units `angstrom` or `atomic_unit`, converted to Å with i-PI's bohr).
 *
 * Failures are {@link XyzParseError}s carrying the line (from 1); readers turn them into
 * `source:line: reason` messages in `AnisoError('E_IO')`.
 */
import { Cell, type Pbc } from '../core/cell.js';
import { IPI_UNITS } from '../core/units.js';

/** One `Properties` entry: name, type letter (`S`, `R`, `I`, `L`), width and first column. */
export interface Column {
  name: string;
  type: string;
  count: number;
  start: number;
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Parse a real number token strictly: decimal digits with an optional sign, point and exponent
 * (Fortran `D` exponents allowed); no hex, no `Infinity`/`nan` spellings, no empty string or
 * surrounding blanks. Returns NaN for anything else (and ±Infinity for overflowing exponents).
 */
export function parseReal(token: string): number {
  const len = token.length;
  if (len === 0) return Number.NaN;
  const c0 = token.charCodeAt(0);
  const cl = token.charCodeAt(len - 1);
  // Fast path: JavaScript's own parser, once the first and last characters rule out what it
  // accepts beyond the strict grammar (blanks, Infinity, 0x/0b/0o literals).
  if ((c0 === 43 || c0 === 45 || c0 === 46 || (c0 >= 48 && c0 <= 57)) && ((cl >= 48 && cl <= 57) || cl === 46)) {
    const c1 = len > 1 ? token.charCodeAt(1) | 32 : 0;
    if (!(c0 === 48 && (c1 === 120 || c1 === 98 || c1 === 111))) {
      const x = +token;
      if (x - x === 0) return x;
    }
  }
  if (!NUMBER_RE.test(token)) return Number.NaN;
  return Number(token.replace(/[dD]/, 'e'));
}

/**
 * Why `token` was refused as a finite real: `not a finite number` for NaN/infinity spellings and
 * for overflowing values (`1e999`), `not a number` otherwise.
 */
export function badNumberReason(token: string): string {
  return NON_FINITE_RE.test(token) || NUMBER_RE.test(token) ? 'not a finite number' : 'not a number';
}

/** A parse failure at a line (counted from 1); readers turn it into `source:line: reason`. */
export class XyzParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The whitespace-separated tokens of `line` (none for a blank line); blanks are characters ≤ U+0020. */
export function splitTokens(line: string): string[] {
  const out: string[] = [];
  const len = line.length;
  let i = 0;
  for (;;) {
    while (i < len && line.charCodeAt(i) <= 32) i++;
    if (i >= len) return out;
    const start = i;
    while (i < len && line.charCodeAt(i) > 32) i++;
    out.push(line.slice(start, i));
  }
}

/** Split an extended-XYZ comment into key → raw value (quotes and outer brackets removed). */
export function parseKeyValues(comment: string, line: number): Map<string, string> {
  const out = new Map<string, string>();
  const closers: Record<string, string> = { '"': '"', "'": "'", '{': '}', '[': ']' };
  let i = 0;
  const len = comment.length;
  const isSpace = (c: string) => c === ' ' || c === '\t';
  while (i < len) {
    while (i < len && isSpace(comment[i]!)) i++;
    if (i >= len) break;
    let key = '';
    while (i < len && !isSpace(comment[i]!) && comment[i] !== '=') key += comment[i++];
    while (i < len && isSpace(comment[i]!)) i++;
    if (key === '') throw new XyzParseError(line, `comment has '=' without a key at column ${i + 1}`);
    if (comment[i] !== '=') {
      out.set(key, 'T');
      continue;
    }
    i++;
    while (i < len && isSpace(comment[i]!)) i++;
    let value = '';
    const open = comment[i];
    const close = open !== undefined ? closers[open] : undefined;
    if (close !== undefined) {
      i++;
      let depth = 1;
      while (i < len) {
        const c = comment[i]!;
        if (c === '\\' && i + 1 < len) {
          value += comment[i + 1];
          i += 2;
          continue;
        }
        if (c === open && open !== close) depth++;
        else if (c === close && --depth === 0) break;
        value += c;
        i++;
      }
      if (i >= len) throw new XyzParseError(line, `value of '${key}' has no closing ${close}`);
      i++;
    } else {
      while (i < len && !isSpace(comment[i]!)) value += comment[i++];
    }
    out.set(key, value);
  }
  return out;
}

/** The numbers of an array value (`"1 2 3"`, `1, 2, 3`, `[1, 2], [3, 4]`), as tokens. */
export function arrayTokens(value: string): string[] {
  return value.replace(/[[\]]/g, ' ').split(/[\s,]+/).filter((t) => t !== '');
}

/**
 * The cell of an extended-XYZ comment: `Lattice` (9 numbers, rows a, b, c) and `pbc` (three T/F,
 * default `T T T` with a Lattice); an open cell without a Lattice.
 * @throws XyzParseError at `line` for a malformed Lattice or pbc, or periodicity without a Lattice
 */
export function cellFromKeyValues(kv: ReadonlyMap<string, string>, line: number): Cell {
  let pbc: Pbc | null = null;
  const pbcText = kv.get('pbc');
  if (pbcText !== undefined) {
    const flags = pbcText.split(/[\s,]+/).filter((t) => t !== '').map(parseBool);
    if (flags.length !== 3 || flags.some((b) => b === null)) {
      throw new XyzParseError(line, `pbc is '${pbcText}'; expected three of T/F`);
    }
    pbc = [flags[0]!, flags[1]!, flags[2]!];
  }
  const lattice = kv.get('Lattice');
  if (lattice !== undefined) {
    const tokens = arrayTokens(lattice);
    if (tokens.length !== 9) throw new XyzParseError(line, `Lattice has ${tokens.length} numbers, expected 9 (rows a, b, c, Å)`);
    const rows = tokens.map(parseReal);
    const bad = rows.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new XyzParseError(line, `Lattice entry ${bad + 1} is '${tokens[bad]}', ${badNumberReason(tokens[bad]!)}`);
    try {
      return Cell.fromRows(rows, pbc ?? [true, true, true]);
    } catch (err) {
      throw new XyzParseError(line, `Lattice: ${(err as Error).message}`);
    }
  }
  if (pbc && (pbc[0] || pbc[1] || pbc[2])) {
    throw new XyzParseError(line, `pbc="${pbcText}" has periodic directions but there is no Lattice`);
  }
  return Cell.open();
}

/** `T`/`True`/`true`/`TRUE` → true, the F forms → false, anything else → null. */
export function parseBool(token: string): boolean | null {
  if (token === 'T' || token === 'True' || token === 'true' || token === 'TRUE') return true;
  if (token === 'F' || token === 'False' || token === 'false' || token === 'FALSE') return false;
  return null;
}

/**
 * A comment value typed as extxyz does (int, float, bool, else string): a single numeric token
 * becomes a number, a single T/F form a boolean, anything else (arrays included) stays a string.
 */
export function typedValue(value: string): string | number | boolean {
  const x = parseReal(value);
  if (Number.isFinite(x)) return x;
  const b = parseBool(value);
  return b ?? value;
}

/** Parse a `Properties` value (`name:type:count` triplets) into columns. */
export function parseColumns(spec: string, line: number): Column[] {
  const fields = spec.split(':');
  if (fields.length % 3 !== 0) {
    throw new XyzParseError(line, `Properties '${spec}' is not a list of name:type:count triplets`);
  }
  const cols: Column[] = [];
  let start = 0;
  for (let k = 0; k < fields.length; k += 3) {
    const name = fields[k]!, type = fields[k + 1]!, countText = fields[k + 2]!;
    if (!['S', 'R', 'I', 'L'].includes(type)) {
      throw new XyzParseError(line, `Properties entry '${name}' has type '${type}'; allowed: S, R, I, L`);
    }
    const count = /^\d{1,6}$/.test(countText) ? Number(countText) : Number.NaN;
    if (!(count >= 1)) {
      throw new XyzParseError(line, `Properties entry '${name}' has column count '${countText}'; expected an integer ≥ 1`);
    }
    if (cols.some((c) => c.name === name)) throw new XyzParseError(line, `Properties names '${name}' twice`);
    cols.push({ name, type, count, start });
    start += count;
  }
  return cols;
}

/** Is `comment` an i-PI XYZ header (`# CELL…`)? */
export function isIpiComment(comment: string): boolean {
  return comment.startsWith('#') && comment.includes('CELL');
}

/** What an i-PI header says. */
export interface IpiHeader {
  /** The cell (Å); open when a = b = c = 0. */
  cell: Cell;
  /** Factor from the file's unit of the per-atom quantity to Å. */
  posScale: number;
  /** The per-atom quantity named (`positions`, `x_centroid`, `forces`, …); `positions` if none. */
  quantity: string;
  /** `Step: n`, or null. */
  step: number | null;
  /** `Bead: k`, or null. */
  bead: number | null;
}

/** i-PI length units understood, as Å per unit. */
const IPI_LENGTH_UNITS: Readonly<Record<string, number>> = { angstrom: 1, atomic_unit: IPI_UNITS.bohrInAngstrom };

/**
 * Parse an i-PI header `# CELL(abcABC): a b c α β γ  Step: n  Bead: k  positions{unit} cell{unit}`
 * (units `angstrom` or `atomic_unit`, default `atomic_unit` as in i-PI; angles in degrees).
 * @throws XyzParseError at `line`
 */
export function parseIpiHeader(comment: string, line: number): IpiHeader {
  const m = /^#\s*CELL\(abcABC\):\s*(.*)$/.exec(comment);
  if (!m) {
    throw new XyzParseError(line, `unsupported i-PI header '${comment.slice(0, 40)}'; the lite reader reads only '# CELL(abcABC): a b c alpha beta gamma'`);
  }
  const tokens = m[1]!.trim().split(/\s+/);
  const p: number[] = [];
  for (let k = 0; k < 6; k++) {
    const x = tokens[k] === undefined ? Number.NaN : parseReal(tokens[k]!);
    if (!Number.isFinite(x)) throw new XyzParseError(line, `i-PI cell parameter ${k + 1} is '${tokens[k] ?? ''}', not a number`);
    p.push(x);
  }
  let quantity = 'positions';
  let quantityUnit: string | null = null;
  let cellUnit: string | null = null;
  for (const q of comment.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\{([^}]*)\}/g)) {
    if (q[1] === 'cell') cellUnit ??= q[2]!;
    else if (quantityUnit === null) {
      quantity = q[1]!;
      quantityUnit = q[2]!;
    }
  }
  const unitOf = (what: string, u: string | null): number => {
    const scale = IPI_LENGTH_UNITS[u ?? 'atomic_unit'];
    if (scale === undefined) throw new XyzParseError(line, `i-PI ${what} unit is '${u}'; allowed: ${Object.keys(IPI_LENGTH_UNITS).join(', ')}`);
    return scale;
  };
  const cellScale = unitOf('cell', cellUnit);
  const posScale = unitOf(quantity, quantityUnit);
  for (let k = 0; k < 3; k++) p[k] = p[k]! * cellScale;
  const intAfter = (label: string): number | null => {
    const s = new RegExp(`${label}:\\s*(-?\\d+)`).exec(comment)?.[1];
    return s === undefined ? null : Number(s);
  };
  let cell: Cell;
  if (p[0] === 0 && p[1] === 0 && p[2] === 0) cell = Cell.open();
  else {
    try {
      cell = Cell.fromParameters(p);
    } catch (err) {
      throw new XyzParseError(line, `i-PI cell: ${(err as Error).message}`);
    }
    if (!cell.h.every((x) => Number.isFinite(x))) throw new XyzParseError(line, `i-PI cell parameters ${p.join(' ')} do not make a cell`);
  }
  return { cell, posScale, quantity, step: intAfter('Step'), bead: intAfter('Bead') };
}
