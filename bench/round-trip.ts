// SPDX-License-Identifier: BSD-3-Clause
/**
 * Pure protocol round trip of the driver. A minimal, strict server on raw sockets replays i-PI
 * ≥ 3.2's pattern (POSDATA+GETFORCE in one write → FORCEREADY, then STATUS → READY), checking
 * every reply's header, N and extras length (and, during warm-up, that energy and forces are the
 * zeros of a zero potential). Times are taken by the server, per complete cycle.
 *
 * Two measurements:
 * - **in process**: the real {@link runDriver} with a zero-force provider on the main thread, the
 *   server in a worker thread, over UNIX and TCP, N = 1 and 1000 (PROTOCOL.md §8's figure);
 * - **process level**: `anisodrive drive` (the compiled CLI, a zero-potential config) as its own
 *   process against i-PI's Fortran driver (`drivers/f90`, `-m gas`, found through the
 *   `IPI_F90_DRIVER` environment variable; build it with `bench/build-ipi-driver.sh`), 1000 atoms
 *   over a UNIX socket, both connected to one server and served in alternating blocks (A, B, A,
 *   B, …) so that machine load affects both alike. Without `IPI_F90_DRIVER` the comparison is
 *   not run and the bench says so and how to enable it; anisodrive's figures still print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ForceResult, ParticleSystem } from '../src/core/system.js';
import { runDriver } from '../src/protocol/run-driver.js';

/** Options of {@link benchRoundTrip}; the defaults are what `npm run bench` uses. */
export interface RoundTripOptions {
  /** Timed requests per configuration (and per driver in the process-level run); default 3000. */
  readonly requests?: number;
  /** Untimed requests first; default 500. */
  readonly warmup?: number;
  /** Atom counts of the in-process run; default [1, 1000]. */
  readonly sizes?: readonly number[];
  /** Transports of the in-process run; default ['unix', 'tcp']. */
  readonly transports?: ReadonlyArray<'unix' | 'tcp'>;
  /** Atoms of the process-level run; default 1000; 0 skips that run (and says so). */
  readonly processAtoms?: number;
  /** Requests per block of the interleaved process-level run; default 50 (fine interleaving spreads load bursts over both). */
  readonly block?: number;
  /**
   * i-PI's Fortran driver binary (`driver.x`); default: the `IPI_F90_DRIVER` environment
   * variable. `null` or empty: the comparison is not run (the bench prints how to enable it).
   */
  readonly f90Driver?: string | null;
  /** The compiled CLI entry; default `dist/plugin/main.js` of this repository. */
  readonly cli?: string;
  /** Extra node flags for the `anisodrive drive` process (profiling: `--cpu-prof`, `--trace-gc`). */
  readonly nodeFlags?: readonly string[];
}

/** Settings sent to the server thread: one listening socket per driver. */
interface ServerJob {
  readonly mode: 'unix' | 'tcp';
  /** Socket file per driver (unix; ignored for tcp). */
  readonly paths: readonly string[];
  readonly n: number;
  readonly warmup: number;
  readonly requests: number;
  /** Requests per block when several drivers are served in turn. */
  readonly block: number;
}

type ServerReport =
  | { type: 'listening'; ports: number[] }
  | { type: 'done'; samplesUs: Float64Array[] }
  | { type: 'error'; message: string };

/**
 * The server thread's body. Self-contained (it is shipped to the worker as source text): no
 * imports, no outer closures; gets `net`, the port to the parent and the job as arguments.
 *
 * Each driver (slot) goes through i-PI's handshake (STATUS → READY, or STATUS → NEEDINIT, INIT+STATUS → READY); when
 * all are up, every slot gets its untimed warm-up requests, then timed blocks of `block` requests
 * in turn until each has `requests` samples; then every slot gets EXIT.
 */
