// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small reader of one initial structure in extended XYZ, plain XYZ or i-PI XYZ, from a string
 * (the caller reads the file). Deliberately limited (velocities and masses, warnings for what it
 * skips); whole trajectories with orientations and shapes are read by `trajectory.ts`. The
 * comment line is parsed by the one shared parser, `extxyz-parse.ts`.
 *
 * What it understands:
 * - line 1: the atom count; line 2: the comment; then one line per atom. Only the first frame is
 *   read (a warning says so if more text follows).
 * - extended XYZ comment: `key=value` pairs, values bare or quoted with `"…"`, `'…'`, `{…}`, `[…]`;
 *   a key alone means `T`. `Lattice` (9 numbers, rows a, b, c, Å), `pbc` (3 of `T`/`F`, default
 *   `T T T` with a Lattice, else no periodicity), `Properties` (`name:type:count` triplets).
 *   Columns read: `species:S:1` and `pos:R:3` (required), `masses:R:1` (amu), `velo:R:3` (Å/fs);
 *   other declared columns are skipped with a warning. The column count must match exactly.
 * - plain XYZ (comment without `=`): `species x y z`, extra columns ignored with a warning; no cell.
 *   A comment with `key=value` pairs but no `Properties` is read the same way, with its Lattice.
 * - i-PI XYZ (`# CELL(abcABC): a b c α β γ … positions{angstrom|atomic_unit} cell{…}`): the cell
 *   from lattice parameters (Å, degrees), lengths converted from bohr when `atomic_unit`.
 *
 * Problems are reported as `source:line: what is wrong`, lines counted from 1.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import {
  cellFromKeyValues,
  isIpiComment,
  parseColumns,
  parseIpiHeader,
  parseKeyValues,
  parseReal,
  XyzParseError,
  type Column,
} from './extxyz-parse.js';

// The comment-line parser lives in extxyz-parse.ts (one parser for every reader); re-exported here
// for the code that imported it from this module.
export { cellFromKeyValues, parseBool, parseColumns, parseKeyValues, parseReal, XyzParseError, type Column } from './extxyz-parse.js';

/** The structure read. */
export interface XyzLiteFrame {
  /** Number of sites. */
  n: number;
  /** Species name per site. */
  species: string[];
  /** Positions, 3n, Å. */
  positions: Float64Array;
  /** The cell (open, with zero `h`, when the file gives none). */
  cell: Cell;
  /** Velocities, 3n, Å/fs, from a `velo:R:3` column; null if absent. */
  velocities: Float64Array | null;
  /** Masses, n, amu, from a `masses:R:1` column; null if absent. */
  masses: Float64Array | null;
  /** Other comment-line pairs, values as raw strings (quotes removed). */
  info: Record<string, string>;
  /** The comment line as written. */
  comment: string;
  /** Which dialect the comment line was read as. */
  format: 'extxyz' | 'xyz' | 'ipi';
}

/** Result of {@link parseXyzLite}: the frame and warnings, or the first error. */
export type XyzLiteResult =
  | { ok: true; frame: XyzLiteFrame; warnings: string[] }
  | { ok: false; line: number; message: string };

function requireColumn(cols: Column[], name: string, type: string, count: number, line: number, optional: boolean): Column | null {
  const c = cols.find((x) => x.name === name);
  if (!c) {
    if (optional) return null;
    throw new XyzParseError(line, `Properties lacks ${name}:${type}:${count} (the lite reader needs species:S:1 and pos:R:3)`);
  }
  if (c.type !== type || c.count !== count) {
    throw new XyzParseError(line, `Properties has ${name}:${c.type}:${c.count}, expected ${name}:${type}:${count}`);
  }
  return c;
}

/**
 * Parse the first frame of `text`. Never throws for malformed input: the result says what is wrong
 * and where (`source:line: …`). `source` names the text in messages (usually the file path).
 */
export function parseXyzLite(text: string, source = '<string>'): XyzLiteResult {
  const warnings: string[] = [];
  try {
    const frame = parseFrame(text, source, warnings);
    return { ok: true, frame, warnings };
  } catch (err) {
    if (err instanceof XyzParseError) return { ok: false, line: err.line, message: `${source}:${err.line}: ${err.reason}` };
    throw err;
  }
}

/**
 * Like {@link parseXyzLite} but throws `AnisoError('E_IO')` with the `source:line: …` message on
 * failure, and returns the frame and warnings on success.
 */
export function readXyzLite(text: string, source = '<string>'): { frame: XyzLiteFrame; warnings: string[] } {
  const r = parseXyzLite(text, source);
  if (!r.ok) throw new AnisoError('E_IO', r.message);
  return { frame: r.frame, warnings: r.warnings };
}

