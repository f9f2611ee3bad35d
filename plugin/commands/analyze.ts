// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive analyze TRAJ --out DIR`: liquid-crystal order of a trajectory of ellipsoids (or of
 * sites mapped to ellipsoids with `--mapping`), frame by frame on worker threads, streamed in
 * bounded memory. Writes
 *
 * ```
 * DIR/order.csv      frame, step, S2, S2_mid, biaxiality, beta2, P4, smectic, smectic_d,
 *                    smectic_pbc, smectic_pbc_d, director_x, director_y, director_z
 * DIR/pair.csv       r, g, g1, g2            (accumulated over the analysed frames)
 * DIR/autocorr.csv   lag, C                  (director autocorrelation ⟨P2(n(t0)·n(t0+τ))⟩, τ in analysed frames)
 * DIR/summary.json   mean, std, min, max and 5-block standard error of every order parameter; the settings
 * DIR/order.{svg,png}, DIR/pair.{svg,png}
 * ```
 *
 * Definitions: `src/analysis/` (docs/CONVENTIONS.md §7; `smectic` is τ, `smectic_pbc` is τ_pbc). The flags
 * select the registry analyses of the standard set (`standardAnalyses`: nematic, smectic, director,
 * pair when the cell is periodic, autocorrelation); the columns of `order.csv`, the other tables,
 * the figures and the accumulated entries of `summary.json` are whatever those analyses report.
 * Frames: the first `⌊discard · frames⌋` are skipped, then every `every`-th is analysed. The file
 * is read twice: once to count the frames (for `--discard` and the progress bar), once to analyse.
 */
import { availableParallelism } from 'node:os';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesSummary } from '../../src/analysis/nematic.js';
import type { BodyAxis } from '../../src/analysis/axes.js';
import type { AnalysisPanel, AnalysisSpec } from '../../src/analysis/frame-analysis.js';
import { analysisEntries } from '../../src/analysis/registry.js';
import { SMECTIC_DEFAULTS } from '../../src/analysis/smectic.js';
import { PAIR_DEFAULTS } from '../../src/analysis/analyses/pair-correlation.js';
import { AnalysisSet, TrajectoryReducer, standardAnalyses, type FrameAnalysisSettings, type TrajectoryAnalysis } from '../../src/analysis/trajectory-analysis.js';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import type { Frame } from '../../src/io/frame.js';
import { detectFormat, readFrames, type ReadOptions } from '../../src/io/read-frames.js';
import { AnalysisPipeline } from '../../src/analysis/parallel/analysis-pool.js';
import type { MappingParams } from '../../src/mapping/registry.js';
import { validate } from '../config/load.js';
import { MappingSchema, type MappingConfig } from '../config/schema.js';
import { checkOutputDirectory } from '../output-check.js';
import { writeLineChart, type ChartPanel } from '../plots/line-chart.js';
import { createProgress } from '../progress.js';
import { checkLengthUnit, lengthAxisLabel, trajectoryLengthUnit, type TrajectoryLengthUnit } from './length-unit.js';

/** Flags of `anisodrive analyze`. */
export interface AnalyzeFlags {
  out: string;
  format?: string;
  /** JSON file: a mapping object (`{ "kind": "dumbbell", … }`) or a driver config with `mapping`. */
  mapping?: string;
  axis?: BodyAxis;
  every?: number;
  /** Fraction of the frames skipped at the start, in [0, 1). */
  discard?: number;
  rmax?: number;
  nbins?: number;
  /** Smectic spacing range `[dmin, dmax]` or `[dmin, dmax, nd]`. */
  smecticD?: number[];
  /** Worker threads (0: none). */
  workers?: number;
  /** Largest lag of the director autocorrelation (analysed frames). */
  maxLag?: number;
  /** Length unit of the trajectory for the axis labels (default: Å for extxyz and i-PI, the LAMMPS dump's `ITEM: UNITS`). */
  lengthUnit?: string;
  quiet?: boolean;
}

/** A trajectory opener (the library's `readFrames`; tests may inject another). */
export type TrajectoryOpener = (path: string, options?: ReadOptions) => AsyncIterable<Frame>;

/** Injected parts (tests). */
export interface AnalyzeDeps {
  openTrajectory?: TrajectoryOpener;
  print?: (line: string) => void;
  /** Where the progress goes (default stderr). */
  progressStream?: NodeJS.WriteStream;
}


/**
 * A validated mapping JSON (mapping object, or a driver config with `mapping`): the registry's
 * parameters (lengths and masses in the trajectory's units) and the semi-axes it declares.
 */
export function readMappingFile(path: string): { config: MappingParams; semiaxes: number[] | null } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AnisoError('E_CONFIG', `cannot read mapping file ${path}: ${(err as Error).message}`);
  }
  const obj = data !== null && typeof data === 'object' && 'mapping' in data ? (data as { mapping: unknown }).mapping : data;
  const m: MappingConfig = validate(MappingSchema, obj, path);
  return { config: m, semiaxes: 'semiaxes' in m && m.semiaxes ? [...m.semiaxes] : null };
}

