// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fixtures of the pair-feature tests: hypers for the GB(3,5,2,1) shape, random uniaxial systems
 * whose centres keep a minimum distance, and the linear energy of a calculator as a provider.
 */
import { Cell } from '../../src/core/cell.js';
import type { ForceProvider, ParticleSystem } from '../../src/core/system.js';
import type { FeatureCalculator } from '../../src/features/feature-calculator.js';
import type { PairHypers } from '../../src/features/pair/hypers.js';
import { randomQuaternion } from './random.js';

/** Pair hypers for the GB(3,5,2,1) shape (semi-axes 0.5, 0.5, 1.5 σ0; long axis body z), rc = 4 σ0. */
export const GB_PAIR_HYPERS: PairHypers = {
  species: [0], cutoff: 4, switchWidth: 0.5, shape: [0.5, 0.5, 1.5], maxDegree: 4, nRadial: 8,
};

/**
 * `n` particles at uniform random places in `cell` (periodic) or in a cube of side `box` (open),
 * at least `minDistance` apart (minimum image ignored: the test cells are wide enough that this
 * only thins them), random orientations, types `i % ntypes`.
 */
export function randomUniaxialSystem(rand: () => number, cell: Cell, n: number, options: { ntypes?: number; box?: number; minDistance?: number } = {}): ParticleSystem {
  const ntypes = options.ntypes ?? 1, box = options.box ?? 5, dmin = options.minDistance ?? 0.6;
  const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n), types = new Int32Array(n);
  const periodic = Cell.isPeriodic(cell);
  const s = new Float64Array(3), p = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    for (let attempt = 0; ; attempt++) {
      for (let d = 0; d < 3; d++) s[d] = rand();
      if (periodic) Cell.toCartesian(cell, s, 0, p, 0);
      else for (let d = 0; d < 3; d++) p[d] = box * s[d]!;
      let ok = true;
      for (let k = 0; k < i && ok; k++) {
        const dx = p[0]! - positions[3 * k]!, dy = p[1]! - positions[3 * k + 1]!, dz = p[2]! - positions[3 * k + 2]!;
        ok = dx * dx + dy * dy + dz * dz >= dmin * dmin;
      }
      if (ok || attempt > 1000) break;
    }
    positions.set(p, 3 * i);
    orientations.set(randomQuaternion(rand), 4 * i);
    types[i] = i % ntypes;
  }
  return { n, positions, cell, types, orientations };
}

/** The linear energy `Σ_i w[t(i)]·values_i` of `calc` with `weights` as a {@link ForceProvider}. */
export function linearProvider(calc: FeatureCalculator, weights: Float64Array): ForceProvider {
  return { name: 'pair-linear', compute: (s) => calc.linearForces(s, weights) };
}

/** Seeded weights in [−0.5, 0.5) for `calc` (T × F). */
export function randomWeights(rand: () => number, calc: FeatureCalculator): Float64Array {
  const T = calc.metadata.species.length, F = calc.metadata.featureCount;
  return Float64Array.from({ length: T * F }, () => rand() - 0.5);
}
