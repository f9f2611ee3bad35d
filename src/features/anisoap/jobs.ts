// SPDX-License-Identifier: BSD-3-Clause
/**
 * The jobs the AniSOAP calculator hands to threads, and their execution on one thread's
 * {@link AniSoapEngine} and power-spectrum contraction. Shared by the main thread and the worker
 * entry (`worker.ts`).
 */
import { AniSoapPlan } from './plan.js';
import type { ResolvedAniSoapHypers } from './hypers.js';
import { AniSoapEngine, type AniSoapBuffers } from './engine.js';
import { aniSoapDensityMetadata } from './density-layout.js';
import { PowerSpectrum } from '../contractions/power-spectrum.js';
import { compiledWorkerUrl } from '../../parallel/sync-worker-pool.js';
import { CPU_F64 } from '../../kernels/backend.js';

/**
 * What a thread does with its range: `'prepare'` particles; `'expand'` the ν = 1 coefficients of
 * centres; `'features'` the coefficients and their power spectrum; `'backward'` the pair gradients
 * of centres for `buffers.adjoint`.
 */
export type AniSoapOp = 'prepare' | 'expand' | 'features' | 'backward';

/** One thread's share of a computation. */
export interface AniSoapJob {
  /** See {@link AniSoapOp}. */
  op: AniSoapOp;
  /** The calculator's resolved hypers (the engine is rebuilt from them once per thread). */
  hypers: ResolvedAniSoapHypers;
  /** `JSON.stringify(hypers)`, the per-thread engine cache key (with `backend`). */
  key: string;
  /** Kernel backend name (`kernels/backend.ts`). */
  backend: string;
  /** Shared arrays. */
  buffers: AniSoapBuffers;
  /** Half-open index range `[start, end)`. */
  range: [number, number];
}

/** What each worker of a calculator's pool receives at start: it builds that engine before serving jobs. */
export interface AniSoapWorkerInit {
  /** As {@link AniSoapJob.key}. */
  key: string;
  /** As {@link AniSoapJob.hypers}. */
  hypers: ResolvedAniSoapHypers;
  /** As {@link AniSoapJob.backend}. */
  backend: string;
}

/** What one thread keeps per hyper-parameter set. */
export interface AniSoapThread {
  /** Pair loops and their scratch. */
  readonly engine: AniSoapEngine;
  /** The features' contraction of the engine's coefficients. */
  readonly powerSpectrum: PowerSpectrum;
}

const threads = new Map<string, AniSoapThread>();

/**
 * The engine and contraction of `hypers` on this thread, with kernels from `backend` (built once
 * per thread, hyper-parameter set and backend).
 */
export function threadFor(key: string, hypers: ResolvedAniSoapHypers, backend: string = CPU_F64): AniSoapThread {
  const k = `${backend}|${key}`;
  let t = threads.get(k);
  if (!t) {
    const engine = new AniSoapEngine(new AniSoapPlan(hypers), backend);
    t = { engine, powerSpectrum: new PowerSpectrum(aniSoapDensityMetadata(engine.plan)) };
    threads.set(k, t);
  }
  return t;
}

/** Run `job` on this thread's `thread`. */
export function runAniSoapJob(thread: AniSoapThread, job: AniSoapJob): void {
  const [a, b] = job.range;
  if (b <= a) return;
  const { engine } = thread, buf = job.buffers;
  if (job.op === 'prepare') engine.prepareParticles(buf, a, b);
  else if (job.op === 'backward') engine.backwardCentres(buf, a, b);
  else {
    engine.expandCentres(buf, a, b);
    if (job.op === 'features') thread.powerSpectrum.forward(buf.coef, buf.types, buf.features, a, b);
  }
}

/** URL of the compiled worker entry (`dist/src/features/anisoap/worker.js`). */
export function anisoapWorkerUrl(): URL {
  return compiledWorkerUrl('worker.js', import.meta.url);
}
