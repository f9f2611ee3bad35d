// SPDX-License-Identifier: BSD-3-Clause
/**
 * The per-frame analysis of a trajectory and the in-order reduction of its results, split so that
 * frames can be analysed anywhere (worker threads) and reduced deterministically:
 *
 * - {@link FrameAnalyzer.analyze} turns one frame (positions, cell, orientations) into a
 *   {@link FrameResult}: nematic order (S2, S2_mid, biaxiality, β2, P4, director), smectic order
 *   (τ, τ_pbc and their spacings) and the frame's pair-correlation counts and sums.
 * - {@link TrajectoryReducer.add} takes those results **in frame order** and accumulates the time
 *   series, the pair functions (counts and sums added frame after frame, normalised with the mean
 *   volume) and the director autocorrelation. Since every frame's numbers are computed the same
 *   way wherever they are computed, and added in the same order, the results do not depend on
 *   the number of threads.
 */
import type { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { bodyAxisIndex, molecularAxes, type BodyAxis } from './axes.js';
import { Nematic, type SeriesSummary } from './nematic.js';
import { PairCorrelation, type PairPartial } from './pair-correlation.js';
import { Smectic } from './smectic.js';
import { OrientationalAutocorrelation, TimeSeries } from './time-series.js';

/** What to compute per frame. */
export interface FrameAnalysisSettings {
  /** Body axis that is the molecular axis (default 'z'). */
  axis?: BodyAxis;
  /** Pair functions, or null for none. */
  pair?: { rmax: number; nbins: number } | null;
  /** Smectic order, or null for none (its columns are then NaN). */
  smectic?: { dmin: number; dmax: number; nd?: number; maxIndex?: number; maxAngleDeg?: number } | null;
}

/** One frame as the analysis reads it (a trajectory frame or a mapped `ParticleSystem` fits). */
export interface AnalysisFrame {
  /** Positions, 3N. */
  readonly positions: Float64Array;
  /** The cell. */
  readonly cell: Cell;
  /** Orientations, 4N unit quaternions (w, x, y, z) body → lab. */
  readonly orientations: Float64Array;
}

/** The per-frame columns, in the order of `order.csv`. */
export const ORDER_COLUMNS = [
  'S2', 'S2_mid', 'biaxiality', 'beta2', 'P4', 'smectic', 'smectic_d', 'smectic_pbc', 'smectic_pbc_d',
  'director_x', 'director_y', 'director_z',
] as const;

/** Columns of {@link ORDER_COLUMNS} whose time averages are reported. */
export const SUMMARY_COLUMNS = ['S2', 'S2_mid', 'biaxiality', 'beta2', 'P4', 'smectic', 'smectic_pbc'] as const;

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
  /** Order parameters, keyed by {@link ORDER_COLUMNS} (smectic ones NaN when not computed). */
  values: Record<(typeof ORDER_COLUMNS)[number], number>;
  /** The frame's pair counts and sums, or null without pair functions. */
  pair: PairPartial | null;
}

/** Analyses single frames (one instance per thread; it keeps scratch between calls). */
export class FrameAnalyzer {
  /** Molecular axis. */
  readonly axis: BodyAxis;
  private readonly axisIndex: number;
  private readonly nematic: Nematic;
  private readonly smectic: Smectic | null;
  private readonly pair: PairCorrelation | null;
  private u: Float64Array = new Float64Array(0);

  /** @throws AnisoError `E_ARG` for bad settings */
  constructor(settings: FrameAnalysisSettings = {}) {
    this.axis = settings.axis ?? 'z';
    this.axisIndex = bodyAxisIndex(this.axis, 'analysis');
    this.nematic = new Nematic({ axis: this.axis });
    this.smectic = settings.smectic ? new Smectic(settings.smectic) : null;
    this.pair = settings.pair ? new PairCorrelation({ ...settings.pair, axis: this.axis }) : null;
  }

  /**
   * Analyse one frame. `seq`, `index` and `step` are passed through to the result.
   * @throws AnisoError from the analyses (bad sizes, zero quaternions, a cell too small for rmax)
   */
  analyze(frame: AnalysisFrame, seq = 0, index = seq, step: number | null = null): FrameResult {
    const n = frame.positions.length / 3;
    const axes = molecularAxes(frame.orientations, 'quaternions', this.axisIndex, this.u, 'analysis');
    this.u = axes.u;
    if (axes.n !== n) throw new AnisoError('E_SIZE', `analysis: frame ${index} has ${n} positions but ${axes.n} orientations`);
    const nem = this.nematic.computeFromAxes(axes.u, n);
    const d = nem.director;
    let tau = Number.NaN, dTau = Number.NaN, tauPbc = Number.NaN, dTauPbc = Number.NaN;
    if (this.smectic) {
      const sm = this.smectic.compute(frame.positions, d, frame.cell);
      tau = sm.order; dTau = sm.spacing; tauPbc = sm.orderPbc; dTauPbc = sm.spacingPbc;
    }
    const pair = this.pair ? this.pair.partial(frame) : null;
    return {
      seq,
      index,
      step,
      n,
      values: {
        S2: nem.order, S2_mid: nem.middleEstimator, biaxiality: nem.biaxiality, beta2: nem.beta2, P4: nem.p4,
        smectic: tau, smectic_d: dTau, smectic_pbc: tauPbc, smectic_pbc_d: dTauPbc,
        director_x: d[0]!, director_y: d[1]!, director_z: d[2]!,
      },
      pair,
    };
  }
}

