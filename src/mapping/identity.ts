// SPDX-License-Identifier: BSD-3-Clause
/**
 * Identity mapping: point particles, one site per particle, `sites = particles`.
 *
 * Without `semiaxes`, forward returns the sites as point particles (no orientations) and backward
 * passes forces and virial through. With `semiaxes`, every particle is presented to the provider as
 * an ellipsoid with the **fixed** identity orientation (body axes = lab axes), e.g. spheres for a
 * Gay–Berne provider; the orientation does not depend on the sites, so torques are dropped and the
 * provider's virial (at fixed lab orientations) is already the exact site virial.
 */
import { AnisoError } from '../core/errors.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import { parseSemiaxes } from './grouped-mapping.js';
import type { ReducedForces, SiteMapping } from './site-mapping.js';

/** Options of {@link IdentityMapping}. */
export interface IdentityMappingOptions {
  /**
   * Optional semi-axes (body x, y, z, Å): 3 numbers, or 3 per particle type (row t for type t).
   * When set, forward adds identity orientations and these semi-axes.
   */
  semiaxes?: ArrayLike<number>;
}

/** Sites are the particles. See the module doc. */
export class IdentityMapping implements SiteMapping {
  /** Always `'identity'`. */
  readonly kind = 'identity' as const;
  /** One site per particle. */
  readonly sitesPerEllipsoid = 1;
  /** Consecutive layout. */
  readonly groupCount = null;
  private readonly semiaxes: Float64Array | null;

  /** Validates options (`E_CONFIG` naming the bad value). */
  constructor(options: IdentityMappingOptions = {}) {
    this.semiaxes = options.semiaxes === undefined ? null : parseSemiaxes('identity', options.semiaxes);
  }

  /** @inheritDoc */
  ellipsoidCount(nSites: number): number {
    if (!Number.isInteger(nSites) || nSites < 0) throw new AnisoError('E_SIZE', `identity mapping: bad site count ${nSites}`);
    return nSites;
  }

  /** @inheritDoc */
  siteCount(nEllipsoids: number): number {
    return nEllipsoids;
  }

  /** @inheritDoc */
  siteIndex(i: number, _s: number): number {
    return i;
  }

  /** @inheritDoc */
  forward(sites: ParticleSystem): ParticleSystem {
    const n = sites.n;
    const types = sites.types ?? new Int32Array(n);
    const table = this.semiaxes;
    if (table === null) return { n, positions: sites.positions, cell: sites.cell, types };
    const orientations = new Float64Array(4 * n);
    const semiaxes = new Float64Array(3 * n);
    const rows = table.length / 3;
    for (let i = 0; i < n; i++) {
      orientations[4 * i] = 1;
      const row = rows === 1 ? 0 : types[i]!;
      if (row < 0 || row >= rows) {
        throw new AnisoError('E_CONFIG', `identity mapping: particle ${i} has type ${row}, but 'semiaxes' has rows for types 0…${rows - 1}`);
      }
      semiaxes[3 * i] = table[3 * row]!;
      semiaxes[3 * i + 1] = table[3 * row + 1]!;
      semiaxes[3 * i + 2] = table[3 * row + 2]!;
    }
    return { n, positions: sites.positions, cell: sites.cell, types, orientations, semiaxes };
  }

  /** @inheritDoc */
  backward(sites: ParticleSystem, ellipsoids: ParticleSystem, result: ForceResult): ForceResult {
    if (ellipsoids.n !== sites.n || result.forces.length !== 3 * sites.n) {
      throw new AnisoError(
        'E_SIZE',
        `identity mapping backward: ${sites.n} sites, got ${ellipsoids.n} particles and ${result.forces.length} force components`,
      );
    }
    return {
      energy: result.energy,
      forces: Float64Array.from(result.forces),
      torques: null,
      virial: Float64Array.from(result.virial),
      extras: result.extras,
    };
  }

  /** Each particle is its own site: `F_i = f_i`, `τ_i = 0` (the site is the centre). */
  reduceForces(sites: ParticleSystem, siteForces: ArrayLike<number>): ReducedForces {
    if (siteForces.length !== 3 * sites.n) {
      throw new AnisoError('E_SIZE', `identity mapping reduceForces: site forces have length ${siteForces.length}, expected 3·${sites.n}`);
    }
    return { forces: Float64Array.from(siteForces), torques: new Float64Array(3 * sites.n) };
  }

  /** One site at the centre: `[0, 0, 0]`. */
  bodySites(): Float64Array {
    return new Float64Array(3);
  }

  /** @inheritDoc */
  toSites(ellipsoids: ParticleSystem): ParticleSystem {
    return {
      n: ellipsoids.n,
      positions: Float64Array.from(ellipsoids.positions),
      cell: ellipsoids.cell,
      types: ellipsoids.types ? Int32Array.from(ellipsoids.types) : new Int32Array(ellipsoids.n),
    };
  }
}
