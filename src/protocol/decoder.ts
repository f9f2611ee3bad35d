// SPDX-License-Identifier: BSD-3-Clause
/**
 * Incremental decoder of the i-PI byte stream, for either direction: an explicit state machine fed
 * arbitrary chunks (`push`), emitting each complete message through a callback. Messages may be
 * split anywhere and several may share one chunk. Fixed-size fields are read in place when they
 * lie in one chunk and copied only when they straddle a chunk boundary; bulk arrays are copied
 * once, straight from the chunks into their `Float64Array`. Headers are matched on their bytes
 * (no string is built for a known header).
 *
 * With {@link DecoderOptions.reuse} (what the driver uses), decoding a POSDATA allocates nothing
 * while N is unchanged: the message object and its `h`, `hInv` and `positions` arrays belong to
 * the decoder and are overwritten by the next POSDATA.
 */
import { AnisoError } from '../core/errors.js';
import {
  CLIENT_HEADERS,
  DEFAULT_MAX_ATOMS,
  DEFAULT_MAX_STRING_BYTES,
  FORCEREADY_HEAD_BYTES,
  FORCEREADY_TAIL_BYTES,
  F64_BYTES,
  HEADER_BYTES,
  INIT_FIXED_BYTES,
  MAT3_BYTES,
  POSDATA_FIXED_BYTES,
  SERVER_HEADERS,
  type Sender,
} from './constants.js';
import type { ClientMessage, PosDataMessage, ServerMessage } from './messages.js';

/** The message type a decoder for messages sent by `S` emits. */
export type MessageFrom<S extends Sender> = S extends 'server' ? ServerMessage : ClientMessage;

/** Options of {@link IpiDecoder}. */
export interface DecoderOptions<S extends Sender> {
  /**
   * Who sends the bytes being decoded: `'server'` (a driver decodes STATUS, INIT, POSDATA,
   * GETFORCE, EXIT) or `'client'` (a server decodes READY, NEEDINIT, HAVEDATA, FORCEREADY).
   */
  readonly from: S;
  /** Called synchronously, in order, for every complete message. */
  readonly onMessage: (message: MessageFrom<S>) => void;
  /** Largest accepted atom count N (inclusive); default 10^8 − 1. */
  readonly maxAtoms?: number;
  /** Largest accepted INIT string or extras length, bytes; default 16 MiB. */
  readonly maxStringBytes?: number;
  /**
   * Reuse the POSDATA message and its arrays (default false: every message is fresh and owned
   * by the receiver). When true, an emitted POSDATA (the object, `h`, `hInv`, `positions`) is
   * valid until the next POSDATA is decoded: the same object and arrays are refilled while N is
   * unchanged, and a new `positions` array is allocated when N changes. A receiver that keeps a
   * POSDATA beyond that copies it, or calls {@link IpiDecoder.disown} first. FORCEREADY arrays
   * are always fresh.
   */
  readonly reuse?: boolean;
}

/** A POSDATA message the decoder refills in place ({@link DecoderOptions.reuse}). */
type MutablePosData = { -readonly [K in keyof PosDataMessage]: PosDataMessage[K] };

// States of the machine. Each state waits for a known number of bytes (#need).
const S_HEADER = 0;
const S_INIT_FIXED = 1;
const S_INIT_STRING = 2;
const S_POS_FIXED = 3;
const S_POS_BODY = 4;
const S_FORCE_HEAD = 5;
const S_FORCE_BODY = 6;
const S_FORCE_TAIL = 7;
const S_EXTRAS = 8;

const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Bytes the carry buffer (a message split across reads) holds from the start, so that the first
 * split of a small message, which may come at any step, allocates nothing; larger messages grow it
 * once.
 */
const CARRY_START_BYTES = 4096;

/** A known header: its 12 bytes as three little-endian uint32 words, and what it decodes to. */
interface KnownHeader {
  readonly word: string;
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly fromServer: boolean;
  /** The frozen message of a header-only word (one shared instance), or null. */
  readonly simple: ServerMessage | ClientMessage | null;
}

