// SPDX-License-Identifier: BSD-3-Clause
/**
 * Trajectories: streaming readers and writers of extended XYZ, LAMMPS `dump custom` and i-PI XYZ
 * files, in one frame type ({@link TrajectoryFrame}) with internal conventions.
 *
 * Reading ({@link openTrajectory}): the file is read in chunks (gzip decompressed on the fly,
 * detected by its magic bytes), split into lines and fed to a push parser that holds one frame;
 * frames are yielded one at a time, so memory stays flat whatever the number of frames. The format
 * is `options.format`, or detected from the content: a first line `ITEM: …` → LAMMPS; otherwise
 * the XYZ family, where each frame's comment line decides between i-PI (`# CELL(abcABC): …`),
 * extended XYZ (`key=value` pairs) and plain XYZ. The parsers: `xyz-frames.ts` (on the one
 * comment-line parser of `extxyz-parse.ts`) and `lammps-dump.ts`.
 *
 * (Content decides even when the extension says otherwise — a `.xyz` holding a LAMMPS dump is read
 * as LAMMPS; the extension only matters to {@link detectTrajectoryFormat} for an empty file and to
 * the writers.)
 *
 * Conventions converted at the boundary, by the named converters of `conventions.ts` (STYLE.md
 * B3, GAYBERNE.md §2):
 * - orientations are unit quaternions (w, x, y, z), body → lab, normalised on reading; extxyz
 *   columns `c_q`/`quat`/`quaternion`/`quaternions` (or `orientationKey`) in `quaternionOrder`
 *   (or the file's `quat_order`), or 3×3 matrices; LAMMPS `quatw quati quatj quatk` or
 *   `c_q[1..4]` (scalar first) or `quaternionColumns`;
 * - shapes are semi-axes: extxyz `semiaxes`, or diameters `c_diameter[k]` (halved); LAMMPS
 *   `shapex shapey shapez` are diameters (halved); `semiaxes` overrides both;
 * - lengths are in the file's unit, except i-PI files in `atomic_unit`, converted to Å with i-PI's
 *   bohr; LAMMPS positions are relative to the box origin (`x − xlo`), unwrapped with image flags
 *   when present, and sorted by atom id;
 * - species: the extxyz `species` (or `Z`) column, LAMMPS `element` or the type as text; types:
 *   the LAMMPS type, the extxyz `type:I:1` column, or 1, 2, … by first appearance of each species
 *   in the file.
 *
 * Errors are `AnisoError('E_IO')` whose message starts with `file:line:` (truncated frames, wrong
 * column counts, non-numeric or non-finite fields, missing Lattice when a cell is required, bad
 * ITEM headers, atom count mismatches, corrupt gzip data).
 *
 * Writing ({@link TrajectoryWriter}, {@link writeTrajectory}): one frame per `write` to a text sink;
 * `writeTrajectory` writes a whole file atomically (`atomic-write.ts`): nothing is left at the
 * target when a frame fails to read or write.
 */
import { AnisoError } from '../core/errors.js';
import { writeFileAtomically, type AtomicWriteOptions } from './atomic-write.js';
import { diameterFromSemiaxis, toScalarLast } from './conventions.js';
import { typedValue, XyzParseError } from './extxyz-parse.js';
import { formatExtxyzFrame, isWritableInfoKey, realFormatter, type ExtxyzColumn, type ExtxyzInfoValue, type TextSink } from './extxyz-writer.js';
import { formatIpiXyzFrame, type IpiXyzWriteOptions } from './ipi-xyz.js';
import { formatLammpsDumpFrame, LammpsDumpParser, type LammpsDumpWriteOptions } from './lammps-dump.js';
import { lineBatches, openTextInput, LineSplitter } from './text-lines.js';
import { XyzFrameParser, type XyzFrame } from './xyz-frames.js';
import type { TrajectoryFrame, TrajectoryFrameInput } from './frame.js';

export type { TrajectoryFrame, TrajectoryFrameInput } from './frame.js';

