// SPDX-License-Identifier: BSD-3-Clause
/**
 * Copies for tests that keep what the driver handed to a provider: the driver reuses the system
 * object, its positions and its cell from request to request (the aliasing contract of
 * `src/protocol/client.ts`), so a recording provider must copy during `compute`.
 */
import type { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';

/** A deep copy of `cell`. */
export function snapshotCell(cell: Cell): Cell {
  return { h: Float64Array.from(cell.h), hInv: Float64Array.from(cell.hInv), pbc: [cell.pbc[0], cell.pbc[1], cell.pbc[2]] };
}

/** A deep copy of `s` (positions, cell, and the optional per-particle arrays). */
export function snapshotSystem(s: ParticleSystem): ParticleSystem {
  return {
    n: s.n,
    positions: Float64Array.from(s.positions),
    cell: snapshotCell(s.cell),
    ...(s.types ? { types: Int32Array.from(s.types) } : {}),
    ...(s.orientations ? { orientations: Float64Array.from(s.orientations) } : {}),
    ...(s.semiaxes ? { semiaxes: Float64Array.from(s.semiaxes) } : {}),
  };
}
