// SPDX-License-Identifier: BSD-3-Clause
/**
 * Where the AniSOAP worker entry is, in a module of its own so that a command line can start
 * workers ahead (`prestartSyncWorkers`) before it loads the calculator's modules.
 */
import { compiledWorkerUrl } from '../../parallel/sync-worker-pool.js';

/** URL of the compiled worker entry (`dist/src/features/anisoap/worker.js`). */
export function anisoapWorkerUrl(): URL {
  return compiledWorkerUrl('worker.js', import.meta.url);
}
