// SPDX-License-Identifier: BSD-3-Clause
/**
 * Conversion between the i-PI wire (atomic units, cell with lattice vectors as columns) and the
 * library's internal types (Å, eV, {@link Cell} with lattice vectors as rows). The only place
 * where units and the cell layout change.
 *
 * Layouts:
 * - cell: wire `h[3r + v]` = Cartesian component r of lattice vector v (columns = vectors,
 *   row-major); internal `rows[3v + r]`. The two are transposes. The wire's `h⁻¹` block is never
 *   read (ASE sends its transpose); it is recomputed from `h` when sending.
 * - virial: **no transpose.** Both sides define `W_ij = −∂E/∂ε_ij` for the same Cartesian
 *   deformation of column vectors `r → (1+ε) r` (each lattice vector, too, transforms as a column
 *   vector), i.e. `W_ij = Σ f_i r_j` for pair forces, stored row-major. The transpose that ASE's
 *   client applies (`virial.T`) converts ASE's row-vector strain convention, which we do not use.
 * - positions and forces: atom-major `x0 y0 z0 x1 …` on both sides; only scaled.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { invert3 } from '../core/mat3.js';
import type { ForceResult } from '../core/system.js';
import { ASE_UNITS, IPI_UNITS, atomicUnits, type AtomicUnits } from '../core/units.js';

/** A constant set by name (`'ipi'`, default, or `'ase'`) or given explicitly. */
export type UnitsChoice = 'ipi' | 'ase' | AtomicUnits;

/** Resolve a {@link UnitsChoice}; `undefined` gives i-PI's constants. */
export function resolveUnits(choice: UnitsChoice | undefined): AtomicUnits {
  if (choice === undefined || choice === 'ipi') return IPI_UNITS;
  if (choice === 'ase') return ASE_UNITS;
  if (typeof choice === 'string') return atomicUnits(choice);
  return choice;
}

/** Multiplicative factors between internal units and wire (atomic) units. */
export interface WireScales {
  /** Å → bohr. */
  readonly lengthToWire: number;
  /** bohr → Å. */
  readonly lengthFromWire: number;
  /** eV → Ha (energy and virial). */
  readonly energyToWire: number;
  /** Ha → eV. */
  readonly energyFromWire: number;
  /** eV/Å → Ha/bohr. */
  readonly forceToWire: number;
  /** Ha/bohr → eV/Å. */
  readonly forceFromWire: number;
  /** The FORCEREADY factors (energy and virial eV → Ha, force eV/Å → Ha/bohr), as encoders take them. */
  readonly replyScales: { readonly energy: number; readonly force: number; readonly virial: number };
}

/** The factors for a constant set. */
export function wireScales(units: AtomicUnits): WireScales {
  const b = units.bohrInAngstrom;
  const ha = units.hartreeInEv;
  return {
    lengthToWire: 1 / b,
    lengthFromWire: b,
    energyToWire: 1 / ha,
    energyFromWire: ha,
    forceToWire: b / ha,
    forceFromWire: ha / b,
    replyScales: { energy: 1 / ha, force: b / ha, virial: 1 / ha },
  };
}

/**
 * Storage that {@link cellFromWire} refills instead of allocating (one per driver): the three
 * cells it can return, each reused from call to call. A cell returned with a scratch is valid
 * until the next call with the same scratch.
 */
export interface WireCellScratch {
  /** Periodic cell: `h` rows and `h⁻¹`, refilled. */
  readonly periodic: Cell;
  /** Non-periodic cell keeping a non-zero `h` as a frame of reference; `h⁻¹` zeros. */
  readonly framed: Cell;
  /** The open cell (zeros, non-periodic). */
  readonly open: Cell;
}

const ALL_PBC = Object.freeze([true, true, true] as const);
const NO_PBC = Object.freeze([false, false, false] as const);

/** Fresh storage for {@link cellFromWire}. */
export function createWireCellScratch(): WireCellScratch {
  return {
    periodic: { h: new Float64Array(9), hInv: new Float64Array(9), pbc: ALL_PBC },
    framed: { h: new Float64Array(9), hInv: new Float64Array(9), pbc: NO_PBC },
    open: Cell.open(),
  };
}

