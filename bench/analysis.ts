// SPDX-License-Identifier: BSD-3-Clause
/**
 * Trajectory analysis (`anisodrive analyze`) throughput and memory.
 *
 * 1. Throughput, S2 + RDF + g2 (nematic order per frame; g(r), g1, g2 with rmax 5.5, 110 bins;
 *    no smectic scan) on 160 frames of 512 GB ellipsoids (`data/reference/lc/traj_nematic.lammpstrj`):
 *    frames/s with the analysis on the calling thread (0 workers) and on 1 and 2 worker threads,
 *    for frames already in memory (analysis and transfer only) and streamed from the file
 *    (read + parse + analyse, as the CLI does). Median of 3 passes through a warmed-up pipeline
 *    (worker start-up and JIT warm-up excluded).
 * 2. Memory: a synthetic 10⁴-frame LAMMPS dump (N = 128, written to a temporary file) streamed
 *    through the same pipeline (2 workers) in a child process, which reports its resident set
 *    size (current RSS and peak `maxRSS`) after 10 %, 50 % and 100 % of the frames: flat when the
 *    reader, the bounded queue and the reduction hold no per-frame data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TrajectoryReducer, type FrameAnalysisSettings } from '../src/analysis/trajectory-analysis.js';
import { Cell } from '../src/core/cell.js';
import { quatFromAxisAngle } from '../src/core/quaternion.js';
import type { Frame, FrameInput } from '../src/io/frame.js';
import { readFrames } from '../src/io/read-frames.js';
import { writeFrames } from '../src/io/write-frames.js';
import { AnalysisPipeline, type PipelineFrame } from '../src/analysis/parallel/analysis-pool.js';
import { median, seededUniform } from './support.js';

/** The reference trajectory of `data/reference/lc`, from `dist/bench/` (compiled) or `bench/` (source). */
const TRAJ_DIST = fileURLToPath(new URL('../../data/reference/lc/traj_nematic.lammpstrj', import.meta.url));
const TRAJ_SRC = fileURLToPath(new URL('../data/reference/lc/traj_nematic.lammpstrj', import.meta.url));
const PAIR = { rmax: 5.5, nbins: 110 };
const SETTINGS: FrameAnalysisSettings = { axis: 'z', pair: PAIR, smectic: null };

/**
 * A pipeline with `workers` threads, warmed up (one pass over `warm`), and a timer of passes:
 * each pass is reduced from scratch; returns frames/s.
 */
async function warmPipeline(workers: number, settings: FrameAnalysisSettings, pair: typeof PAIR | null, warm: readonly PipelineFrame[]) {
  let reducer = new TrajectoryReducer(pair);
  let base = 0;
  const p = await AnalysisPipeline.create({ settings, mapping: null }, { workers, onResult: (r) => reducer.add({ ...r, seq: r.seq - base }) });
  let cpuShare = 0;
  const pass = async (frames: Iterable<PipelineFrame> | AsyncIterable<PipelineFrame>): Promise<number> => {
    reducer = new TrajectoryReducer(pair);
    base = p.pushedCount;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const f of frames) await p.push(f);
    await p.finish();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpuShare = (c.user + c.system) / 1e6 / seconds;
    reducer.result();
    return reducer.frameCount / seconds;
  };
  await pass(warm);
  return { pass, close: () => p.close(), cpuShare: () => cpuShare };
}

/** A frame as the pipeline takes it (absent step and orientations as null). */
const pipelineFrame = (f: Frame): PipelineFrame => ({ ...f, step: f.step ?? null, orientations: f.orientations ?? null });

async function* firstFrames(path: string, count: number): AsyncGenerator<PipelineFrame> {
  let k = 0;
  for await (const f of readFrames(path)) {
    if (k++ >= count) return;
    yield pipelineFrame(f);
  }
}

/** Synthetic frames: N ellipsoids uniform in a cube at ρ = 0.33, axes within ~30° of z. */
function* syntheticFrames(count: number, n: number): Generator<FrameInput> {
  const rand = seededUniform(7);
  const L = Math.cbrt(n / 0.33);
  const cell = Cell.orthorhombic(L, L, L);
  const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n);
  for (let f = 0; f < count; f++) {
    for (let k = 0; k < 3 * n; k++) positions[k] = L * rand();
    for (let i = 0; i < n; i++) {
      const phi = 2 * Math.PI * rand();
      quatFromAxisAngle(orientations, 4 * i, Math.cos(phi), Math.sin(phi), 0, 0.5 * rand());
    }
    yield { positions, orientations, cell, step: 100 * f, species: null };
  }
}

