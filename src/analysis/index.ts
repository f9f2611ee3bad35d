// SPDX-License-Identifier: BSD-3-Clause
/** Analyses of configurations and trajectories: compute, then read the results (freud style). */
export { Nematic, summarizeSeries } from './nematic.js';
export type { BodyAxis, NematicOptions, OrientationInput, SeriesSummary } from './nematic.js';
