// SPDX-License-Identifier: BSD-3-Clause
/**
 * The composition of {@link FrameAnalysis}es over a trajectory, split so that frames can be
 * analysed anywhere (worker threads) and reduced deterministically:
 *
 * - an {@link AnalysisSet} is the ordered list of analyses (from registry specs): their columns
 *   side by side, one partial slot each;
 * - {@link FrameAnalyzer.analyze} runs every analysis on one frame (sharing one
 *   {@link FrameContext}) into a {@link FrameResult}: the row of per-frame values and the partials;
 * - {@link TrajectoryReducer.add} takes those results **in frame order**: the rows go to a time
 *   series, each partial to its analysis' accumulator. Since every frame's numbers are computed
 *   the same way wherever they are computed, and added in the same order, the results do not
 *   depend on the number of threads.
 *
 * Both also take the standard settings of `anisodrive analyze` ({@link FrameAnalysisSettings},
 * expanded by {@link standardAnalyses}).
 */
import { AnisoError } from '../core/errors.js';
import { FrameContext, type AnalysisColumn, type AnalysisFrame, type AnalysisReport, type AnalysisSpec, type FrameAccumulator, type FrameAnalysis, type SeriesView } from './frame-analysis.js';
import type { SeriesSummary } from './nematic.js';
import { createAnalysis } from './registry.js';
import { standardAnalyses, type FrameAnalysisSettings } from './standard-analyses.js';
import { TimeSeries } from './time-series.js';

export { ORDER_COLUMNS, SUMMARY_COLUMNS, standardAnalyses } from './standard-analyses.js';
export type { FrameAnalysisSettings, OrderColumn } from './standard-analyses.js';
export type { AnalysisFrame } from './frame-analysis.js';

/** Analyses in order, with their columns laid side by side (see the module comment). */
export class AnalysisSet {
  /** The analyses, in order. */
  readonly analyses: readonly FrameAnalysis[];
  /** Every column, analysis after analysis. */
  readonly columns: readonly AnalysisColumn[];
  /** Offset of each analysis' first column in a row. */
  readonly offsets: readonly number[];

  /** @throws AnisoError `E_ARG` for no analyses, or a name or column used twice */
  constructor(analyses: readonly FrameAnalysis[]) {
    if (analyses.length === 0) throw new AnisoError('E_ARG', 'analysis: no analyses to compose');
    const names = new Set<string>(), columns: AnalysisColumn[] = [], offsets: number[] = [];
    for (const a of analyses) {
      if (names.has(a.name)) throw new AnisoError('E_ARG', `analysis: two analyses are named '${a.name}'`);
      names.add(a.name);
      offsets.push(columns.length);
      for (const c of a.columns) {
        if (columns.some((d) => d.name === c.name)) throw new AnisoError('E_ARG', `analysis: column '${c.name}' of '${a.name}' is already given by another analysis`);
        columns.push(c);
      }
    }
    this.analyses = analyses;
    this.columns = columns;
    this.offsets = offsets;
  }

  /**
   * The set of `specs` (registry kinds with options), or of the standard settings.
   * @throws AnisoError `E_ARG` for unknown kinds or bad options
   */
  static from(specs: readonly AnalysisSpec[] | FrameAnalysisSettings | AnalysisSet): AnalysisSet {
    if (specs instanceof AnalysisSet) return specs;
    const list = Array.isArray(specs) ? specs : standardAnalyses(specs as FrameAnalysisSettings);
    return new AnalysisSet(list.map(createAnalysis));
  }

  /** Column names, in row order. */
  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }
}

/** Per-frame results. */
export interface FrameResult {
  /** Position of the frame in the analysed sequence (0, 1, …) — the reduction order. */
  seq: number;
  /** Index of the frame in its file. */
  index: number;
  /** MD step, or null. */
  step: number | null;
  /** Number of particles (ellipsoids). */
  n: number;
  /** Per-frame values, in the order of {@link AnalysisSet.columns}. */
  values: Float64Array;
  /** One partial per analysis (null for those without accumulator). */
  partials: unknown[];
}

/** Analyses single frames (one instance per thread; it keeps scratch between calls). */
export class FrameAnalyzer {
  /** What is computed. */
  readonly set: AnalysisSet;
  private readonly ctx = new FrameContext();

  /** @throws AnisoError `E_ARG` for bad specs or settings */
  constructor(analyses: readonly AnalysisSpec[] | FrameAnalysisSettings | AnalysisSet = {}) {
    this.set = AnalysisSet.from(analyses);
  }

  /**
   * Analyse one frame. `seq`, `index` and `step` are passed through to the result.
   * @throws AnisoError from the analyses (bad sizes, zero quaternions, a cell too small for rmax)
   */
  analyze(frame: AnalysisFrame, seq = 0, index = seq, step: number | null = null): FrameResult {
    const ctx = this.ctx.load(frame, index);
    const { analyses, offsets } = this.set;
    const values = new Float64Array(this.set.columns.length);
    const partials = analyses.map((a, k) => a.analyse(ctx, values, offsets[k]!));
    return { seq, index, step, n: ctx.n, values, partials };
  }