const HEADER_ONLY_WORDS: readonly string[] = ['STATUS', 'GETFORCE', 'EXIT', 'READY', 'NEEDINIT', 'HAVEDATA'];
const KNOWN_HEADERS: readonly KnownHeader[] = [...SERVER_HEADERS, ...CLIENT_HEADERS].map((word) => {
  const bytes = Buffer.from(word.padEnd(HEADER_BYTES, ' '), 'latin1');
  return {
    word,
    w0: bytes.readUInt32LE(0),
    w1: bytes.readUInt32LE(4),
    w2: bytes.readUInt32LE(8),
    fromServer: (SERVER_HEADERS as readonly string[]).includes(word),
    simple: HEADER_ONLY_WORDS.includes(word) ? (Object.freeze({ type: word }) as ServerMessage | ClientMessage) : null,
  };
});

/**
 * Render bytes for an error message: printable ASCII as is (backslash and double quote escaped),
 * everything else as `\xHH`, inside double quotes. Trailing spaces stay visible inside the quotes.
 */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x5c) s += '\\\\';
    else if (b === 0x22) s += '\\"';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s + '"';
}

/**
 * Incremental i-PI decoder. Feed it bytes with {@link IpiDecoder.push}; call
 * {@link IpiDecoder.finish} when the stream ends to detect a truncated message.
 *
 * Errors (`AnisoError`): `E_PROTOCOL` for an unknown header (the message shows the 12 bytes seen,
 * escaped), a header of the other direction, or an atom count / string length outside the sanity
 * bounds; `E_TRANSPORT` from `finish()` when the stream ended mid-message. After an error the
 * decoder is dead: further `push` calls throw the same error.
 *
 * @example
 * const dec = new IpiDecoder({ from: 'server', onMessage: (m) => queue.push(m) });
 * socket.on('data', (chunk) => dec.push(chunk));
 */
export class IpiDecoder<S extends Sender = Sender> {
  /** Who sends the decoded bytes. */
  readonly from: S;
  readonly #onMessage: (message: MessageFrom<S>) => void;
  readonly #maxAtoms: number;
  readonly #maxString: number;
  readonly #reuse: boolean;

  // Unread input: chunks[0] from #offset on, then the other chunks whole.
  #chunks: Buffer[] = [];
  #offset = 0;
  #buffered = 0;

  #state = S_HEADER;
  #need = HEADER_BYTES;
  #stopped = false;
  #error: Error | null = null;

  // The message being decoded.
  #kind = '';
  #msgBytes = 0; // bytes of it consumed so far
  #msgTotal = HEADER_BYTES; // its total size as far as known
  #msgTotalExact = false;
  #int = 0; // rid (INIT), string length
  #n = 0;
  #energy = 0;
  #h: Float64Array | null = null;
  #hInv: Float64Array | null = null;
  #array: Float64Array | null = null;
  #virial: Float64Array | null = null;
  // Reused POSDATA storage (options.reuse): the message object and its arrays.
  #posMsg: MutablePosData | null = null;
  // A byte view of the last array filled by #takeInto.
  #bytesOf: Float64Array | null = null;
  #bytes: Uint8Array | null = null;

  // Unread bytes of transient chunks (pushTransient), kept in a buffer of our own, reused:
  // #carryView = #carry[#carryStart, #carryEnd) is then #chunks[0].
  #carry: Buffer = Buffer.alloc(CARRY_START_BYTES);
  #carryView: Buffer | null = null;
  #carryStart = 0;
  #carryEnd = 0;

  // Where the last #take() left its bytes: #rb at #ro.
  #rb: Buffer = Buffer.alloc(0);
  #ro = 0;
  readonly #scratch = Buffer.alloc(256);

