// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread entry of the AniSOAP calculator: serves {@link AniSoapJob}s from a
 * {@link SyncWorkerPool}. Loaded from `dist/` (see `compiledWorkerUrl`).
 */
import { runAniSoapJob, threadFor, type AniSoapJob } from './jobs.js';
import { serveSyncJobs } from '../../parallel/sync-worker-pool.js';

serveSyncJobs((job) => {
  const j = job as AniSoapJob;
  runAniSoapJob(threadFor(j.key, j.hypers, j.backend), j);
});
