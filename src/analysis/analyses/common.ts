// SPDX-License-Identifier: BSD-3-Clause
/** Small pieces shared by the registry entries of the analyses. */
import { z } from 'zod';
import type { AnalysisColumn, AnalysisReport, SeriesView } from '../frame-analysis.js';

/** A body axis option (default `'z'`: Gay–Berne ellipsoids and the dumbbell mapping). */
export const BodyAxisSchema = z.enum(['x', 'y', 'z']).default('z');

/** Options of an analysis that takes only the molecular axis. */
export const AxisOnlySchema = z.strictObject({
  /** Body axis that is the molecular axis. */
  axis: BodyAxisSchema,
});

/** The figure of per-frame order parameters (`order.svg`, `order.png`). */
export const ORDER_FIGURE = { figure: 'order', figureTitle: 'Order parameters' } as const;

/**
 * A report of one panel of the order figure: per-frame columns against the series' abscissa,
 * each curve `[legend, column, dashed, quantity]` (the quantity sets the curve's colour).
 */
export function orderPanelReport(series: SeriesView, title: string, yLabel: string, curves: readonly (readonly [string, string, boolean, string])[]): AnalysisReport {
  const { x, xLabel } = series;
  const lines = curves.map(([name, col, dashed, quantity]) => (dashed ? { name, quantity, x, y: series.column(col), dashed } : { name, quantity, x, y: series.column(col) }));
  return { panels: [{ ...ORDER_FIGURE, panel: { title, xLabel, yLabel, series: lines } }] };
}

/** An {@link AnalysisColumn}. */
export function column(name: string, unit: string, summary: boolean): AnalysisColumn {
  return { name, unit, summary };
}
