// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `nematic`: the nematic order of each frame (S2, S2_mid, biaxiality, β2, P4;
 * definitions in `../nematic.ts`), and the "nematic order" panel of the order figure.
 */
import type { z } from 'zod';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { AxisOnlySchema, column, orderPanelReport } from './common.js';

/** The registry kind. */
export const kind = 'nematic';

/** Options of the `nematic` analysis: the molecular axis. */
export const schema = AxisOnlySchema;

/** Parsed options of the `nematic` analysis. */
export type NematicAnalysisOptions = z.output<typeof schema>;

/** A `nematic` analysis named `name`. */
export function create(options: NematicAnalysisOptions, name: string = kind): FrameAnalysis {
  const { axis } = options;
  return {
    kind,
    name,
    columns: [column('S2', '1', true), column('S2_mid', '1', true), column('biaxiality', '1', true), column('beta2', '1', true), column('P4', '1', true)],
    analyse(ctx: FrameContext, row: Float64Array, o: number): null {
      const nem = ctx.nematic(axis);
      row[o] = nem.order;
      row[o + 1] = nem.middleEstimator;
      row[o + 2] = nem.biaxiality;
      row[o + 3] = nem.beta2;
      row[o + 4] = nem.p4;
      return null;
    },
    report: (series) => orderPanelReport(series, 'nematic order', 'order parameter', [['S2', 'S2', false, 'S2'], ['S2_mid', 'S2_mid', true, 'S2'], ['P4', 'P4', false, 'P4']]),
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'nematic order S2, S2_mid, biaxiality, β2, P4 per frame', schema, create };
