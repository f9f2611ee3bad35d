// SPDX-License-Identifier: BSD-3-Clause
/**
 * The driver (client) state machine of the i-PI protocol over any byte stream: answers STATUS,
 * takes INIT, computes on POSDATA, replies FORCEREADY to GETFORCE, stops on EXIT or EOF.
 *
 * It serves every server order in PROTOCOL.md §3 with one machine (`need_init`, `have_data`):
 * STATUS → NEEDINIT if need_init, else HAVEDATA if have_data, else READY; INIT → need_init = false;
 * POSDATA → compute, have_data = true; GETFORCE → FORCEREADY (one write), have_data = false.
 * GETFORCE may follow POSDATA directly (i-PI ≥ 3.2) or after a STATUS (legacy i-PI, ASE).
 *
 * Nothing is ever sent that was not validated: a non-finite or mis-sized result closes the
 * connection without a reply (the server sees EOF; i-PI re-queues the request) and rejects.
 *
 * The step path allocates nothing while N is unchanged (synchronous provider): POSDATA is decoded
 * in place into reused arrays, positions are converted to Å in place, the cell into reused
 * storage, and the FORCEREADY is encoded (converted to atomic units) straight into a kept reply
 * buffer, sent in one write. **Aliasing contract**: the {@link ParticleSystem} handed to the
 * provider (its object, `positions` and `cell`) is valid only during `compute`; the next request
 * overwrites it. A provider that keeps positions across steps copies them. The provider's result
 * arrays are read when the reply is encoded and shown to the observers after it is written; the
 * driver never writes to them and drops them at the next request, so a provider may return the
 * same result arrays every step.
 */
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { AnisoError, firstNonFinite } from '../core/errors.js';
import type { Cell } from '../core/cell.js';
import { StepObservers, createStepRecord, type MutableStepRecord, type StepObserver } from '../core/step-observer.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import { IpiDecoder, escapeBytes, type DecoderOptions } from './decoder.js';
import { ForceReadyEncoder, encodeHeader } from './encoder.js';
import { encodeExtras } from './extras.js';
import { SILENT_LOGGER, SOCKET_PREFIX, logEnabled, type ProtocolLogger } from './logger.js';
import { onSocketRead } from './transport.js';
import type { InitMessage, PosDataMessage, ServerMessage } from './messages.js';
import {
  cellFromWire,
  createWireCellScratch,
  resolveUnits,
  scaleInPlace,
  wireScales,
  type UnitsChoice,
  type WireCellScratch,
  type WireScales,
} from './wire-convert.js';

/**
 * What the driver calls for each POSDATA: a {@link ForceProvider} (synchronous) or anything whose
 * `compute` returns a promise. Input in Å (cell rows = lattice vectors), output in eV, eV/Å, eV.
 * The system is valid only during the call (see the module doc: its arrays are reused).
 */
export interface DriverForceProvider {
  compute(system: ParticleSystem): ForceResult | PromiseLike<ForceResult>;
}

/** Timing and summary of one answered request, passed to {@link DriverOptions.onStep}. */
export interface DriverStepInfo {
  /** 1-based count of FORCEREADY replies sent so far, this one included. */
  readonly step: number;
  /** Atoms in this request. */
  readonly n: number;
  /** Request id of the last INIT, or null if none came. */
  readonly rid: number | null;
  /** Potential energy returned, eV. */
  readonly energy: number;
  /** Time spent in the provider, µs. */
  readonly computeUs: number;
  /** From POSDATA decoded to FORCEREADY written, µs (includes the STATUS exchange of legacy orders). */
  readonly turnaroundUs: number;
  /** From the previous FORCEREADY written (or the start) to this POSDATA decoded, µs: server time. */
  readonly idleUs: number;
}

/** How a driver run ended normally. `closed`: stopped locally ({@link IpiDriver.close} or abort). */
export type DriverEndReason = 'exit' | 'eof' | 'closed';

