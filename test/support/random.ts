// SPDX-License-Identifier: BSD-3-Clause
/**
 * Seeded random numbers and random rigid motions for tests: one uniform generator (mulberry32) that
 * every test draws from, so that configurations are reproducible from a seed.
 */
import { Cell } from '../../src/core/cell.js';
import { quatFromAxisAngle, quatRotate } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';

/** A seeded uniform [0, 1) generator (mulberry32), so that tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random unit quaternion (w ≥ 0), uniform on SO(3) (Shoemake; three draws of `rand`). */
export function randomQuaternion(rand: () => number): Float64Array {
  const u1 = rand(), u2 = rand(), u3 = rand();
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  const q = Float64Array.of(a * Math.sin(2 * Math.PI * u2), a * Math.cos(2 * Math.PI * u2), b * Math.sin(2 * Math.PI * u3), b * Math.cos(2 * Math.PI * u3));
  if (q[0]! < 0) for (let k = 0; k < 4; k++) q[k] = -q[k]!;
  return q;
}

/** A random rotation quaternion of angle `angle` rad about a random axis. */
export function randomRotation(rand: () => number, angle: number): Float64Array {
  const q = new Float64Array(4);
  quatFromAxisAngle(q, 0, rand() - 0.5, rand() - 0.5, rand() - 0.5, angle);
  return q;
}

/** Add uniform noise of amplitude `amp` (Å) to every coordinate, in place; returns `positions`. */
export function jiggle(rand: () => number, positions: Float64Array, amp: number): Float64Array {
  for (let k = 0; k < positions.length; k++) positions[k] = positions[k]! + amp * (2 * rand() - 1);
  return positions;
}

/** `sys` rigidly rotated by the unit quaternion `q` about the origin: positions and lattice vectors. */
export function rotateSystem(sys: ParticleSystem, q: Float64Array): ParticleSystem {
  const positions = new Float64Array(3 * sys.n);
  for (let i = 0; i < sys.n; i++) quatRotate(positions, 3 * i, q, 0, sys.positions, 3 * i);
  const rows = new Float64Array(9);
  for (let v = 0; v < 3; v++) quatRotate(rows, 3 * v, q, 0, sys.cell.h, 3 * v);
  const cell = Cell.isPeriodic(sys.cell) ? Cell.fromRows(rows, sys.cell.pbc) : sys.cell;
  return { ...sys, positions, cell };
}
