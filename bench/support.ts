// SPDX-License-Identifier: BSD-3-Clause
/** Helpers shared by the benchmarks: seeded uniform numbers and the median of timings. */
import { Rng } from '../src/core/rng.js';

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
