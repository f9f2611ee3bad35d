// SPDX-License-Identifier: BSD-3-Clause
/**
 * The standard liquid-crystal set of `anisodrive analyze`, as registry specs: nematic order,
 * smectic order, the director, the pair functions (when asked for) and the director
 * autocorrelation — the columns of `order.csv` and the files `pair.csv`, `autocorr.csv`.
 */
import type { BodyAxis } from './axes.js';
import type { AnalysisSpec } from './frame-analysis.js';

/** The standard set's settings (the `analyze` flags). */
export interface FrameAnalysisSettings {
  /** Body axis that is the molecular axis (default 'z'). */
  axis?: BodyAxis;
  /** Pair functions, or null for none. */
  pair?: { rmax: number; nbins: number } | null;
  /** Smectic order, or null for none (its columns are then NaN). */
  smectic?: { dmin: number; dmax: number; nd?: number; maxIndex?: number; maxAngleDeg?: number } | null;
}

/** The per-frame columns of the standard set, in the order of `order.csv`. */
export const ORDER_COLUMNS = [
  'S2', 'S2_mid', 'biaxiality', 'beta2', 'P4', 'smectic', 'smectic_d', 'smectic_pbc', 'smectic_pbc_d',
  'director_x', 'director_y', 'director_z',
] as const;

/** A column of {@link ORDER_COLUMNS}. */
export type OrderColumn = (typeof ORDER_COLUMNS)[number];

/** Columns of {@link ORDER_COLUMNS} whose time averages are reported. */
export const SUMMARY_COLUMNS = ['S2', 'S2_mid', 'biaxiality', 'beta2', 'P4', 'smectic', 'smectic_pbc'] as const;

/**
 * The specs of the standard set for `settings`; the director autocorrelation goes to lag `maxLag`
 * (analysed frames, default: the schema's).
 */
export function standardAnalyses(settings: FrameAnalysisSettings = {}, maxLag?: number): AnalysisSpec[] {
  const axis = settings.axis ?? 'z';
  const sm = settings.smectic ?? null;
  const specs: AnalysisSpec[] = [
    { kind: 'nematic', options: { axis } },
    { kind: 'smectic', options: sm ? { axis, ...sm } : { axis } },
    { kind: 'director', options: { axis } },
  ];
  if (settings.pair) specs.push({ kind: 'pair', options: { rmax: settings.pair.rmax, nbins: settings.pair.nbins, axis } });
  specs.push({ kind: 'autocorrelation', options: { mode: 'director', axis, ...(maxLag !== undefined ? { maxLag } : {}) } });
  return specs;
}
