// SPDX-License-Identifier: BSD-3-Clause
/**
 * The seam of the trajectory analysis: a {@link FrameAnalysis} turns one frame into named per-frame
 * values (its {@link AnalysisColumn}s, written into a preallocated row) and, optionally, a partial
 * result (histograms, a director) that its {@link FrameAccumulator} adds up **in frame order** on the
 * calling thread — freud's compute-then-read style, split so that frames can be analysed on any
 * thread. What an analysis adds to the outputs of `anisodrive analyze` (CSV tables, plot panels,
 * a summary entry) comes from its {@link FrameAnalysis.report}.
 *
 * Analyses of one frame share a {@link FrameContext}: the molecular axes and the nematic order of
 * the frame are computed once per frame and body axis, whichever analyses ask for them.
 *
 * To add an analysis: one module in `analyses/` exporting an {@link AnalysisEntry} (kind, zod
 * schema of its options, factory), one line in `registry.ts`, and its test.
 */
import type { z } from 'zod';
import type { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { bodyAxisIndex, molecularAxes, type BodyAxis } from './axes.js';
import { Nematic } from './nematic.js';

/** One per-frame output column. */
export interface AnalysisColumn {
  /** Column name (unique over the composed analyses; the header of `order.csv`). */
  readonly name: string;
  /** Unit: `'1'` for dimensionless numbers, `'length'` for lengths in the trajectory's unit. */
  readonly unit: string;
  /** Whether the time-series summary (mean, std, block SEM) reports it. */
  readonly summary: boolean;
}

/** One frame as the analyses read it (a trajectory frame or a mapped `ParticleSystem` fits). */
export interface AnalysisFrame {
  /** Positions, 3N (any image). */
  readonly positions: Float64Array;
  /** The cell. */
  readonly cell: Cell;
  /** Orientations, 4N unit quaternions (w, x, y, z) body → lab. */
  readonly orientations: Float64Array;
}

/**
 * A frame and what its analyses share: the unit molecular axes and the nematic order per body
 * axis, each computed at most once per frame. One instance per thread, {@link FrameContext.load}ed
 * with each frame (no allocation per frame once warm).
 */
export class FrameContext {
  private current: AnalysisFrame | null = null;
  private frameIndex = 0;
  private count = 0;
  private readonly u: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
  private readonly axesDone = [false, false, false];
  private readonly nematics: (Nematic | null)[] = [null, null, null];
  private readonly nematicDone = [false, false, false];

  /** Make `frame` (index `index` in its file, for messages) the current frame. */
  load(frame: AnalysisFrame, index: number): this {
    this.current = frame;
    this.frameIndex = index;
    this.count = frame.positions.length / 3;
    this.axesDone.fill(false);
    this.nematicDone.fill(false);
    return this;
  }

  /** The current frame. */
  get frame(): AnalysisFrame {
    if (!this.current) throw new AnisoError('E_ARG', 'analysis: no frame loaded');
    return this.current;
  }

  /** Index of the current frame in its file. */
  get index(): number {
    return this.frameIndex;
  }

  /** Number of particles (positions / 3). */
  get n(): number {
    return this.count;
  }

  /**
   * Unit molecular axes (3N or longer; the first 3N are this frame's) of body axis `axis`.
   * @throws AnisoError `E_SIZE` when the numbers of positions and orientations differ; from `molecularAxes`
   */
  axes(axis: BodyAxis): Float64Array {
    const k = bodyAxisIndex(axis, 'analysis');
    if (!this.axesDone[k]) {
      const a = molecularAxes(this.frame.orientations, 'quaternions', k, this.u[k], 'analysis');
      this.u[k] = a.u;
      if (a.n !== this.count) throw new AnisoError('E_SIZE', `analysis: frame ${this.frameIndex} has ${this.count} positions but ${a.n} orientations`);
      this.axesDone[k] = true;
    }
    return this.u[k]!;
  }

  /** The nematic order of this frame for molecular axis `axis` (computed; read its getters). */
  nematic(axis: BodyAxis): Nematic {
    const k = bodyAxisIndex(axis, 'analysis');
    const u = this.axes(axis);
    const nem = (this.nematics[k] ??= new Nematic({ axis }));
    if (!this.nematicDone[k]) {
      nem.computeFromAxes(u, this.count);
      this.nematicDone[k] = true;
    }
    return nem;
  }
}

/** Adds the partial results of frames, in frame order, into an accumulated result (calling thread). */
export interface FrameAccumulator<P, R> {
  /** Add the next frame's partial. */
  add(partial: P): void;
  /** The accumulated result over the frames added (at least one). */
  result(): R;
}

/** A curve or per-frame series of a plot panel. */
export interface AnalysisSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /**
   * The quantity drawn (`'S2'`, `'P4'`, `'smectic'`, `'autocorrelation'`, `'g'`, `'g1'`, `'g2'`):
   * the plot writer gives each quantity one fixed colour in every figure.
   */
  quantity?: string;
}