/** Trajectory formats the readers understand. */
export type TrajectoryFormat = 'extxyz' | 'lammps' | 'ipi';

/** Options of {@link openTrajectory}. */
export interface OpenTrajectoryOptions {
  /** Format, or 'auto' (by content: `ITEM:` → lammps, else the XYZ family). Default 'auto'. */
  format?: TrajectoryFormat | 'auto';
  /**
   * Orientation column (extxyz) — default: c_q, quat, quaternion, quaternions. For LAMMPS: the
   * compute of `c_<key>[1..4]` columns (default tries quatw…, then c_q, c_orient, c_quat).
   */
  orientationKey?: string;
  /** Component order of the orientation column; default 'wxyz' (extxyz: or the file's `quat_order`). */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** Semi-axes for every particle, overriding the file. */
  semiaxes?: readonly [number, number, number];
  /** LAMMPS: four column names of the orientation, components in `quaternionOrder`. */
  quaternionColumns?: readonly [string, string, string, string];
  /** LAMMPS: three column names of the shape, as diameters (default shapex shapey shapez). */
  shapeColumns?: readonly [string, string, string];
  /** LAMMPS: add image flags `ix iy iz` to wrapped coordinates ('apply', default) or not. */
  imageFlags?: 'apply' | 'ignore';
  /** Require a periodic cell in every frame (extxyz: a Lattice; LAMMPS: `pp pp pp`). Default false. */
  requireCell?: boolean;
  /** extxyz frame energy key (default `energy`). */
  energyKey?: string;
  /** extxyz force column (default `forces`). */
  forcesKey?: string;
  /** extxyz torque column (default `torques`). */
  torquesKey?: string;
}

/** A line-fed frame parser. */
interface FrameParser {
  push(line: string): TrajectoryFrame | null;
  end(): void;
  readonly linesRead: number;
}

/** The format named by a path's extension (`.gz` stripped), or null. */
export function formatFromPath(path: string): TrajectoryFormat | null {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (/\.(extxyz|exyz|xyz)$/.test(p)) return 'extxyz';
  if (/\.(lammpstrj|lammpsdump|dump)$/.test(p) || /(^|[/\\])dump\.[^/\\]*$/.test(p)) return 'lammps';
  return null;
}

/** Adapter: XYZ-family frames as trajectory frames (types by first appearance, typed info). */
class XyzTrajectoryParser implements FrameParser {
  private readonly inner: XyzFrameParser;
  private readonly typeOf = new Map<string, number>();

  constructor(
    private readonly source: string,
    options: OpenTrajectoryOptions,
    dialect: 'any' | 'ipi',
  ) {
    this.inner = new XyzFrameParser({
      ...(options.orientationKey !== undefined ? { orientationKey: options.orientationKey } : {}),
      ...(options.quaternionOrder !== undefined ? { quaternionOrder: options.quaternionOrder } : {}),
      ...(options.energyKey !== undefined ? { energyKey: options.energyKey } : {}),
      ...(options.forcesKey !== undefined ? { forcesKey: options.forcesKey } : {}),
      ...(options.torquesKey !== undefined ? { torquesKey: options.torquesKey } : {}),
      semiaxes: options.semiaxes ?? null,
      requireCell: options.requireCell ?? false,
      dialect,
    });
  }

  get linesRead(): number {
    return this.inner.linesRead;
  }

  push(line: string): TrajectoryFrame | null {
    const f = this.inner.push(line);
    return f === null ? null : this.convert(f);
  }

  end(): void {
    this.inner.end();
  }

  private convert(f: XyzFrame): TrajectoryFrame {
    const types = new Int32Array(f.n);
    for (let i = 0; i < f.n; i++) {
      const s = f.species[i]!;
      let t = this.typeOf.get(s);
      if (t === undefined) this.typeOf.set(s, (t = this.typeOf.size + 1));
      types[i] = f.types ? f.types[i]! : t;
    }
    const info: Record<string, string | number | boolean> = {};
    for (const [k, v] of f.info) if (!f.consumedKeys.includes(k)) info[k] = typedValue(v);
    return {
      index: f.index,
      n: f.n,
      positions: f.positions,
      cell: f.cell,
      species: f.species,
      types,
      orientations: f.orientations,
      semiaxes: f.semiaxes,
      forces: f.forces,
      torques: f.torques,
      energy: f.energy,
      step: f.step,
      info,
      source: `${this.source}:${f.line}`,
    };
  }
}

