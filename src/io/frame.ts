// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one frame record of `io/`: what every reader yields ({@link Frame}) and what every writer
 * takes ({@link FrameInput}, a structural subset). It lives below the format modules
 * (`formats/*.ts`), so that no format imports another through the reader or the writer.
 *
 * A frame is a {@link ParticleSystem} (it can be handed to a `ForceProvider` as it is) plus the
 * labels a file may carry and where it came from. Conventions (converted at the boundary, by the
 * format modules): quaternions (w, x, y, z) body → lab; semi-axes, not diameters; cell rows =
 * lattice vectors; lengths in the file's length unit (Å for extxyz/i-PI unless the file says
 * otherwise; LAMMPS units as dumped); particle-major arrays, components interleaved.
 *
 * Virial convention (ASE's): `virial = −∂E/∂ε`, row-major 3×3, energy units, **not** divided by
 * the volume, the same as `ForceResult.virial`; for pair forces `W = Σ f_ij ⊗ r_ij`. ASE's stress
 * relates to it by `σ = −W / V`; a `stress` key is not read (it stays in `info`).
 */
import type { Cell } from '../core/cell.js';
import type { ParticleSystem } from '../core/system.js';

/** An info value as read from a comment line or a dump header. */
export type FrameInfoValue = string | number | boolean;

/** One frame as read: the particle system, optional labels, and its place in the file. */
export interface Frame extends ParticleSystem {
  /** Positions, 3n (unwrapped if the file has unwrapped coordinates or image flags; LAMMPS: minus the box origin). */
  readonly positions: Float64Array;
  /** The cell. */
  readonly cell: Cell;
  /** Species name per particle (LAMMPS: the `element` column, else the type as text). */
  readonly species: string[];
  /** Integer type per particle (LAMMPS type, extxyz `type:I:1`, or 1, 2, … by first appearance of each species in the file). */
  readonly types: Int32Array;
  /** Orientations, 4n (w, x, y, z) unit quaternions; absent if the file has none. */
  readonly orientations?: Float64Array;
  /** Semi-axes, 3n; absent if the file has no shapes. */
  readonly semiaxes?: Float64Array;
  /** Masses, n (extxyz `masses:R:1`, amu in the engine's files). */
  readonly masses?: Float64Array;
  /** Molecule id per particle, n (extxyz `molecule:I:1`); absent if the file has none. */
  readonly molecules?: Int32Array;
  /** Velocities, 3n (extxyz `velo:R:3`, Å/fs in the engine's files). */
  readonly velocities?: Float64Array;
  /** Total energy label. */
  readonly energy?: number;
  /** Per-particle energy labels, n (extxyz `energies:R:1`), summing to `energy`. */
  readonly energies?: Float64Array;
  /** Force labels `−∂E/∂r`, 3n. */
  readonly forces?: Float64Array;
  /** Lab-frame torque labels about each centre, 3n. */
  readonly torques?: Float64Array;
  /** Virial label, 9, row-major (module doc: ASE convention, not divided by the volume). */
  readonly virial?: Float64Array;
  /** MD step (LAMMPS TIMESTEP, extxyz `step`/`timestep`, i-PI `Step:`). */
  readonly step?: number;
  /** Other per-frame values as read (typed); LAMMPS: `units`, `time` when dumped; i-PI: `Bead`. */
  readonly info: Record<string, FrameInfoValue>;
  /** 0-based index of the frame in its input. */
  readonly index: number;
  /** 1-based line where the frame starts (the atom count line; LAMMPS: its first ITEM line). */
  readonly line: number;
  /** Where the frame starts, for messages: `file:line`. */
  readonly source: string;
}

/**
 * What the writers take: a {@link Frame}, or any object with positions and a cell. Absent (or
 * null) arrays are not written; a writer reads the arrays and never keeps them.
 */
export interface FrameInput {
  positions: ArrayLike<number>;
  cell: Cell;
  species?: readonly string[] | null;
  types?: ArrayLike<number> | null;
  orientations?: ArrayLike<number> | null;
  semiaxes?: ArrayLike<number> | null;
  masses?: ArrayLike<number> | null;
  molecules?: ArrayLike<number> | null;
  velocities?: ArrayLike<number> | null;
  energy?: number | null;
  energies?: ArrayLike<number> | null;
  forces?: ArrayLike<number> | null;
  torques?: ArrayLike<number> | null;
  virial?: ArrayLike<number> | null;
  step?: number | null;
  index?: number;
  info?: Readonly<Record<string, FrameInfoValue | readonly number[]>>;
}

/**
 * `{ [key]: value }`, or `{}` when `value` is undefined: for building frames whose absent fields
 * stay absent (spread it into the object literal).
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
