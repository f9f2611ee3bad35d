// SPDX-License-Identifier: BSD-3-Clause
/**
 * Pure protocol round trip of the driver: a minimal server on raw sockets replays i-PI ≥ 3.2's
 * fused pattern (POSDATA+GETFORCE in one write → FORCEREADY, then STATUS → READY) against the
 * real {@link runDriver} with a zero-force provider, over loopback UNIX and TCP sockets. This is
 * the figure PROTOCOL.md §8 reports for i-PI's own drivers (a minimal Python server; i-PI's own
 * cost excluded).
 *
 * The server runs in a worker thread so that the two event loops do not share a thread; the
 * driver runs on the main thread. Times are taken by the server, per complete cycle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ForceResult, ParticleSystem } from '../src/core/system.js';
import { runDriver } from '../src/protocol/run-driver.js';

/** Options of {@link benchRoundTrip}; the defaults are what `npm run bench` uses. */
export interface RoundTripOptions {
  /** Timed requests per configuration; default 3000. */
  readonly requests?: number;
  /** Untimed requests first; default 500. */
  readonly warmup?: number;
  /** Atom counts; default [1, 1000]. */
  readonly sizes?: readonly number[];
  /** Transports; default ['unix', 'tcp']. */
  readonly transports?: ReadonlyArray<'unix' | 'tcp'>;
}

/** Settings sent to the server thread. */
interface ServerJob {
  readonly mode: 'unix' | 'tcp';
  readonly path: string;
  readonly n: number;
  readonly warmup: number;
  readonly requests: number;
}

type ServerReport = { type: 'listening'; port: number } | { type: 'done'; samplesUs: Float64Array } | { type: 'error'; message: string };

/**
 * The server thread's body. Self-contained (it is shipped to the worker as source text): no
 * imports, no closures; gets `net`, the port to the parent and the job as arguments.
 */