  constructor(options: DecoderOptions<S>) {
    if (options.from !== 'server' && options.from !== 'client') {
      throw new AnisoError('E_ARG', `decoder 'from' must be 'server' or 'client', got '${String(options.from)}'`);
    }
    const maxAtoms = options.maxAtoms ?? DEFAULT_MAX_ATOMS - 1;
    const maxString = options.maxStringBytes ?? DEFAULT_MAX_STRING_BYTES;
    if (!Number.isInteger(maxAtoms) || maxAtoms < 0) {
      throw new AnisoError('E_ARG', `maxAtoms must be a non-negative integer, got ${maxAtoms}`);
    }
    if (!Number.isInteger(maxString) || maxString < 0) {
      throw new AnisoError('E_ARG', `maxStringBytes must be a non-negative integer, got ${maxString}`);
    }
    this.from = options.from;
    this.#onMessage = options.onMessage;
    this.#maxAtoms = maxAtoms;
    this.#maxString = maxString;
    this.#reuse = options.reuse ?? false;
  }

  /**
   * Give up the reused POSDATA storage ({@link DecoderOptions.reuse}): the last emitted POSDATA
   * and its arrays now belong to the receiver, and the next POSDATA is decoded into new ones.
   * For a receiver that must keep the data while later bytes are decoded (an asynchronous
   * provider still computing). A no-op without `reuse`.
   */
  disown(): void {
    this.#posMsg = null;
  }

  /** True when no partial message is buffered (the stream may end here cleanly). */
  get atBoundary(): boolean {
    return this.#state === S_HEADER && this.#buffered === 0;
  }

  /** Bytes received but not yet part of an emitted message. */
  get pendingBytes(): number {
    return this.#msgBytes + this.#buffered;
  }

