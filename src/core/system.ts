// SPDX-License-Identifier: BSD-3-Clause
/**
 * The data that flows between layers: a {@link ParticleSystem} in, a {@link ForceResult} out, and
 * the {@link ForceProvider} seam between them. The protocol layer only knows these types; it never
 * imports physics.
 *
 * Units: Å, eV, amu (internal units) unless a provider documents otherwise. Index order of every
 * per-particle array: particle-major, components interleaved (`x0 y0 z0 x1 y1 z1 …`).
 */
import type { Cell } from './cell.js';

/** Particles in a cell: point sites, or ellipsoids when `orientations` and `semiaxes` are set. */
export interface ParticleSystem {
  /** Number of particles. */
  readonly n: number;
  /** Positions, 3n, Å. Need not be wrapped into the cell. */
  readonly positions: Float64Array;
  /** The simulation cell (rows = lattice vectors, Å). */
  readonly cell: Cell;
  /** Per-particle type index, n entries, into the provider's type table; all 0 if absent. */
  readonly types?: Int32Array;
  /** Orientations, 4n, unit quaternions (w, x, y, z), body → lab. Ellipsoids only. */
  readonly orientations?: Float64Array;
  /** Semi-axes along body x, y, z, 3n, Å. Ellipsoids only. */
  readonly semiaxes?: Float64Array;
}

/** What a provider returns for one {@link ParticleSystem}. */
export interface ForceResult {
  /** Potential energy, eV. */
  energy: number;
  /** Forces `−∂E/∂r`, 3n, eV/Å. */
  forces: Float64Array;
  /**
   * Lab-frame torques about each particle's centre, 3n, eV; `null` for point particles. For an
   * infinitesimal rotation `δθ` of particle i (`R → [δθ]× R`), `δE = −τ_i · δθ`.
   */
  torques: Float64Array | null;
  /**
   * Virial `W = −∂E/∂ε`, row-major 3×3, eV, **not** divided by the volume, for the deformation
   * `r → (1+ε) r`, `h → (1+ε) h` of positions and cell at fixed lab-frame orientations.
   * For pair forces `W = Σ_pairs f_ij ⊗ r_ij` (`W[3a+b] = Σ f_a r_b`).
   */
  virial: Float64Array;
  /** Named side results (per-term energies, diagnostics). JSON-serialisable. */
  extras: Record<string, unknown>;
}

/**
 * Anything that turns a system into energy, forces and virial: an analytic potential, a learned
 * model, a restraint, a sum of those, or a potential behind a site mapping.
 */
export interface ForceProvider {
  /** Short name, used as the key of this term's energy in summed extras. */
  readonly name: string;
  /** Compute energy, forces (and torques for ellipsoids) and virial of `system`. */
  compute(system: ParticleSystem): ForceResult;
}

/** A zero-filled {@link ForceResult} for `n` particles. */
export function emptyForceResult(n: number, withTorques: boolean): ForceResult {
  return {
    energy: 0,
    forces: new Float64Array(3 * n),
    torques: withTorques ? new Float64Array(3 * n) : null,
    virial: new Float64Array(9),
    extras: {},
  };
}

/**
 * An asynchronous force source: what an MD engine calls each step. A local {@link ForceProvider}
 * wrapped in a promise, or a remote driver reached over the i-PI socket protocol.
 */
export interface AsyncForceSource {
  /** Compute energy, forces and virial of `system` (point sites; torques are not exchanged). */
  compute(system: ParticleSystem): Promise<ForceResult>;
  /** Release the source (tell a remote driver to exit, close sockets). Idempotent. */
  close(): Promise<void>;
}
