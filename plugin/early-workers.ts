// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker threads started before the command line loads its modules. Imported first by `main.ts`,
 * so that it runs before commander, zod and the command's own modules are evaluated: for
 * `featurize`, which uses every core on large inputs by default, the AniSOAP workers (one per
 * further core) start here and load their modules on the other cores while this thread is still
 * loading its own; the calculator adopts them (`prestartSyncWorkers`). Nothing is started with
 * `--threads 1`, on a single core, or for any other command. Unused workers are `unref()`ed and
 * never keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { prestartSyncWorkers } from '../src/parallel/sync-worker-pool.js';
import { anisoapWorkerUrl } from '../src/features/anisoap/worker-url.js';

/** The `--threads` value in `args` (either `--threads N` or `--threads=N`), or null. */
function threadsFlag(args: readonly string[]): string | null {
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--threads') return args[k + 1] ?? null;
    if (a.startsWith('--threads=')) return a.slice('--threads='.length);
  }
  return null;
}

/** Workers to start ahead for the command line `args` (without `node` and the script). */
export function earlyWorkerCount(args: readonly string[], cores: number): number {
  if (args[0] !== 'featurize' || cores < 2) return 0;
  const t = threadsFlag(args);
  if (t === null) return cores - 1;
  const n = Number(t);
  return Number.isInteger(n) && n > 1 ? Math.min(n, cores) - 1 : 0;
}

const count = earlyWorkerCount(process.argv.slice(2), availableParallelism());
if (count > 0) {
  try {
    prestartSyncWorkers(anisoapWorkerUrl(), count);
  } catch {
    // No compiled worker entry: the calculator reports it when it needs one.
  }
}
