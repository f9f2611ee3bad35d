// SPDX-License-Identifier: BSD-3-Clause
/**
 * Extended XYZ output (libAtoms/ASE conventions; docs/CONVENTIONS.md §2–3): one frame is
 *
 * ```
 * N
 * Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3[:velo:R:3][:masses:R:1][…] key=value … pbc="T T T"
 * species x y z [vx vy vz] [m] […]
 * ```
 *
 * Lattice vectors are rows of the cell (a, then b, then c), Å; `pos` Å; `velo` Å/fs (the format
 * fixes no time unit; ASE keeps `velo` as a plain array — `atoms.set_velocities(atoms.arrays['velo']
 * / ase.units.fs)` converts it); `masses` amu (ASE reads it as the atoms' masses); the info key
 * `energy` (eV) becomes ASE's potential energy. An open cell (no periodic direction, all-zero `h`)
 * writes no `Lattice`. No fancy quoting: values with spaces are wrapped in double quotes, species and
 * keys must be plain tokens. Note that ASE itself only accepts chemical symbols as species.
 *
 * {@link formatExtxyzText} is pure (returns the text) and knows only columns; the `extxyz` format
 * (`extxyz.ts`) lays a `Frame` out as columns and info and calls it.
 */
import { Cell } from '../../core/cell.js';
import { AnisoError, checkLength } from '../../core/errors.js';

/** A per-site extra column block: `width` values per site, site-major (n · width entries). */
export type ExtxyzColumn =
  | { readonly name: string; readonly type: 'R' | 'I'; readonly width: number; readonly values: ArrayLike<number> }
  | { readonly name: string; readonly type: 'S'; readonly width: number; readonly values: readonly string[] }
  | { readonly name: string; readonly type: 'L'; readonly width: number; readonly values: readonly boolean[] };

/** A value on the comment line: a number, a plain string, a boolean (`T`/`F`) or a numeric array. */
export type ExtxyzInfoValue = number | string | boolean | readonly number[];

/** The text layout of one extxyz frame (not a frame record: columns and info). Arrays are read, never kept. */
export interface ExtxyzLayout {
  /** Species name per site, n entries (non-empty, no whitespace or quotes). */
  readonly species: readonly string[];
  /** Positions, 3n, Å. */
  readonly positions: ArrayLike<number>;
  /** The cell (rows = lattice vectors, Å) and its periodicity. */
  readonly cell: Cell;
  /** Per-site columns, written after `species` and `pos` in this order. */
  readonly columns?: readonly ExtxyzColumn[];
  /**
   * Per-frame `key=value` pairs, written in insertion order between `Properties` and `pbc`
   * (e.g. `step`, `time` fs, `energy` eV, `conserved` eV). Integers are written as integers.
   */
  readonly info?: Readonly<Record<string, ExtxyzInfoValue>>;
}

/** Formatting options. */
export interface ExtxyzFormatOptions {
  /**
   * Significant digits of real numbers (1–17, like `%.{p}g`, default 10), or `'full'` for the
   * shortest text that reads back to the identical double.
   */
  precision?: number | 'full';
}

/** Where a frame writer sends text; a returned promise is awaited by the writer's caller. */
export interface TextSink {
  /** Append `text` (one whole frame per call). */
  write(text: string): unknown;
}

const RESERVED_KEYS = new Set(['Lattice', 'Properties', 'pbc']);
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Column names may also carry brackets, as AniSOAP's `c_diameter[1]` (written bare, as ASE does). */
const COLUMN_RE = /^[A-Za-z_][A-Za-z0-9_\-[\]]*$/;
const PLAIN_RE = /^[^\s"'=\\{}[\]]+$/;

/**
 * A formatter for reals at the given precision (significant digits 1–17, or `'full'`: the shortest
 * text that reads back to the same double), and the column width used to align them.
 * @throws AnisoError `E_ARG` for a bad precision
 */
export function realFormatter(precision: number | 'full'): { fmt: (x: number) => string; width: number } {
  const special = (x: number) => (x !== x ? 'nan' : x > 0 ? 'inf' : '-inf');
  if (precision === 'full') {
    return { fmt: (x) => (Number.isFinite(x) ? String(x) : special(x)), width: 24 };
  }
  if (!Number.isInteger(precision) || precision < 1 || precision > 17) {
    throw new AnisoError('E_ARG', `extxyz precision is ${precision}; allowed: an integer 1–17 or 'full'`);
  }
  // Number(x.toPrecision(p)) rounds to p digits; String() then drops trailing zeros (like %g).
  return {
    fmt: (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(precision))) : special(x)),
    width: precision + 7,
  };
}

function checkName(name: string, what: string, re = KEY_RE): void {
  if (!re.test(name)) {
    throw new AnisoError('E_ARG', `${what} '${name}' is not a plain name ([A-Za-z_][A-Za-z0-9_-]*${re === COLUMN_RE ? ', brackets allowed' : ''})`);
  }
}

/** Can `key` be written as an extxyz info key by {@link formatExtxyzText}? */
export function isWritableInfoKey(key: string): boolean {
  return KEY_RE.test(key) && !RESERVED_KEYS.has(key);
}

