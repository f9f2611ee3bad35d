// SPDX-License-Identifier: BSD-3-Clause
/**
 * A guard against positions that cannot come from a sane simulation (non-finite, or millions of
 * cell widths away): everything downstream would otherwise fail with a misleading message
 * (coincident sites after the periodic wrap has lost all precision).
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';

/** Positions beyond this many cell widths (or Å for an open cell) mean a blown-up simulation. */
export const ABSURD_CELL_WIDTHS = 1e6;

/** The largest distance between opposite faces of a periodic cell (Å), 1 for an open cell; no allocation. */
function largestWidth(cell: ParticleSystem['cell']): number {
  if (!Cell.isPeriodic(cell)) return 1;
  const w = Cell.widths(cell);
  return w[0]! > w[1]! ? (w[0]! > w[2]! ? w[0]! : w[2]!) : w[1]! > w[2]! ? w[1]! : w[2]!;
}

/**
 * Throw unless every coordinate of `system.positions` is finite and below `maxWidths` times the
 * largest cell width (times 1 Å for an open cell). The message names the site, its position in Å
 * and the limit. `E_NONFINITE` for NaN or ±∞, `E_ARG` for a finite but absurd value.
 */
export function checkSanePositions(system: ParticleSystem, maxWidths: number = ABSURD_CELL_WIDTHS): void {
  const limit = maxWidths * largestWidth(system.cell);
  const p = system.positions;
  // One comparison per coordinate (NaN fails it too); the message is built only on failure.
  for (let k = 0; k < p.length; k++) {
    const x = p[k]!;
    if (!(x < limit && x > -limit)) {
      const i = Math.floor(k / 3);
      throw new AnisoError(
        Number.isFinite(x) ? 'E_ARG' : 'E_NONFINITE',
        `site ${i} is at (${Array.from(p.subarray(3 * i, 3 * i + 3), (v) => v.toPrecision(4)).join(', ')}) Å, ` +
          `${Number.isFinite(x) ? `over ${maxWidths.toExponential(0)} cell widths away` : 'not finite'}: ` +
          `the engine's simulation has blown up (check masses, time step and units)`,
      );
    }
  }
}

/**
 * {@link ForceProvider} that runs {@link checkSanePositions} on every system before passing it to
 * `inner` unchanged (same name, same result). Positions in Å.
 */
export class PositionGuard implements ForceProvider {
  /** The inner provider's name. */
  readonly name: string;

  /** Guard `inner`; `maxWidths` as in {@link checkSanePositions}. */
  constructor(
    readonly inner: ForceProvider,
    readonly maxWidths: number = ABSURD_CELL_WIDTHS,
  ) {
    this.name = inner.name;
  }

  /** Check the positions, then `inner.compute(system)`. */
  compute(system: ParticleSystem): ForceResult {
    checkSanePositions(system, this.maxWidths);
    return this.inner.compute(system);
  }
}
