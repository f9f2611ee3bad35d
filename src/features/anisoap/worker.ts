// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread entry of the AniSOAP calculator: serves {@link AniSoapJob}s from a
 * {@link SyncWorkerPool}. Loaded from `dist/` (see `compiledWorkerUrl`).
 */
import { engineFor, runAniSoapJob, type AniSoapJob } from './jobs.js';
import { serveSyncJobs } from '../../parallel/sync-worker-pool.js';

serveSyncJobs((job) => {
  const j = job as AniSoapJob;
  runAniSoapJob(engineFor(j.key, j.hypers), j);
});
