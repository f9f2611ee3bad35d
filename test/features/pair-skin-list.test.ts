// SPDX-License-Identifier: BSD-3-Clause
/**
 * The neighbour list with a skin of the pair features' MD path (`skin-list.ts`): along a sequence
 * of small moves, large moves, wraps by a lattice vector, in-place edits and cell changes, the
 * pairs within the cutoff and their vectors equal those of a fresh build, the list is reused while
 * valid and rebuilt when not; and `linearForces` along such a sequence equals a fresh calculator's.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { buildNeighborList, type NeighborList } from '../../src/core/neighbor-list.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { PairCalculator } from '../../src/features/pair/calculator.js';
import { SkinNeighborList } from '../../src/features/pair/skin-list.js';
import { maxRelativeError } from '../support/finite-difference.js';
import { GB_PAIR_HYPERS, randomUniaxialSystem, randomWeights } from '../support/pair-fixtures.js';
import { seededRandom } from '../support/random.js';

const CELL = Cell.fromRows([6.1, 0, 0, 0.5, 5.8, 0, -0.3, 0.4, 6.4]);

/** The pairs of `list` closer than `rc`, as sorted strings `i j vx vy vz` (vectors to 1e-9). */
function pairsWithin(list: NeighborList, rc: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < list.count; k++) {
    const v = list.vectors.subarray(3 * k, 3 * k + 3);
    if (Math.hypot(v[0]!, v[1]!, v[2]!) < rc) out.push(`${list.first[k]} ${list.second[k]} ${Array.from(v, (x) => x.toFixed(9)).join(' ')}`);
  }
  return out.sort();
}

/** Max |Δ| between the vectors of the pairs within `rc` of two lists holding the same pairs. */
function vectorDifference(a: NeighborList, b: NeighborList, rc: number): number {
  const key = (l: NeighborList, k: number) => `${l.first[k]} ${l.second[k]} ${Array.from(l.vectors.subarray(3 * k, 3 * k + 3), (x) => x.toFixed(6)).join(' ')}`;
  const index = new Map<string, number>();
  for (let k = 0; k < b.count; k++) index.set(key(b, k), k);
  let worst = 0;
  for (let k = 0; k < a.count; k++) {
    if (!(Math.hypot(a.vectors[3 * k]!, a.vectors[3 * k + 1]!, a.vectors[3 * k + 2]!) < rc)) continue;
    const m = index.get(key(a, k))!;
    for (let d = 0; d < 3; d++) worst = Math.max(worst, Math.abs(a.vectors[3 * k + d]! - b.vectors[3 * m + d]!));
  }
  return worst;
}

describe('pair neighbour list with a skin', () => {
  it('holds exactly the pairs of a fresh build within the cutoff, reusing the list while valid', () => {
    const rand = seededRandom(8), rc = 3.2, skin = 0.15;
    const sys = randomUniaxialSystem(rand, CELL, 40, { minDistance: 0.3 });
    const positions = Float64Array.from(sys.positions);
    const skinList = new SkinNeighborList(rc, skin);
    let cell = CELL, builds = 0, reused = 0;
    for (let step = 0; step < 60; step++) {
      if (step % 20 === 7) {
        // a large move of one particle (beyond skin/2): must rebuild
        positions[3 * (step % 30)]! += 0.9;
      } else if (step % 20 === 13) {
        // the caller wraps a particle by a lattice vector: same physics, must still be right
        for (let d = 0; d < 3; d++) positions[3 * 4 + d]! -= CELL.h[3 + d]!;
      } else if (step === 45) {
        cell = Cell.fromRows(Array.from(CELL.h, (v) => 1.01 * v));
      } else {
        // MD-like: every particle moves a little (≤ 0.03 per axis per step)
        for (let k = 0; k < positions.length; k++) positions[k]! += 0.03 * (2 * rand() - 1);
      }
      const before = skinList.builds;
      const list = skinList.update(cell, positions, sys.n);
      if (skinList.builds === before) reused++;
      builds = skinList.builds;
      const fresh = buildNeighborList(cell, positions, rc);
      expect(pairsWithin(list, rc).length).toBe(fresh.count);
      expect(pairsWithin(list, rc)).toEqual(pairsWithin(fresh, rc));
      expect(vectorDifference(list, fresh, rc)).toBeLessThan(1e-12);
    }
    expect(reused).toBeGreaterThan(20);
    expect(builds).toBeGreaterThan(4);
  });

  it('rebuilds at every call with skin 0, and when a position is edited in place beyond skin/2', () => {
    const rand = seededRandom(3);
    const sys = randomUniaxialSystem(rand, CELL, 12);
    const none = new SkinNeighborList(3, 0);
    none.update(CELL, sys.positions, sys.n);
    none.update(CELL, sys.positions, sys.n);
    expect(none.builds).toBe(2);
    const withSkin = new SkinNeighborList(3, 0.5);
    const p = Float64Array.from(sys.positions);
    withSkin.update(CELL, p, sys.n);
    p[5]! += 0.2;
    withSkin.update(CELL, p, sys.n);
    expect(withSkin.builds).toBe(1);
    p[5]! += 0.1;
    withSkin.update(CELL, p, sys.n);
    expect(withSkin.builds).toBe(2);
  });

  it('linearForces along an MD-like sequence equals a fresh calculator at every step, for both bases', () => {
    for (const radialBasis of ['gaussian', 'spline'] as const) {
      const rand = seededRandom(19);
      const hypers = { ...GB_PAIR_HYPERS, radialBasis };
      const reused = new PairCalculator(hypers);
      const w = randomWeights(rand, reused);
      const sys = randomUniaxialSystem(rand, CELL, 16);
      const positions = Float64Array.from(sys.positions);
      for (let step = 0; step < 12; step++) {
        for (let k = 0; k < positions.length; k++) positions[k]! += 0.02 * (2 * rand() - 1);
        const s: ParticleSystem = { ...sys, positions };
        const a = reused.linearForces(s, w), b = new PairCalculator(hypers).linearForces(s, w);
        expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-12 * Math.abs(b.energy));
        expect(maxRelativeError(a.forces, b.forces)).toBeLessThan(1e-12);
        expect(maxRelativeError(a.torques!, b.torques!)).toBeLessThan(1e-12);
        expect(maxRelativeError(a.virial, b.virial)).toBeLessThan(1e-12);
      }
      expect((reused as unknown as { neighbours: SkinNeighborList }).neighbours.builds).toBeLessThan(6);
    }
  });
});