function serverMain(
  net: typeof import('node:net'),
  parent: { postMessage(m: unknown): void },
  job: ServerJob,
): void {
  const header = (w: string) => Buffer.from(w.padEnd(12, ' '), 'latin1');
  const STATUS = header('STATUS');
  const init = Buffer.alloc(12 + 8 + 1);
  header('INIT').copy(init, 0);
  init.writeInt32LE(0, 12);
  init.writeInt32LE(1, 16);
  init.write(' ', 20, 'latin1');
  const initStatus = Buffer.concat([init, STATUS]);
  // POSDATA + GETFORCE for N atoms in a 20 Å (37.8 bohr) cube, one buffer.
  const n = job.n;
  const pos = Buffer.alloc(12 + 148 + 24 * n + 12);
  header('POSDATA').copy(pos, 0);
  const L = 37.79452;
  for (const k of [0, 4, 8]) {
    pos.writeDoubleLE(L, 12 + 8 * k);
    pos.writeDoubleLE(1 / L, 84 + 8 * k);
  }
  pos.writeInt32LE(n, 156);
  for (let k = 0; k < 3 * n; k++) pos.writeDoubleLE(((k * 7919) % 3779) / 100, 160 + 8 * k);
  header('GETFORCE').copy(pos, 160 + 24 * n);

  const total = job.warmup + job.requests;
  const samples = new Float64Array(job.requests);
  let buf = Buffer.allocUnsafe(1 << 16);
  let len = 0;
  let phase = 0; // 0: handshake STATUS, 1: STATUS after INIT, 2: FORCEREADY, 3: trailing STATUS
  let i = 0;
  let t0 = 0;

  const server = net.createServer({ noDelay: true }, (sock) => {
    server.close();
    sock.setNoDelay(true);
    const request = () => {
      t0 = performance.now();
      sock.write(pos);
      phase = 2;
    };
    const consume = (k: number) => {
      buf.copy(buf, 0, k, len);
      len -= k;
    };
    const step = () => {
      for (;;) {
        if (phase === 0 || phase === 1) {
          if (len < 12) return;
          consume(12);
          if (phase === 0) {
            sock.write(initStatus);
            phase = 1;
          } else {
            request();
          }
        } else if (phase === 2) {
          if (len < 24) return;
          const need = 24 + 24 * buf.readInt32LE(20) + 76;
          if (len < need) return;
          const extras = buf.readInt32LE(need - 4);
          if (len < need + extras) return;
          consume(need + extras);
          sock.write(STATUS);
          phase = 3;
        } else {
          if (len < 12) return;
          consume(12);
          if (i >= job.warmup) samples[i - job.warmup] = (performance.now() - t0) * 1000;
          i++;
          if (i === total) {
            sock.end(header('EXIT'));
            parent.postMessage({ type: 'done', samplesUs: samples });
            return;
          }
          request();
        }
      }
    };
    sock.on('data', (chunk: Buffer) => {
      if (len + chunk.length > buf.length) {
        const bigger = Buffer.allocUnsafe(2 * (len + chunk.length));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      chunk.copy(buf, len);
      len += chunk.length;
      step();
    });
    sock.on('error', (e: Error) => parent.postMessage({ type: 'error', message: e.message }));
    sock.write(STATUS);
  });
  server.on('error', (e: Error) => parent.postMessage({ type: 'error', message: e.message }));
  const ready = () => {
    const a = server.address();
    parent.postMessage({ type: 'listening', port: typeof a === 'object' && a ? a.port : 0 });
  };
  if (job.mode === 'unix') server.listen(job.path, ready);
  else server.listen(0, '127.0.0.1', ready);
}

const WORKER_SOURCE =
  "const { parentPort, workerData } = require('node:worker_threads');\n" +
  `(${serverMain.toString()})(require('node:net'), parentPort, workerData);\n`;

/** Zero energy, forces and virial: the cheapest provider, so that only the protocol is timed. */
const zeroProvider = {
  compute(s: ParticleSystem): ForceResult {
    return { energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: {} };
  },
};

/** i-PI's Fortran driver in the same measurement (PROTOCOL.md §8), µs, per transport and N. */
/** Targets (the issue's) and i-PI's Fortran driver under the same fused pattern (PROTOCOL.md §8), µs. */
const REFERENCE: Record<string, { target?: number; f90: number }> = {
  'unix 1': { f90: 70 },
  'unix 1000': { target: 80, f90: 90 },
  'tcp 1': { f90: 103 },
  'tcp 1000': { f90: 119 },
};

function quantile(sorted: Float64Array, q: number): number {
  const x = q * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (x - lo);
}

async function runOne(job: ServerJob): Promise<Float64Array> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
  try {
    const messages: ServerReport[] = [];
    let wake: (() => void) | null = null;
    worker.on('message', (m: ServerReport) => {
      messages.push(m);
      wake?.();
    });
    worker.on('error', (e) => {
      messages.push({ type: 'error', message: e.message });
      wake?.();
    });
    const next = async (): Promise<ServerReport> => {
      while (messages.length === 0) await new Promise<void>((r) => (wake = r));
      const m = messages.shift()!;
      if (m.type === 'error') throw new Error(`round-trip server: ${m.message}`);
      return m;
    };
    const listening = await next();
    const port = listening.type === 'listening' ? listening.port : 0;
    const driver = runDriver({
      provider: zeroProvider,
      retryMs: 5000,
      ...(job.mode === 'unix' ? { mode: 'unix' as const, address: job.path, prefix: '' } : { mode: 'inet' as const, address: '127.0.0.1', port }),
    });
    const done = await next();
    const end = await driver;
    if (end.reason !== 'exit') throw new Error(`driver ended with ${end.reason}, expected exit`);
    if (done.type !== 'done') throw new Error('round-trip server sent no samples');
    return done.samplesUs;
  } finally {
    await worker.terminate();
  }
}

/**
 * Measure and print the median and 90th percentile of the round trip, one line per transport and
 * atom count, e.g. `round-trip unix N=1000 median 61.2 µs p90 70.4 µs (target ≤ 80 µs; …)`.
 */
export async function benchRoundTrip(print: (line: string) => void, options: RoundTripOptions = {}): Promise<void> {
  const requests = options.requests ?? 3000;
  const warmup = options.warmup ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'ad-bench-'));
  try {
    for (const mode of options.transports ?? ['unix', 'tcp']) {
      for (const n of options.sizes ?? [1, 1000]) {
        const samples = await runOne({ mode, path: join(dir, `rt${mode}${n}`), n, warmup, requests });
        const sorted = Float64Array.from(samples).sort();
        const median = quantile(sorted, 0.5);
        const p90 = quantile(sorted, 0.9);
        const ref = REFERENCE[`${mode} ${n}`];
        print(
          `round-trip ${mode} N=${n} median ${median.toFixed(1)} µs p90 ${p90.toFixed(1)} µs` +
            (ref?.target !== undefined ? ` (target ≤ ${ref.target} µs: ratio ${(median / ref.target).toFixed(2)})` : '') +
            (ref ? ` (i-PI f90 driver ${ref.f90} µs: ratio ${(median / ref.f90).toFixed(2)})` : '') +
            ` [server in a worker thread, driver on the main thread; ${requests} requests after ${warmup} warm-up]`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
