// SPDX-License-Identifier: BSD-3-Clause
/**
 * A minimal, test-only reader of the extended XYZ files in `data/reference`: the comment line's
 * `key=value` pairs (bare, double-quoted, or bracketed `{…}` / `[…]` values), `Lattice` (rows a, b,
 * c), `pbc`, `Properties=name:T:m:…`, and the per-atom columns. Not a general extxyz reader (no
 * escaped quotes inside strings, no multi-line values); the library's own reader lives in `src/io`.
 */
import { readFileSync } from 'node:fs';

/** One per-atom property: `R` and `I` columns as a flat Float64Array (n·count), `S`/`L` as strings. */
export interface ExtxyzColumn {
  type: 'R' | 'I' | 'S' | 'L';
  count: number;
  numbers: Float64Array | null;
  strings: string[] | null;
}

/** One frame. */
export interface ExtxyzFrame {
  n: number;
  /** Raw values of the comment line (quotes stripped). */
  info: Record<string, string>;
  /** Lattice rows a, b, c (9), or null without `Lattice`. */
  lattice: Float64Array | null;
  pbc: [boolean, boolean, boolean];
  columns: Record<string, ExtxyzColumn>;
}

/** Split a comment line into `key=value` pairs. */
export function parseInfoLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let k = 0;
  const len = line.length;
  while (k < len) {
    while (k < len && /\s/.test(line[k]!)) k++;
    if (k >= len) break;
    const keyStart = k;
    while (k < len && line[k] !== '=' && !/\s/.test(line[k]!)) k++;
    const key = line.slice(keyStart, k);
    if (line[k] !== '=') {
      out[key] = 'T';
      continue;
    }
    k++;
    let value: string;
    if (line[k] === '"') {
      const end = line.indexOf('"', k + 1);
      if (end < 0) throw new Error(`unterminated quote after ${key}=`);
      value = line.slice(k + 1, end);
      k = end + 1;
    } else {
      const start = k;
      let depth = 0;
      while (k < len && (depth > 0 || !/\s/.test(line[k]!))) {
        const c = line[k]!;
        if (c === '{' || c === '[' || c === '(') depth++;
        else if (c === '}' || c === ']' || c === ')') depth--;
        k++;
      }
      value = line.slice(start, k);
    }
    out[key] = value;
  }
  return out;
}

/** Parse the Python-dict-like strings of the shared data (`{'a':1.0,'b':[1,2]}`) as JSON. */
export function parsePyDict(s: string): Record<string, unknown> {
  const json = s
    .replace(/'/g, '"')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null');
  return JSON.parse(json) as Record<string, unknown>;
}

function parseBool(s: string): boolean {
  return /^(t|true)$/i.test(s);
}

/** Parse the text of a (multi-frame) extxyz file. */
export function parseExtxyz(text: string): ExtxyzFrame[] {
  const lines = text.split(/\r?\n/);
  const frames: ExtxyzFrame[] = [];
  let l = 0;
  while (l < lines.length) {
    if (lines[l]!.trim() === '') {
      l++;
      continue;
    }
    const n = Number.parseInt(lines[l]!.trim(), 10);
    if (!Number.isInteger(n) || n < 0) throw new Error(`line ${l + 1}: expected an atom count, got '${lines[l]}'`);
    const info = parseInfoLine(lines[l + 1] ?? '');
    let lattice: Float64Array | null = null;
    if (info.Lattice !== undefined) {
      const v = info.Lattice.trim().split(/\s+/).map(Number);
      if (v.length !== 9 || v.some((x) => !Number.isFinite(x))) throw new Error(`line ${l + 2}: bad Lattice '${info.Lattice}'`);
      lattice = Float64Array.from(v);
    }
    let pbc: [boolean, boolean, boolean] = lattice ? [true, true, true] : [false, false, false];
    if (info.pbc !== undefined) {
      const p = info.pbc.trim().split(/\s+/).map(parseBool);
      pbc = [p[0] ?? false, p[1] ?? false, p[2] ?? false];
    }
    const props = (info.Properties ?? 'species:S:1:pos:R:3').split(':');
    if (props.length % 3 !== 0) throw new Error(`line ${l + 2}: bad Properties '${info.Properties}'`);
    const columns: Record<string, ExtxyzColumn> = {};
    const order: { name: string; col: ExtxyzColumn }[] = [];
    for (let p = 0; p < props.length; p += 3) {
      const type = props[p + 1] as ExtxyzColumn['type'];
      const count = Number.parseInt(props[p + 2]!, 10);
      const numeric = type === 'R' || type === 'I';
      const col: ExtxyzColumn = {
        type,
        count,
        numbers: numeric ? new Float64Array(n * count) : null,
        strings: numeric ? null : new Array<string>(n * count),
      };
      columns[props[p]!] = col;
      order.push({ name: props[p]!, col });
    }
    for (let a = 0; a < n; a++) {
      const lineNo = l + 2 + a;
      const tok = (lines[lineNo] ?? '').trim().split(/\s+/);
      let t = 0;
      for (const { name, col } of order) {
        for (let c = 0; c < col.count; c++, t++) {
          const s = tok[t];
          if (s === undefined) throw new Error(`line ${lineNo + 1}: too few columns for ${name}`);
          if (col.numbers) {
            const x = Number(s);
            if (!Number.isFinite(x)) throw new Error(`line ${lineNo + 1}: ${name} value '${s}' is not a number`);
            col.numbers[a * col.count + c] = x;
          } else {
            col.strings![a * col.count + c] = s;
          }
        }
      }
    }
    frames.push({ n, info, lattice, pbc, columns });
    l += 2 + n;
  }
  return frames;
}

/** Read and parse an extxyz file. */
export function readExtxyz(path: string): ExtxyzFrame[] {
  return parseExtxyz(readFileSync(path, 'utf8'));
}

/** The numeric column `name` of `frame`, or throw. */
export function column(frame: ExtxyzFrame, name: string): Float64Array {
  const c = frame.columns[name];
  if (!c || !c.numbers) throw new Error(`frame has no numeric column '${name}'`);
  return c.numbers;
}
