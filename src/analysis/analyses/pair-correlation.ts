// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `pair`: the pair functions g(r), g1(r), g2(r) accumulated over the frames
 * (definitions and normalisation in `../pair-correlation.ts`): per frame the histograms of one
 * frame (a {@link PairPartial}), added in frame order; reported as `pair.csv`, the pair figure and
 * the `pair` entry of `summary.json`.
 */
import { z } from 'zod';
import { PairCorrelation, type PairPartial } from '../pair-correlation.js';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { BodyAxisSchema } from './common.js';

/** The registry kind. */
export const kind = 'pair';

/** Defaults of the `pair` options. */
export const PAIR_DEFAULTS = Object.freeze({ nbins: 100 });

/** Options of the `pair` analysis (lengths in the trajectory's unit). */
export const schema = z.strictObject({
  /** Largest distance (≤ half the smallest cell width of every frame). */
  rmax: z.number().positive(),
  /** Number of bins. */
  nbins: z.number().int().positive().default(PAIR_DEFAULTS.nbins),
  /** Body axis taken as the molecular axis (for g1, g2). */
  axis: BodyAxisSchema,
});

/** Parsed options of the `pair` analysis. */
export type PairAnalysisOptions = z.output<typeof schema>;

/** The accumulated pair functions. */
export interface PairCurves {
  /** Bin centres (nbins). */
  r: Float64Array;
  g: Float64Array;
  g1: Float64Array;
  g2: Float64Array;
  /** Pair counts per bin over all frames. */
  counts: Float64Array;
  /** Mean cell volume. */
  meanVolume: number;
}

const FIGURE = { figure: 'pair', figureTitle: 'Pair correlations' } as const;

/** A `pair` analysis named `name`. */
export function create(options: PairAnalysisOptions, name: string = kind): FrameAnalysis<PairPartial, PairCurves> {
  const { rmax, nbins, axis } = options;
  const pc = new PairCorrelation({ rmax, nbins, axis });
  return {
    kind,
    name,
    columns: [],
    analyse: (ctx: FrameContext) => pc.partial(ctx.frame),
    transferables: (p) => [p.counts, p.sumP1, p.sumP2].filter((a): a is Float64Array => a !== null).map((a) => a.buffer as ArrayBuffer),
    accumulator() {
      const acc = new PairCorrelation({ rmax, nbins, axis });
      return {
        add: (p) => void acc.accumulate(p),
        result: () => ({ r: acc.binCenters, g: acc.rdf, g1: acc.g1, g2: acc.g2, counts: acc.pairCounts, meanVolume: acc.meanVolume }),
      };
    },
    report(_series, p) {
      if (!p) return {};
      return {
        tables: [{ name: 'pair', header: ['r', 'g', 'g1', 'g2'], columns: [p.r, p.g, p.g1, p.g2] }],
        panels: [
          { ...FIGURE, panel: { title: 'radial distribution', xLabel: 'r', xUnit: 'length', yLabel: 'g(r)', series: [{ name: 'g', quantity: 'g', x: p.r, y: p.g }] } },
          { ...FIGURE, panel: { title: 'orientational', xLabel: 'r', xUnit: 'length', yLabel: 'g1(r), g2(r)', series: [{ name: 'g2 = ⟨P2(u_i·u_j)⟩', quantity: 'g2', x: p.r, y: p.g2 }, { name: 'g1 = ⟨u_i·u_j⟩', quantity: 'g1', x: p.r, y: p.g1, dashed: true }] } },
        ],
        summary: { mean_volume: p.meanVolume, normalisation: 'g = 2 n_pairs V / (N (N - 1) V_shell), exact shells, counts over all frames, mean volume' },
      };
    },
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'pair functions g(r), g1(r), g2(r) accumulated over the frames', schema, summaryKey: 'pair', create };