function serverMain(net: typeof import('node:net'), parent: { postMessage(m: unknown): void }, job: ServerJob): void {
  const header = (w: string) => Buffer.from(w.padEnd(12, ' '), 'latin1');
  const STATUS = header('STATUS');
  const init = Buffer.alloc(12 + 8 + 1);
  header('INIT').copy(init, 0);
  init.writeInt32LE(0, 12);
  init.writeInt32LE(1, 16);
  init.write(' ', 20, 'latin1');
  const initStatus = Buffer.concat([init, STATUS]);
  // POSDATA + GETFORCE for N atoms in a 20 Å (37.8 bohr) cube, one buffer (one sendall, as i-PI).
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
  const NEEDINIT = 'NEEDINIT    ';
  const READY = 'READY       ';
  const FORCEREADY = 'FORCEREADY  ';
  const replyBytes = 12 + 12 + 24 * n + 76;

  let failed = false;
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    parent.postMessage({ type: 'error', message });
  };

  interface Slot {
    index: number;
    sock: import('node:net').Socket | null;
    buf: Buffer;
    len: number;
    phase: number; // 0: handshake STATUS, 1: STATUS after INIT, 2: FORCEREADY, 3: trailing STATUS, 4: idle
    up: boolean;
    t0: number;
    timed: boolean;
    samples: Float64Array;
    count: number;
    warm: number;
  }
  const slots: Slot[] = job.paths.map((_, index) => ({
    index,
    sock: null,
    buf: Buffer.allocUnsafe(Math.max(1 << 16, 2 * replyBytes)),
    len: 0,
    phase: 0,
    up: false,
    t0: 0,
    timed: false,
    samples: new Float64Array(job.requests),
    count: 0,
    warm: 0,
  }));
  let current = 0; // slot being served
  let inBlock = 0; // requests of the current block issued so far
  let started = false;

  const word = (s: Slot, at: number) => s.buf.toString('latin1', at, at + 12);
  const consume = (s: Slot, k: number) => {
    s.buf.copy(s.buf, 0, k, s.len);
    s.len -= k;
  };
  const request = (s: Slot, timed: boolean) => {
    s.timed = timed;
    s.phase = 2;
    s.t0 = performance.now();
    s.sock!.write(pos);
  };
  /** Issue the next request of the schedule, or end the run. */
  const schedule = () => {
    if (failed) return;
    // Warm-up: every slot in turn, all its warm-up requests.
    for (const s of slots) {
      if (s.warm < job.warmup) {
        s.warm++;
        request(s, false);
        return;
      }
    }
    for (let tries = 0; tries <= slots.length; tries++) {
      const s = slots[current]!;
      if (s.count < job.requests && inBlock < job.block) {
        inBlock++;
        request(s, true);
        return;
      }
      current = (current + 1) % slots.length;
      inBlock = 0;
    }
    for (const s of slots) s.sock!.end(header('EXIT'));
    parent.postMessage({ type: 'done', samplesUs: slots.map((s) => s.samples) });
  };
  const step = (s: Slot) => {
    for (;;) {
      if (failed) return;
      if (s.phase === 0 || s.phase === 1 || s.phase === 3) {
        if (s.len < 12) return;
        const w = word(s, 0);
        consume(s, 12);
        if (s.phase === 0 && w === NEEDINIT) {
          // As i-PI: INIT only for a driver that asks for it (the f90 driver in gas mode does not).
          s.phase = 1;
          s.sock!.write(initStatus);
        } else if (w !== READY) {
          return fail(`driver ${s.index} answered STATUS with '${w}', expected READY${s.phase === 0 ? ' or NEEDINIT' : ''}`);
        } else if (s.phase <= 1) {
          s.phase = 4;
          s.up = true;
          if (!started && slots.every((x) => x.up)) {
            started = true;
            schedule();
          }
        } else {
          if (s.timed) s.samples[s.count++] = (performance.now() - s.t0) * 1000;
          s.phase = 4;
          schedule();
        }
      } else if (s.phase === 2) {
        if (s.len < 24) return;
        const w = word(s, 0);
        if (w !== FORCEREADY) return fail(`driver ${s.index} answered GETFORCE with '${w}', expected FORCEREADY`);
        const got = s.buf.readInt32LE(20);
        if (got !== n) return fail(`driver ${s.index} sent FORCEREADY for N = ${got}, expected ${n}`);
        if (s.len < replyBytes) return;
        const extras = s.buf.readInt32LE(replyBytes - 4);
        if (extras < 0 || extras > 1 << 20) return fail(`driver ${s.index} sent an extras length of ${extras}`);
        if (s.len < replyBytes + extras) return;
        if (!s.timed) {
          if (s.buf.readDoubleLE(12) !== 0) return fail(`driver ${s.index} sent a non-zero energy for a zero potential`);
          for (let k = 0; k < 3 * n; k++) {
            if (s.buf.readDoubleLE(24 + 8 * k) !== 0) return fail(`driver ${s.index} sent a non-zero force component ${k}`);
          }
        }
        consume(s, replyBytes + extras);
        s.phase = 3;
        s.sock!.write(STATUS);
      } else {
        if (s.len > 0) return fail(`driver ${s.index} sent ${s.len} bytes unasked`);
        return;
      }
    }
  };

  const ports: number[] = [];
  let listening = 0;
  for (const s of slots) {
    const server = net.createServer({ noDelay: true }, (sock) => {
      server.close();
      sock.setNoDelay(true);
      s.sock = sock;
      sock.on('data', (chunk: Buffer) => {
        if (s.len + chunk.length > s.buf.length) {
          const bigger = Buffer.allocUnsafe(2 * (s.len + chunk.length));
          s.buf.copy(bigger, 0, 0, s.len);
          s.buf = bigger;
        }
        chunk.copy(s.buf, s.len);
        s.len += chunk.length;
        step(s);
      });
      sock.on('error', (e: Error) => fail(`driver ${s.index}: ${e.message}`));
      sock.on('close', () => {
        if (!failed && (s.phase !== 4 || s.count < job.requests)) fail(`driver ${s.index} closed the connection mid-run`);
      });
      sock.write(STATUS);
    });
    server.on('error', (e: Error) => fail(e.message));
    const ready = () => {
      const a = server.address();
      ports[s.index] = typeof a === 'object' && a ? a.port : 0;
      if (++listening === slots.length) parent.postMessage({ type: 'listening', ports });
    };
    if (job.mode === 'unix') server.listen(job.paths[s.index]!, ready);
    else server.listen(0, '127.0.0.1', ready);
  }
}

