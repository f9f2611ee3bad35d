// SPDX-License-Identifier: BSD-3-Clause
/**
 * What a trajectory format module (`formats/<name>.ts`) exports: a {@link FrameFormat} — its name,
 * file extensions, a content sniffer, a line-fed streaming parser and a one-frame formatter — and
 * the options every format reads from ({@link ReadOptions}, {@link WriteOptions}). The reader
 * (`read-frames.ts`) and the writer (`write-frames.ts`) know formats only through this interface
 * and the list in `formats/index.ts`.
 */
import type { Frame, FrameInput } from '../frame.js';

/** Options of the readers; each format reads the ones that concern it. */
export interface ReadOptions {
  /** Format name (`formats/index.ts`), or 'auto' (by content, see `sniff`). Default 'auto'. */
  format?: string;
  /**
   * Orientation column (extxyz) — default: c_q, quat, quaternion, quaternions. For LAMMPS: the
   * compute of `c_<key>[1..4]` columns (default tries quatw…, then c_q, c_orient, c_quat).
   */
  orientationKey?: string;
  /** Component order of the orientation column; default 'wxyz' (extxyz: or the file's `quat_order`). */
  quaternionOrder?: 'wxyz' | 'xyzw';
  /** Semi-axes for every particle, overriding the file. */
  semiaxes?: readonly [number, number, number] | null;
  /** LAMMPS: four column names of the orientation, components in `quaternionOrder`. */
  quaternionColumns?: readonly [string, string, string, string];
  /** LAMMPS: three column names of the shape, as diameters (default shapex shapey shapez). */
  shapeColumns?: readonly [string, string, string];
  /** LAMMPS: add image flags `ix iy iz` to wrapped coordinates ('apply', default) or not. */
  imageFlags?: 'apply' | 'ignore';
  /** Require a periodic cell in every frame (extxyz: a Lattice; LAMMPS: `pp pp pp`). Default false. */
  requireCell?: boolean;
  /** Require orientations in every frame (extxyz; default false). */
  requireOrientations?: boolean;
  /** Require shapes, from the file or `semiaxes` (extxyz; default false). */
  requireShapes?: boolean;
  /** extxyz frame energy key (default `energy`). */
  energyKey?: string;
  /** extxyz force column (default `forces`). */
  forcesKey?: string;
  /** extxyz torque column (default `torques`). */
  torquesKey?: string;
  /** extxyz virial key (default `virial`, 9 numbers row-major). */
  virialKey?: string;
}

/** Options of the writers: shared ones, then one object per format. */
export interface WriteOptions {
  /** Format name; `writeFrames` defaults to the path's extension. */
  format?: string;
  /** Significant digits (1–17) or `'full'` (default), for every format. */
  precision?: number | 'full';
  /** extxyz specifics. */
  extxyz?: {
    /** Orientation column name (default `quat`; AniSOAP uses `c_q`). */
    orientationKey?: string;
    /** Component order written (default `wxyz`); recorded as `quat_order=…_body_to_lab`. */
    quaternionOrder?: 'wxyz' | 'xyzw';
    /** Shapes as `semiaxes:R:3` (default) or as diameters `c_diameter[1..3]` (AniSOAP). */
    shapes?: 'semiaxes' | 'diameters';
  };
  /** LAMMPS specifics. */
  lammps?: {
    /** Coordinate columns: `x` (default), `xu` (unwrapped) or `xs` (scaled). */
    coordinates?: 'x' | 'xu' | 'xs';
    /** Orientation column names: `quat` → `quatw quati quatj quatk` (default), `c_q` → `c_q[1..4]`. */
    quaternionColumns?: 'quat' | 'c_q';
    /** Write `ITEM: UNITS` with this style (e.g. `lj`). */
    units?: string;
  };
  /** i-PI specifics. */
  ipi?: {
    /** Length unit of the file: `angstrom` (default) or `atomic_unit` (bohr, i-PI's constant). */
    units?: 'angstrom' | 'atomic_unit';
    /** Bead index written in the header (default 0). */
    bead?: number;
  };
}

/** A line-fed frame parser holding one frame; errors are `XyzParseError`s with the line. */
export interface FrameParser {
  /** Consume one line (without its line end); returns the frame it completes, else null. */
  push(line: string): Frame | null;
  /** Declare the end of the input; throws when it ends inside a frame. */
  end(): void;
  /** Lines consumed so far. */
  readonly linesRead: number;
}

/**
 * Per-writer state a formatter may keep across frames: the species → type table (types 1, 2, …
 * by first appearance), shared so that types written and read back agree.
 */
export interface FormatState {
  readonly typeOf: Map<string, number>;
}

/** One trajectory format (module doc). */
export interface FrameFormat {
  /** Name used by `--format` and `options.format`. */
  readonly name: string;
  /** Extensions (lower case, without the dot or `.gz`) that name the format when writing. */
  readonly extensions: readonly string[];
  /** Other file names (base name, `.gz` stripped) that name the format, e.g. LAMMPS `dump.*`. */
  readonly fileNames?: RegExp;
  /** Whether the first non-blank lines of a file (up to 2) look like this format. */
  sniff(firstLines: readonly string[]): boolean;
  /**
   * A streaming parser. `sniffed`: the format was chosen from the content, not named by the
   * caller (a format may then be more tolerant, as the XYZ family is of mixed dialects).
   * @param source names the input in `frame.source` and messages
   */
  parser(source: string, options: ReadOptions, sniffed: boolean): FrameParser;
  /** One frame as text (ending with a newline), full precision unless options say otherwise. */
  format(frame: FrameInput, options: WriteOptions, state: FormatState): string;
}
