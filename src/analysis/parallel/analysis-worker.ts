// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread entry of the parallel trajectory analysis: analyses the `AnalysisJob`s that
 * an `AnalysisPipeline` (analysis-pool.ts) posts, one at a time, and posts each result (or the error) back.
 * Loaded from `dist/` (see `compiledWorkerUrl`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AnisoError } from '../../core/errors.js';
import { loadAnalysisModules } from '../registry.js';
import { createAnalysisContext, runAnalysisJob, type AnalysisInit, type AnalysisJob } from './analysis-jobs.js';

const port = parentPort;
if (!port) throw new AnisoError('E_ARG', 'analysis-worker must run in a worker thread');
const init = workerData as AnalysisInit;
await loadAnalysisModules(init.modules ?? []);
const ctx = createAnalysisContext(init);
port.on('message', (job: AnalysisJob) => {
  try {
    const result = runAnalysisJob(ctx, job);
    port.postMessage({ seq: job.seq, result }, ctx.analyzer.transferables(result));
  } catch (e) {
    const code = e instanceof AnisoError ? e.code : null;
    const message = e instanceof AnisoError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    port.postMessage({ seq: job.seq, error: { code, message } });
  }
});
port.postMessage({ ready: true });