  /**
   * Append a chunk and emit every message it completes. Throws `E_PROTOCOL` on malformed input.
   * A no-op after {@link IpiDecoder.stop}.
   */
  push(chunk: Uint8Array): void {
    if (this.#error) throw this.#error;
    if (this.#stopped || chunk.length === 0) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.#chunks.push(buf);
    this.#buffered += buf.length;
    try {
      this.#run();
    } catch (err) {
      if (err instanceof AnisoError) {
        this.#error = err;
        this.#release();
      }
      throw err;
    }
  }

  /**
   * {@link IpiDecoder.push} for a chunk whose memory the caller reuses once this returns (a
   * socket reading into one preallocated buffer): bytes not yet part of an emitted message are
   * copied into the decoder's own buffer (kept and reused, grown only when a message needs more),
   * so no reference to `chunk` survives the call.
   */
  pushTransient(chunk: Uint8Array): void {
    this.push(chunk);
    if (this.#buffered > 0 && !this.#stopped && this.#error === null) this.#keepUnread();
  }

  /** Copy every unread byte into #carry (appending after what it already holds when there is room). */
  #keepUnread(): void {
    const chunks = this.#chunks;
    let keepStart = 0;
    let keepEnd = 0;
    let k = 0;
    if (chunks[0] === this.#carryView) {
      keepStart = this.#carryStart + this.#offset;
      keepEnd = this.#carryEnd;
      k = 1;
    }
    let carry = this.#carry;
    const total = this.#buffered;
    if (keepEnd + (total - (keepEnd - keepStart)) > carry.length) {
      const target = total > carry.length ? Buffer.allocUnsafe(Math.max(2 * total, 4096)) : carry;
      carry.copy(target, 0, keepStart, keepEnd); // memmove when target is carry
      keepEnd -= keepStart;
      keepStart = 0;
      carry = this.#carry = target;
    }
    let at = keepEnd;
    for (; k < chunks.length; k++) {
      const c = chunks[k]!;
      const from = k === 0 ? this.#offset : 0;
      c.copy(carry, at, from);
      at += c.length - from;
    }
    this.#carryStart = keepStart;
    this.#carryEnd = at;
    this.#carryView = carry.subarray(keepStart, at);
    chunks.length = 0;
    chunks.push(this.#carryView);
    this.#offset = 0;
  }

  /** Stop decoding: drop buffered input; later `push` calls do nothing. */
  stop(): void {
    this.#stopped = true;
    this.#release();
  }

  /**
   * Declare the end of the stream. Returns normally at a message boundary; throws `E_TRANSPORT`
   * naming how many bytes of which message arrived if the stream ended inside a message.
   */
  finish(): void {
    if (this.#error || this.#stopped || this.atBoundary) return;
    const peer = this.from === 'server' ? 'server' : 'driver';
    const got = this.pendingBytes;
    let what: string;
    if (this.#state === S_HEADER) {
      what = `${got} of ${HEADER_BYTES} bytes of a header`;
    } else {
      const of = this.#msgTotalExact ? `${this.#msgTotal}` : `at least ${this.#msgTotal}`;
      what = `${got} of ${of} bytes of ${this.#kind}`;
      if (this.#kind === 'POSDATA' && this.#msgTotalExact) what += ` (N = ${this.#n})`;
    }
    throw new AnisoError('E_TRANSPORT', `${peer} closed the connection mid-message after ${what}`);
  }

  #release(): void {
    this.#carryView = null;
    this.#chunks = [];
    this.#offset = 0;
    this.#buffered = 0;
  }

  #run(): void {
    while (!this.#stopped && this.#buffered >= this.#need) {
      switch (this.#state) {
        case S_HEADER:
          this.#header();
          break;
        case S_INIT_FIXED:
          this.#take(INIT_FIXED_BYTES);
          this.#int = this.#rb.readInt32LE(this.#ro); // rid
          this.#n = this.#stringLength(this.#rb.readInt32LE(this.#ro + 4), 'INIT string');
          this.#expect(S_INIT_STRING, this.#n, HEADER_BYTES + INIT_FIXED_BYTES + this.#n, true);
          break;
        case S_INIT_STRING: {
          const init = this.#takeString(this.#n);
          this.#emit({ type: 'INIT', rid: this.#int, init });
          break;
        }
        case S_POS_FIXED: {
          this.#take(POSDATA_FIXED_BYTES);
          this.#n = this.#atomCount(this.#rb.readInt32LE(this.#ro + 2 * MAT3_BYTES), 'POSDATA');
          const reused = this.#reuse ? this.#posMsg : null;
          this.#h = this.#readF64s(this.#ro, reused ? reused.h : new Float64Array(9));
          this.#hInv = this.#readF64s(this.#ro + MAT3_BYTES, reused ? reused.hInv : new Float64Array(9));
          this.#array = reused && reused.positions.length === 3 * this.#n ? reused.positions : new Float64Array(3 * this.#n);
          const body = 3 * this.#n * F64_BYTES;
          this.#expect(S_POS_BODY, body, HEADER_BYTES + POSDATA_FIXED_BYTES + body, true);
          break;
        }
        case S_POS_BODY:
          this.#takeInto(this.#array!);
          this.#emit(this.#posDataMessage());
          break;
        case S_FORCE_HEAD: {
          this.#take(FORCEREADY_HEAD_BYTES);
          this.#energy = this.#rb.readDoubleLE(this.#ro);
          this.#n = this.#atomCount(this.#rb.readInt32LE(this.#ro + F64_BYTES), 'FORCEREADY');
          this.#array = new Float64Array(3 * this.#n);
          const body = 3 * this.#n * F64_BYTES;
          const total = HEADER_BYTES + FORCEREADY_HEAD_BYTES + body + FORCEREADY_TAIL_BYTES;
          this.#expect(S_FORCE_BODY, body, total, false);
          break;
        }
        case S_FORCE_BODY:
          this.#takeInto(this.#array!);
          this.#expect(S_FORCE_TAIL, FORCEREADY_TAIL_BYTES, this.#msgTotal, false);
          break;
        case S_FORCE_TAIL:
          this.#take(FORCEREADY_TAIL_BYTES);
          this.#virial = this.#readF64s(this.#ro, new Float64Array(9));
          this.#int = this.#stringLength(this.#rb.readInt32LE(this.#ro + MAT3_BYTES), 'FORCEREADY extras');
          this.#expect(S_EXTRAS, this.#int, this.#msgTotal + this.#int, true);
          break;
        case S_EXTRAS: {
          const extras = this.#takeString(this.#int);
          this.#emit({
            type: 'FORCEREADY',
            energy: this.#energy,
            n: this.#n,
            forces: this.#array!,
            virial: this.#virial!,
            extras,
          });
          break;
        }
      }
    }
  }

  /** The POSDATA just decoded: the reused object (options.reuse) or a fresh one. */
  #posDataMessage(): PosDataMessage {
    if (!this.#reuse) return { type: 'POSDATA', n: this.#n, h: this.#h!, hInv: this.#hInv!, positions: this.#array! };
    const m = this.#posMsg ?? { type: 'POSDATA', n: 0, h: this.#h!, hInv: this.#hInv!, positions: this.#array! };
    m.n = this.#n;
    m.h = this.#h!;
    m.hInv = this.#hInv!;
    m.positions = this.#array!;
    this.#posMsg = m;
    return m;
  }

  /** The known header at `#rb[#ro…]`, matched on its bytes, or null. */
  #knownHeader(): KnownHeader | null {
    const rb = this.#rb;
    const ro = this.#ro;
    const w0 = rb.readUInt32LE(ro);
    const w1 = rb.readUInt32LE(ro + 4);
    const w2 = rb.readUInt32LE(ro + 8);
    for (const h of KNOWN_HEADERS) if (h.w0 === w0 && h.w1 === w1 && h.w2 === w2) return h;
    return null;
  }

