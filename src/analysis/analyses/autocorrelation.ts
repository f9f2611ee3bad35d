// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `autocorrelation`: the orientational autocorrelation C(τ) = ⟨P2(a(t0)·a(t0+τ))⟩
 * over the analysed frames (`../time-series.ts`), of the director (`mode: 'director'`, the default)
 * or of every particle's axis (`'particle'`), τ in analysed frames from 0 to min(maxLag, frames − 1).
 * Per frame the partial is the director (3 numbers) or the orientations (4N quaternions); the
 * accumulator keeps a window of maxLag + 1 frames. Reported as `autocorr.csv` and a panel of the
 * order figure.
 */
import { z } from 'zod';
import { OrientationalAutocorrelation } from '../time-series.js';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { BodyAxisSchema, ORDER_FIGURE } from './common.js';

/** The registry kind. */
export const kind = 'autocorrelation';

/** Options of the `autocorrelation` analysis. */
export const schema = z.strictObject({
  /** Largest lag (analysed frames). */
  maxLag: z.number().int().nonnegative().default(100),
  /** What is correlated: the director, or every particle's molecular axis. */
  mode: z.enum(['director', 'particle']).default('director'),
  /** Body axis that is the molecular axis. */
  axis: BodyAxisSchema,
});

/** Parsed options of the `autocorrelation` analysis. */
export type AutocorrelationAnalysisOptions = z.output<typeof schema>;

/** The accumulated autocorrelation. */
export interface AutocorrelationCurve {
  /** Lags 0 … min(maxLag, frames − 1). */
  lag: Int32Array;
  /** C(τ). */
  c: Float64Array;
  /** Time origins averaged per lag. */
  origins: Float64Array;
}

/** An `autocorrelation` analysis named `name`. */
export function create(options: AutocorrelationAnalysisOptions, name: string = kind): FrameAnalysis<Float64Array, AutocorrelationCurve> {
  const { maxLag, mode, axis } = options;
  return {
    kind,
    name,
    columns: [],
    analyse: (ctx: FrameContext) => (mode === 'director' ? ctx.nematic(axis).director : Float64Array.from(ctx.frame.orientations)),
    transferables: (p) => [p.buffer as ArrayBuffer],
    accumulator() {
      const acf = new OrientationalAutocorrelation({ maxLag, mode, axis });
      return {
        add: (p) => void acf.add(p, mode === 'director' ? 'vectors' : 'quaternions'),
        result: () => {
          const lags = Math.min(acf.maxLag, acf.frameCount - 1) + 1;
          return { lag: acf.lags.slice(0, lags), c: acf.values.slice(0, lags), origins: acf.originCounts.slice(0, lags) };
        },
      };
    },
    report(_series, a) {
      if (!a) return {};
      const title = mode === 'director' ? 'director autocorrelation' : 'orientational autocorrelation';
      const yLabel = mode === 'director' ? '⟨P2(n(0)·n(t))⟩' : '⟨P2(u_i(0)·u_i(t))⟩';
      return {
        tables: [{ name: 'autocorr', header: ['lag', 'C'], columns: [a.lag, a.c] }],
        panels: [{ ...ORDER_FIGURE, panel: { title, xLabel: 'lag (analysed frames)', yLabel, series: [{ name: 'C(t)', quantity: 'autocorrelation', x: Array.from(a.lag), y: a.c }] } }],
      };
    },
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'orientational autocorrelation of the director or of every particle axis', schema, create };
