// SPDX-License-Identifier: BSD-3-Clause
/** Analyses of configurations and trajectories: compute, then read the results (freud style). */
export { bodyAxisIndex, molecularAxes } from './axes.js';
export type { BodyAxis, OrientationInput } from './axes.js';
export { Nematic, summarizeSeries } from './nematic.js';
export type { NematicOptions, SeriesSummary } from './nematic.js';
export { Smectic } from './smectic.js';
export type { SmecticOptions } from './smectic.js';
export { PairCorrelation } from './pair-correlation.js';
export type { PairCorrelationOptions, PairFrame, PairPartial } from './pair-correlation.js';
export { blockMeans, OrientationalAutocorrelation, TimeSeries } from './time-series.js';
export type { AutocorrelationOptions } from './time-series.js';
export { AnalysisSet, FrameAnalyzer, ORDER_COLUMNS, SUMMARY_COLUMNS, standardAnalyses, TrajectoryReducer } from './trajectory-analysis.js';
export type { AnalysisFrame, FrameAnalysisSettings, FrameResult, OrderColumn, TrajectoryAnalysis } from './trajectory-analysis.js';
export { FrameContext } from './frame-analysis.js';
export type {
  AnalysisColumn,
  AnalysisEntry,
  AnalysisPanel,
  AnalysisReport,
  AnalysisSeries,
  AnalysisSpec,
  AnalysisTable,
  FrameAccumulator,
  FrameAnalysis,
  SeriesView,
} from './frame-analysis.js';
export { analysisEntries, analysisEntry, BUILT_IN_ANALYSES, createAnalysis, loadAnalysisModules, registerAnalysis } from './registry.js';
export { SMECTIC_DEFAULTS } from './smectic.js';
export type { AutocorrelationCurve } from './analyses/autocorrelation.js';
export type { PairCurves } from './analyses/pair-correlation.js';