function formatInfoValue(key: string, value: ExtxyzInfoValue, fmt: (x: number) => string): string {
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : fmt(value);
  if (typeof value === 'string') {
    if (value.length > 0 && PLAIN_RE.test(value)) return value;
    if (/["\\\n\r]/.test(value)) {
      throw new AnisoError('E_ARG', `extxyz info '${key}' contains a quote, backslash or newline: ${JSON.stringify(value)}`);
    }
    return `"${value}"`;
  }
  const parts: string[] = [];
  for (let k = 0; k < value.length; k++) {
    const x = value[k]!;
    parts.push(Number.isInteger(x) ? String(x) : fmt(x));
  }
  return `"${parts.join(' ')}"`;
}

/**
 * Format one frame as extended XYZ text (ending with a newline). Throws `E_SIZE` for arrays of the
 * wrong length and `E_ARG` for a species, key or column name that cannot be written unquoted.
 */
export function formatExtxyzText(frame: ExtxyzLayout, options: ExtxyzFormatOptions = {}): string {
  const { fmt, width } = realFormatter(options.precision ?? 10);
  const n = frame.species.length;
  checkLength(frame.positions, 3 * n, `extxyz positions (3 per site for ${n} species)`);
  let speciesWidth = 1;
  for (let i = 0; i < n; i++) {
    const s = frame.species[i]!;
    if (typeof s !== 'string' || !PLAIN_RE.test(s)) {
      throw new AnisoError('E_ARG', `species of site ${i} is ${JSON.stringify(s)}; it must be a non-empty token without spaces or quotes`);
    }
    speciesWidth = Math.max(speciesWidth, s.length);
  }

  const props = ['species:S:1', 'pos:R:3'];
  const columns = frame.columns ?? [];
  const seen = new Set(['species', 'pos']);
  for (const c of columns) {
    checkName(c.name, 'extxyz column name', COLUMN_RE);
    if (seen.has(c.name)) throw new AnisoError('E_ARG', `extxyz column '${c.name}' is given twice`);
    seen.add(c.name);
    if (!Number.isInteger(c.width) || c.width < 1) {
      throw new AnisoError('E_ARG', `extxyz column '${c.name}' has width ${c.width}; it must be an integer ≥ 1`);
    }
    if (c.values.length !== n * c.width) {
      throw new AnisoError('E_SIZE', `extxyz column '${c.name}' has length ${c.values.length}, expected ${n * c.width} (${c.width} per site)`);
    }
    if (c.type === 'S') {
      for (let k = 0; k < c.values.length; k++) {
        if (!PLAIN_RE.test(c.values[k]!)) {
          throw new AnisoError('E_ARG', `extxyz column '${c.name}' entry ${k} is ${JSON.stringify(c.values[k])}; strings must be plain tokens`);
        }
      }
    } else if (c.type === 'I') {
      for (let k = 0; k < c.values.length; k++) {
        if (!Number.isSafeInteger(c.values[k]!)) {
          throw new AnisoError('E_ARG', `extxyz integer column '${c.name}' entry ${k} is ${c.values[k]}, not an integer`);
        }
      }
    }
    props.push(`${c.name}:${c.type}:${c.width}`);
  }

  const header: string[] = [];
  const h = frame.cell.h;
  let hasLattice = Cell.isPeriodic(frame.cell);
  for (let k = 0; k < 9 && !hasLattice; k++) hasLattice = h[k] !== 0;
  if (hasLattice) {
    const rows: string[] = [];
    for (let k = 0; k < 9; k++) rows.push(fmt(h[k]!));
    header.push(`Lattice="${rows.join(' ')}"`);
  }
  header.push(`Properties=${props.join(':')}`);
  for (const [key, value] of Object.entries(frame.info ?? {})) {
    checkName(key, 'extxyz info key');
    if (RESERVED_KEYS.has(key)) throw new AnisoError('E_ARG', `extxyz info key '${key}' is reserved (written by the writer)`);
    header.push(`${key}=${formatInfoValue(key, value, fmt)}`);
  }
  const pbc = frame.cell.pbc;
  header.push(`pbc="${pbc[0] ? 'T' : 'F'} ${pbc[1] ? 'T' : 'F'} ${pbc[2] ? 'T' : 'F'}"`);

  const lines: string[] = [String(n), header.join(' ')];
  const real = (x: number) => fmt(x).padStart(width);
  for (let i = 0; i < n; i++) {
    let line = frame.species[i]!.padEnd(speciesWidth);
    const p = frame.positions;
    line += ` ${real(p[3 * i]!)} ${real(p[3 * i + 1]!)} ${real(p[3 * i + 2]!)}`;
    for (const c of columns) {
      for (let k = i * c.width; k < (i + 1) * c.width; k++) {
        if (c.type === 'R') line += ` ${real(c.values[k]!)}`;
        else if (c.type === 'I') line += ` ${String(c.values[k]!).padStart(8)}`;
        else if (c.type === 'L') line += ` ${c.values[k] ? 'T' : 'F'}`;
        else line += ` ${c.values[k]!}`;
      }
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
