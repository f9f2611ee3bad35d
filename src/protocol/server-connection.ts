// SPDX-License-Identifier: BSD-3-Clause
/**
 * The server side of one driver connection, as an {@link AsyncForceSource}: each `compute(system)`
 * runs one request in a selectable message order (PROTOCOL.md §3):
 *
 * - `'ipi'` (i-PI ≥ 3.2): handshake `STATUS→NEEDINIT, INIT, STATUS→READY` once, then per request
 *   `POSDATA+GETFORCE` (one write) `→ FORCEREADY`, then `STATUS→READY`. The trailing STATUS is
 *   sent as soon as FORCEREADY is in and its reply is read at the start of the next request, so
 *   the bytes are i-PI's and the exchange overlaps with the caller's own work.
 * - `'legacy'` (i-PI ≤ 3.1): `STATUS→READY` (INIT on NEEDINIT), `POSDATA`, `STATUS→HAVEDATA`,
 *   `GETFORCE→FORCEREADY`.
 * - `'ase'` (ASE 3.22 `SocketIOCalculator`): `STATUS→(NEEDINIT: INIT(0, 1, "\0"), STATUS)→READY`,
 *   `POSDATA`, `STATUS→HAVEDATA`, `GETFORCE→FORCEREADY`, asserting READY and HAVEDATA as ASE does.
 *
 * Replies are validated (expected header, N, finiteness). A protocol violation or transport
 * failure breaks the connection for good (the driver is sent EXIT when it can still listen); a
 * non-finite result only rejects that request.
 */
import type { Duplex } from 'node:stream';
import { AnisoError, firstNonFinite } from '../core/errors.js';
import type { AsyncForceSource, ForceResult, ParticleSystem } from '../core/system.js';
import { IpiDecoder, type DecoderOptions } from './decoder.js';
import { encodeHeader, encodeInit, encodePosData } from './encoder.js';
import { parseExtras } from './extras.js';
import { SILENT_LOGGER, SOCKET_PREFIX, logEnabled, type ProtocolLogger } from './logger.js';
import type { ClientMessage, ForceReadyMessage } from './messages.js';
import { cellToWire, forceResultFromWire, resolveUnits, wireScales, type UnitsChoice, type WireScales } from './wire-convert.js';

/** Which real server's message order to replay. */
export type MessageOrder = 'ipi' | 'legacy' | 'ase';

/** The allowed message orders. */
export const MESSAGE_ORDERS: readonly MessageOrder[] = ['ipi', 'legacy', 'ase'];

/** Options of {@link IpiServerConnection}. */
export interface ServerConnectionOptions {
  /** Message order; default `'ipi'`. */
  readonly order?: MessageOrder;
  /** Atomic-unit constants; default `'ipi'`. */
  readonly units?: UnitsChoice;
  /** INIT string for the `ipi` and `legacy` orders; default `' '` (i-PI with no parameters). */
  readonly init?: string;
  /** INIT request id for the `ipi` and `legacy` orders; default 0. */
  readonly rid?: number;
  /** Longest wait for any reply, ms (a slow force evaluation included). Default: none. */
  readonly replyTimeoutMs?: number;
  /** After EXIT, how long to wait for the driver to close before dropping the socket, ms. Default 2000. */
  readonly closeGraceMs?: number;
  /** Sanity bound on the N of a FORCEREADY. */
  readonly maxAtoms?: number;
  /** Sanity bound on the extras length, bytes. */
  readonly maxStringBytes?: number;
  /** Where to report. */
  readonly logger?: ProtocolLogger;
}

