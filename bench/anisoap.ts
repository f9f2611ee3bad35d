// SPDX-License-Identifier: BSD-3-Clause
/**
 * Timing of AniSOAP features and of the energy, forces and torques of a linear model on them
 * (issue 3 targets, N = 1000: features ≤ 0.5 s, E+F+τ ≤ 1.5 s on this 2-core machine).
 *
 * Configuration (ANISOAP.md §11): N ellipsoids with semi-axes (1.5, 0.5, 0.5) at number density
 * 0.3 in a cubic periodic box, on a simple-cubic lattice jittered by ±15 % of the spacing
 * (N = 100: 100 random sites of a 5³ lattice), uniformly random orientations, seeded; hypers lmax 5, max_radial 4 (N_l = 5), GTO σ 1.5,
 * rc 7 (about 430 neighbours per particle), package mode, self term included. E+F+τ is
 * `AniSoapCalculator.linearForces` with seeded random weights (neighbour list, ν = 1 expansion,
 * power-spectrum forward and adjoint, backward pass over the pairs, all included), on the kernel
 * backend named in each line. Each figure is the median of a few repeats after one warm-up
 * call, single-threaded and with 2 threads (the caller plus one worker).
 */
import { performance } from 'node:perf_hooks';
import { Cell } from '../src/core/cell.js';
import type { ParticleSystem } from '../src/core/system.js';
import { AniSoapCalculator } from '../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../src/features/anisoap/hypers.js';
import { CPU_F64 } from '../src/kernels/backend.js';
import { median, seededUniform } from './support.js';

/** The benchmark hypers (issue 3). */
export const ANISOAP_BENCH_HYPERS: AniSoapHypers = {
  maxAngular: 5, maxRadial: 4, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 7, species: [0],
};

/**
 * `n` ellipsoids (semi-axes 1.5, 0.5, 0.5) at number density `rho` in a cubic box, on the sites of
 * an `m³` simple-cubic lattice (`m = ⌈n^⅓⌉`; a seeded random subset of sites when `n < m³`), each
 * jittered by ±15 % of the spacing per axis, with uniformly random orientations. Deterministic for
 * a given `seed`.
 */
export function ellipsoidBox(n: number, rho: number, seed: number): ParticleSystem {
  const m = Math.ceil(Math.cbrt(n) - 1e-9);
  const L = Math.cbrt(n / rho), a = L / m;
  const r = seededUniform(seed);
  const sites = Array.from({ length: m * m * m }, (_, k) => k);
  for (let k = sites.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [sites[k], sites[j]] = [sites[j]!, sites[k]!];
  }
  const chosen = sites.slice(0, n).sort((p, q) => p - q);
  const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n), semiaxes = new Float64Array(3 * n);
  chosen.forEach((site, i) => {
    const x = Math.floor(site / (m * m)), y = Math.floor(site / m) % m, z = site % m;
    positions[3 * i] = (x + 0.5 + 0.3 * (r() - 0.5)) * a;
    positions[3 * i + 1] = (y + 0.5 + 0.3 * (r() - 0.5)) * a;
    positions[3 * i + 2] = (z + 0.5 + 0.3 * (r() - 0.5)) * a;
    // Shoemake: uniform on SO(3)
    const u1 = r(), u2 = 2 * Math.PI * r(), u3 = 2 * Math.PI * r();
    const s1 = Math.sqrt(1 - u1), s2 = Math.sqrt(u1);
    orientations.set([s1 * Math.sin(u2), s1 * Math.cos(u2), s2 * Math.sin(u3), s2 * Math.cos(u3)], 4 * i);
    semiaxes.set([1.5, 0.5, 0.5], 3 * i);
  });
  return { n, positions, cell: Cell.orthorhombic(L, L, L), orientations, semiaxes };
}

function timeMedian(reps: number, fn: () => void): number {
  fn();
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t) / 1000;
}

/**
 * Time features and E+F+τ for N = 100 and N = 1000, one and two threads, on the default kernel
 * backend (`wasm-f64`) and, at N = 1000, on the JavaScript reference `cpu-f64` too, printing lines
 * such as `anisoap N=1000 features 0.21 s (target ≤ 0.5 s: ratio 0.42) [2 threads, wasm-f64, 438k pairs, 438 neighbours/particle]`.
 * @param print - Receives each output line.
 */
export async function benchAniSoap(print: (line: string) => void): Promise<void> {
  const cases = [
    { n: 100, reps: 5, featTarget: undefined, forceTarget: undefined },
    { n: 1000, reps: 3, featTarget: 0.5, forceTarget: 1.5 },
  ];
  for (const { n, reps, featTarget, forceTarget } of cases) {
    const sys = ellipsoidBox(n, 0.3, 2024);
    // the default backend (wasm-f64), then the JavaScript reference at N = 1000 for the ratio
    const runs: Array<{ threads: number; backend?: string }> = [{ threads: 1 }, { threads: 2 }];
    if (n === 1000) runs.push({ threads: 1, backend: CPU_F64 }, { threads: 2, backend: CPU_F64 });
    for (const { threads, backend } of runs) {
      const calc = new AniSoapCalculator(ANISOAP_BENCH_HYPERS, backend === undefined ? { threads } : { threads, backend });
      try {
        const r = seededUniform(7);
        const w = new Float64Array(calc.metadata.featureCount).map(() => r() - 0.5);
        const tFeat = timeMedian(reps, () => void calc.values(sys));
        const tForce = timeMedian(reps, () => void calc.linearForces(sys, w));
        const pairs = calc.lastPairCount;
        const info = `[${threads} thread${threads > 1 ? 's' : ''}, ${calc.backend}, ${(pairs / 1000).toFixed(0)}k pairs, ${(pairs / sys.n).toFixed(0)} neighbours/particle]`;
        const ratio = (t: number, target: number | undefined) =>
          target === undefined ? '' : ` (target ≤ ${target} s: ratio ${(t / target).toFixed(2)})`;
        print(`anisoap N=${sys.n} features ${tFeat.toFixed(3)} s${ratio(tFeat, featTarget)} ${info}`);
        print(`anisoap N=${sys.n} E+F+tau ${tForce.toFixed(3)} s${ratio(tForce, forceTarget)} ${info}`);
      } finally {
        calc.close();
      }
    }
  }
}
