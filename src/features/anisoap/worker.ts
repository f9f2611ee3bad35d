// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread entry of the AniSOAP calculator: serves {@link AniSoapJob}s from a
 * {@link SyncWorkerPool}. Loaded from `dist/` (see `compiledWorkerUrl`).
 */
import { runAniSoapJob, threadFor, type AniSoapJob, type AniSoapWorkerInit } from './jobs.js';
import { serveSyncJobs } from '../../parallel/sync-worker-pool.js';

serveSyncJobs(
  (job) => {
    const j = job as AniSoapJob;
    runAniSoapJob(threadFor(j.key, j.hypers, j.backend), j);
  },
  // Build the calculator's engine (plan, kernels) as soon as the pool's init is known, while the
  // caller is still busy, rather than inside the first job.
  (init) => {
    const i = init as AniSoapWorkerInit | null;
    if (i) {
      threadFor(i.key, i.hypers, i.backend).engine.prepareKernels();
    }
  },
);