interface Waiter {
  resolve: (m: ClientMessage) => void;
  reject: (e: unknown) => void;
  what: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const STATUS = encodeHeader('STATUS');
const GETFORCE = encodeHeader('GETFORCE');
const EXIT = encodeHeader('EXIT');
const MAX_INITS = 8;
const COMPONENT = ['x', 'y', 'z'] as const;

/**
 * One accepted driver, driven request by request. Concurrent `compute` calls are queued and run
 * one after the other. Errors (`AnisoError`): `E_PROTOCOL` (unexpected reply, wrong N, unknown
 * header), `E_TRANSPORT` (driver closed or reset the connection, timeout), `E_NONFINITE` (the
 * driver returned NaN/∞: that request only), `E_SIZE` (inconsistent system).
 */
export class IpiServerConnection implements AsyncForceSource {
  /** The message order in use. */
  readonly order: MessageOrder;
  readonly #stream: Duplex;
  readonly #scales: WireScales;
  readonly #initMessage: Buffer; // INIT followed by STATUS, one write
  readonly #maxInits: number;
  readonly #timeoutMs: number | undefined;
  readonly #graceMs: number;
  readonly #log: ProtocolLogger;
  readonly #debug: boolean;
  readonly #decoder: IpiDecoder<'client'>;
  readonly #closedP: Promise<void>;

  #inbox: ClientMessage[] = [];
  #waiter: Waiter | null = null;
  #outstanding = 0; // replies owed by the driver (one per STATUS or GETFORCE sent)
  #error: Error | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #handshaken = false;
  #statusPending = false;
  #closing: Promise<void> | null = null;
  #bytesReceived = 0;
  #requests = 0;
  #h = new Float64Array(9);
  #hInv = new Float64Array(9);

  constructor(stream: Duplex, options: ServerConnectionOptions = {}) {
    const order = options.order ?? 'ipi';
    if (!MESSAGE_ORDERS.includes(order)) {
      throw new AnisoError('E_ARG', `message order must be one of ${MESSAGE_ORDERS.join(', ')}, got '${String(order)}'`);
    }
    this.order = order;
    this.#stream = stream;
    this.#scales = wireScales(resolveUnits(options.units));
    const init = order === 'ase' ? encodeInit(0, Buffer.from([0])) : encodeInit(options.rid ?? 0, options.init ?? ' ');
    this.#initMessage = Buffer.concat([init, STATUS]);
    this.#maxInits = order === 'ase' ? 1 : MAX_INITS;
    this.#timeoutMs = options.replyTimeoutMs;
    this.#graceMs = options.closeGraceMs ?? 2000;
    this.#log = options.logger ?? SILENT_LOGGER;
    this.#debug = logEnabled(this.#log, 'debug');
    const decoderOptions: DecoderOptions<'client'> = {
      from: 'client',
      onMessage: (m) => this.#onMessage(m),
      ...(options.maxAtoms !== undefined ? { maxAtoms: options.maxAtoms } : {}),
      ...(options.maxStringBytes !== undefined ? { maxStringBytes: options.maxStringBytes } : {}),
    };
    this.#decoder = new IpiDecoder(decoderOptions);
    this.#closedP = new Promise((resolve) => stream.once('close', () => resolve()));
    stream.on('data', (chunk: Buffer) => {
      this.#bytesReceived += chunk.length;
      if (this.#error) return;
      try {
        this.#decoder.push(chunk);
      } catch (err) {
        this.#break(err as Error, true);
      }
    });
    stream.on('end', () => this.#onEnd());
    stream.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ? `${err.code} ` : '';
      this.#break(new AnisoError('E_TRANSPORT', `connection to the driver failed${this.#waiting()}: ${code}${err.message}`, { cause: err }), false);
    });
    stream.on('close', () => {
      this.#break(new AnisoError('E_TRANSPORT', `connection to the driver closed${this.#waiting()}`), false);
    });
  }

  /** Bytes received from the driver so far (all messages, complete or not). */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Requests answered so far. */
  get requests(): number {
    return this.#requests;
  }

  /** The error that broke the connection, or null while it is usable. */
  get error(): Error | null {
    return this.#error;
  }