/** Resolution of {@link IpiDriver.run}. */
export interface DriverResult {
  /** `exit`: the server sent EXIT; `eof`: the server closed the connection between messages, after its first. */
  readonly reason: DriverEndReason;
  /** FORCEREADY replies sent. */
  readonly steps: number;
  /** Request id of the last INIT, or null. */
  readonly rid: number | null;
  /** Initialisation string of the last INIT, or null. */
  readonly init: string | null;
}

/** Options of {@link IpiDriver}. */
export interface DriverOptions {
  /** The force field. */
  readonly provider: DriverForceProvider;
  /** Atomic-unit constants: `'ipi'` (default) or `'ase'` (match ASE's server exactly). */
  readonly units?: UnitsChoice;
  /**
   * Send the provider's extras as a JSON object (a `"raw"` key is renamed `"raw_"`). Default
   * false: L = 0, because ASE 3.22's server crashes on extras longer than one byte.
   */
  readonly extras?: boolean;
  /**
   * Treat a non-singular wire cell as periodic (default true; a singular, non-zero cell is then an
   * `E_CELL` error); false: the system is declared non-periodic and every cell is a frame of
   * reference only. An all-zero cell is an open cell either way.
   */
  readonly periodic?: boolean;
  /** Where to report (`@SOCKET:` lines, ` !W! ` warnings). Default: silent. */
  readonly logger?: ProtocolLogger;
  /** Called after each FORCEREADY is written. An exception ends the run with that error. */
  readonly onStep?: (info: DriverStepInfo) => void;
  /**
   * Observers of every answered request (step, frame, result, timings), called after the
   * FORCEREADY is written and after `onStep`. An observer's exception is reported once through
   * `logger.warn` and never ends the run. The record is valid only during the call.
   */
  readonly observers?: readonly StepObserver[];
  /** Called for each INIT received. */
  readonly onInit?: (info: { readonly rid: number; readonly init: string }) => void;
  /** Sanity bound on N (inclusive); default 10^8 − 1. */
  readonly maxAtoms?: number;
  /** Sanity bound on the INIT string length, bytes; default 16 MiB. */
  readonly maxStringBytes?: number;
  /** Aborting closes the connection without a reply and resolves with reason `closed`. */
  readonly signal?: AbortSignal;
  /**
   * Give up on a silent server: when no byte arrives for this long (ms) while the driver waits for
   * a message, the run rejects with `E_TRANSPORT` naming the timeout. Time spent computing does
   * not count. Default: none (wait forever, as i-PI's drivers do).
   */
  readonly idleTimeoutMs?: number;
}

/**
 * The `batch_size:N` announced in an INIT string, or 1 if absent. i-PI 3.3 appends
 * `" batch_size:N"` when `<batch_size>` > 1 (PROTOCOL.md §7).
 */
export function batchSizeOf(init: string): number {
  const m = /batch_size\s*:\s*(-?\d+)/.exec(init);
  return m ? Number(m[1]) : 1;
}

function isThenable(x: unknown): x is PromiseLike<ForceResult> {
  return x !== null && typeof x === 'object' && typeof (x as { then?: unknown }).then === 'function';
}

const READY = encodeHeader('READY');
const NEEDINIT = encodeHeader('NEEDINIT');
const HAVEDATA = encodeHeader('HAVEDATA');
const COMPONENT = ['x', 'y', 'z'] as const;

