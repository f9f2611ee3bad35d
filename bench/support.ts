// SPDX-License-Identifier: BSD-3-Clause
/** Helpers shared by the benchmarks: seeded uniform numbers, the median of timings, MD-like step timing. */
import { performance } from 'node:perf_hooks';
import { Rng } from '../src/core/rng.js';
import type { ForceResult, ParticleSystem } from '../src/core/system.js';

/**
 * A seeded uniform [0, 1) generator (the library's xoshiro128** {@link Rng}), so that bench
 * configurations are reproducible.
 */
export function seededUniform(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.uniform();
}

/** The median of `values` (the mean of the middle two for an even count); `values` is not modified. */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : 0.5 * (v[m - 1]! + v[m]!);
}

/**
 * Wall times (ms) of `reps` MD-like steps of `compute` on `system`: before each step one position
 * coordinate moves by up to ±5e-5 (seeded), so that no cached neighbour list is reused; 30 steps
 * of warm-up first. Returns the times and the last step's result.
 */
export function timeJiggledSteps(system: ParticleSystem, compute: (s: ParticleSystem) => ForceResult, reps: number): { times: number[]; last: ForceResult } {
  const jiggle = seededUniform(11), n = system.n;
  const step = () => {
    const k = 3 * Math.floor(jiggle() * n);
    system.positions[k] = system.positions[k]! + 1e-4 * (jiggle() - 0.5);
    return compute(system);
  };
  let last = step();
  for (let k = 0; k < 29; k++) last = step();
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    last = step();
    times.push(performance.now() - t0);
  }
  return { times, last };
}