  /** The buffers of `r` that can be transferred between threads (each once). */
  transferables(r: FrameResult): ArrayBuffer[] {
    const out = new Set<ArrayBuffer>([r.values.buffer as ArrayBuffer]);
    this.set.analyses.forEach((a, k) => {
      const p = r.partials[k];
      if (p !== null && p !== undefined && a.transferables) for (const b of a.transferables(p)) out.add(b);
    });
    return [...out];
  }
}

/** The reduced results of a trajectory. */
export interface TrajectoryAnalysis {
  /** Number of analysed frames. */
  frames: number;
  /** Index of each analysed frame in its file. */
  index: Float64Array;
  /** MD step of each analysed frame (NaN where the file has none). */
  step: Float64Array;
  /** Per-frame values, one array per column. */
  columns: Record<string, Float64Array>;
  /** Time-series summary of the columns flagged `summary`. */
  summary: Record<string, SeriesSummary>;
  /** Accumulated results by analysis name (for analyses with an accumulator). */
  accumulated: Record<string, unknown>;
  /** What each analysis adds to the outputs, in order (kind, name and its report). */
  reports: { kind: string; name: string; report: AnalysisReport }[];
}

/**
 * In-order reduction of {@link FrameResult}s (see the module comment). Results must arrive with
 * `seq` = 0, 1, 2, …; anything else is a programming error and throws.
 *
 * Memory per frame is 2 + (columns) numbers (index, step and the row, in typed arrays); the
 * accumulators take what their analyses need (constant for the standard set).
 */
export class TrajectoryReducer {
  /** What is reduced. */
  readonly set: AnalysisSet;
  private readonly series: TimeSeries;
  private readonly row: Float64Array;
  private readonly accumulators: (FrameAccumulator<unknown, unknown> | null)[];
  private next = 0;

  /**
   * @param analyses - the same set (or specs) as the {@link FrameAnalyzer}s'; or, for the
   *   standard set, the pair settings (null for none) as given to them
   * @param maxLag - with pair settings: largest lag of the director autocorrelation (analysed frames, default 100)
   */
  constructor(analyses: AnalysisSet | readonly AnalysisSpec[] | { rmax: number; nbins: number } | null = null, maxLag?: number) {
    this.set = analyses instanceof AnalysisSet || Array.isArray(analyses)
      ? AnalysisSet.from(analyses as AnalysisSet | readonly AnalysisSpec[])
      : AnalysisSet.from(standardAnalyses({ pair: analyses as { rmax: number; nbins: number } | null }, maxLag));
    this.series = new TimeSeries(['index', ...this.set.columnNames]);
    this.row = new Float64Array(1 + this.set.columns.length);
    this.accumulators = this.set.analyses.map((a) => (a.accumulator ? a.accumulator() : null));
  }

  /** Number of frames reduced. */
  get frameCount(): number {
    return this.next;
  }

  /** Add the next frame's result. */
  add(r: FrameResult): void {
    if (r.seq !== this.next) throw new AnisoError('E_ARG', `trajectory reducer: got frame seq ${r.seq}, expected ${this.next}`);
    const { analyses } = this.set;
    if (r.values.length !== this.set.columns.length || r.partials.length !== analyses.length) {
      throw new AnisoError('E_ARG', `trajectory reducer: frame ${r.index} has ${r.values.length} values and ${r.partials.length} partials; expected ${this.set.columns.length} and ${analyses.length}`);
    }
    this.accumulators.forEach((acc, k) => {
      if (acc && (r.partials[k] === null || r.partials[k] === undefined)) throw new AnisoError('E_ARG', `trajectory reducer: frame ${r.index} has no ${analyses[k]!.name} data`);
    });
    this.next++;
    this.row[0] = r.index;
    this.row.set(r.values, 1);
    this.series.addRow(this.row, r.step);
    this.accumulators.forEach((acc, k) => acc?.add(r.partials[k]));
  }

  /**
   * The results (summary with `blocks` blocks, default 5).
   * @throws AnisoError `E_ARG` before the first frame
   */
  result(blocks = 5): TrajectoryAnalysis {
    if (this.next === 0) throw new AnisoError('E_ARG', 'trajectory analysis: no frames were analysed');
    const all = this.series.summary(blocks);
    const summary: Record<string, SeriesSummary> = {};
    for (const c of this.set.columns) if (c.summary) summary[c.name] = all[c.name]!;
    const columns: Record<string, Float64Array> = {};
    for (const c of this.set.columns) columns[c.name] = this.series.column(c.name);
    const index = this.series.column('index');
    const step = Float64Array.from(this.series.steps, (x) => x ?? Number.NaN);
    const accumulated: Record<string, unknown> = {};
    this.set.analyses.forEach((a, k) => {
      const acc = this.accumulators[k];
      if (acc) accumulated[a.name] = acc.result();
    });
    const useSteps = step.every((s) => !Number.isNaN(s));
    const view: SeriesView = {
      x: useSteps ? step : index,
      xLabel: useSteps ? 'MD step' : 'frame',
      column: (name) => {
        const col = columns[name];
        if (!col) throw new AnisoError('E_ARG', `trajectory analysis: no column '${name}'`);
        return col;
      },
    };
    const reports = this.set.analyses.map((a) => ({ kind: a.kind, name: a.name, report: a.report ? a.report(view, accumulated[a.name] ?? null) : {} }));
    return { frames: this.next, index, step, columns, summary, accumulated, reports };
  }
}
