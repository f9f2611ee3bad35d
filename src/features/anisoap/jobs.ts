// SPDX-License-Identifier: BSD-3-Clause
/**
 * The jobs the AniSOAP calculator hands to threads, and their execution on one thread's
 * {@link AniSoapEngine}. Shared by the main thread and the worker entry (`anisoap-worker.ts`).
 */
import { AniSoapPlan } from './plan.js';
import type { ResolvedAniSoapHypers } from './hypers.js';
import { AniSoapEngine, type AniSoapBuffers } from './engine.js';
import { compiledWorkerUrl } from '../../parallel/sync-worker-pool.js';

/** What a thread does with its range. */
export type AniSoapOp = 'prepare' | 'expand' | 'forces';

/** One thread's share of a computation. */
export interface AniSoapJob {
  /** `'prepare'`: particles `range`; `'expand'`: pass 1 for centres `range`; `'forces'`: pass 1 and 2. */
  op: AniSoapOp;
  /** The calculator's resolved hypers (the engine is rebuilt from them once per thread). */
  hypers: ResolvedAniSoapHypers;
  /** `JSON.stringify(hypers)`, the per-thread engine cache key. */
  key: string;
  /** Shared arrays. */
  buffers: AniSoapBuffers;
  /** Half-open index range `[start, end)`. */
  range: [number, number];
}

const engines = new Map<string, AniSoapEngine>();

/** The engine of `hypers` on this thread (built once per thread and hyper-parameter set). */
export function engineFor(key: string, hypers: ResolvedAniSoapHypers): AniSoapEngine {
  let e = engines.get(key);
  if (!e) {
    e = new AniSoapEngine(new AniSoapPlan(hypers));
    engines.set(key, e);
  }
  return e;
}

/** Run `job` on `engine`. */
export function runAniSoapJob(engine: AniSoapEngine, job: AniSoapJob): void {
  const [a, b] = job.range;
  if (b <= a) return;
  if (job.op === 'prepare') engine.prepareParticles(job.buffers, a, b);
  else if (job.op === 'expand') engine.expandCentres(job.buffers, a, b);
  else {
    engine.expandCentres(job.buffers, a, b);
    engine.gradientCentres(job.buffers, a, b);
  }
}

/** URL of the compiled worker entry (`dist/src/features/anisoap/worker.js`). */
export function anisoapWorkerUrl(): URL {
  return compiledWorkerUrl('worker.js', import.meta.url);
}
