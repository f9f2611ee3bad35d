// SPDX-License-Identifier: BSD-3-Clause
/**
 * Registry entry `nematic`: the nematic order of each frame (S2, S2_mid, biaxiality, β2, P4;
 * definitions in `../nematic.ts`), and the "nematic order" panel of the order figure.
 */
import { z } from 'zod';
import type { AnalysisEntry, FrameAnalysis, FrameContext } from '../frame-analysis.js';
import { BodyAxisSchema, column, ORDER_FIGURE } from './common.js';

/** The registry kind. */
export const kind = 'nematic';

/** Options of the `nematic` analysis. */
export const schema = z.strictObject({
  /** Body axis that is the molecular axis. */
  axis: BodyAxisSchema,
});

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
    report(series) {
      const { x, xLabel } = series;
      return {
        panels: [{
          ...ORDER_FIGURE,
          panel: { title: 'nematic order', xLabel, yLabel: 'order parameter', series: [{ name: 'S2', x, y: series.column('S2') }, { name: 'S2_mid', x, y: series.column('S2_mid'), dashed: true }, { name: 'P4', x, y: series.column('P4') }] },
        }],
      };
    },
  };
}

/** The registry entry. */
export const entry: AnalysisEntry<typeof schema> = { kind, description: 'nematic order S2, S2_mid, biaxiality, β2, P4 per frame', schema, create };
