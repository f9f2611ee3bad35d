// SPDX-License-Identifier: BSD-3-Clause
/**
 * Timing of {@link buildNeighborList} at the Gay–Berne working point: number density 0.3 (reduced
 * units, σ = 1), cutoff 4, N = 288 and 1000, in a cubic and in a triclinic box of the same volume.
 * Positions are uniform random (fixed seed); each build reuses one output list, as a driver does
 * from step to step.
 */
import { performance } from 'node:perf_hooks';
import { Cell } from '../src/core/cell.js';
import { buildNeighborList, createNeighborList } from '../src/core/neighbor-list.js';
import { median, seededUniform } from './support.js';

/** `n` Cartesian positions (3n, xyz) uniform in `cell`. */
function uniformPositions(cell: Cell, n: number, seed: number): Float64Array {
  const r = seededUniform(seed);
  const s = new Float64Array(3 * n);
  for (let k = 0; k < 3 * n; k++) s[k] = r();
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) Cell.toCartesian(cell, s, 3 * i, out, 3 * i);
  return out;
}

/** A cell of the given volume: cubic, or triclinic with angles 72°, 81°, 106° and unequal edges. */
function cellOfVolume(volume: number, triclinic: boolean): Cell {
  if (!triclinic) {
    const l = Math.cbrt(volume);
    return Cell.orthorhombic(l, l, l);
  }
  const unit = Cell.fromParameters([1.1, 0.95, 1, 72, 81, 106]);
  const f = Math.cbrt(volume / Cell.volume(unit));
  return Cell.fromParameters([1.1 * f, 0.95 * f, f, 72, 81, 106]);
}

/**
 * Time neighbour-list builds and print one line per case:
 * `neighbor-list N=… <box> median … µs, pairs …`.
 * @param print - Receives each output line.
 */
export async function benchNeighborList(print: (line: string) => void): Promise<void> {
  const density = 0.3;
  const cutoff = 4;
  for (const triclinic of [false, true]) {
    for (const n of [288, 1000]) {
      const cell = cellOfVolume(n / density, triclinic);
      const positions = uniformPositions(cell, n, 12345 + n);
      const out = createNeighborList();
      // Warm up (JIT, list capacity), then time; slightly jiggle positions so builds are not identical.
      for (let k = 0; k < 200; k++) buildNeighborList(cell, positions, cutoff, out);
      const reps = n <= 300 ? 2000 : 600;
      const times: number[] = [];
      const jiggle = seededUniform(7);
      for (let k = 0; k < reps; k++) {
        const i = 3 * Math.floor(jiggle() * n);
        positions[i] = positions[i]! + 0.01 * (jiggle() - 0.5);
        const t0 = performance.now();
        buildNeighborList(cell, positions, cutoff, out);
        times.push(performance.now() - t0);
      }
      const us = median(times) * 1000;
      print(
        `neighbor-list N=${n} ${triclinic ? 'triclinic' : 'cubic'} box, density ${density}, cutoff ${cutoff}: ` +
          `median ${us.toFixed(1)} µs, pairs ${out.count}`,
      );
      // Yield between cases so a caller's event loop (progress output) stays responsive.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