/** Buffers leading blank lines, then picks the parser from the first non-blank line (or the option). */
class SniffingParser implements FrameParser {
  private inner: FrameParser | null = null;
  private blanks = 0;

  constructor(
    private readonly source: string,
    private readonly options: OpenTrajectoryOptions,
  ) {
    const format = options.format ?? 'auto';
    if (format !== 'auto') this.inner = makeParser(format, source, options);
  }

  get linesRead(): number {
    return this.inner ? this.inner.linesRead : this.blanks;
  }

  push(line: string): TrajectoryFrame | null {
    if (this.inner) return this.inner.push(line);
    if (line.trim() === '') {
      this.blanks++;
      return null;
    }
    this.inner = makeParser(line.trimStart().startsWith('ITEM:') ? 'lammps' : 'extxyz', this.source, this.options);
    for (let k = 0; k < this.blanks; k++) this.inner.push('');
    return this.inner.push(line);
  }

  end(): void {
    this.inner?.end();
  }
}

function makeParser(format: TrajectoryFormat, source: string, options: OpenTrajectoryOptions): FrameParser {
  if (format === 'lammps') {
    return new LammpsDumpParser(source, {
      ...(options.quaternionColumns ? { quaternionColumns: options.quaternionColumns } : {}),
      ...(options.quaternionOrder ? { quaternionOrder: options.quaternionOrder } : {}),
      ...(options.orientationKey ? { orientationKey: options.orientationKey } : {}),
      ...(options.shapeColumns ? { shapeColumns: options.shapeColumns } : {}),
      ...(options.imageFlags ? { imageFlags: options.imageFlags } : {}),
      semiaxes: options.semiaxes ?? null,
      requireCell: options.requireCell ?? false,
    });
  }
  if (format === 'extxyz' || format === 'ipi') return new XyzTrajectoryParser(source, options, format === 'ipi' ? 'ipi' : 'any');
  throw new AnisoError('E_ARG', `trajectory format '${String(format)}'; allowed: auto, extxyz, lammps, ipi`);
}

function checkOptions(options: OpenTrajectoryOptions): void {
  const s = options.semiaxes;
  if (s && (s.length !== 3 || !s.every((x) => Number.isFinite(x) && x > 0))) {
    throw new AnisoError('E_ARG', `semiaxes override is [${Array.from(s).join(', ')}]; expected three finite numbers > 0`);
  }
  if (options.quaternionOrder !== undefined && options.quaternionOrder !== 'wxyz' && options.quaternionOrder !== 'xyzw') {
    throw new AnisoError('E_ARG', `quaternionOrder '${String(options.quaternionOrder)}'; allowed: wxyz, xyzw`);
  }
  if (options.quaternionColumns && options.quaternionColumns.length !== 4) throw new AnisoError('E_ARG', 'quaternionColumns needs four column names');
  if (options.shapeColumns && options.shapeColumns.length !== 3) throw new AnisoError('E_ARG', 'shapeColumns needs three column names');
  makeParser(options.format === undefined || options.format === 'auto' ? 'extxyz' : options.format, '', options);
}

function asIoError(err: unknown, source: string): unknown {
  if (err instanceof XyzParseError) return new AnisoError('E_IO', `${source}:${err.line}: ${err.reason}`);
  return err;
}

/**
 * Stream the frames of `path` (plain or gzip), one at a time in constant memory. Errors are
 * `AnisoError('E_IO')` naming `file:line`. Each iteration reopens the file, so the result can be
 * iterated more than once; breaking out of a loop closes the file.
 * @throws AnisoError `E_ARG` (synchronously) for bad options
 */
