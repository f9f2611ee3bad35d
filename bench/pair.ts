// SPDX-License-Identifier: BSD-3-Clause
/**
 * Timing of the pair features' MD hot path, {@link PairCalculator.linearForces} (energy, forces,
 * torques and virial of a linear model, neighbour-list update included), on the GB(3,5,2,1) nematic
 * lattice of `gay-berne.ts` (ρ* = 0.3, N = 288 and 1000), rc = 4 σ0, switch width 0.5 σ0, seeded
 * random weights, one core: both radial bases ('gaussian', 'spline') and three basis sizes
 * (maxDegree, nRadial) = (4, 8), (6, 10), (8, 12), i.e. 48, 100 and 228 head–tail features. Each
 * timed step moves one particle slightly, as in MD, so the pair path's neighbour list with a skin
 * (`skin-list.ts`) is reused at every timed step; its rebuild is timed on its own line, and each
 * line also gives the step plus one rebuild (the worst case, a rebuild every step; Gay–Berne
 * rebuilds its list every step). Gay–Berne itself is timed on the same lattice in the same run,
 * and every line gives the ratio to it and to the bar (≤ 3 ms at N = 288, ≤ 12 ms at
 * N = 1000). Also prints the dense `sumGradients` of one frame (the training path) at
 * N = 288 for the default basis. Last, per N, the shipped model of the Gay–Berne example
 * (`examples/gayberne-anisoap/model.msgpack`: its own hypers and trained weights), the figure of
 * issue 9's speed bar.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/models/model-file.js';
import { PairCalculator } from '../src/features/pair/calculator.js';
import { PAIR_SKIN_FRACTION, SkinNeighborList } from '../src/features/pair/skin-list.js';
import { buildNeighborList } from '../src/core/neighbor-list.js';
import { GayBerne } from '../src/potentials/gay-berne.js';
import { nematicLattice } from './gay-berne.js';
import { median, seededUniform, timeJiggledSteps } from './support.js';

/** The shipped pair model of the Gay–Berne example (reduced units, as the lattice). */
const SHIPPED = fileURLToPath(new URL('../../examples/gayberne-anisoap/model.msgpack', import.meta.url));

/** The bar for model E+F+τ per step (ms) by particle count. */
const TARGET_MS: Record<number, number> = { 288: 3, 1000: 12 };
/** The basis sizes to time: (maxDegree, nRadial). */
const SIZES = [[4, 8], [6, 10], [8, 12]] as const;
const BASES = ['gaussian', 'spline'] as const;

/**
 * Time pair-feature steps and print one line per (N, basis, size), e.g.
 * `pair N=288 spline (4,8) F 48 E+F+tau median 1.9 ms/step (target ≤ 3 ms: ratio 0.63; GB 1.1 ms: ×1.7) [75 neighbours per particle]`.
 * @param print - Receives each output line.
 */
export async function benchPair(print: (line: string) => void): Promise<void> {
  const { gayBerne: gb } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
  const cases = [
    { dims: [6, 6, 4] as const, reps: 300 },
    { dims: [10, 10, 5] as const, reps: 100 },
  ];
  for (const { dims, reps } of cases) {
    const sys = nematicLattice(dims[0], dims[1], dims[2], 0.3, 2024);
    const n = sys.n, target = TARGET_MS[n]!;
    const gbMs = median(timeJiggledSteps(sys, (x) => gb.compute(x), reps).times);
    const neighbours = (2 * buildNeighborList(sys.cell, sys.positions, 4).count) / n;
    // the pair path reuses its list (skin-list.ts) and the jiggled steps never rebuild it: the
    // rebuild, at rc + skin, is timed alone, to be amortised over the steps between rebuilds in MD
    const skin = PAIR_SKIN_FRACTION * 4, rebuild: number[] = [], skinList = new SkinNeighborList(4, skin);
    const moved = Float64Array.from(sys.positions, (v) => v + skin); // a translation past skin/2: same pairs, forces a rebuild
    for (let k = 0; k < reps + 30; k++) {
      const t0 = performance.now();
      skinList.update(sys.cell, k % 2 === 0 ? sys.positions : moved, n);
      if (k >= 30) rebuild.push(performance.now() - t0);
    }
    if (skinList.builds !== reps + 30) throw new Error(`pair bench: ${skinList.builds} list builds, expected ${reps + 30}`);
    const rebuildMs = median(rebuild);
    print(`pair N=${n} list rebuild at rc + skin (${(4 + skin).toFixed(2)}) median ${rebuildMs.toFixed(2)} ms (once per ~skin/(2 v_max dt) steps in MD; not in the step times below)`);
    print(`gayberne N=${n} E+F+tau median ${gbMs.toFixed(2)} ms/step (same lattice, same run)`);
    for (const radialBasis of BASES) {
      for (const [maxDegree, nRadial] of SIZES) {
        const calc = new PairCalculator({ species: [0], cutoff: 4, switchWidth: 0.5, shape: [0.5, 0.5, 1.5], maxDegree, nRadial, radialBasis });
        const F = calc.metadata.featureCount;
        const rw = seededUniform(5);
        const weights = Float64Array.from({ length: F }, () => 1e-3 * (rw() - 0.5));
        const { times } = timeJiggledSteps(sys, (x) => calc.linearForces(x, weights), reps);
        const med = median(times);
        print(
          `pair N=${n} ${radialBasis} (${maxDegree},${nRadial}) F ${F} E+F+tau median ${med.toFixed(2)} ms/step` +
            ` (target ≤ ${target} ms: ratio ${(med / target).toFixed(2)}; GB ${gbMs.toFixed(2)} ms: ×${(med / gbMs).toFixed(1)})` +
            ` [rebuilt every step ≈ ${(med + rebuildMs).toFixed(2)} ms; ${neighbours.toFixed(0)} neighbours per particle, min ${Math.min(...times).toFixed(2)} ms]`,
        );
        if (n === 288 && maxDegree === 4) {
          const dense: number[] = [];
          for (let k = 0; k < 5; k++) {
            const t0 = performance.now();
            calc.sumGradients(sys);
            dense.push(performance.now() - t0);
          }
          print(`pair N=${n} ${radialBasis} (${maxDegree},${nRadial}) sumGradients (dense, training) median ${median(dense).toFixed(1)} ms/frame`);
        }
      }
    }
    const model = loadModel(readFileSync(SHIPPED));
    const block = model.features[0]!;
    const shipped = new PairCalculator(block.hypers as unknown as ConstructorParameters<typeof PairCalculator>[0]);
    const st = median(timeJiggledSteps(sys, (x) => shipped.linearForces(x, model.weights), reps).times);
    const h = block.hypers as { radialBasis: string; maxDegree: number; maxProjectionDegree: number; nRadial: number };
    print(
      `pair N=${n} shipped model (examples/gayberne-anisoap/model.msgpack: ${h.radialBasis}, maxDegree ${h.maxDegree}, maxProjectionDegree ${h.maxProjectionDegree}, nRadial ${h.nRadial}) F ${block.featureCount}` +
        ` E+F+tau median ${st.toFixed(2)} ms/step (target ≤ ${target} ms: ratio ${(st / target).toFixed(2)}; GB ${gbMs.toFixed(2)} ms: ×${(st / gbMs).toFixed(1)}) [rebuilt every step ≈ ${(st + rebuildMs).toFixed(2)} ms]`,
    );
  }
}
