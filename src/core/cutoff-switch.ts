// SPDX-License-Identifier: BSD-3-Clause
/**
 * A C2-smooth switching function for pair potentials: `S(r) = 1` for `r ≤ rOn`, `S(r) = 0` for
 * `r ≥ rOff`, and in between the quintic "smootherstep"
 *
 * ```
 * t = (r − rOn) / (rOff − rOn),   S = 1 − t³ (10 − 15 t + 6 t²),
 * dS/dr = −30 t² (1 − t)² / (rOff − rOn)
 * ```
 *
 * whose first and second derivatives vanish at both ends, so that `S(r)·U(r)` has a continuous
 * energy, force and force derivative whatever `U` is. A switched pair energy `S(r) U(r, …)` gets
 * the extra force term `−U dS/dr r̂` (see {@link CutoffSwitch.derivative}); orientation-dependent
 * parts (torques) are only scaled by `S`.
 *
 * Lengths are in the caller's unit (Å, or σ0 for reduced models).
 */
import { AnisoError } from './errors.js';

/** How a pair potential is truncated at its cutoff. */
export type Truncation = 'hard' | 'switch';

/** The allowed values of {@link Truncation}, for error messages and option parsing. */
export const TRUNCATIONS: readonly Truncation[] = Object.freeze(['hard', 'switch'] as Truncation[]);

/**
 * The quintic switch `S(r)` going from 1 at `rOn = rOff − width` to 0 at `rOff`.
 * Stateless after construction; `value` and `derivative` allocate nothing and may be called from
 * hot loops.
 */
export class CutoffSwitch {
  /** Where switching starts (`rOff − width`), length unit. */
  readonly rOn: number;
  /** Where the switched potential reaches 0 (the cutoff), length unit. */
  readonly rOff: number;
  /** `rOff − rOn`, length unit. */
  readonly width: number;
  private readonly invWidth: number;

  /**
   * @param rOff  the cutoff (length unit), finite and > 0
   * @param width the switching width (length unit), in (0, rOff]
   * @throws AnisoError `E_ARG` naming the bad value
   */
  constructor(rOff: number, width: number) {
    if (!(Number.isFinite(rOff) && rOff > 0)) {
      throw new AnisoError('E_ARG', `switch cutoff rOff = ${rOff} must be a finite length > 0`);
    }
    if (!(Number.isFinite(width) && width > 0 && width <= rOff)) {
      throw new AnisoError('E_ARG', `switchWidth = ${width} must be a length in (0, cutoff = ${rOff}]`);
    }
    this.rOff = rOff;
    this.width = width;
    this.rOn = rOff - width;
    this.invWidth = 1 / width;
  }

  /** `S(r)`, dimensionless: 1 below `rOn`, 0 at and above `rOff`. */
  value(r: number): number {
    if (r <= this.rOn) return 1;
    if (r >= this.rOff) return 0;
    const t = (r - this.rOn) * this.invWidth;
    return 1 - t * t * t * (10 + t * (-15 + 6 * t));
  }

  /** `dS/dr` (1/length unit): 0 outside `(rOn, rOff)`, ≤ 0 inside. */
  derivative(r: number): number {
    if (r <= this.rOn || r >= this.rOff) return 0;
    const t = (r - this.rOn) * this.invWidth;
    const u = 1 - t;
    return -30 * t * t * u * u * this.invWidth;
  }

  /** `d²S/dr²` (1/length²): continuous, 0 at both ends (the C2 property). */
  secondDerivative(r: number): number {
    if (r <= this.rOn || r >= this.rOff) return 0;
    const t = (r - this.rOn) * this.invWidth;
    return -60 * t * (1 - t) * (1 - 2 * t) * this.invWidth * this.invWidth;
  }
}

/**
 * Validate a `truncation` option and build the switch it asks for.
 * Returns `null` for `'hard'` (no switch); for `'switch'`, a {@link CutoffSwitch} on
 * `[cutoff − switchWidth, cutoff]`. `switchWidth` is required (length unit) with `'switch'` and
 * ignored with `'hard'`.
 * @throws AnisoError `E_ARG` for an unknown truncation or a bad width; `what` names the model.
 */
export function makeCutoffSwitch(
  what: string,
  truncation: string | undefined,
  cutoff: number,
  switchWidth: number | undefined,
): CutoffSwitch | null {
  const t = truncation ?? 'hard';
  if (t === 'hard') return null;
  if (t !== 'switch') {
    throw new AnisoError('E_ARG', `${what}: truncation '${t}' is not one of ${TRUNCATIONS.map((x) => `'${x}'`).join(', ')}`);
  }
  if (switchWidth === undefined) {
    throw new AnisoError('E_ARG', `${what}: truncation 'switch' needs switchWidth (a length in (0, cutoff = ${cutoff}])`);
  }
  return new CutoffSwitch(cutoff, switchWidth);
}
