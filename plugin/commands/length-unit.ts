// SPDX-License-Identifier: BSD-3-Clause
/**
 * The length unit of a trajectory, for axis labels (`r (Å)`) and `summary.json`: what the user
 * declares with `--length-unit`, else what the format says. extxyz and i-PI files are read in Å
 * (the extxyz convention; i-PI headers are converted to Å); a LAMMPS dump says its unit style
 * only when it carries `ITEM: UNITS`, and `lj` is reduced (σ).
 */
import { AnisoError } from '../../src/core/errors.js';
import type { Frame } from '../../src/io/frame.js';

/** Length unit of each LAMMPS unit style (https://docs.lammps.org/units.html). */
const LAMMPS_LENGTH: Readonly<Record<string, string>> = Object.freeze({
  lj: 'σ',
  real: 'Å',
  metal: 'Å',
  si: 'm',
  cgs: 'cm',
  electron: 'bohr',
  micro: 'μm',
  nano: 'nm',
});

/** A trajectory's length unit and where it comes from. */
export interface TrajectoryLengthUnit {
  /** Unit text for labels (`'Å'`, `'σ'`, `'σ0'`), or `null` when nothing says it. */
  name: string | null;
  /** `'--length-unit'`, `'extxyz'`, `'ipi'`, `'lammps units lj'`, or `'unknown'`. */
  source: string;
}

/**
 * Check a `--length-unit` value: 1 to 16 printable characters, no spaces.
 * @throws AnisoError `E_ARG` naming the value
 */
export function checkLengthUnit(unit: string): string {
  if (!/^[^\s\p{C}]{1,16}$/u.test(unit)) throw new AnisoError('E_ARG', `--length-unit must be 1 to 16 characters without spaces (e.g. Å, nm, σ0), got '${unit}'`);
  return unit;
}

/**
 * The length unit of a trajectory in `format` (`'extxyz'`, `'ipi'`, `'lammps'`, or `null` when not
 * known) whose first frame is `first`; `declared` (from `--length-unit`) wins.
 */
export function trajectoryLengthUnit(format: string | null, first: Frame, declared?: string): TrajectoryLengthUnit {
  if (declared !== undefined) return { name: checkLengthUnit(declared), source: '--length-unit' };
  if (format === 'extxyz' || format === 'ipi') return { name: 'Å', source: format };
  const style = first.info.units;
  if (typeof style === 'string' && Object.prototype.hasOwnProperty.call(LAMMPS_LENGTH, style)) return { name: LAMMPS_LENGTH[style]!, source: `lammps units ${style}` };
  return { name: null, source: 'unknown' };
}

/** An axis label: `name (unit)`, or `name (trajectory length unit)` when the unit is not known. */
export function lengthAxisLabel(name: string, unit: string | null): string {
  return `${name} (${unit ?? 'trajectory length unit'})`;
}
