// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `director`: the director n of each frame (unit eigenvector of the largest
 * eigenvalue of Q, its largest-magnitude component positive; `../nematic.ts`), as three columns.
 */
import type { z } from 'zod';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { AxisOnlySchema, column } from './common.js';

/** The registry kind. */
export const kind = 'director';

/** Options of the `director` analysis: the molecular axis. */
export const schema = AxisOnlySchema;

/** Parsed options of the `director` analysis. */
export type DirectorAnalysisOptions = z.output<typeof schema>;

/** A `director` analysis named `name`. */
export function create(options: DirectorAnalysisOptions, name: string = kind): FrameAnalysis {
  const { axis } = options;
  return {
    kind,
    name,
    columns: [column('director_x', '1', false), column('director_y', '1', false), column('director_z', '1', false)],
    analyse(ctx: FrameContext, row: Float64Array, o: number): null {
      const d = ctx.nematic(axis).director;
      row[o] = d[0]!;
      row[o + 1] = d[1]!;
      row[o + 2] = d[2]!;
      return null;
    },
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'the director (x, y, z) per frame', schema, create };
