// SPDX-License-Identifier: BSD-3-Clause
/** Small pieces shared by the registry entries of the analyses. */
import { z } from 'zod';
import type { AnalysisColumn } from '../frame-analysis.js';

/** A body axis option (default `'z'`: Gay–Berne ellipsoids and the dumbbell mapping). */
export const BodyAxisSchema = z.enum(['x', 'y', 'z']).default('z');

/** The figure of per-frame order parameters (`order.svg`, `order.png`). */
export const ORDER_FIGURE = { figure: 'order', figureTitle: 'Order parameters' } as const;

/** An {@link AnalysisColumn}. */
export function column(name: string, unit: string, summary: boolean): AnalysisColumn {
  return { name, unit, summary };
}
