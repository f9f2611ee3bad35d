// SPDX-License-Identifier: BSD-3-Clause
/** Random ellipsoid frames labelled by a known linear model on the {@link ToyFeatures}. */
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import type { FeatureCalculator } from '../../src/features/feature-calculator.js';
import type { LabelledSystem } from '../../src/models/design.js';
import { randomQuaternion, seededRandom } from '../support/random.js';

/** A random periodic frame of `n` ellipsoids in a cube of side `box`, types drawn from `types`. */
export function randomFrame(rand: () => number, n: number, box: number, types = 1): ParticleSystem {
  const positions = new Float64Array(3 * n);
  for (let k = 0; k < 3 * n; k++) positions[k] = rand() * box;
  const orientations = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) orientations.set(randomQuaternion(rand), 4 * i);
  const semiaxes = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) semiaxes.set([0.5, 0.5, 1.5], 3 * i);
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = Math.floor(rand() * types);
  return { n, positions, cell: Cell.orthorhombic(box, box, box), orientations, semiaxes, types: t };
}

/** Labels of `system` under `E = linear(weights) + Σ baselines[t(i)]`, with optional Gaussian-ish noise on the energy. */
export function labelFrame(
  calc: FeatureCalculator,
  system: ParticleSystem,
  weights: Float64Array,
  baselines: Float64Array,
  opts: { energyNoise?: number; rand?: () => number } = {},
): LabelledSystem {
  const r = calc.linearForces(system, weights);
  let energy = r.energy;
  for (let i = 0; i < system.n; i++) energy += baselines[system.types ? system.types[i]! : 0]!;
  if (opts.energyNoise && opts.rand) energy += opts.energyNoise * system.n * (opts.rand() + opts.rand() + opts.rand() - 1.5) * 2;
  return { system, labels: { energy, forces: r.forces, torques: r.torques, virial: r.virial } };
}

/** `count` labelled frames of 4…12 particles in a box of side 5. */
export function syntheticSet(
  calc: FeatureCalculator,
  weights: Float64Array,
  baselines: Float64Array,
  count: number,
  seed: number,
  opts: { energyNoise?: number; types?: number; minN?: number; maxN?: number; box?: number } = {},
): LabelledSystem[] {
  const rand = seededRandom(seed);
  const out: LabelledSystem[] = [];
  const minN = opts.minN ?? 4, maxN = opts.maxN ?? 12;
  for (let k = 0; k < count; k++) {
    const n = minN + Math.floor(rand() * (maxN - minN + 1));
    const s = randomFrame(rand, n, opts.box ?? 5, opts.types ?? 1);
    out.push(labelFrame(calc, s, weights, baselines, { ...(opts.energyNoise !== undefined ? { energyNoise: opts.energyNoise } : {}), rand }));
  }
  return out;
}

/** Random weights in [−1, 1). */
export function randomWeights(count: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  return Float64Array.from({ length: count }, () => 2 * rand() - 1);
}