  /** Decode a header and move to the state of its payload (or emit a header-only message). */
  #header(): void {
    this.#take(HEADER_BYTES);
    const known = this.#knownHeader();
    const fromServer = this.from === 'server';
    if (known === null || known.fromServer !== fromServer) {
      throw this.#badHeader(this.#rb.toString('latin1', this.#ro, this.#ro + HEADER_BYTES));
    }
    if (known.simple !== null) {
      this.#emit(known.simple);
      return;
    }
    this.#kind = known.word;
    const H = HEADER_BYTES;
    if (known.word === 'INIT') return this.#expect(S_INIT_FIXED, INIT_FIXED_BYTES, H + INIT_FIXED_BYTES, false);
    if (known.word === 'POSDATA') return this.#expect(S_POS_FIXED, POSDATA_FIXED_BYTES, H + POSDATA_FIXED_BYTES, false);
    const least = H + FORCEREADY_HEAD_BYTES + FORCEREADY_TAIL_BYTES;
    this.#expect(S_FORCE_HEAD, FORCEREADY_HEAD_BYTES, least, false);
  }

  #badHeader(word: string): AnisoError {
    const seen = escapeBytes(Buffer.from(word, 'latin1'));
    const peer = this.from === 'server' ? 'server' : 'driver';
    const own = this.from === 'server' ? SERVER_HEADERS : CLIENT_HEADERS;
    const other = this.from === 'server' ? CLIENT_HEADERS : SERVER_HEADERS;
    const normalised = word.replace(/[\0 ]+$/, '').toUpperCase();
    let hint = '';
    if ((other as readonly string[]).includes(normalised) && word === normalised.padEnd(HEADER_BYTES, ' ')) {
      hint = ` (${normalised} is sent by a ${this.from === 'server' ? 'driver' : 'server'}, not by a ${peer})`;
    } else if ((own as readonly string[]).includes(normalised)) {
      hint = ' (headers must be upper case and padded with spaces to 12 bytes)';
    }
    return new AnisoError(
      'E_PROTOCOL',
      `unknown header ${seen} from the ${peer}${hint}; expected one of ${own.join(', ')}`,
    );
  }

  #atomCount(n: number, what: string): number {
    if (n < 0 || n > this.#maxAtoms) {
      throw new AnisoError(
        'E_PROTOCOL',
        `${what} announces N = ${n} atoms; allowed 0 ≤ N ≤ ${this.#maxAtoms} (stream desynchronised?)`,
      );
    }
    return n;
  }

  #stringLength(len: number, what: string): number {
    if (len < 0 || len > this.#maxString) {
      throw new AnisoError(
        'E_PROTOCOL',
        `${what} length is ${len} bytes; allowed 0 to ${this.#maxString} (stream desynchronised?)`,
      );
    }
    return len;
  }

  /**
   * Move to `state`, which needs `bytes` more bytes. `total` is the message size as far as known
   * (`exact` once every length field has been read), for the truncation message of `finish()`.
   */
  #expect(state: number, bytes: number, total: number, exact: boolean): void {
    this.#state = state;
    this.#need = bytes;
    this.#msgTotal = total;
    this.#msgTotalExact = exact;
  }

  #emit(message: ServerMessage | ClientMessage): void {
    this.#state = S_HEADER;
    this.#need = HEADER_BYTES;
    this.#msgBytes = 0;
    this.#msgTotal = HEADER_BYTES;
    this.#msgTotalExact = false;
    this.#h = this.#hInv = this.#array = this.#virial = null;
    this.#onMessage(message as MessageFrom<S>);
  }

  /** Drop fully read chunks at the front. */
  #advance(n: number): void {
    this.#buffered -= n;
    this.#msgBytes += n;
    this.#offset += n;
    while (this.#chunks.length > 0 && this.#offset >= this.#chunks[0]!.length) {
      this.#offset -= this.#chunks[0]!.length;
      this.#chunks.shift();
    }
  }

  /** Make `n` (≤ 256) buffered bytes readable at `#rb[#ro…]`: in place, or copied if split. */
  #take(n: number): void {
    const first = this.#chunks[0]!;
    if (first.length - this.#offset >= n) {
      this.#rb = first;
      this.#ro = this.#offset;
    } else {
      this.#copyOut(this.#scratch, n);
      this.#rb = this.#scratch;
      this.#ro = 0;
      return; // #copyOut advanced already
    }
    this.#advance(n);
  }

  /** Copy the next `n` buffered bytes into `dst[0…n)` and consume them. */
  #copyOut(dst: Uint8Array, n: number): void {
    let done = 0;
    while (done < n) {
      const c = this.#chunks[0]!;
      const k = Math.min(n - done, c.length - this.#offset);
      c.copy(dst, done, this.#offset, this.#offset + k);
      done += k;
      this.#advance(k);
    }
  }

  /** Fill `dst` with the next `8·dst.length` bytes, read as little-endian float64. */
  #takeInto(dst: Float64Array): void {
    const bytes = dst.length * F64_BYTES;
    if (bytes === 0) return;
    if (NATIVE_LE) {
      // A byte view of dst, kept while dst is reused (options.reuse), so that no object is made.
      if (this.#bytesOf !== dst) {
        this.#bytesOf = dst;
        this.#bytes = new Uint8Array(dst.buffer, dst.byteOffset, bytes);
      }
      this.#copyOut(this.#bytes!, bytes);
      return;
    }
    const tmp = Buffer.alloc(bytes);
    this.#copyOut(tmp, bytes);
    for (let i = 0; i < dst.length; i++) dst[i] = tmp.readDoubleLE(i * F64_BYTES);
  }

  #takeString(n: number): string {
    if (n === 0) return '';
    const first = this.#chunks[0]!;
    if (first.length - this.#offset >= n) {
      const s = first.toString('utf8', this.#offset, this.#offset + n);
      this.#advance(n);
      return s;
    }
    const tmp = Buffer.allocUnsafe(n);
    this.#copyOut(tmp, n);
    return tmp.toString('utf8');
  }

  /** Fill `out` with float64s read little-endian from `#rb` at `offset`; returns `out`. */
  #readF64s(offset: number, out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.#rb.readDoubleLE(offset + i * F64_BYTES);
    return out;
  }
}
