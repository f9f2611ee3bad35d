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
  /**
   * Dynamic scheduling: when given, the threads of one computation share this counter and each
   * claims chunks of `chunk` indices of `range` (`Atomics.add`) until none is left, so that a
   * thread slowed down (cold code, other processes) takes fewer. Every index is still done by
   * exactly one thread, so results do not depend on who did what.
   */
  cursor?: Int32Array;
  /** Chunk size of the dynamic scheduling (indices). */
  chunk?: number;
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

/** Run `job` on this thread's `thread` (its whole range, or the chunks it claims). */
export function runAniSoapJob(thread: AniSoapThread, job: AniSoapJob): void {
  const [start, end] = job.range;
  if (job.cursor === undefined) {
    runRange(thread, job, start, end);
    return;
  }
  const chunk = Math.max(1, job.chunk ?? 1);
  for (;;) {
    const a = start + Atomics.add(job.cursor, 0, chunk);
    if (a >= end) return;
    runRange(thread, job, a, Math.min(end, a + chunk));
  }
}

function runRange(thread: AniSoapThread, job: AniSoapJob, a: number, b: number): void {
  if (b <= a) return;
  const { engine } = thread, buf = job.buffers;
  if (job.op === 'prepare') engine.prepareParticles(buf, a, b);
  else if (job.op === 'backward') engine.backwardCentres(buf, a, b);
  else {
    engine.expandCentres(buf, a, b);
    if (job.op === 'features') thread.powerSpectrum.forward(buf.coef, buf.types, buf.features, a, b);
  }
}

export { anisoapWorkerUrl } from './worker-url.js';
