// SPDX-License-Identifier: BSD-3-Clause
/**
 * A pool of worker threads driven **synchronously** from the calling thread, so that synchronous
 * APIs (`FeatureCalculator.values`, `ForceProvider.compute`) can use several cores.
 *
 * Protocol. Each worker gets a `MessagePort` and a slot in a shared `Int32Array` control block
 * (`[posted, done, status, spare]` per worker). {@link SyncWorkerPool.run} posts one job message
 * per worker, runs the caller's own share on the calling thread, then blocks in `Atomics.wait`
 * until every worker has stored the job's sequence number in `done`. Workers handle messages on
 * their own event loop (which runs while the caller is blocked), so no event-loop turn of the
 * caller is needed; a worker's error is posted on its port **before** `done` is stored and read
 * back with `receiveMessageOnPort`. Data move through SharedArrayBuffers referenced by the jobs.
 *
 * Lifetime. Workers are created once, in the constructor, and reused for every job; they are
 * `unref()`ed so that a forgotten pool never keeps a process alive, and {@link SyncWorkerPool.close}
 * terminates them explicitly. A program that knows early that it will want a pool (a command line
 * before loading its command's modules) can start workers ahead with {@link prestartSyncWorkers};
 * the next pool for the same worker file adopts them and sends them its `init` as a first message,
 * so that their thread start and module loading overlap the caller's own start-up.
 *
 * Worker files: compiled JavaScript under `dist/`. {@link compiledWorkerUrl} resolves a worker
 * entry next to the calling module, or — when the caller runs from TypeScript sources (vitest) —
 * the compiled file at the mirrored path under `dist/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { AnisoError } from '../core/errors.js';

/** Control block of one worker: `[posted, done, status, ready]`. */
const CTRL_LENGTH = 4;
const POSTED = 0, DONE = 1, STATUS = 2, READY = 3;

/** Data every pool worker receives as `workerData`. */
interface PoolWorkerData {
  ctrl: Int32Array;
  port: MessagePort;
  /** The pool's init, or null for a prestarted worker (its init comes as the first message). */
  init: unknown;
  prestarted: boolean;
}

/** A started worker with its control block and the caller's end of its port. */
interface StartedWorker {
  worker: Worker;
  port: MessagePort;
  ctrl: Int32Array;
}

function startWorker(url: URL, init: unknown, prestarted: boolean): StartedWorker {
  const { port1, port2 } = new MessageChannel();
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_LENGTH));
  const data: PoolWorkerData = { ctrl, port: port2, init, prestarted };
  // execArgv: [] — the parent's flags (e.g. `--input-type` of `node -e`) can keep a worker
  // file from loading; the compiled worker entries need none.
  const worker = new Worker(url, { workerData: data, transferList: [port2], execArgv: [] });
  worker.unref();
  // Errors surface through the job protocol; an 'error' listener keeps an unhandled worker
  // error from crashing the host process after the job has already failed.
  worker.on('error', () => undefined);
  return { worker, port: port1, ctrl };
}

/** Workers started ahead, by worker-file URL, waiting for a pool. */
const prestarted = new Map<string, StartedWorker[]>();

/**
 * Start `count` workers running the module at `url` now, to be adopted by the next
 * {@link SyncWorkerPool}s for that file (module doc). Workers never adopted stay idle and
 * `unref()`ed, so they never keep the process alive.
 */
export function prestartSyncWorkers(url: URL, count: number): void {
  let list = prestarted.get(url.href);
  if (!list) {
    list = [];
    prestarted.set(url.href, list);
  }
  for (let k = 0; k < count; k++) list.push(startWorker(url, null, true));
}

/** Number of prestarted workers of `url` not yet adopted by a pool. */
export function prestartedSyncWorkers(url: URL): number {
  return prestarted.get(url.href)?.length ?? 0;
}

/**
 * The URL of the compiled worker entry `fileName` (e.g. `'anisoap-worker.js'`) for a module at
 * `moduleUrl` (pass `import.meta.url`): the file next to it when it exists (running from `dist/`),
 * else the mirrored path under `<root>/dist/` when the module is a TypeScript source under
 * `<root>/src/`. Throws `E_IO` naming both places when neither exists (run the build first).
 */
export function compiledWorkerUrl(fileName: string, moduleUrl: string): URL {
  const here = new URL(fileName, moduleUrl);
  const herePath = fileURLToPath(here);
  if (existsSync(herePath)) return here;
  const modulePath = fileURLToPath(moduleUrl);
  const marker = `${sep}src${sep}`;
  const idx = modulePath.lastIndexOf(marker);
  let candidate = '';
  if (idx >= 0) {
    const root = modulePath.slice(0, idx);
    const rel = dirname(modulePath.slice(idx + 1));
    candidate = join(root, 'dist', rel, fileName);
    if (existsSync(candidate)) return pathToFileURL(candidate);
  }
  throw new AnisoError(
    'E_IO',
    `worker entry '${fileName}' not found at ${herePath}${candidate ? ` nor at ${candidate}` : ''}; build the project first (tsc -p tsconfig.json)`,
  );
}

/** A fixed-size pool of workers running jobs synchronously for the caller (module doc). */
export class SyncWorkerPool {
  /** Number of workers. */
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly ctrls: Int32Array[] = [];
  private seq = 0;
  private closed = false;