const WORKER_SOURCE =
  "const { parentPort, workerData } = require('node:worker_threads');\n" +
  `(${serverMain.toString()})(require('node:net'), parentPort, workerData);\n`;

/**
 * Zero energy, forces and virial: the cheapest provider, so that only the protocol is timed. Its
 * result is kept and returned again while N is unchanged (the driver reads a result only while
 * encoding the reply), so that it allocates nothing per step either.
 */
const zeroProvider = {
  result: null as ForceResult | null,
  compute(s: ParticleSystem): ForceResult {
    if (this.result === null || this.result.forces.length !== 3 * s.n) {
      this.result = { energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: {} };
    }
    return this.result;
  },
};

/** Targets (the issue's) and i-PI's Fortran driver under the same fused pattern (PROTOCOL.md §8), µs. */
const REFERENCE: Record<string, { target?: number; f90: number }> = {
  'unix 1': { f90: 70 },
  'unix 1000': { target: 80, f90: 90 },
  'tcp 1': { f90: 103 },
  'tcp 1000': { f90: 119 },
};

/** Targets of the side-by-side run: anisodrive / f90 median and p95 ratios (the issue's). */
const MEDIAN_RATIO_TARGET = 1;
const P95_RATIO_TARGET = 1.5;

function quantile(sorted: Float64Array, q: number): number {
  const x = q * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (x - lo);
}

/** Median, p90 and p95 of timings, µs. */
function summary(samples: Float64Array): { median: number; p90: number; p95: number } {
  const sorted = Float64Array.from(samples).sort();
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p95: quantile(sorted, 0.95) };
}

