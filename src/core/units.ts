// SPDX-License-Identifier: BSD-3-Clause
/**
 * Unit constants. Internal units are Å, eV, amu, fs (and K for temperature). Conversions happen
 * only at the edges (`protocol/`, `io/`, config loading); the compute core never sees other units.
 *
 * Two sets of atomic-unit constants are in use by i-PI servers: i-PI's own and ASE's (CODATA 2014).
 * They differ by ~1e-8 relative. The driver uses i-PI's by default; `'ase'` matches ASE exactly.
 */

/** Constants for the i-PI wire: how many bohr in an Å, how many Ha in an eV. */
export interface AtomicUnits {
  /** Name of the constant set. */
  readonly name: 'ipi' | 'ase';
  /** Length of 1 bohr in Å. */
  readonly bohrInAngstrom: number;
  /** Energy of 1 hartree in eV. */
  readonly hartreeInEv: number;
}

/** i-PI's constants (`ipi/utils/units.py`): 1 Å = 1.8897261 bohr, 1 eV = 0.036749326 Ha. */
export const IPI_UNITS: AtomicUnits = Object.freeze({
  name: 'ipi',
  bohrInAngstrom: 1 / 1.8897261,
  hartreeInEv: 1 / 0.036749326,
});

/** ASE 3.22's constants (CODATA 2014): Bohr = 0.52917721067 Å, Hartree = 27.21138602 eV. */
export const ASE_UNITS: AtomicUnits = Object.freeze({
  name: 'ase',
  bohrInAngstrom: 0.52917721067,
  hartreeInEv: 27.21138602,
});

/** Look up a constant set by name; throws a RangeError naming the allowed set. */
export function atomicUnits(name: string): AtomicUnits {
  if (name === 'ipi') return IPI_UNITS;
  if (name === 'ase') return ASE_UNITS;
  throw new RangeError(`unknown atomic-unit constants '${name}'; allowed: 'ipi', 'ase'`);
}

/** Boltzmann constant in eV/K (CODATA 2018, exact). */
export const KB_EV_PER_K = 8.617333262e-5;

/**
 * 1 amu·Å²/fs² expressed in eV. Divide a force in eV/Å by (mass in amu × this) to get an
 * acceleration in Å/fs².
 */
export const AMU_A2_PER_FS2_IN_EV = 1.66053906660e-27 * 1e-20 / 1e-30 / 1.602176634e-19;

/**
 * Scales of a reduced-unit model (e.g. Lennard-Jones or Gay–Berne `units lj`): the physical size of
 * one reduced length, energy and mass. A reduced quantity `x*` maps to `x* · scale`.
 */
export interface ReducedScales {
  /** σ in Å. */
  readonly length: number;
  /** ε in eV. */
  readonly energy: number;
  /** m in amu. */
  readonly mass: number;
}

/** Reduced time unit τ = σ √(m/ε), in fs. */
export function reducedTimeFs(s: ReducedScales): number {
  return s.length * Math.sqrt((s.mass * AMU_A2_PER_FS2_IN_EV) / s.energy);
}

/** Reduced temperature unit ε/k_B, in K. */
export function reducedTemperatureK(s: ReducedScales): number {
  return s.energy / KB_EV_PER_K;
}
