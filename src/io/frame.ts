// SPDX-License-Identifier: BSD-3-Clause
/**
 * The frame records shared by every trajectory reader and writer (`trajectory.ts`, `lammps-dump.ts`,
 * `ipi-xyz.ts`, `xyz-frames.ts`). They live here, below the format modules, so that no format
 * imports another through the dispatcher.
 */
import type { Cell } from '../core/cell.js';

/**
 * One frame of a trajectory in internal conventions: quaternions (w, x, y, z) body → lab,
 * semi-axes (not diameters), cell rows = lattice vectors, lengths in the file's length unit
 * (Å for extxyz/i-PI unless the file says otherwise; LAMMPS units as dumped).
 */
export interface TrajectoryFrame {
  /** 0-based index of the frame in the file. */
  index: number;
  /** Number of particles. */
  n: number;
  /** Positions, 3n (unwrapped if the file has unwrapped coordinates or image flags; LAMMPS: minus the box origin). */
  positions: Float64Array;
  /** The cell. */
  cell: Cell;
  /** Species name per particle (LAMMPS: the `element` column, else the type as a string). */
  species: string[];
  /** Integer type per particle (LAMMPS type, extxyz `type:I:1`, or 1, 2, … by first appearance of each species in the file). */
  types: Int32Array;
  /** Orientations, 4n (w, x, y, z) unit quaternions, or null if the file has none. */
  orientations: Float64Array | null;
  /** Semi-axes, 3n, or null. */
  semiaxes: Float64Array | null;
  /** Forces, 3n, or null. */
  forces: Float64Array | null;
  /** Torques, 3n, or null. */
  torques: Float64Array | null;
  /** Total energy, or null. */
  energy: number | null;
  /** MD step (LAMMPS TIMESTEP, extxyz `step`/`timestep`, i-PI `Step:`), or null. */
  step: number | null;
  /** Other per-frame values as read (strings or numbers); LAMMPS: `units`, `time` when dumped; i-PI: `Bead`. */
  info: Record<string, string | number | boolean>;
  /** Where the frame starts, for messages: `file:line`. */
  source: string;
}

/**
 * What the writers take: a {@link TrajectoryFrame} or any object with positions and a cell.
 * Absent arrays are not written.
 */
export interface TrajectoryFrameInput {
  positions: ArrayLike<number>;
  cell: Cell;
  species?: readonly string[] | null;
  types?: ArrayLike<number> | null;
  orientations?: ArrayLike<number> | null;
  semiaxes?: ArrayLike<number> | null;
  forces?: ArrayLike<number> | null;
  torques?: ArrayLike<number> | null;
  energy?: number | null;
  step?: number | null;
  index?: number;
  info?: Readonly<Record<string, string | number | boolean>>;
}