  /**
   * Energy (eV), forces (eV/Å) and virial (eV) of `system` (positions Å, cell rows Å) from the
   * driver. `torques` is null; `extras` holds the parsed extras ({} when none).
   */
  compute(system: ParticleSystem): Promise<ForceResult> {
    const p = this.#chain.then(() => this.#request(system));
    this.#chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /**
   * Bring the driver to READY (STATUS, INIT if it asks) without sending a request; the first
   * `compute` does this anyway. Useful to fail early at start-up.
   */
  handshake(): Promise<void> {
    const p = this.#chain.then(() => this.#handshake());
    this.#chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /**
   * Send EXIT and close; resolves once the socket is closed (the driver closed its end, or
   * `closeGraceMs` passed). A request in flight rejects with `E_TRANSPORT`. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#break(new AnisoError('E_TRANSPORT', 'connection closed by the server (close() was called)'), true);
    this.#closing = this.#closedP;
    return this.#closing;
  }

  async #handshake(): Promise<void> {
    if (this.#error) throw this.#error;
    try {
      if (this.#statusPending) {
        this.#statusPending = false;
        await this.#ready(await this.#next('the reply to STATUS after FORCEREADY'), 'after FORCEREADY');
      } else {
        this.#send(STATUS, 1);
        await this.#ready(await this.#next('the reply to STATUS'), this.#handshaken ? 'before POSDATA' : 'in the handshake');
      }
      this.#handshaken = true;
    } catch (err) {
      this.#break(err as Error, true);
      throw err;
    }
  }

  async #request(system: ParticleSystem): Promise<ForceResult> {
    if (this.#error) throw this.#error;
    const n = system.n;
    if (!Number.isInteger(n) || n < 0 || system.positions.length !== 3 * n) {
      throw new AnisoError('E_SIZE', `system has n = ${n} but ${system.positions.length} position components (expected 3n)`);
    }
    const { h, hInv } = cellToWire(system.cell, this.#scales.lengthToWire, this.#h, this.#hInv);
    const fields = { h, hInv, positions: system.positions };
    const positionScale = this.#scales.lengthToWire;
    let reply: ForceReadyMessage;
    try {
      if (this.order === 'ipi') {
        if (this.#statusPending || !this.#handshaken) await this.#handshake();
        this.#send(encodePosData(fields, { positionScale, trailer: 'GETFORCE' }), 1);
        reply = this.#forceReady(await this.#next(`FORCEREADY (N = ${n})`), n);
        this.#send(STATUS, 1);
        this.#statusPending = true;
      } else {
        await this.#handshake();
        this.#send(encodePosData(fields, { positionScale, trailer: 'STATUS' }), 1);
        const r = await this.#next('the reply to STATUS after POSDATA');
        if (r.type !== 'HAVEDATA') {
          throw new AnisoError('E_PROTOCOL', `expected HAVEDATA after POSDATA (${this.order} order), driver replied ${r.type}`);
        }
        this.#send(GETFORCE, 1);
        reply = this.#forceReady(await this.#next(`FORCEREADY (N = ${n})`), n);
      }
    } catch (err) {
      this.#break(err as Error, true);
      throw err;
    }
    this.#requests++;
    if (this.#debug) this.#log.info('debug', `${SOCKET_PREFIX}<- FORCEREADY (N = ${n}, E = ${reply.energy} Ha)`);
    return this.#result(reply, n);
  }

  /** Answer NEEDINIT with INIT+STATUS until READY; anything else than READY is an error. */
  async #ready(first: ClientMessage, context: string): Promise<void> {
    let reply = first;
    let inits = 0;
    while (reply.type === 'NEEDINIT') {
      if (inits === this.#maxInits) {
        throw new AnisoError('E_PROTOCOL', `driver still answers NEEDINIT after ${inits} INIT message(s) (${this.order} order)`);
      }
      inits++;
      this.#send(this.#initMessage, 1);
      if (this.#debug) this.#log.info('debug', `${SOCKET_PREFIX}-> INIT, STATUS`);
      reply = await this.#next('the reply to STATUS after INIT');
    }
    if (reply.type !== 'READY') {
      throw new AnisoError('E_PROTOCOL', `expected READY ${context} (${this.order} order), driver replied ${reply.type}`);
    }
  }

  #forceReady(m: ClientMessage, n: number): ForceReadyMessage {
    if (m.type !== 'FORCEREADY') {
      throw new AnisoError('E_PROTOCOL', `expected FORCEREADY after GETFORCE (${this.order} order), driver replied ${m.type}`);
    }
    if (m.n !== n) {
      throw new AnisoError('E_PROTOCOL', `driver returned FORCEREADY for N = ${m.n} atoms, but POSDATA had N = ${n}`);
    }
    return m;
  }

  #result(m: ForceReadyMessage, n: number): ForceResult {
    if (!Number.isFinite(m.energy)) {
      throw new AnisoError('E_NONFINITE', `driver returned a non-finite energy (${m.energy} Ha) for N = ${n}`);
    }
    const f = firstNonFinite(m.forces);
    if (f >= 0) {
      throw new AnisoError('E_NONFINITE', `driver returned a non-finite force: forces[${f}] = ${m.forces[f]} (atom ${Math.floor(f / 3)}, ${COMPONENT[f % 3]})`);
    }
    const w = firstNonFinite(m.virial);
    if (w >= 0) {
      throw new AnisoError('E_NONFINITE', `driver returned a non-finite virial: virial[${w}] = ${m.virial[w]}`);
    }
    return forceResultFromWire(m, this.#scales, parseExtras(m.extras));
  }

  #send(buf: Buffer, replies: number): void {
    if (this.#error) throw this.#error;
    this.#outstanding += replies;
    this.#stream.write(buf);
  }

  #next(what: string): Promise<ClientMessage> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift()!);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, what, timer: undefined };
      const t = this.#timeoutMs;
      if (t !== undefined) {
        w.timer = setTimeout(() => {
          this.#break(new AnisoError('E_TRANSPORT', `no reply from the driver within ${t} ms while waiting for ${what}`), true);
        }, t);
      }
      this.#waiter = w;
    });
  }

