// SPDX-License-Identifier: BSD-3-Clause
/**
 * Parallel trajectory analysis with bounded memory: frames are pushed one at a time (as a
 * streaming reader yields them), analysed on worker threads, and their results delivered **in
 * push order** to a callback — so the reduction, and every number derived from it, is the same
 * for any number of workers.
 *
 * Memory. At most `queue` frames are in flight (posted, being analysed, or analysed and waiting
 * for an earlier frame): {@link AnalysisPipeline.push} waits for room before it returns, which is
 * the back-pressure on the reader. Frames are copied to the workers (structured clone), so the
 * reader may reuse its buffers as soon as `push` returns; results carry the frame's row of values and
 * the analyses' partials (e.g. its pair histograms).
 *
 * With `workers: 0` frames are analysed on the calling thread inside `push` (no worker files
 * needed). Workers run the compiled entry `analysis-worker.js` under `dist/` (see
 * `compiledWorkerUrl`); each keeps its own analyzer and mapping.
 */
import { Worker } from 'node:worker_threads';
import type { FrameResult } from '../trajectory-analysis.js';
import type { Cell } from '../../core/cell.js';
import { AnisoError, type AnisoErrorCode } from '../../core/errors.js';
import { createAnalysisContext, runAnalysisJob, type AnalysisContext, type AnalysisInit, type AnalysisJob } from './analysis-jobs.js';
import { compiledWorkerUrl } from '../../parallel/sync-worker-pool.js';
import { loadAnalysisModules } from '../registry.js';

/** A frame as pushed (a trajectory frame fits). */
export interface PipelineFrame {
  /** Index of the frame in its file. */
  index: number;
  /** MD step, or null. */
  step: number | null;
  positions: Float64Array;
  cell: Cell;
  orientations: Float64Array | null;
  types?: Int32Array | null;
  /** `file:line`, for messages. */
  source?: string;
}

/** Options of {@link AnalysisPipeline.create}. */
export interface PipelineOptions {
  /** Worker threads (0: analyse on the calling thread). */
  workers: number;
  /** Most frames in flight (default `2 · workers + 2`, at least 1). */
  queue?: number;
  /** Receives every result, in push order. */
  onResult: (result: FrameResult) => void;
}

interface WorkerSlot {
  worker: Worker;
  busy: number;
}

type WorkerMessage = { ready: true } | { seq: number; result: FrameResult } | { seq: number; error: { code: AnisoErrorCode | null; message: string } };

/** See the module comment. Create with {@link AnalysisPipeline.create}; always {@link AnalysisPipeline.close} it. */
export class AnalysisPipeline {
  /** Worker threads (0: inline). */
  readonly workers: number;
  /** Most frames in flight. */
  readonly queue: number;
  private readonly slots: WorkerSlot[] = [];
  private readonly local: AnalysisContext | null;
  private readonly onResult: (r: FrameResult) => void;
  private readonly done = new Map<number, FrameResult | Error>();
  private pushed = 0;
  private delivered = 0;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  private closed = false;
  private peak = 0;

  private constructor(init: AnalysisInit, options: PipelineOptions) {
    const w = options.workers;
    if (!Number.isInteger(w) || w < 0 || w > 256) throw new AnisoError('E_ARG', `analysis: workers = ${w}; it must be an integer in 0..256`);
    this.workers = w;
    this.queue = Math.max(1, options.queue ?? 2 * w + 2);
    this.onResult = options.onResult;
    this.local = w === 0 ? createAnalysisContext(init) : null;
  }