function parseFrame(text: string, source: string, warnings: string[]): XyzLiteFrame {
  const lines = text.split(/\r?\n/);
  const first = lines[0]?.trim() ?? '';
  if (first === '') {
    throw new XyzParseError(1, text.trim() === '' ? 'empty input; expected the atom count' : 'expected the atom count, found an empty line');
  }
  if (!/^\d+$/.test(first)) {
    throw new XyzParseError(1, `expected the atom count (a non-negative integer), found '${first.slice(0, 40)}'`);
  }
  const n = Number(first);
  if (!Number.isSafeInteger(n)) throw new XyzParseError(1, `atom count ${first} is too large`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '' && n > 0)) {
    throw new XyzParseError(2, `file ends before the comment line (atom count ${n} on line 1)`);
  }
  const comment = (lines[1] ?? '').trim();

  let format: XyzLiteFrame['format'];
  let cols: Column[];
  let exactColumns: boolean;
  let cell = Cell.open();
  let posScale = 1;
  const info: Record<string, string> = {};
  if (isIpiComment(comment)) {
    format = 'ipi';
    ({ cell, posScale } = parseIpiHeader(comment, 2));
    cols = parseColumns('species:S:1:pos:R:3', 2);
    exactColumns = false;
  } else if (comment.includes('=')) {
    format = 'extxyz';
    const kv = parseKeyValues(comment, 2);
    const props = kv.get('Properties');
    cols = parseColumns(props ?? 'species:S:1:pos:R:3', 2);
    exactColumns = props !== undefined;
    cell = cellFromKeyValues(kv, 2);
    for (const [key, value] of kv) {
      if (key !== 'Properties' && key !== 'Lattice' && key !== 'pbc') info[key] = value;
    }
  } else {
    format = 'xyz';
    cols = parseColumns('species:S:1:pos:R:3', 2);
    exactColumns = false;
  }

  const speciesCol = requireColumn(cols, 'species', 'S', 1, 2, false)!;
  const posCol = requireColumn(cols, 'pos', 'R', 3, 2, false)!;
  const massCol = requireColumn(cols, 'masses', 'R', 1, 2, true);
  const veloCol = requireColumn(cols, 'velo', 'R', 3, 2, true);
  const used = new Set([speciesCol, posCol, massCol, veloCol]);
  const skipped = cols.filter((c) => !used.has(c));
  if (skipped.length > 0) {
    warnings.push(`${source}:2: columns not read by the lite reader: ${skipped.map((c) => `${c.name}:${c.type}:${c.count}`).join(', ')}`);
  }
  const nColumns = cols.reduce((s, c) => s + c.count, 0);
  const propsText = cols.map((c) => `${c.name}:${c.type}:${c.count}`).join(':');

  const species: string[] = new Array<string>(n);
  const positions = new Float64Array(3 * n);
  const velocities = veloCol ? new Float64Array(3 * n) : null;
  const masses = massCol ? new Float64Array(n) : null;
  let extraColumnsSeen = 0;
  const readReal = (tokens: string[], c: Column, j: number, lineNo: number, unit: string): number => {
    const token = tokens[c.start + j]!;
    const x = parseReal(token);
    if (!Number.isFinite(x)) {
      const label = c.count > 1 ? `${c.name} ${'xyz'[j] ?? j}` : c.name;
      throw new XyzParseError(lineNo, `column ${c.start + j + 1} (${label}, ${unit}) is '${token}', not a number`);
    }
    return x;
  };
  for (let i = 0; i < n; i++) {
    const lineNo = 3 + i;
    const raw = lines[2 + i];
    if (raw === undefined || (raw.trim() === '' && 2 + i >= lines.length - 1)) {
      throw new XyzParseError(lineNo, `file ends after ${i} of ${n} atom lines (truncated frame)`);
    }
    const tokens = raw.trim().split(/\s+/).filter((t) => t !== '');
    if (exactColumns ? tokens.length !== nColumns : tokens.length < nColumns) {
      throw new XyzParseError(
        lineNo,
        `found ${tokens.length} columns, expected ${exactColumns ? '' : 'at least '}${nColumns} (Properties=${propsText})`,
      );
    }
    if (tokens.length > nColumns) extraColumnsSeen = Math.max(extraColumnsSeen, tokens.length - nColumns);
    species[i] = tokens[speciesCol.start]!;
    for (let a = 0; a < 3; a++) positions[3 * i + a] = posScale * readReal(tokens, posCol, a, lineNo, 'Å');
    if (velocities && veloCol) {
      for (let a = 0; a < 3; a++) velocities[3 * i + a] = readReal(tokens, veloCol, a, lineNo, 'Å/fs');
    }
    if (masses && massCol) {
      const m = readReal(tokens, massCol, 0, lineNo, 'amu');
      if (!(m > 0)) throw new XyzParseError(lineNo, `mass is ${m} amu; masses must be > 0`);
      masses[i] = m;
    }
  }
  if (extraColumnsSeen > 0) {
    warnings.push(`${source}:3: atom lines have up to ${extraColumnsSeen} column(s) beyond species and pos; ignored`);
  }
  const rest = lines.slice(2 + n).findIndex((l) => l.trim() !== '');
  if (rest >= 0) warnings.push(`${source}:${3 + n + rest}: text after the first frame is ignored (the lite reader reads one frame)`);

  return { n, species, positions, cell, velocities, masses, info, comment, format };
}