/**
 * One driver session over a connected stream (a `net.Socket`, or any binary Duplex). Call
 * {@link IpiDriver.run} once; the driver owns the stream from then on and destroys it when done.
 *
 * `run()` resolves with `{ reason: 'exit' }` on EXIT, `{ reason: 'eof' }` when the server closes
 * the connection between messages after at least one message (ASE never sends EXIT), `{ reason: 'closed' }` on
 * {@link IpiDriver.close} or abort. It rejects with an {@link AnisoError}: `E_PROTOCOL` (unknown
 * header, batched protocol announced, GETFORCE with no data), `E_TRANSPORT` (EOF mid-message,
 * EOF or reset before the server's first message — a server refusing this driver —,
 * socket error, the server resetting the connection mid-step, a silent server past
 * {@link DriverOptions.idleTimeoutMs}), `E_CELL` (a singular non-zero cell, unless
 * {@link DriverOptions.periodic} is false), `E_NONFINITE` / `E_SIZE` (bad provider result; nothing
 * sent), or with whatever the provider threw. On rejection the stream is destroyed without
 * sending anything further.
 *
 * A connection reset (`ECONNRESET`, `EPIPE`: the server went away without reading what the driver
 * sent) is a clean end only between steps, i.e. when the last thing the driver wrote was a STATUS
 * answer; after a FORCEREADY, with a result or a computation pending, or mid-message it rejects:
 * the server died mid-step. An EOF that arrives while a reply is still being written waits for
 * the write, so a reply refused by a closed server is seen as the reset it is.
 */
