// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `smectic`: smectic order along the director of each frame (τ and τ_pbc with their
 * spacings; definitions in `../smectic.ts`), and the "smectic order" panel of the order figure.
 * Without a spacing range (`dmin`, `dmax` null) nothing is computed and the columns are NaN, so
 * that the table keeps its shape when the particle length is unknown.
 */
import { z } from 'zod';
import { Smectic, SMECTIC_DEFAULTS } from '../smectic.js';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { BodyAxisSchema, column, orderPanelReport } from './common.js';

/** The registry kind. */
export const kind = 'smectic';

/** Options of the `smectic` analysis (lengths in the trajectory's unit). */
export const schema = z
  .strictObject({
    /** Body axis that is the molecular axis (the director is that of these axes). */
    axis: BodyAxisSchema,
    /** Smallest layer spacing of the scan, or null for none (columns NaN). */
    dmin: z.number().positive().nullable().default(null),
    /** Largest layer spacing of the scan, or null for none. */
    dmax: z.number().positive().nullable().default(null),
    /** Spacings on the grid. */
    nd: z.number().int().positive().default(SMECTIC_DEFAULTS.nd),
    /** Largest |Miller index| of the reciprocal vectors of τ_pbc. */
    maxIndex: z.number().int().positive().default(SMECTIC_DEFAULTS.maxIndex),
    /** Largest angle between G and ±n for τ_pbc (degrees). */
    maxAngleDeg: z.number().positive().max(90).default(SMECTIC_DEFAULTS.maxAngleDeg),
  })
  .refine((o) => (o.dmin === null) === (o.dmax === null), { message: 'dmin and dmax are both given or both null' });

/** Parsed options of the `smectic` analysis. */
export type SmecticAnalysisOptions = z.output<typeof schema>;

/** A `smectic` analysis named `name`. */
export function create(options: SmecticAnalysisOptions, name: string = kind): FrameAnalysis {
  const { axis, dmin, dmax } = options;
  const smectic = dmin !== null && dmax !== null ? new Smectic({ dmin, dmax, nd: options.nd, maxIndex: options.maxIndex, maxAngleDeg: options.maxAngleDeg }) : null;
  return {
    kind,
    name,
    columns: [column('smectic', '1', true), column('smectic_d', 'length', false), column('smectic_pbc', '1', true), column('smectic_pbc_d', 'length', false)],
    analyse(ctx: FrameContext, row: Float64Array, o: number): null {
      if (!smectic) {
        row.fill(Number.NaN, o, o + 4);
        return null;
      }
      const sm = smectic.compute(ctx.frame.positions, ctx.nematic(axis).director, ctx.frame.cell);
      row[o] = sm.order;
      row[o + 1] = sm.spacing;
      row[o + 2] = sm.orderPbc;
      row[o + 3] = sm.spacingPbc;
      return null;
    },
    report: (series) => orderPanelReport(series, 'smectic order', 'τ', [['τ (d scan)', 'smectic', false, 'smectic'], ['τ_pbc', 'smectic_pbc', true, 'smectic']]),
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'smectic order τ (d scan) and τ_pbc (reciprocal lattice) with their spacings per frame', schema, create };