export function openTrajectory(path: string, options: OpenTrajectoryOptions = {}): AsyncIterable<TrajectoryFrame> {
  checkOptions(options);
  return { [Symbol.asyncIterator]: () => streamFrames(path, options) };
}

async function* streamFrames(path: string, options: OpenTrajectoryOptions): AsyncGenerator<TrajectoryFrame> {
  const parser = new SniffingParser(path, options);
  const streamError = (err: Error, linesSoFar: number) =>
    new AnisoError('E_IO', `${path}:${linesSoFar + 1}: ${/gzip|zlib|header check|unexpected end/i.test(`${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}`) ? 'gzip data is corrupt or truncated' : 'cannot read'} (${err.message})`, { cause: err });
  try {
    for await (const batch of lineBatches(path, streamError)) {
      for (let k = 0; k < batch.length; k++) {
        const f = parser.push(batch[k]!);
        if (f !== null) yield f;
      }
    }
    parser.end();
  } catch (err) {
    throw asIoError(err, path);
  }
}

/**
 * The frames of an iterable of lines, synchronously (same parsers as {@link openTrajectory});
 * `source` names the input in messages.
 */
export function* readTrajectoryLines(lines: Iterable<string>, source: string, options: OpenTrajectoryOptions = {}): Generator<TrajectoryFrame> {
  checkOptions(options);
  const parser = new SniffingParser(source, options);
  try {
    for (const line of lines) {
      const f = parser.push(line);
      if (f !== null) yield f;
    }
    parser.end();
  } catch (err) {
    throw asIoError(err, source);
  }
}

/** Every frame of `text` (a whole file in memory; for small inputs and tests). */
export function parseTrajectory(text: string, source = '<string>', options: OpenTrajectoryOptions = {}): TrajectoryFrame[] {
  const splitter = new LineSplitter();
  const lines = splitter.push(text);
  lines.push(...splitter.end());
  return [...readTrajectoryLines(lines, source, options)];
}

/**
 * The format of `path` by its content (first line `ITEM:` → lammps; first comment line
 * `# CELL(abcABC)` → ipi; else extxyz), or by its extension when it is empty.
 */