/** A server thread, its reports read in order. */
function startServer(job: ServerJob): { next: () => Promise<ServerReport>; stop: () => Promise<number> } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
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
  return { next, stop: () => worker.terminate() };
}

async function runInProcess(job: ServerJob): Promise<Float64Array> {
  const server = startServer(job);
  try {
    const listening = await server.next();
    const port = listening.type === 'listening' ? listening.ports[0]! : 0;
    const driver = runDriver({
      provider: zeroProvider,
      retryMs: 5000,
      ...(job.mode === 'unix' ? { mode: 'unix' as const, address: job.paths[0]!, prefix: '' } : { mode: 'inet' as const, address: '127.0.0.1', port }),
    });
    const done = await server.next();
    const end = await driver;
    if (end.reason !== 'exit') throw new Error(`driver ended with ${end.reason}, expected exit`);
    if (done.type !== 'done') throw new Error('round-trip server sent no samples');
    return done.samplesUs[0]!;
  } finally {
    await server.stop();
  }
}

/** A driver program to start: what it is called in the output, and how to start it on a socket. */
interface DriverProgram {
  readonly label: string;
  readonly command: string;
  /** Arguments for the unix socket `prefix + name`. */
  readonly args: (name: string, prefix: string) => string[];
}

/** Start `program` and collect its last output lines, for messages. */
function startProgram(program: DriverProgram, name: string, prefix: string): { child: ChildProcess; ended: Promise<string> } {
  const child = spawn(program.command, program.args(name, prefix), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (t: Buffer) => (output = (output + t.toString('utf8')).slice(-2000));
  child.stdout?.on('data', keep);
  child.stderr!.on('data', keep);
  const ended = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`could not start ${program.command}: ${e.message}`));
    child.once('close', (code, signal) => resolve(code === 0 ? '' : `${program.label} exited with ${code ?? signal}: ${output.trim()}`));
  });
  return { child, ended };
}

/** Serve `programs` in interleaved blocks over unix sockets in `dir`; samples per program, µs. */
async function runProcesses(programs: readonly DriverProgram[], dir: string, job: Omit<ServerJob, 'mode' | 'paths'>): Promise<Float64Array[]> {
  const paths = programs.map((_, k) => join(dir, `p${k}`));
  const server = startServer({ ...job, mode: 'unix', paths });
  const started: { child: ChildProcess; ended: Promise<string> }[] = [];
  try {
    await server.next(); // listening
    programs.forEach((p, k) => started.push(startProgram(p, `p${k}`, dir + '/')));
    // A driver that dies early must not leave the server waiting.
    const died = Promise.race(started.map((s) => s.ended.then((why) => (why ? Promise.reject(new Error(why)) : new Promise<never>(() => {})))));
    const done = await Promise.race([server.next(), died]);
    if (done.type !== 'done') throw new Error('round-trip server sent no samples');
    for (const s of started) {
      const why = await s.ended;
      if (why) throw new Error(why);
    }
    return done.samplesUs;
  } finally {
    for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await server.stop();
  }
}

/** The compiled CLI of this repository (from `dist/bench/` or from `bench/` under vitest). */
function defaultCli(): string {
  const beside = fileURLToPath(new URL('../plugin/main.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../dist/plugin/main.js', import.meta.url));
}

const f = (x: number) => x.toFixed(1);