/**
 * The cell a server sent, as an internal {@link Cell} in Å.
 *
 * - all-zero `h` → {@link Cell.open} (non-periodic; what i-PI and ASE send for an open system);
 * - a non-singular `h` → periodic in all three directions (the wire has no pbc flag), unless
 *   `periodic` is false;
 * - `periodic` false → non-periodic, a non-zero `h` kept as a frame of reference;
 * - a singular, non-zero `h` (a zero or dependent lattice vector, as a 2-D system sends) with
 *   `periodic` true → `E_CELL` naming the lattice vectors in Å: the wire cannot say which
 *   directions are periodic, so the caller must declare the system non-periodic.
 *
 * @param hWire 9 numbers, bohr, lattice vectors as columns, row-major.
 * @param lengthFromWire bohr → Å factor ({@link WireScales.lengthFromWire}).
 * @param scratch when given, the cell returned is one of its cells, refilled (nothing allocated);
 *   otherwise a new cell.
 */
export function cellFromWire(hWire: ArrayLike<number>, lengthFromWire: number, periodic = true, scratch?: WireCellScratch): Cell {
  if (hWire.length !== 9) throw new AnisoError('E_SIZE', `wire cell needs 9 numbers, got ${hWire.length}`);
  const cells = scratch ?? createWireCellScratch();
  const rows = cells.periodic.h as Float64Array;
  let zero = true;
  for (let v = 0; v < 3; v++) {
    for (let r = 0; r < 3; r++) {
      const x = hWire[3 * r + v]!;
      if (!Number.isFinite(x)) {
        throw new AnisoError('E_NONFINITE', `server sent cell entry h[${r}][${v}] = ${x} (POSDATA)`);
      }
      if (x !== 0) zero = false;
      rows[3 * v + r] = x * lengthFromWire;
    }
  }
  if (zero) return cells.open;
  if (periodic) {
    if (invert3(cells.periodic.hInv as Float64Array, rows)) return cells.periodic;
    throw singularCellError(rows);
  }
  (cells.framed.h as Float64Array).set(rows);
  (cells.framed.hInv as Float64Array).fill(0);
  return cells.framed;
}

/** `E_CELL` for a singular, non-zero cell; `rows` are the lattice vectors in Å. */
function singularCellError(rows: Float64Array): AnisoError {
  const vec = (v: number) => `(${rows[3 * v]}, ${rows[3 * v + 1]}, ${rows[3 * v + 2]})`;
  return new AnisoError(
    'E_CELL',
    `server sent a singular cell (POSDATA): lattice vectors a = ${vec(0)}, b = ${vec(1)}, c = ${vec(2)} Å ` +
      '(a zero or dependent vector, as for a 2-D system), which the driver cannot treat as periodic; ' +
      "if the system is not periodic, declare it (drive --no-periodic; library: the driver's periodic: false) " +
      'or let the server send an all-zero cell',
  );
}

/**
 * The wire blocks `h` and `h⁻¹` (row-major, bohr and 1/bohr) of an internal cell. A cell with no
 * periodic direction is sent as zeros (the driver side maps that back to an open cell); a singular
 * `h` gets a zero `h⁻¹`.
 * @param lengthToWire Å → bohr factor ({@link WireScales.lengthToWire}).
 */
export function cellToWire(
  cell: Cell,
  lengthToWire: number,
  outH: Float64Array = new Float64Array(9),
  outHInv: Float64Array = new Float64Array(9),
): { h: Float64Array; hInv: Float64Array } {
  if (!Cell.isPeriodic(cell)) {
    outH.fill(0);
    outHInv.fill(0);
    return { h: outH, hInv: outHInv };
  }
  for (let v = 0; v < 3; v++) {
    for (let r = 0; r < 3; r++) outH[3 * r + v] = cell.h[3 * v + r]! * lengthToWire;
  }
  if (!invert3(outHInv, outH)) outHInv.fill(0);
  return { h: outH, hInv: outHInv };
}

/** Multiply every entry of `values` by `factor`, in place; returns `values`. */
export function scaleInPlace(values: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor;
  return values;
}

/**
 * A {@link ForceResult} in eV, eV/Å, eV from a decoded FORCEREADY (Ha, Ha/bohr, Ha). Takes
 * ownership of the message's arrays and scales them in place.
 */
export function forceResultFromWire(
  reply: { readonly energy: number; readonly forces: Float64Array; readonly virial: Float64Array },
  scales: WireScales,
  extras: Record<string, unknown>,
): ForceResult {
  return {
    energy: reply.energy * scales.energyFromWire,
    forces: scaleInPlace(reply.forces, scales.forceFromWire),
    torques: null,
    virial: scaleInPlace(reply.virial, scales.energyFromWire),
    extras,
  };
}
