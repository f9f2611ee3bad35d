// SPDX-License-Identifier: BSD-3-Clause
/**
 * Whole-process timings of the command line (start-up, module loading, reading, computing and
 * writing included), as a user sees them: `anisodrive --version` (start-up alone), `featurize` and
 * `predict` on the N = 1000 ellipsoid box of bench/anisoap.ts, and `replay` with a Gay–Berne driver
 * configuration on the N = 1000 nematic lattice of bench/gay-berne.ts.
 *
 * - featurize: rc 7, lmax 5, nmax 4, GTO σ 1.5 (ANISOAP_BENCH_HYPERS), to `.npy`; target ≤ 0.8 s
 *   on a 2-core machine (issue 7).
 * - predict: the committed example model (examples/gayberne-anisoap/model-anisoap.msgpack).
 * - replay: examples/gayberne-dumbbells/driver.json (GB(3,5,2,1), rc 4, switched); on an ellipsoid
 *   trajectory replay leaves out its mapping and restraint. The nematic lattice does not overlap,
 *   unlike the random orientations of the AniSOAP box.
 *
 * Input files are written at bench time into a temporary folder with the project's own extxyz
 * writer. Each figure is the median wall time of several runs after one warm-up run (file cache,
 * compiled code on disk), each run a fresh `node dist/plugin/main.js …` process; the 1-minute load
 * average before and after is printed, since other processes slow a whole-process figure most.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ParticleSystem } from '../src/core/system.js';
import { FrameWriter } from '../src/io/write-frames.js';
import { ANISOAP_BENCH_HYPERS, ellipsoidBox } from './anisoap.js';
import { nematicLattice } from './gay-berne.js';
import { median } from './support.js';

/** The compiled command line, `dist/plugin/main.js` (this module runs from `dist/bench/`). */
const CLI = fileURLToPath(new URL('../plugin/main.js', import.meta.url));
/** The repository root (examples). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Whole-process target of `featurize` on the N = 1000 box (issue 7), s. */
const FEATURIZE_TARGET_S = 0.8;
/** Timed runs per command (after one warm-up run). */
const RUNS = 5;

/** `system` as an extxyz file of species X with `quat` (and `semiaxes` when it has them). */
function writeSystem(path: string, system: ParticleSystem): void {
  const species = Array.from({ length: system.n }, () => 'X');
  const text = new FrameWriter({ write: () => undefined }, 'extxyz', { precision: 'full' })
    .formatFrame({ species, positions: system.positions, cell: system.cell, orientations: system.orientations ?? null, semiaxes: system.semiaxes ?? null });
  writeFileSync(path, text);
}

/** Median wall time (s) of `runs` runs of `node CLI ...args`, after one warm-up run. Throws on a failed run. */
function timeCli(args: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let k = 0; k <= runs; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    const t = (performance.now() - t0) / 1000;
    if (r.status !== 0) {
      throw new Error(`anisodrive ${args.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr.trim()}`);
    }
    if (k > 0) times.push(t);
  }
  return median(times);
}

/**
 * Time the commands as whole processes and print one line each, e.g.
 * `cli featurize N=1000 whole process 0.74 s (target ≤ 0.8 s: ratio 0.93) [rc 7, lmax 5, nmax 4; median of 5]`.
 * @param print - Receives each output line.
 */
export async function benchCli(print: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-bench-cli-'));
  try {
    const box = join(dir, 'ellipsoids-1000.extxyz');
    writeSystem(box, ellipsoidBox(1000, 0.3, 2024));
    const lattice = join(dir, 'nematic-1000.extxyz');
    writeSystem(lattice, nematicLattice(10, 10, 5, 0.3, 2024));
    const h = ANISOAP_BENCH_HYPERS;
    const cases: Array<{ name: string; args: string[]; info: string; target?: number }> = [
      { name: '--version', args: ['--version'], info: 'start-up: commander and the command table only' },
      {
        name: 'featurize N=1000',
        args: ['featurize', box, '--lmax', String(h.maxAngular), '--nmax', String(h.maxRadial), '--sigma', String(h.gaussianWidth), '--rcut', String(h.cutoff), '--out', join(dir, 'features.npy')],
        info: `rc ${h.cutoff}, lmax ${h.maxAngular}, nmax ${String(h.maxRadial)}, default threads`,
        target: FEATURIZE_TARGET_S,
      },
      {
        name: 'predict N=1000',
        args: ['predict', join(ROOT, 'examples/gayberne-anisoap/model-anisoap.msgpack'), box, '--out', join(dir, 'predict.extxyz'), '--quiet'],
        info: 'examples/gayberne-anisoap/model-anisoap.msgpack (rc 3.5, lmax 4, nmax 3), energy, forces, torques',
      },
      {
        name: 'replay N=1000',
        args: ['replay', '--config', join(ROOT, 'examples/gayberne-dumbbells/driver.json'), lattice, '--out', join(dir, 'replay.extxyz'), '--quiet'],
        info: 'examples/gayberne-dumbbells/driver.json, GB(3,5,2,1) rc 4 on the nematic lattice',
      },
    ];
    const loadBefore = loadavg()[0]!;
    for (const c of cases) {
      const t = timeCli(c.args, RUNS);
      const ratio = c.target === undefined ? '' : ` (target ≤ ${c.target} s: ratio ${(t / c.target).toFixed(2)})`;
      print(`cli ${c.name} whole process ${t.toFixed(3)} s${ratio} [${c.info}; median of ${RUNS}]`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    print(`cli load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