  #onMessage(m: ClientMessage): void {
    if (this.#outstanding === 0) {
      throw new AnisoError('E_PROTOCOL', `driver sent ${m.type} unasked (no STATUS or GETFORCE pending)`);
    }
    this.#outstanding--;
    const w = this.#waiter;
    if (w) {
      this.#waiter = null;
      if (w.timer) clearTimeout(w.timer);
      w.resolve(m);
    } else {
      this.#inbox.push(m);
    }
  }

  #onEnd(): void {
    if (this.#error) return;
    try {
      this.#decoder.finish();
    } catch (err) {
      this.#break(err as Error, false);
      return;
    }
    this.#break(new AnisoError('E_TRANSPORT', `driver closed the connection${this.#waiting()}`), false);
  }

  #waiting(): string {
    return this.#waiter ? ` while the server waited for ${this.#waiter.what}` : '';
  }

  /**
   * Make `err` the connection's final error: reject the pending wait, stop decoding, and close
   * (sending EXIT first if `sayExit` and the socket is still writable).
   */
  #break(err: Error, sayExit: boolean): void {
    if (this.#error) return;
    this.#error = err;
    this.#decoder.stop();
    this.#inbox = [];
    const w = this.#waiter;
    this.#waiter = null;
    if (w) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    const s = this.#stream;
    if (s.destroyed) return;
    if (sayExit && s.writable) {
      s.end(EXIT);
      this.#log.info('low', `${SOCKET_PREFIX}EXIT sent to the driver`);
      const t = setTimeout(() => s.destroy(), this.#graceMs);
      t.unref();
      s.once('close', () => clearTimeout(t));
    } else {
      s.destroy();
    }
  }
}