/** A column of `order.csv`. */
export type OrderColumn = (typeof ORDER_COLUMNS)[number];

/** The reduced results of a trajectory. */
export interface TrajectoryAnalysis {
  /** Number of analysed frames. */
  frames: number;
  /** Index of each analysed frame in its file. */
  index: Float64Array;
  /** MD step of each analysed frame (NaN where the file has none). */
  step: Float64Array;
  /** Per-frame values, one array per column of {@link ORDER_COLUMNS}. */
  columns: Record<OrderColumn, Float64Array>;
  /** Time-series summary of {@link SUMMARY_COLUMNS}. */
  summary: Record<string, SeriesSummary>;
  /** Pair functions (bin centres, g, g1, g2, pair counts), or null. */
  pair: { r: Float64Array; g: Float64Array; g1: Float64Array; g2: Float64Array; counts: Float64Array; meanVolume: number } | null;
  /**
   * Director autocorrelation C(τ) = ⟨P2(n(t0)·n(t0+τ))⟩ over the analysed frames, τ in analysed
   * frames from 0 to min(maxLag, frames − 1).
   */
  directorAcf: { lag: Int32Array; c: Float64Array; origins: Float64Array };
}

/**
 * In-order reduction of {@link FrameResult}s (see the module comment). Results must arrive with
 * `seq` = 0, 1, 2, …; anything else is a programming error and throws.
 *
 * Memory per frame is 14 numbers (index, step and the {@link ORDER_COLUMNS} values, in typed
 * arrays); the pair functions and the director autocorrelation (a window of maxLag + 1 directors)
 * take constant memory.
 */
export class TrajectoryReducer {
  private readonly series = new TimeSeries(['index', ...ORDER_COLUMNS]);
  private readonly pair: PairCorrelation | null;
  private readonly acf: OrientationalAutocorrelation;
  private readonly director = new Float64Array(3);
  private next = 0;

  /**
   * @param pair - as given to the {@link FrameAnalyzer}s (null for none)
   * @param maxLag - largest lag of the director autocorrelation (analysed frames, default 100)
   */
  constructor(pair: { rmax: number; nbins: number } | null = null, maxLag = 100) {
    this.pair = pair ? new PairCorrelation(pair) : null;
    this.acf = new OrientationalAutocorrelation({ maxLag, mode: 'director' });
  }

  /** Number of frames reduced. */
  get frameCount(): number {
    return this.next;
  }

  /** Add the next frame's result. */
  add(r: FrameResult): void {
    if (r.seq !== this.next) throw new AnisoError('E_ARG', `trajectory reducer: got frame seq ${r.seq}, expected ${this.next}`);
    if (this.pair && !r.pair) throw new AnisoError('E_ARG', `trajectory reducer: frame ${r.index} has no pair data`);
    this.next++;
    this.series.add({ index: r.index, ...r.values }, r.step);
    const d = this.director;
    d[0] = r.values.director_x; d[1] = r.values.director_y; d[2] = r.values.director_z;
    this.acf.add(d, 'vectors');
    if (this.pair) this.pair.accumulate(r.pair!);
  }

  /**
   * The results (summary with `blocks` blocks, default 5).
   * @throws AnisoError `E_ARG` before the first frame
   */
  result(blocks = 5): TrajectoryAnalysis {
    if (this.next === 0) throw new AnisoError('E_ARG', 'trajectory analysis: no frames were analysed');
    const all = this.series.summary(blocks);
    const summary: Record<string, SeriesSummary> = {};
    for (const k of SUMMARY_COLUMNS) summary[k] = all[k]!;
    const columns = {} as Record<OrderColumn, Float64Array>;
    for (const c of ORDER_COLUMNS) columns[c] = this.series.column(c);
    const lags = Math.min(this.acf.maxLag, this.next - 1) + 1;
    const p = this.pair;
    return {
      frames: this.next,
      index: this.series.column('index'),
      step: Float64Array.from(this.series.steps, (x) => x ?? Number.NaN),
      columns,
      summary,
      pair: p ? { r: p.binCenters, g: p.rdf, g1: p.g1, g2: p.g2, counts: p.pairCounts, meanVolume: p.meanVolume } : null,
      directorAcf: { lag: this.acf.lags.slice(0, lags), c: this.acf.values.slice(0, lags), origins: this.acf.originCounts.slice(0, lags) },
    };
  }
}