export class IpiDriver {
  readonly #stream: Duplex;
  readonly #provider: DriverForceProvider;
  readonly #scales: WireScales;
  readonly #sendExtras: boolean;
  readonly #periodic: boolean;
  readonly #log: ProtocolLogger;
  readonly #debug: boolean;
  readonly #onStep: ((info: DriverStepInfo) => void) | undefined;
  readonly #onInit: ((info: { rid: number; init: string }) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #idleTimeoutMs: number | undefined;
  #idleTimer: NodeJS.Timeout | null = null;
  readonly #decoder: IpiDecoder<'server'>;
  readonly #encoder = new ForceReadyEncoder();
  readonly #cells: WireCellScratch = createWireCellScratch();
  readonly #observers: StepObservers;
  // The system handed to the provider, refilled per request (valid during compute only).
  readonly #system: { n: number; positions: Float64Array; cell: Cell } = { n: 0, positions: new Float64Array(0), cell: createWireCellScratch().open };
  // Observers' record: the system and result of the last reply (valid during publish only).
  readonly #record: MutableStepRecord;
  #result: ForceResult | null = null;
  // What the encoder reads, refilled per reply.
  readonly #fields: { energy: number; forces: Float64Array; virial: Float64Array; extras: Buffer | undefined } = {
    energy: 0,
    forces: new Float64Array(0),
    virial: new Float64Array(9),
    extras: undefined,
  };

  #started = false;
  #done = false;
  #resolve: (r: DriverResult) => void = () => {};
  #reject: (e: unknown) => void = () => {};

  #queue: ServerMessage[] = [];
  #busy = false; // an asynchronous compute is pending; messages wait in #queue
  #needInit = true;
  #reply: Buffer | null = null; // FORCEREADY of the last POSDATA: have_data ⇔ non-null
  #rid: number | null = null;
  #init: string | null = null;
  #steps = 0;
  #messages = 0; // messages decoded so far (0: the server has sent nothing yet)
  #lastN = -1;
  #warnedRaw = false;
  #unacked = 0; // writes not yet completed by the stream
  #endSeen = false; // EOF arrived while a write was pending
  #lastWriteForce = false; // the last write was a FORCEREADY (not a STATUS answer)

  // Timing of the request in flight (performance.now(), ms).
  #posAt = 0;
  #computeUs = 0;
  #energy = 0;
  #replyN = 0;
  #lastReplyAt = 0;

  constructor(stream: Duplex, options: DriverOptions) {
    if (!options || typeof options.provider?.compute !== 'function') {
      throw new AnisoError('E_ARG', 'driver needs a provider with a compute(system) method');
    }
    this.#stream = stream;
    // TCP: replies are single writes, never delay them (a no-op on unix sockets).
    (stream as { setNoDelay?: (on: boolean) => unknown }).setNoDelay?.(true);
    this.#provider = options.provider;
    this.#scales = wireScales(resolveUnits(options.units));
    this.#sendExtras = options.extras ?? false;
    this.#periodic = options.periodic ?? true;
    this.#log = options.logger ?? SILENT_LOGGER;
    this.#debug = logEnabled(this.#log, 'debug');
    this.#onStep = options.onStep;
    this.#onInit = options.onInit;
    this.#signal = options.signal;
    const idle = options.idleTimeoutMs;
    if (idle !== undefined && !(Number.isFinite(idle) && idle > 0)) {
      throw new AnisoError('E_ARG', `driver idleTimeoutMs must be a positive number of ms, got ${String(idle)}`);
    }
    this.#idleTimeoutMs = idle;
    this.#observers = new StepObservers(options.observers, (message) => this.#log.warn(message));
    this.#record = createStepRecord('driver', this.#system, { energy: 0, forces: new Float64Array(0), torques: null, virial: new Float64Array(9), extras: {} });
    const decoderOptions: DecoderOptions<'server'> = {
      from: 'server',
      reuse: true,
      onMessage: (m) => this.#onMessage(m),
      ...(options.maxAtoms !== undefined ? { maxAtoms: options.maxAtoms } : {}),
      ...(options.maxStringBytes !== undefined ? { maxStringBytes: options.maxStringBytes } : {}),
    };
    this.#decoder = new IpiDecoder(decoderOptions);
  }

  /** Request id of the last INIT, or null if none came yet. */
  get rid(): number | null {
    return this.#rid;
  }

  /** Initialisation string of the last INIT (raw, as decoded from UTF-8), or null. */
  get init(): string | null {
    return this.#init;
  }

  /** FORCEREADY replies sent so far. */
  get steps(): number {
    return this.#steps;
  }

  /** Serve the connection until EXIT, EOF, an error, or {@link IpiDriver.close}. Call once. */
  run(): Promise<DriverResult> {
    if (this.#started) return Promise.reject(new AnisoError('E_ARG', 'IpiDriver.run() may be called only once'));
    this.#started = true;
    const done = new Promise<DriverResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const s = this.#stream;
    s.on('error', (err: NodeJS.ErrnoException) => this.#onError(err));
    s.on('end', () => this.#onEnd());
    s.on('close', () => this.#onClose());
    // A socket from connect({ staticRead }) reads into one buffer: decode each read before it
    // is reused (pushTransient keeps copies of partial messages). Any other stream: 'data'.
    const transient = onSocketRead(s, (chunk) => this.#onChunk(chunk, true));
    if (!transient) s.on('data', (chunk: Buffer) => this.#onChunk(chunk, false));
    this.#lastReplyAt = performance.now();
    if (this.#idleTimeoutMs !== undefined) this.#idleTimer = setTimeout(this.#onIdle, this.#idleTimeoutMs);
    if (this.#signal) {
      if (this.#signal.aborted) this.close();
      else this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    return done;
  }

  #onChunk(chunk: Buffer, transient: boolean): void {
    if (this.#done) return;
    try {
      if (transient) this.#decoder.pushTransient(chunk);
      else this.#decoder.push(chunk);
    } catch (err) {
      this.#fail(err);
    }
    // Restart the silence clock once this chunk is served (a synchronous compute is not silence).
    this.#idleTimer?.refresh();
  }

  readonly #onIdle = (): void => {
    if (this.#done) return;
    if (this.#busy) return; // computing: restarted when the result is in
    const s = this.#idleTimeoutMs! / 1000;
    this.#fail(
      new AnisoError(
        'E_TRANSPORT',
        `the server sent nothing for ${s} s (timeout ${s} s) while the driver waited for a message, after ${this.#steps} steps; giving up`,
      ),
    );
  };

  /** Stop now: close the connection without replying; `run()` resolves with reason `closed`. */
  close(): void {
    if (this.#started) this.#finish('closed');
  }

  #onMessage(m: ServerMessage): void {
    if (this.#done) return;
    this.#messages++;
    // Refuse a batched protocol as soon as its INIT is decoded, before any later byte is parsed.
    if (m.type === 'INIT') this.#checkInit(m);
    if (this.#busy || this.#queue.length > 0) {
      // A queued POSDATA must survive the decoding of later messages: it keeps its arrays.
      if (m.type === 'POSDATA') this.#decoder.disown();
      this.#queue.push(m);
      return;
    }
    this.#handle(m);
  }

  #drain(): void {
    while (!this.#busy && !this.#done && this.#queue.length > 0) this.#handle(this.#queue.shift()!);
  }

  #handle(m: ServerMessage): void {
    if (this.#debug) this.#log.info('debug', `${SOCKET_PREFIX}<- ${m.type}${m.type === 'POSDATA' ? ` (N = ${m.n})` : ''}`);
    switch (m.type) {
      case 'STATUS': {
        const reply = this.#needInit ? NEEDINIT : this.#reply ? HAVEDATA : READY;
        this.#write(reply, false);
        if (this.#debug) this.#log.info('debug', `${SOCKET_PREFIX}-> ${reply.toString('latin1').trimEnd()}`);
        return;
      }
      case 'INIT':
        this.#rid = m.rid;
        this.#init = m.init;
        this.#needInit = false;
        this.#log.info('low', `${SOCKET_PREFIX}INIT received: rid = ${m.rid}, init string ${escapeBytes(Buffer.from(m.init, 'utf8'))}`);
        this.#callHook(() => this.#onInit?.({ rid: m.rid, init: m.init }));
        return;
      case 'POSDATA':
        this.#posData(m);
        return;
      case 'GETFORCE':
        this.#getForce();
        return;
      case 'EXIT':
        this.#log.info('low', `${SOCKET_PREFIX}EXIT received after ${this.#steps} steps`);
        this.#finish('exit');
        return;
    }
  }

  #checkInit(m: InitMessage): void {
    const batch = batchSizeOf(m.init);
    if (batch !== 1) {
      throw new AnisoError(
        'E_PROTOCOL',
        `server announced batch_size:${batch} in INIT ${escapeBytes(Buffer.from(m.init, 'utf8'))}: ` +
          'the batched protocol is not supported; use batch_size 1 (remove <batch_size> from the <ffsocket>)',
      );
    }
  }

  #posData(m: PosDataMessage): void {
    this.#posAt = performance.now();
    this.#reply = null; // new data supersedes any unanswered result
    if (m.n !== this.#lastN) {
      if (this.#lastN < 0) this.#log.info('medium', `${SOCKET_PREFIX}first request: N = ${m.n} atoms`);
      else this.#log.info('medium', `${SOCKET_PREFIX}atom count changed from ${this.#lastN} to ${m.n}`);
      this.#lastN = m.n;
    }
    let result: ForceResult | PromiseLike<ForceResult>;
    const system = this.#system;
    try {
      system.cell = cellFromWire(m.h, this.#scales.lengthFromWire, this.#periodic, this.#cells);
      system.positions = scaleInPlace(m.positions, this.#scales.lengthFromWire);
      system.n = m.n;
      result = this.#provider.compute(system);
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (isThenable(result)) {
      // The provider may read the arrays until it resolves: later POSDATA go to new arrays.
      this.#decoder.disown();
      this.#busy = true;
      result.then(
        (r) => {
          this.#busy = false;
          if (this.#done) return;
          this.#idleTimer?.refresh();
          if (this.#computed(r, m.n)) this.#drain();
        },
        (err: unknown) => {
          this.#busy = false;
          this.#fail(err);
        },
      );
      return;
    }
    this.#computed(result, m.n);
  }

  /** Validate and encode a result; false (and the run failed) if it must not be sent. */
  #computed(r: ForceResult, n: number): boolean {
    try {
      this.#computeUs = (performance.now() - this.#posAt) * 1000;
      validateResult(r, n);
      let extras: Buffer | null = null;
      if (this.#sendExtras) {
        extras = encodeExtras(r.extras ?? {}, (from, to) => {
          if (this.#warnedRaw) return;
          this.#warnedRaw = true;
          this.#log.warn(`provider extras key '${from}' is reserved by i-PI; sent as '${to}'`);
        });
      }
      const s = this.#scales;
      const fields = this.#fields;
      fields.energy = r.energy;
      fields.forces = r.forces;
      fields.virial = r.virial;
      fields.extras = extras ?? undefined;
      // Reuse the kept reply buffer unless its previous write is still pending in the stream.
      this.#reply = this.#encoder.encode(fields, s.replyScales, this.#stream.writableLength === 0);
      this.#energy = r.energy;
      this.#replyN = n;
      this.#result = r;
      return true;
    } catch (err) {
      this.#fail(err);
      return false;
    }
  }

  #getForce(): void {
    const reply = this.#reply;
    if (reply === null) {
      this.#fail(new AnisoError('E_PROTOCOL', 'server sent GETFORCE with no POSDATA pending (expected POSDATA first)'));
      return;
    }
    this.#write(reply, true);
    this.#reply = null;
    this.#steps++;
    const now = performance.now();
    const turnaroundUs = (now - this.#posAt) * 1000;
    const idleUs = (this.#posAt - this.#lastReplyAt) * 1000;
    this.#lastReplyAt = now;
    if (this.#debug) this.#log.info('debug', `${SOCKET_PREFIX}-> FORCEREADY (N = ${this.#replyN}, E = ${this.#energy} eV)`);
    if (this.#onStep) {
      const info: DriverStepInfo = {
        step: this.#steps,
        n: this.#replyN,
        rid: this.#rid,
        energy: this.#energy,
        computeUs: this.#computeUs,
        turnaroundUs,
        idleUs,
      };
      try {
        this.#onStep(info);
      } catch (err) {
        this.#fail(err);
        return;
      }
    }
    if (this.#observers.active && !this.#done) this.#publish(turnaroundUs, idleUs);
  }

  /** Hand the step just answered to the observers (the reply is already written). */
  #publish(stepUs: number, waitUs: number): void {
    const rec = this.#record;
    rec.step = this.#steps;
    rec.system = this.#system;
    rec.result = this.#result!;
    rec.timings.computeUs = this.#computeUs;
    rec.timings.stepUs = stepUs;
    rec.timings.waitUs = waitUs;
    this.#observers.publish(rec);
  }

  #callHook(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.#fail(err);
    }
  }

  #write(buf: Buffer, force: boolean): void {
    this.#lastWriteForce = force;
    this.#unacked++;
    this.#stream.write(buf, this.#onWritten);
  }

  readonly #onWritten = (err?: Error | null): void => {
    this.#unacked--;
    if (err) {
      this.#onError(err as NodeJS.ErrnoException);
      return;
    }
    if (this.#endSeen && this.#unacked === 0) this.#onEnd();
  };

  #onEnd(): void {
    if (this.#done) return;
    if (this.#unacked > 0) {
      // Was the reply in flight read, or refused by a closed server? Its completion decides.
      this.#endSeen = true;
      return;
    }
    try {
      this.#decoder.finish();
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (this.#queue.some((m) => m.type === 'EXIT')) {
      this.#finish('exit');
      return;
    }
    if (this.#messages === 0) {
      this.#failSilentServer('closed the connection');
      return;
    }
    this.#log.info('low', `${SOCKET_PREFIX}server closed the connection (EOF) after ${this.#steps} steps`);
    this.#finish('eof');
  }

  #onError(err: NodeJS.ErrnoException): void {
    if (this.#done) return;
    const code = err.code ?? '';
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      if (this.#decoder.atBoundary && !this.#busy && this.#reply === null && !this.#lastWriteForce) {
        if (this.#messages === 0) {
          this.#failSilentServer(`reset the connection (${code})`, err);
          return;
        }
        this.#log.warn(`connection reset by the server (${code}) between steps after ${this.#steps} steps; treated as EOF`);
        this.#finish('eof');
        return;
      }
      this.#fail(new AnisoError('E_TRANSPORT', `the server died mid-step: ${this.#midStep()} when the connection was reset (${code}); the step is lost`, { cause: err }));
      return;
    }
    let where = '';
    if (!this.#decoder.atBoundary) where = ` with ${this.#decoder.pendingBytes} bytes of a message received`;
    this.#fail(new AnisoError('E_TRANSPORT', `connection to the server failed${where}: ${code ? code + ' ' : ''}${err.message}`, { cause: err }));
  }

  /**
   * The server ended the connection before its first message: not ASE's or i-PI's clean end but a
   * server that refused this driver (a one-driver server already serving another) or died at once.
   */
  #failSilentServer(how: string, cause?: unknown): void {
    this.#fail(
      new AnisoError(
        'E_TRANSPORT',
        `the server ${how} before sending anything (is another driver already connected?)`,
        cause !== undefined ? { cause } : undefined,
      ),
    );
  }

  /** Where the step in flight stood, for the reset message. */
  #midStep(): string {
    const step = this.#steps + 1;
    if (!this.#decoder.atBoundary) return `${this.#decoder.pendingBytes} bytes of a message had arrived (reset mid-message, step ${step})`;
    if (this.#busy) return `step ${step}'s forces were being computed`;
    if (this.#reply !== null) return `step ${step}'s forces were computed and awaited GETFORCE`;
    return `the FORCEREADY of step ${this.#steps} had been sent and not read`;
  }

  #onClose(): void {
    if (this.#done) return;
    if (this.#endSeen) {
      this.#endSeen = false;
      this.#unacked = 0;
      this.#onEnd();
      return;
    }
    if (!this.#decoder.atBoundary) {
      this.#fail(new AnisoError('E_TRANSPORT', `connection closed mid-message with ${this.#decoder.pendingBytes} bytes of a message received`));
      return;
    }
    if (this.#messages === 0) {
      this.#failSilentServer('closed the connection');
      return;
    }
    this.#finish('closed');
  }

  readonly #onAbort = (): void => {
    this.#log.info('low', `${SOCKET_PREFIX}aborted locally after ${this.#steps} steps`);
    this.close();
  };

  #end(): void {
    this.#done = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#decoder.stop();
    this.#queue = [];
    this.#reply = null;
    this.#result = null;
    this.#stream.destroy();
  }

  #finish(reason: DriverEndReason): void {
    if (this.#done) return;
    this.#end();
    this.#resolve({ reason, steps: this.#steps, rid: this.#rid, init: this.#init });
  }

  #fail(err: unknown): void {
    if (this.#done) return;
    this.#end();
    this.#reject(err);
  }
}

/**
 * Check a provider result for N atoms before anything is sent: `E_SIZE` for wrong lengths,
 * `E_NONFINITE` naming the quantity and index (atom and component for forces) of the first
 * NaN/infinity.
 */
export function validateResult(r: ForceResult, n: number): void {
  if (r === null || typeof r !== 'object') {
    throw new AnisoError('E_ARG', `provider returned ${r === null ? 'null' : typeof r} instead of a ForceResult`);
  }
  if (typeof r.energy !== 'number' || !Number.isFinite(r.energy)) {
    throw new AnisoError('E_NONFINITE', `provider returned a non-finite energy (${String(r.energy)} eV) for N = ${n}; nothing was sent`);
  }
  if (!r.forces || r.forces.length !== 3 * n) {
    throw new AnisoError('E_SIZE', `provider returned ${r.forces ? r.forces.length : 'no'} force components for N = ${n} atoms (expected 3N = ${3 * n}); nothing was sent`);
  }
  if (!r.virial || r.virial.length !== 9) {
    throw new AnisoError('E_SIZE', `provider returned a virial of length ${r.virial ? r.virial.length : 0} (expected 9); nothing was sent`);
  }
  const f = firstNonFinite(r.forces);
  if (f >= 0) {
    throw new AnisoError(
      'E_NONFINITE',
      `provider returned a non-finite force: forces[${f}] = ${r.forces[f]} (atom ${Math.floor(f / 3)}, ${COMPONENT[f % 3]}) for N = ${n}; nothing was sent`,
    );
  }
  const w = firstNonFinite(r.virial);
  if (w >= 0) {
    throw new AnisoError('E_NONFINITE', `provider returned a non-finite virial: virial[${w}] = ${r.virial[w]} (row ${Math.floor(w / 3)}, column ${w % 3}); nothing was sent`);
  }
}