  /**
   * A pipeline with `options.workers` threads started and ready (the analysis modules of `init`
   * loaded, the analyses and mapping checked), or the first error of any of them.
   */
  static async create(init: AnalysisInit, options: PipelineOptions): Promise<AnalysisPipeline> {
    await loadAnalysisModules(init.modules ?? []);
    const p = new AnalysisPipeline(init, options);
    if (p.workers > 0) {
      // Check the settings here first, so that a bad option fails with its own message.
      createAnalysisContext(init);
      const url = compiledWorkerUrl('analysis-worker.js', import.meta.url);
      const ready: Promise<void>[] = [];
      for (let k = 0; k < p.workers; k++) {
        const worker = new Worker(url, { workerData: init, execArgv: [] });
        const slot: WorkerSlot = { worker, busy: 0 };
        p.slots.push(slot);
        ready.push(
          new Promise<void>((resolve, reject) => {
            worker.once('error', reject);
            worker.once('message', () => {
              worker.off('error', reject);
              resolve();
            });
          }),
        );
        worker.on('error', (err) => p.fail(new AnisoError('E_ARG', `analysis worker ${k} failed: ${err.message}`)));
        worker.on('exit', (code) => {
          if (!p.closed) p.fail(new AnisoError('E_ARG', `analysis worker ${k} exited (code ${code})`));
        });
      }
      try {
        await Promise.all(ready);
      } catch (err) {
        await p.close();
        throw err instanceof AnisoError ? err : new AnisoError('E_ARG', `analysis worker did not start: ${(err as Error).message}`);
      }
      p.slots.forEach((slot) => slot.worker.on('message', (m: WorkerMessage) => p.receive(slot, m)));
    }
    return p;
  }

  /** Frames pushed so far. */
  get pushedCount(): number {
    return this.pushed;
  }

  /** Results delivered so far. */
  get deliveredCount(): number {
    return this.delivered;
  }

  /** Most frames that were in flight at once (≤ {@link AnalysisPipeline.queue}). */
  get peakInFlight(): number {
    return this.peak;
  }

  /**
   * Queue `frame` for analysis; resolves once it is queued (after waiting for room). Rejects
   * with the first error of any frame analysed so far.
   */
  async push(frame: PipelineFrame): Promise<void> {
    if (this.closed) throw new AnisoError('E_ARG', 'analysis pipeline is closed');
    this.check();
    const job: AnalysisJob = {
      seq: this.pushed,
      index: frame.index,
      step: frame.step,
      positions: frame.positions,
      h: frame.cell.h,
      pbc: frame.cell.pbc,
      orientations: frame.orientations,
      types: frame.types ?? null,
      source: frame.source ?? `frame ${frame.index}`,
    };
    if (this.local) {
      this.pushed++;
      const r = runAnalysisJob(this.local, job);
      this.delivered++;
      this.peak = 1;
      this.onResult(r);
      return;
    }
    while (this.pushed - this.delivered >= this.queue) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.check();
    }
    this.pushed++;
    this.peak = Math.max(this.peak, this.pushed - this.delivered);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.busy < slot.busy) slot = s;
    slot.busy++;
    slot.worker.postMessage(job);
  }

  /** Resolves when every pushed frame has been delivered; rejects with the first error. */
  async finish(): Promise<void> {
    while (this.delivered < this.pushed) {
      this.check();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.check();
  }

  /** Stop the workers (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.wake();
  }

  private receive(slot: WorkerSlot, m: WorkerMessage): void {
    if ('ready' in m) return;
    slot.busy--;
    // Errors take their frame's turn too, so that the error reported is that of the first failing
    // frame in order, whatever the timing of the workers.
    this.done.set(m.seq, 'error' in m ? new AnisoError(m.error.code ?? 'E_ARG', m.error.message) : m.result);
    try {
      for (let r = this.done.get(this.delivered); r !== undefined && this.failure === null; r = this.done.get(this.delivered)) {
        this.done.delete(this.delivered);
        if (r instanceof Error) {
          this.fail(r);
          break;
        }
        this.delivered++;
        this.onResult(r);
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
    this.wake();
  }

  private fail(err: Error): void {
    if (this.failure === null) this.failure = err;
    this.wake();
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed && this.delivered < this.pushed) throw new AnisoError('E_ARG', 'analysis pipeline was closed with frames in flight');
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
