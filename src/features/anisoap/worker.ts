// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread entry of the AniSOAP calculator: serves {@link AniSoapJob}s from a
 * {@link SyncWorkerPool}. Loaded from `dist/` (see `compiledWorkerUrl`).
 */
import { workerData } from 'node:worker_threads';
import { runAniSoapJob, threadFor, type AniSoapJob, type AniSoapWorkerInit } from './jobs.js';
import { serveSyncJobs } from '../../parallel/sync-worker-pool.js';

// Build the calculator's engine (plan, generated kernels) now, while the caller is still busy,
// rather than inside the first job.
const init = (workerData as { init?: AniSoapWorkerInit | null } | null)?.init;
if (init) threadFor(init.key, init.hypers, init.backend);

serveSyncJobs((job) => {
  const j = job as AniSoapJob;
  runAniSoapJob(threadFor(j.key, j.hypers, j.backend), j);
});
