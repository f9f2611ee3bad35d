// SPDX-License-Identifier: BSD-3-Clause
/**
 * Timing of the pair features' MD hot path, {@link PairCalculator.linearForces} (energy, forces,
 * torques and virial of a linear model, neighbour search included), on the GB(3,5,2,1) nematic
 * lattice of `gay-berne.ts` (ρ* = 0.3, N = 288 and 1000), rc = 4 σ0, switch width 0.5 σ0, the
 * default basis (8 radial × 6 angular = 48 features), seeded random weights, one core. Each timed
 * step moves one particle slightly, as in MD. Also prints the dense `sumGradients` of one frame
 * (the training path) at N = 288.
 */
import { performance } from 'node:perf_hooks';
import { PairCalculator } from '../src/features/pair/calculator.js';
import { nematicLattice } from './gay-berne.js';
import { median, seededUniform, timeJiggledSteps } from './support.js';

/** Target of the brief for N = 288: a few ms per E+F+τ step. */
const TARGET_288_MS = 3;

/**
 * Time pair-feature steps and print one line per size, e.g.
 * `pair N=288 E+F+tau median 1.9 ms/step (target ≤ 3 ms: ratio 0.63) [F 48, 80 neighbours per particle]`.
 * @param print - Receives each output line.
 */
export async function benchPair(print: (line: string) => void): Promise<void> {
  const calc = new PairCalculator({ species: [0], cutoff: 4, switchWidth: 0.5, shape: [0.5, 0.5, 1.5] });
  const F = calc.metadata.featureCount;
  const rw = seededUniform(5);
  const weights = Float64Array.from({ length: F }, () => 1e-3 * (rw() - 0.5));
  const cases = [
    { dims: [6, 6, 4] as const, reps: 300, targetMs: TARGET_288_MS },
    { dims: [10, 10, 5] as const, reps: 100, targetMs: undefined },
  ];
  for (const { dims, reps, targetMs } of cases) {
    const sys = nematicLattice(dims[0], dims[1], dims[2], 0.3, 2024);
    const n = sys.n;
    const { times } = timeJiggledSteps(sys, (x) => calc.linearForces(x, weights), reps);
    const med = median(times);
    const neighbours = (2 * (calc as unknown as { list: { count: number } }).list.count) / n;
    const note = targetMs === undefined ? '' : ` (target ≤ ${targetMs} ms: ratio ${(med / targetMs).toFixed(2)})`;
    print(`pair N=${n} E+F+tau median ${med.toFixed(2)} ms/step${note} [F ${F}, ${neighbours.toFixed(0)} neighbours per particle, min ${Math.min(...times).toFixed(2)} ms]`);
    if (n === 288) {
      const dense: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        calc.sumGradients(sys);
        dense.push(performance.now() - t0);
      }
      print(`pair N=${n} sumGradients (dense, training) median ${median(dense).toFixed(1)} ms/frame`);
    }
  }
}
