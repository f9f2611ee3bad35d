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

/** The reduced results of a trajectory. */
export interface TrajectoryAnalysis {
  /** Per-frame rows (frame index in the file, step, values), in order. */
  rows: { index: number; step: number | null; values: FrameResult['values'] }[];
  /** Time-series summary of {@link SUMMARY_COLUMNS}. */
  summary: Record<string, SeriesSummary>;
  /** Pair functions (bin centres, g, g1, g2, pair counts), or null. */
  pair: { r: Float64Array; g: Float64Array; g1: Float64Array; g2: Float64Array; counts: Float64Array; meanVolume: number } | null;
  /** Director autocorrelation C(τ) = ⟨P2(n(t0)·n(t0+τ))⟩ over the analysed frames, τ in analysed frames. */
  directorAcf: { lag: Int32Array; c: Float64Array; origins: Float64Array };
}

/**
 * In-order reduction of {@link FrameResult}s (see the module comment). Results must arrive with
 * `seq` = 0, 1, 2, …; anything else is a programming error and throws.
 */
export class TrajectoryReducer {
  private readonly series = new TimeSeries([...ORDER_COLUMNS]);
  private readonly rows: TrajectoryAnalysis['rows'] = [];
  private readonly pair: PairCorrelation | null;
  private readonly directors: number[] = [];
  private next = 0;

  /** `pair` as given to the {@link FrameAnalyzer}s (null for none). */
  constructor(pair: { rmax: number; nbins: number } | null = null, private readonly maxLag = 100) {
    this.pair = pair ? new PairCorrelation(pair) : null;
  }

  /** Number of frames reduced. */
  get frameCount(): number {
    return this.next;
  }

  /** Add the next frame's result. */
  add(r: FrameResult): void {
    if (r.seq !== this.next) throw new AnisoError('E_ARG', `trajectory reducer: got frame seq ${r.seq}, expected ${this.next}`);
    this.next++;
    this.series.add(r.values, r.step);
    this.rows.push({ index: r.index, step: r.step, values: r.values });
    this.directors.push(r.values.director_x, r.values.director_y, r.values.director_z);
    if (this.pair) {
      if (!r.pair) throw new AnisoError('E_ARG', `trajectory reducer: frame ${r.index} has no pair data`);
      this.pair.accumulate(r.pair);
    }
  }

  /**
   * The results (summary with `blocks` blocks, default 5). The director autocorrelation goes up
   * to `min(maxLag, frames − 1)`.
   * @throws AnisoError `E_ARG` before the first frame
   */
  result(blocks = 5): TrajectoryAnalysis {
    if (this.next === 0) throw new AnisoError('E_ARG', 'trajectory analysis: no frames were analysed');
    const all = this.series.summary(blocks);
    const summary: Record<string, SeriesSummary> = {};
    for (const k of SUMMARY_COLUMNS) summary[k] = all[k]!;
    const acf = new OrientationalAutocorrelation({ maxLag: Math.min(this.maxLag, this.next - 1), mode: 'director' });
    for (let f = 0; f < this.next; f++) acf.add(this.directors.slice(3 * f, 3 * f + 3), 'vectors');
    const p = this.pair;
    return {
      rows: this.rows,
      summary,
      pair: p ? { r: p.binCenters, g: p.rdf, g1: p.g1, g2: p.g2, counts: p.pairCounts, meanVolume: p.meanVolume } : null,
      directorAcf: { lag: acf.lags, c: acf.values, origins: acf.originCounts },
    };
  }
}