  /**
   * Start `size` workers running the module at `url` (adopting prestarted ones of that file
   * first, see {@link prestartSyncWorkers}), each receiving `init` (structured-cloned): in its
   * `workerData.init`, or as its first message when it was prestarted. The module must call
   * {@link serveSyncJobs}.
   */
  constructor(url: URL, size: number, init: unknown = null) {
    if (!Number.isInteger(size) || size < 1) throw new AnisoError('E_ARG', `worker pool size ${size} must be an integer ≥ 1`);
    this.size = size;
    const ahead = prestarted.get(url.href) ?? [];
    for (let k = 0; k < size; k++) {
      const adopted = ahead.shift();
      if (adopted) adopted.port.postMessage({ init });
      const w = adopted ?? startWorker(url, init, false);
      this.workers.push(w.worker);
      this.ports.push(w.port);
      this.ctrls.push(w.ctrl);
    }
  }

  /** True after {@link SyncWorkerPool.close}. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Post `jobs[k]` to worker k (`jobs.length ≤ size`), run `local()` on the calling thread, then
   * block until every posted job has finished. Rethrows the first error (local or a worker's).
   * @throws AnisoError `E_ARG` after `close()`, or when a worker does not answer within `timeoutMs`.
   */
  run(jobs: readonly unknown[], local: () => void, timeoutMs = 600_000): void {
    if (this.closed) throw new AnisoError('E_ARG', 'worker pool is closed');
    if (jobs.length > this.size) throw new AnisoError('E_ARG', `${jobs.length} jobs for a pool of ${this.size} workers`);
    if (!this.started) this.awaitStart(jobs.length);
    const seq = ++this.seq;
    for (let k = 0; k < jobs.length; k++) {
      Atomics.store(this.ctrls[k]!, POSTED, seq);
      this.ports[k]!.postMessage({ seq, job: jobs[k] });
    }
    let firstError: unknown = null;
    try {
      local();
    } catch (e) {
      firstError = e;
    }
    const deadline = Date.now() + timeoutMs;
    for (let k = 0; k < jobs.length; k++) {
      const ctrl = this.ctrls[k]!;
      for (;;) {
        const done = Atomics.load(ctrl, DONE);
        if (done === seq) break;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new AnisoError('E_ARG', `worker ${k} did not finish job ${seq} within ${timeoutMs} ms`);
        }
        Atomics.wait(ctrl, DONE, done, Math.min(left, 1000));
      }
      if (Atomics.load(ctrl, STATUS) !== 0 && firstError === null) {
        const msg = receiveMessageOnPort(this.ports[k]!);
        const text = (msg?.message as { error?: string } | undefined)?.error ?? 'unknown error';
        firstError = new AnisoError('E_ARG', `worker ${k} failed: ${text}`);
      }
    }
    if (firstError !== null) throw firstError;
  }

  private started = false;

  /**
   * Block until the first `count` workers have reached {@link serveSyncJobs} (once per pool), so
   * that a worker whose module fails to load is reported instead of waited on forever.
   */
  private awaitStart(count: number, timeoutMs = 60_000): void {
    const deadline = Date.now() + timeoutMs;
    for (let k = 0; k < count; k++) {
      const ctrl = this.ctrls[k]!;
      while (Atomics.load(ctrl, READY) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new AnisoError('E_ARG', `worker ${k} did not start within ${timeoutMs} ms (does its compiled entry load? build with tsc -p tsconfig.json)`);
        }
        Atomics.wait(ctrl, READY, 0, Math.min(left, 1000));
      }
    }
    if (count === this.size) this.started = true;
  }

  /** Terminate the workers (idempotent). Returns when termination has been requested. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) void w.terminate();
    for (const p of this.ports) p.close();
  }
}

/**
 * Worker side: serve the jobs of a {@link SyncWorkerPool} with `handler(job, init)` until the
 * worker is terminated. Call once from the worker entry module. `onInit(init)` runs once with
 * the pool's init: at once for a worker its pool started, at adoption for a prestarted one
 * (before its first job), so that per-pool set-up happens before the first job arrives; an
 * error there is reported with the first job.
 */
export function serveSyncJobs(handler: (job: unknown, init: unknown) => void, onInit: (init: unknown) => void = () => undefined): void {
  const data = workerData as PoolWorkerData | null;
  if (!data || !(data.ctrl instanceof Int32Array)) throw new AnisoError('E_ARG', 'serveSyncJobs must run inside a SyncWorkerPool worker');
  const { ctrl, port } = data;
  let init = data.init;
  let initError: unknown = null;
  const setUp = () => {
    try {
      onInit(init);
    } catch (e) {
      initError = e;
    }
  };
  if (!data.prestarted) setUp();
  Atomics.store(ctrl, READY, 1);
  Atomics.notify(ctrl, READY);
  port.on('message', (msg: { seq: number; job: unknown } | { init: unknown }) => {
    if ('init' in msg) {
      init = msg.init;
      setUp();
      return;
    }
    let status = 0;
    try {
      if (initError !== null) throw initError;
      handler(msg.job, init);
    } catch (e) {
      status = 1;
      port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    Atomics.store(ctrl, STATUS, status);
    Atomics.store(ctrl, DONE, msg.seq);
    Atomics.notify(ctrl, DONE);
  });
}