/** `NaN` → `nan`, other numbers in full precision (shortest round-trip text). */
function num(x: number): string {
  return Number.isNaN(x) ? 'nan' : String(x);
}

/** JSON-safe: non-finite numbers become null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function summaryJson(s: SeriesSummary) {
  return { mean: finiteOrNull(s.mean), std: finiteOrNull(s.std), min: finiteOrNull(s.min), max: finiteOrNull(s.max), sem_blocks: finiteOrNull(s.semBlocks), n: s.n, blocks: s.blocks };
}

/** Run `analyze`; returns the exit code. */
export async function analyzeCommand(traj: string, flags: AnalyzeFlags, deps: AnalyzeDeps = {}): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const open = deps.openTrajectory ?? readFrames;
  const every = flags.every ?? 1;
  const discard = flags.discard ?? 0;
  const axis = flags.axis ?? 'z';
  if (!Number.isInteger(every) || every < 1) throw new AnisoError('E_ARG', `--every must be an integer ≥ 1, got ${every}`);
  if (!(discard >= 0 && discard < 1)) throw new AnisoError('E_ARG', `--discard must be a fraction in [0, 1), got ${discard}`);
  if (!['x', 'y', 'z'].includes(axis)) throw new AnisoError('E_ARG', `--axis must be x, y or z, got '${axis}'`);
  if (flags.lengthUnit !== undefined) checkLengthUnit(flags.lengthUnit);
  checkOutputDirectory(flags.out);
  const mapping = flags.mapping ? readMappingFile(flags.mapping) : null;
  const openOptions: ReadOptions = { format: flags.format ?? 'auto' };

  // Pass 1: count the frames; look at the first one.
  let total = 0;
  let first: Frame | null = null;
  for await (const frame of open(traj, openOptions)) {
    if (first === null) first = { ...frame, positions: frame.positions.slice(), semiaxes: frame.semiaxes?.slice() };
    total++;
  }
  if (first === null) throw new AnisoError('E_IO', `${traj}: no frames`);
  if (!mapping && !first.orientations) {
    throw new AnisoError('E_ARG', `${first.source}: the trajectory has no orientations (quaternions); for a site trajectory pass --mapping FILE`);
  }
  const format = flags.format && flags.format !== 'auto' ? flags.format : deps.openTrajectory ? null : await detectFormat(traj);
  const lengthUnit = trajectoryLengthUnit(format, first, flags.lengthUnit);
  const skip = Math.floor(discard * total);
  const selected = Math.ceil((total - skip) / every);
  if (selected < 1) throw new AnisoError('E_ARG', `--discard ${discard} leaves no frames of ${total}`);

  // Pair functions: rmax defaults to half the smallest width of the first frame's cell.
  const periodic = first.cell.pbc[0] && first.cell.pbc[1] && first.cell.pbc[2];
  let pair: { rmax: number; nbins: number } | null = null;
  if (periodic) {
    const w = Cell.widths(first.cell);
    const half = 0.5 * Math.min(w[0]!, w[1]!, w[2]!);
    const rmax = flags.rmax ?? Math.floor(half * 100) / 100;
    if (rmax > half) throw new AnisoError('E_ARG', `--rmax ${rmax} exceeds half the smallest cell width (${half.toPrecision(6)}) of ${first.source}`);
    pair = { rmax, nbins: flags.nbins ?? PAIR_DEFAULTS.nbins };
  } else if (flags.rmax !== undefined) {
    throw new AnisoError('E_ARG', `--rmax needs a cell periodic in all three directions; ${first.source} has pbc ${first.cell.pbc.join(' ')}`);
  } else {
    print('analyze: the cell is not periodic in all directions: no pair functions');
  }

  // Smectic range: given, or [2/3, 5/3] × the particle length (2 × the longest semi-axis) when known.
  let smectic: FrameAnalysisSettings['smectic'] = null;
  if (flags.smecticD) {
    const [dmin, dmax, nd] = flags.smecticD;
    smectic = { dmin: dmin!, dmax: dmax!, ...(nd !== undefined ? { nd } : {}) };
  } else {
    const semi = mapping?.semiaxes ?? (first.semiaxes ? Array.from(first.semiaxes.subarray(0, 3)) : null);
    if (semi) {
      const length = 2 * Math.max(...semi);
      smectic = { dmin: (2 / 3) * length, dmax: (5 / 3) * length };
    } else {
      print('analyze: no particle shape known and no --smectic-d DMIN:DMAX: smectic order not computed');
    }
  }
  const settings: FrameAnalysisSettings = { axis, pair, smectic };
  const analyses: AnalysisSpec[] = standardAnalyses(settings, flags.maxLag);
  const workers = flags.workers ?? Math.max(1, Math.min(8, availableParallelism() - 1));

  const reducer = new TrajectoryReducer(AnalysisSet.from(analyses));
  // A redrawn bar on a terminal, a plain line every 5 s otherwise (createProgress decides).
  const progress = createProgress('analyze', selected, { stream: deps.progressStream ?? process.stderr, enabled: !flags.quiet });
  const t0 = performance.now();
  const pipeline = await AnalysisPipeline.create(
    { analyses, mapping: mapping?.config ?? null },
    {
      workers,
      onResult: (r) => {
        reducer.add(r);
        progress.update(reducer.frameCount);
      },
    },
  );
  try {
    let f = 0;
    for await (const frame of open(traj, openOptions)) {
      const k = f++;
      if (k < skip || (k - skip) % every !== 0) continue;
      await pipeline.push({ ...frame, index: k, step: frame.step ?? null, orientations: frame.orientations ?? null });
    }
    await pipeline.finish();
  } finally {
    await pipeline.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`${(reducer.frameCount / seconds).toFixed(1)} frames/s`);
  const res = reducer.result();

  mkdirSync(flags.out, { recursive: true });
  writeOutputs(flags.out, res, lengthUnit);
  // Entries of accumulated results (e.g. `pair`), null for registered analyses not composed.
  const entries: Record<string, unknown> = {};
  for (const e of analysisEntries()) {
    if (e.summaryKey) entries[e.summaryKey] = res.reports.find((r) => r.kind === e.kind)?.report.summary ?? null;
  }
  const summary = {
    traj,
    frames: res.frames,
    frames_in_file: total,
    discard,
    discarded: skip,
    every,
    summary: Object.fromEntries(Object.entries(res.summary).map(([k, s]) => [k, summaryJson(s)])),
    ...entries,
    options: {
      axis,
      rmax: pair?.rmax ?? null,
      nbins: pair?.nbins ?? null,
      dmin: smectic?.dmin ?? null,
      dmax: smectic?.dmax ?? null,
      nd: smectic ? (smectic.nd ?? SMECTIC_DEFAULTS.nd) : null,
      every,
      discard,
      mapping: mapping?.config.kind ?? null,
      workers,
      format: flags.format ?? 'auto',
      length_unit: lengthUnit.name,
      length_unit_source: lengthUnit.source,
    },
    seconds,
  };
  writeFileSync(join(flags.out, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');

  print(`anisodrive analyze: ${res.frames} of ${total} frames of ${traj} in ${seconds.toFixed(1)} s (${workers} worker${workers === 1 ? '' : 's'}) → ${flags.out}`);
  for (const [k, s] of Object.entries(res.summary)) {
    if (s.n === 0) continue;
    print(`  ${k.padEnd(12)} ${s.mean.toFixed(4)} ± ${Number.isFinite(s.semBlocks) ? s.semBlocks.toFixed(4) : 'n/a'} (5-block SEM; std ${s.std.toFixed(4)}, range ${s.min.toFixed(4)} … ${s.max.toFixed(4)})`);
  }
  return 0;
}

/**
 * order.csv (every per-frame column), the tables of the analyses (pair.csv, autocorr.csv) and their
 * figures, length axes labelled in the trajectory's `lengthUnit`.
 */
function writeOutputs(dir: string, res: TrajectoryAnalysis, lengthUnit: TrajectoryLengthUnit): void {
  // order.csv in chunks of lines (no string of the whole file).
  const names = Object.keys(res.columns);
  const fd = openSync(join(dir, 'order.csv'), 'w');
  try {
    let chunk = `frame,step,${names.join(',')}\n`;
    const cols = names.map((c) => res.columns[c]!);
    for (let f = 0; f < res.frames; f++) {
      const step = res.step[f]!;
      chunk += `${res.index[f]},${Number.isNaN(step) ? '' : step},${cols.map((c) => num(c[f]!)).join(',')}\n`;
      if (chunk.length > 1 << 16) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  const figures = new Map<string, { title: string; panels: AnalysisPanel[] }>();
  for (const { report } of res.reports) {
    for (const t of report.tables ?? []) {
      const lines = [t.header.join(',')];
      const rows = t.columns[0]?.length ?? 0;
      for (let k = 0; k < rows; k++) lines.push(t.columns.map((c) => num(c[k]!)).join(','));
      writeFileSync(join(dir, `${t.name}.csv`), lines.join('\n') + '\n');
    }
    for (const p of report.panels ?? []) {
      const fig = figures.get(p.figure) ?? { title: p.figureTitle, panels: [] };
      fig.panels.push(p.panel);
      figures.set(p.figure, fig);
    }
  }
  for (const [name, fig] of figures) {
    const panels: ChartPanel[] = fig.panels.map((p) => ({
      ...p,
      xLabel: p.xUnit === 'length' ? lengthAxisLabel(p.xLabel, lengthUnit.name) : p.xLabel,
      yLabel: p.yUnit === 'length' ? lengthAxisLabel(p.yLabel, lengthUnit.name) : p.yLabel,
    }));
    writeLineChart(join(dir, name), { title: fig.title, panels, columns: panels.length });
  }
}