/** One plot panel (the shape the plot writer takes). */
export interface AnalysisPanel {
  title: string;
  /** Axis name without unit (`'r'`, `'MD step'`); a dimensionless name is the whole label. */
  xLabel: string;
  yLabel: string;
  /**
   * `'length'` when the axis is a length in the trajectory's unit: the plot writer appends the
   * unit it knows the trajectory to be in (`r (Å)`, `r (σ)`). Absent: dimensionless or a count.
   */
  xUnit?: 'length';
  yUnit?: 'length';
  series: AnalysisSeries[];
}

/** A table written as `<name>.csv` (header, then one row per index of the columns). */
export interface AnalysisTable {
  /** File stem (`pair` → `pair.csv`). */
  name: string;
  /** Column names. */
  header: string[];
  /** Columns, all of one length. */
  columns: ArrayLike<number>[];
}

/** What an analysis adds to the outputs of a trajectory analysis. */
export interface AnalysisReport {
  /** Tables of accumulated results (`pair.csv`, `autocorr.csv`). */
  tables?: AnalysisTable[];
  /** Panels, each for the figure `figure` (file stem) titled `figureTitle`. */
  panels?: { figure: string; figureTitle: string; panel: AnalysisPanel }[];
  /** A JSON entry for `summary.json` (under the entry's `summaryKey`). */
  summary?: Record<string, unknown>;
}

/** The per-frame series of a trajectory analysis, as reports read them. */
export interface SeriesView {
  /** Abscissa of per-frame plots: MD steps when every frame has one, else frame indices. */
  x: Float64Array;
  /** Its label (`'MD step'` or `'frame'`). */
  xLabel: string;
  /** The values of a per-frame column. */
  column(name: string): Float64Array;
}

/**
 * One analysis of frames (see the module comment). `P` is the per-frame partial (structured-
 * cloneable: it may cross threads), `R` the accumulated result.
 */
export interface FrameAnalysis<P = unknown, R = unknown> {
  /** Registry kind. */
  readonly kind: string;
  /** Instance name (unique in a composition; keys the accumulated results). */
  readonly name: string;
  /** Per-frame output columns, in the order `analyse` writes them. */
  readonly columns: readonly AnalysisColumn[];
  /**
   * Analyse the frame of `ctx`: write `columns.length` values into `row` from `offset`, and
   * return the frame's partial (null when the analysis has no accumulator).
   */
  analyse(ctx: FrameContext, row: Float64Array, offset: number): P | null;
  /** Buffers of a partial that may be transferred rather than copied between threads. */
  transferables?(partial: P): ArrayBuffer[];
  /** A fresh accumulator of partials (calling thread); absent for column-only analyses. */
  accumulator?(): FrameAccumulator<P, R>;
  /** What this analysis adds to the outputs, from the per-frame series and its accumulated result (null without accumulator). */
  report?(series: SeriesView, accumulated: R | null): AnalysisReport;
}

/** A registered kind of analysis: one module each under `analyses/`, listed in `registry.ts`. */
export interface AnalysisEntry<S extends z.ZodType = z.ZodType> {
  /** The kind, as named in an {@link AnalysisSpec}. */
  readonly kind: string;
  /** One line on what it computes. */
  readonly description: string;
  /** Its options: the single source of their names, types and defaults. */
  readonly schema: S;
  /** Key of its entry in `summary.json` (written as null when the analysis is not composed), if any. */
  readonly summaryKey?: string;
  /** An analysis from parsed options, named `name`. */
  create(options: z.output<S>, name: string): FrameAnalysis;
}

/** An analysis to compose: its kind, options (validated by its schema) and optional name (default: the kind). */
export interface AnalysisSpec {
  kind: string;
  options?: Record<string, unknown>;
  name?: string;
}