/** Child mode: stream `path` (2 workers) and print RSS checkpoints as one JSON line. */
async function rssChild(path: string, total: number, workers: number): Promise<void> {
  const checkpoints = [Math.round(0.1 * total), Math.round(0.5 * total), total];
  const rows: { frames: number; rssMiB: number; maxRssMiB: number; heapMiB: number; heapTotalMiB: number }[] = [];
  const w = 0.5 * Math.cbrt(128 / 0.33) - 0.01;
  const pair = { rmax: Math.floor(w * 100) / 100, nbins: 100 };
  const reducer = new TrajectoryReducer(pair);
  const p = await AnalysisPipeline.create({ settings: { axis: 'z', pair, smectic: null }, mapping: null }, {
    workers,
    onResult: (r) => {
      reducer.add(r);
      if (checkpoints.includes(reducer.frameCount)) {
        (globalThis as { gc?: () => void }).gc?.(); // the child runs with --expose-gc: retained memory only
        const m = process.memoryUsage();
        rows.push({ frames: reducer.frameCount, rssMiB: m.rss / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024, heapMiB: m.heapUsed / 2 ** 20, heapTotalMiB: m.heapTotal / 2 ** 20 });
      }
    },
  });
  const t0 = performance.now();
  try {
    for await (const f of readFrames(path)) await p.push(pipelineFrame(f));
    await p.finish();
  } finally {
    await p.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  reducer.result();
  process.stdout.write(JSON.stringify({ rows, seconds, frames: reducer.frameCount, peakInFlight: p.peakInFlight, queue: p.queue }) + '\n');
}

/**
 * Print the analysis throughput and the memory profile.
 * @param print - Receives each output line.
 */
export async function benchAnalysis(print: (line: string) => void): Promise<void> {
  let traj = TRAJ_DIST;
  try {
    statSync(traj);
  } catch {
    traj = TRAJ_SRC;
  }
  // 1. Throughput on the reference trajectory.
  const frames: PipelineFrame[] = [];
  for await (const f of firstFrames(traj, 160)) frames.push({ ...f, positions: f.positions.slice(), orientations: f.orientations!.slice() });
  print(`analysis: ${frames.length} frames × ${frames[0]!.positions.length / 3} ellipsoids, S2 + RDF + g2 (rmax ${PAIR.rmax}, ${PAIR.nbins} bins, + g1), no smectic scan`);
  print(`analysis: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (other processes share them: the CPU the process got is printed per line)`);
  for (const workers of [0, 1, 2]) {
    const mem: number[] = [], file: number[] = [], cpu: number[] = [];
    const p = await warmPipeline(workers, SETTINGS, PAIR, frames);
    try {
      for (let rep = 0; rep < 3; rep++) {
        mem.push(await p.pass(frames));
        cpu.push(p.cpuShare());
        file.push(await p.pass(firstFrames(traj, 160)));
      }
    } finally {
      await p.close();
    }
    const label = workers === 0 ? 'calling thread' : `${workers} worker${workers > 1 ? 's' : ''}`;
    print(`analysis ${label.padEnd(14)} frames in memory ${median(mem).toFixed(0).padStart(5)} frames/s (process CPU ${median(cpu).toFixed(2)} cores)   streamed from the dump (read + analyse) ${median(file).toFixed(0).padStart(5)} frames/s`);
  }
  {
    const withSmectic = { ...SETTINGS, smectic: { dmin: 2, dmax: 5, nd: 801 } };
    const p = await warmPipeline(2, withSmectic, PAIR, frames);
    try {
      print(`analysis 2 workers, + smectic τ (801 spacings) and τ_pbc: ${(await p.pass(frames)).toFixed(0)} frames/s (frames in memory)`);
    } finally {
      await p.close();
    }
  }

  // 2. Memory on a synthetic 10⁴-frame trajectory, in a child process.
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-bench-analysis-'));
  try {
    const path = join(dir, 'synthetic.lammpstrj');
    const count = 10_000, n = 128;
    const t0 = performance.now();
    await writeFrames(path, syntheticFrames(count, n), { format: 'lammps', precision: 8 });
    const mib = statSync(path).size / 2 ** 20;
    print(`analysis memory: synthetic dump ${count} frames × ${n} ellipsoids, ${mib.toFixed(0)} MiB, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--rss-child', path, String(count), '2'], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`rss child failed (${child.status}): ${child.stderr}`);
    const res = JSON.parse(child.stdout.trim().split('\n').pop()!) as { rows: { frames: number; rssMiB: number; maxRssMiB: number; heapMiB: number; heapTotalMiB: number }[]; seconds: number; frames: number; peakInFlight: number; queue: number };
    for (const r of res.rows) {
      print(`analysis memory: after ${String(r.frames).padStart(5)} frames (${((100 * r.frames) / count).toFixed(0).padStart(3)} %)  RSS ${r.rssMiB.toFixed(0)} MiB, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, JS heap used ${r.heapMiB.toFixed(1)} MiB (committed ${r.heapTotalMiB.toFixed(0)} MiB)`);
    }
    const [first, half, last] = res.rows as [typeof res.rows[0], typeof res.rows[0], typeof res.rows[0]];
    const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
    print(
      `analysis memory: ${res.frames} frames streamed in ${res.seconds.toFixed(1)} s (${(res.frames / res.seconds).toFixed(0)} frames/s, 2 workers, ≤ ${res.peakInFlight} of ${res.queue} frames in flight); ` +
        `peak RSS 10 % → 50 % ${signed(half.maxRssMiB - first.maxRssMiB)} MiB (V8 grows its young generation), 50 % → 100 % ${signed(last.maxRssMiB - half.maxRssMiB)} MiB; JS heap used ${signed(last.heapMiB - first.heapMiB)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--rss-child') {
  await rssChild(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5] ?? 2));
}