export async function detectTrajectoryFormat(path: string): Promise<TrajectoryFormat> {
  const input = await openTextInput(path);
  const splitter = new LineSplitter();
  const decoder = new TextDecoder();
  const seen: string[] = [];
  try {
    for await (const chunk of input.stream) {
      for (const line of splitter.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        if (seen.length === 0 && line.trim() === '') continue;
        seen.push(line);
        if (seen.length >= 2) break;
      }
      if (seen.length >= 2) break;
    }
  } catch (err) {
    throw new AnisoError('E_IO', `${path}: cannot read (${(err as Error).message})`, { cause: err });
  } finally {
    input.close();
  }
  if (seen.length < 2) seen.push(...splitter.end());
  if (seen.length === 0) return formatFromPath(path) ?? 'extxyz';
  if (seen[0]!.trimStart().startsWith('ITEM:')) return 'lammps';
  if (seen[1] !== undefined && /^#\s*CELL/.test(seen[1].trim())) return 'ipi';
  return 'extxyz';
}

// ---------------------------------------------------------------------------------------------
// Writers

/** Options of the extended-XYZ trajectory writer. */
export interface ExtxyzTrajectoryWriteOptions {
  /** Significant digits (1–17) or `'full'` (default). */
  precision?: number | 'full';
  /** Orientation column name (default `quat`; AniSOAP uses `c_q`). */
  orientationKey?: string;
  /** Component order written (default `wxyz`); recorded as `quat_order=…_body_to_lab`. */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** Shapes as `semiaxes:R:3` (default) or as diameters `c_diameter[1..3]` (AniSOAP). */
  shapes?: 'semiaxes' | 'diameters';
}

const WRITER_KEYS = new Set(['step', 'timestep', 'energy', 'quat_order', 'Lattice', 'Properties', 'pbc']);

/**
 * One frame as extended XYZ (ASE conventions): `species`, `pos`, then `type:I:1` when the types
 * are not 1, 2, … by first appearance of the species (tracked in `typeOf` across frames), the
 * orientation, shapes, `forces`, `torques`; info `step`, `energy`, `quat_order`, then the frame's
 * other info values that can be written.
 */
export function formatExtxyzTrajectoryFrame(frame: TrajectoryFrameInput, options: ExtxyzTrajectoryWriteOptions = {}, typeOf: Map<string, number> = new Map()): string {
  const n = frame.positions.length / 3;
  if (!Number.isInteger(n)) throw new AnisoError('E_SIZE', `extxyz: positions has length ${frame.positions.length}, not a multiple of 3`);
  const species = frame.species ? [...frame.species] : Array.from({ length: n }, (_, i) => (frame.types ? String(frame.types[i]) : 'X'));
  if (species.length !== n) throw new AnisoError('E_SIZE', `extxyz: species has length ${species.length}, expected ${n}`);
  const columns: ExtxyzColumn[] = [];
  if (frame.types) {
    if (frame.types.length !== n) throw new AnisoError('E_SIZE', `extxyz: types has length ${frame.types.length}, expected ${n}`);
    let derivable = true;
    for (let i = 0; i < n; i++) {
      let t = typeOf.get(species[i]!);
      if (t === undefined) typeOf.set(species[i]!, (t = typeOf.size + 1));
      if (frame.types[i] !== t) derivable = false;
    }
    if (!derivable) columns.push({ name: 'type', type: 'I', width: 1, values: Array.from(frame.types) });
  } else {
    for (const s of species) if (!typeOf.has(s)) typeOf.set(s, typeOf.size + 1);
  }
  const order = options.quaternionOrder ?? 'wxyz';
  if (frame.orientations) {
    let q: ArrayLike<number> = frame.orientations;
    if (order === 'xyzw') {
      const o = frame.orientations;
      const out = new Float64Array(o.length);
      for (let i = 0; i + 3 < o.length; i += 4) toScalarLast(out, i, o, i);
      q = out;
    }
    columns.push({ name: options.orientationKey ?? 'quat', type: 'R', width: 4, values: q });
  }
  if (frame.semiaxes) {
    if (options.shapes === 'diameters') {
      for (let d = 0; d < 3; d++) {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = diameterFromSemiaxis(frame.semiaxes[3 * i + d]!);
        columns.push({ name: `c_diameter[${d + 1}]`, type: 'R', width: 1, values: v });
      }
    } else columns.push({ name: 'semiaxes', type: 'R', width: 3, values: frame.semiaxes });
  }
  if (frame.forces) columns.push({ name: 'forces', type: 'R', width: 3, values: frame.forces });
  if (frame.torques) columns.push({ name: 'torques', type: 'R', width: 3, values: frame.torques });
  const info: Record<string, ExtxyzInfoValue> = {};
  if (frame.step !== null && frame.step !== undefined) info.step = frame.step;
  if (frame.energy !== null && frame.energy !== undefined) info.energy = frame.energy;
  if (frame.orientations) info.quat_order = `${order}_body_to_lab`;
  for (const [k, v] of Object.entries(frame.info ?? {})) {
    if (WRITER_KEYS.has(k) || !isWritableInfoKey(k) || k in info) continue;
    if (typeof v === 'string' && (v === '' || /["\\\n\r]/.test(v))) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    info[k] = v;
  }
  return formatExtxyzFrame({ species, positions: frame.positions, cell: frame.cell, columns, info }, { precision: options.precision ?? 'full' });
}

/** Options of {@link TrajectoryWriter} and {@link writeTrajectory}. */
export interface TrajectoryWriteOptions {
  /** Format; {@link writeTrajectory} defaults to the path's extension. */
  format?: TrajectoryFormat;
  /** Significant digits (1–17) or `'full'` (default), for every format. */
  precision?: number | 'full';
  /** extxyz specifics. */
  extxyz?: Omit<ExtxyzTrajectoryWriteOptions, 'precision'>;
  /** LAMMPS specifics. */
  lammps?: Omit<LammpsDumpWriteOptions, 'precision'>;
  /** i-PI specifics. */
  ipi?: Omit<IpiXyzWriteOptions, 'precision'>;
}

function firstBad(a: ArrayLike<number> | null | undefined): number {
  if (!a) return -1;
  for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) return k;
  return -1;
}

/** Streams frames of one format into a text sink, one `write` per frame. */
export class TrajectoryWriter {
  private readonly typeOf = new Map<string, number>();
  private count = 0;

  /**
   * @param sink where text goes (a file stream, an {@link AsyncTextSink}, an array in tests)
   * @throws AnisoError `E_ARG` for a bad format or precision
   */
  constructor(
    private readonly sink: TextSink,
    readonly format: TrajectoryFormat,
    private readonly options: Omit<TrajectoryWriteOptions, 'format'> = {},
  ) {
    if (format !== 'extxyz' && format !== 'lammps' && format !== 'ipi') throw new AnisoError('E_ARG', `trajectory format '${String(format)}'; allowed: extxyz, lammps, ipi`);
    realFormatter(options.precision ?? 'full');
  }

  /** Frames written so far. */
  get framesWritten(): number {
    return this.count;
  }

  /** The text of one frame in this writer's format (updates the species → type table). */
  formatFrame(frame: TrajectoryFrameInput): string {
    for (const [what, a] of [['positions', frame.positions], ['orientations', frame.orientations], ['semiaxes', frame.semiaxes], ['forces', frame.forces], ['torques', frame.torques]] as const) {
      const k = firstBad(a);
      if (k >= 0) throw new AnisoError('E_NONFINITE', `trajectory frame ${frame.index ?? this.count}: ${what}[${k}] is ${a![k]}; refusing to write a non-finite value`);
    }
    if (frame.energy !== null && frame.energy !== undefined && !Number.isFinite(frame.energy)) {
      throw new AnisoError('E_NONFINITE', `trajectory frame ${frame.index ?? this.count}: energy is ${frame.energy}`);
    }
    const precision = this.options.precision ?? 'full';
    if (this.format === 'extxyz') return formatExtxyzTrajectoryFrame(frame, { ...this.options.extxyz, precision }, this.typeOf);
    if (this.format === 'lammps') return formatLammpsDumpFrame(frame, { ...this.options.lammps, precision }, this.typeOf);
    return formatIpiXyzFrame(frame, { ...this.options.ipi, precision });
  }

  /** Format `frame` and write it; returns the sink's promise when it returns one (await it). */
  writeFrame(frame: TrajectoryFrameInput): void | Promise<void> {
    const text = this.formatFrame(frame);
    const r = this.sink.write(text);
    this.count++;
    if (r instanceof Promise) return r.then(() => undefined);
    return undefined;
  }
}

/**
 * Write `frames` to `path` atomically (temporary file + rename; nothing is left at `path` if a
 * frame fails to read or write). The format is `options.format` or the path's extension (`.gz`
 * compresses). Returns the number of frames written.
 */
export async function writeTrajectory(
  path: string,
  frames: Iterable<TrajectoryFrameInput> | AsyncIterable<TrajectoryFrameInput>,
  options: TrajectoryWriteOptions & Pick<AtomicWriteOptions, 'gzip'> = {},
): Promise<number> {
  const format = options.format ?? formatFromPath(path);
  if (format === null) throw new AnisoError('E_ARG', `cannot tell the trajectory format of '${path}' from its extension; set the format (extxyz, lammps, ipi)`);
  const { format: _f, gzip, ...rest } = options;
  return writeFileAtomically(
    path,
    async (sink) => {
      const w = new TrajectoryWriter(sink, format, rest);
      for await (const f of frames) await w.writeFrame(f);
      return w.framesWritten;
    },
    gzip === undefined ? {} : { gzip },
  );
}
