// SPDX-License-Identifier: BSD-3-Clause
/**
 * The unit of work of the parallel trajectory analysis: one frame in ({@link AnalysisJob}), its
 * {@link FrameResult} out. Shared by the worker entry (`analysis-worker.ts`) and the calling
 * thread (no workers), so that both compute every frame with the same code.
 */
import type { AnalysisSpec } from '../frame-analysis.js';
import { FrameAnalyzer, type FrameAnalysisSettings, type FrameResult } from '../trajectory-analysis.js';
import { Cell, type Pbc } from '../../core/cell.js';
import { AnisoError } from '../../core/errors.js';
import { REAL_UNITS } from '../../mapping/mapping-entry.js';
import { mappingFromParams, type MappingParams } from '../../mapping/registry.js';
import type { SiteMapping } from '../../mapping/site-mapping.js';

/** What every analysis worker is started with (structured-cloneable). */
export interface AnalysisInit {
  /** The analyses to compose (registry specs), in order; or give `settings`. */
  analyses?: AnalysisSpec[];
  /** The standard set's settings (used when `analyses` is absent). */
  settings?: FrameAnalysisSettings;
  /**
   * URLs of ES modules that export `entry` (an `AnalysisEntry`), registered in every thread
   * before the analyses are created (analyses that are not built in).
   */
  modules?: string[];
  /** Sites → ellipsoids before the analysis (site trajectories from i-PI, ASE, the embedded engine), or null. */
  mapping: MappingParams | null;
}

/** One frame to analyse (structured-cloneable). */
export interface AnalysisJob {
  /** Position in the analysed sequence (the reduction order). */
  seq: number;
  /** Index of the frame in the file. */
  index: number;
  /** MD step, or null. */
  step: number | null;
  /** Positions, 3n. */
  positions: Float64Array;
  /** Cell rows (9) and periodicity. */
  h: Float64Array;
  pbc: Pbc;
  /** Orientations 4n, or null (then a mapping must make them). */
  orientations: Float64Array | null;
  /** Types per site, or null. */
  types: Int32Array | null;
  /** `file:line` of the frame, for messages. */
  source: string;
}

/** The analysis state of one thread. */
export interface AnalysisContext {
  analyzer: FrameAnalyzer;
  mapping: SiteMapping | null;
}

/**
 * A thread's analyzer and mapping from its {@link AnalysisInit} (its `modules` already loaded
 * with `loadAnalysisModules`).
 */
export function createAnalysisContext(init: AnalysisInit): AnalysisContext {
  return { analyzer: new FrameAnalyzer(init.analyses ?? init.settings ?? {}), mapping: init.mapping ? mappingFromParams(init.mapping, { scales: REAL_UNITS }) : null };
}

/**
 * Analyse one frame: map sites to ellipsoids first when the context has a mapping.
 * @throws AnisoError from the mapping or the analyses, its message prefixed with the frame's source
 */
export function runAnalysisJob(ctx: AnalysisContext, job: AnalysisJob): FrameResult {
  try {
    const cell = Cell.fromRows(job.h, job.pbc);
    let positions = job.positions, orientations = job.orientations;
    if (ctx.mapping) {
      const n = job.positions.length / 3;
      const ell = ctx.mapping.forward({ n, positions, cell, ...(job.types ? { types: job.types } : {}) });
      positions = ell.positions;
      orientations = ell.orientations ?? null;
      if (!orientations) throw new AnisoError('E_MAPPING', `the '${ctx.mapping.kind}' mapping gives no orientations`);
    }
    if (!orientations) {
      throw new AnisoError('E_ARG', 'the frame has no orientations (quaternions); for a site trajectory pass a mapping (--mapping FILE)');
    }
    return ctx.analyzer.analyze({ positions, cell, orientations }, job.seq, job.index, job.step);
  } catch (err) {
    if (err instanceof AnisoError) throw new AnisoError(err.code, `${job.source}: ${err.message}`, { cause: err });
    throw err;
  }
}