/** The process-level comparison: `anisodrive drive` against i-PI's Fortran driver. */
async function benchProcesses(print: (line: string) => void, dir: string, options: RoundTripOptions, requests: number, warmup: number): Promise<void> {
  const n = options.processAtoms ?? 1000;
  const block = options.block ?? 50;
  const head = `round-trip process unix N=${n}`;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const cli = options.cli ?? defaultCli();
  if (!existsSync(cli)) {
    print(`${head}: NOT RUN: the compiled CLI ${cli} is missing (run npm run build)`);
    return;
  }
  const config = join(dir, 'zero.json');
  writeFileSync(config, JSON.stringify({ mapping: { kind: 'identity' }, potentials: [{ kind: 'zero' }], verbosity: 'low' }));
  const anisodrive: DriverProgram = {
    label: 'anisodrive drive',
    command: process.execPath,
    args: (name, prefix) => [...(options.nodeFlags ?? []), cli, 'drive', '--config', config, '-u', '-a', name, '-S', prefix],
  };
  const f90Path = options.f90Driver === undefined ? process.env.IPI_F90_DRIVER : options.f90Driver;
  const programs: DriverProgram[] = [anisodrive];
  if (f90Path) programs.push({ label: 'i-PI f90 driver (-m gas)', command: f90Path, args: (name, prefix) => ['-u', '-a', name, '-S', prefix, '-m', 'gas'] });
  const samples = await runProcesses(programs, dir, { n, warmup, requests, block });
  const stats = samples.map(summary);
  const how = `${requests} requests each after ${warmup} warm-up` + (programs.length > 1 ? `, interleaved in blocks of ${block}` : '');
  programs.forEach((p, k) => {
    print(`${head} ${p.label}: median ${f(stats[k]!.median)} µs p95 ${f(stats[k]!.p95)} µs [separate process, strict i-PI ≥ 3.2 server in a worker thread; ${how}; load ${load}]`);
  });
  if (!f90Path) {
    print(
      `${head} i-PI f90 driver: NOT RUN: set IPI_F90_DRIVER to i-PI's drivers/f90 binary to compare side by side ` +
        '(build it with bench/build-ipi-driver.sh IPI_CHECKOUT OUT_DIR, then IPI_F90_DRIVER=OUT_DIR/driver.x npm run bench -- round-trip)',
    );
    return;
  }
  const [a, b] = stats as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const rm = a.median / b.median;
  const rp = a.p95 / b.p95;
  print(
    `${head} anisodrive / f90: median ratio ${rm.toFixed(2)} (target ≤ ${MEDIAN_RATIO_TARGET}${rm <= MEDIAN_RATIO_TARGET ? ', met' : ', MISSED'}) ` +
      `p95 ratio ${rp.toFixed(2)} (target ≤ ${P95_RATIO_TARGET}${rp <= P95_RATIO_TARGET ? ', met' : ', MISSED'})`,
  );
}

/**
 * Measure and print the round trip: one line per transport and atom count in process, e.g.
 * `round-trip unix N=1000 median 61.2 µs p90 70.4 µs (target ≤ 80 µs; …)`, then the process-level
 * lines (anisodrive drive, i-PI's f90 driver or how to enable it, and the two ratios).
 */
export async function benchRoundTrip(print: (line: string) => void, options: RoundTripOptions = {}): Promise<void> {
  const requests = options.requests ?? 3000;
  const warmup = options.warmup ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'ad-bench-'));
  try {
    for (const mode of options.transports ?? ['unix', 'tcp']) {
      for (const n of options.sizes ?? [1, 1000]) {
        const samples = await runInProcess({ mode, paths: [join(dir, `rt${mode}${n}`)], n, warmup, requests, block: requests });
        const { median, p90 } = summary(samples);
        const ref = REFERENCE[`${mode} ${n}`];
        print(
          `round-trip ${mode} N=${n} median ${median.toFixed(1)} µs p90 ${p90.toFixed(1)} µs` +
            (ref?.target !== undefined ? ` (target ≤ ${ref.target} µs: ratio ${(median / ref.target).toFixed(2)})` : '') +
            (ref ? ` (i-PI f90 driver ${ref.f90} µs: ratio ${(median / ref.f90).toFixed(2)})` : '') +
            ` [server in a worker thread, driver on the main thread; ${requests} requests after ${warmup} warm-up]`,
        );
      }
    }
    if ((options.processAtoms ?? 1000) > 0) await benchProcesses(print, dir, options, requests, warmup);
    else print('round-trip process: not run (processAtoms 0)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
