// SPDX-License-Identifier: BSD-3-Clause
/**
 * Encoders of i-PI messages. Each returns **one** Buffer holding header and payload, so that every
 * message (every reply, in particular) goes out in a single write: i-PI reads a reply header with
 * one `recv(12)` and takes a split header for a disconnect (PROTOCOL.md §2).
 *
 * Values are written little-endian in wire units; the caller passes data already in the wire
 * layout, with optional scale factors applied on the fly (Å → bohr, eV → Ha) so that no
 * intermediate array is needed.
 */
import { AnisoError } from '../core/errors.js';
import {
  FORCEREADY_HEAD_BYTES,
  FORCEREADY_TAIL_BYTES,
  F64_BYTES,
  HEADER_BYTES,
  INIT_FIXED_BYTES,
  MAT3_BYTES,
  POSDATA_FIXED_BYTES,
  paddedHeader,
  type Header,
} from './constants.js';

const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const HEADERS: Readonly<Record<Header, Buffer>> = {
  STATUS: paddedHeader('STATUS'),
  INIT: paddedHeader('INIT'),
  POSDATA: paddedHeader('POSDATA'),
  GETFORCE: paddedHeader('GETFORCE'),
  EXIT: paddedHeader('EXIT'),
  READY: paddedHeader('READY'),
  NEEDINIT: paddedHeader('NEEDINIT'),
  HAVEDATA: paddedHeader('HAVEDATA'),
  FORCEREADY: paddedHeader('FORCEREADY'),
};

/** Header-only messages: those that carry no payload. */
export type HeaderOnly = 'STATUS' | 'GETFORCE' | 'EXIT' | 'READY' | 'NEEDINIT' | 'HAVEDATA';

const HEADER_ONLY: Readonly<Record<HeaderOnly, Buffer>> = {
  STATUS: HEADERS.STATUS,
  GETFORCE: HEADERS.GETFORCE,
  EXIT: HEADERS.EXIT,
  READY: HEADERS.READY,
  NEEDINIT: HEADERS.NEEDINIT,
  HAVEDATA: HEADERS.HAVEDATA,
};

/**
 * A header-only message (12 bytes). Returns a shared, preallocated Buffer: write it, do not
 * modify it.
 */
export function encodeHeader(word: HeaderOnly): Buffer {
  if (!Object.hasOwn(HEADER_ONLY, word)) {
    throw new AnisoError('E_ARG', `'${String(word)}' is not a header-only message; allowed: ${Object.keys(HEADER_ONLY).join(', ')}`);
  }
  return HEADER_ONLY[word];
}

function checkInt32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new AnisoError('E_ARG', `${what} must be an int32, got ${value}`);
  }
}

const NO_BYTES = new Uint8Array(0);

function toBytes(text: string | Uint8Array | undefined): Uint8Array {
  if (text === undefined) return new Uint8Array(0);
  if (typeof text === 'string') return Buffer.from(text, 'utf8');
  if (text instanceof Uint8Array) return text;
  throw new AnisoError('E_ARG', `a string field must be a string or bytes, got ${typeof text}`);
}

/** Write `src[i] · scale` as little-endian float64 at `buf[off…]`, through a typed view if aligned. */
function writeF64s(buf: Buffer, off: number, src: ArrayLike<number>, scale: number): void {
  const n = src.length;
  if (NATIVE_LE && (buf.byteOffset + off) % F64_BYTES === 0) {
    const view = new Float64Array(buf.buffer, buf.byteOffset + off, n);
    if (src instanceof Float64Array) {
      // Monomorphic loop: the hot path (forces and virial are Float64Arrays).
      if (scale === 1) view.set(src);
      else for (let i = 0; i < n; i++) view[i] = src[i]! * scale;
    } else {
      for (let i = 0; i < n; i++) view[i] = src[i]! * scale;
    }
    return;
  }
  for (let i = 0; i < n; i++) buf.writeDoubleLE(src[i]! * scale, off + i * F64_BYTES);
}

/**
 * `INIT`: int32 `rid`, int32 length, then the string bytes (UTF-8 if a string is given).
 * @param rid request id (int32).
 * @param init initialisation string or raw bytes (ASE sends one NUL byte).
 */
export function encodeInit(rid: number, init: string | Uint8Array): Buffer {
  checkInt32(rid, 'INIT rid');
  const bytes = toBytes(init);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + INIT_FIXED_BYTES + bytes.length);
  HEADERS.INIT.copy(buf, 0);
  buf.writeInt32LE(rid, HEADER_BYTES);
  buf.writeInt32LE(bytes.length, HEADER_BYTES + 4);
  buf.set(bytes, HEADER_BYTES + INIT_FIXED_BYTES);
  return buf;
}

/** Payload of {@link encodePosData}, in the wire layout. */
export interface PosDataFields {
  /** Cell, 9 numbers, bohr, lattice vectors as **columns**, row-major (see `wire-convert.ts`). */
  readonly h: ArrayLike<number>;
  /** `h⁻¹`, 9 numbers, 1/bohr, row-major (i-PI's convention; all zeros for no cell). */
  readonly hInv: ArrayLike<number>;
  /** Positions, 3N, atom-major, multiplied by `positionScale` on the way out. */
  readonly positions: ArrayLike<number>;
}

/** Options of {@link encodePosData}. */
export interface PosDataEncodeOptions {
  /** Factor applied to every position (e.g. 1/0.529… to send Å as bohr); default 1. */
  readonly positionScale?: number;
  /**
   * A header-only message appended in the same buffer: `'GETFORCE'` gives i-PI ≥ 3.2's fused
   * POSDATA+GETFORCE write, `'STATUS'` the legacy POSDATA then STATUS.
   */
  readonly trailer?: 'GETFORCE' | 'STATUS';
}

/** `POSDATA` (non-batched): header, `h`, `h⁻¹`, int32 N, 3N positions, [trailer]. */
export function encodePosData(fields: PosDataFields, options: PosDataEncodeOptions = {}): Buffer {
  const { h, hInv, positions } = fields;
  if (h.length !== 9 || hInv.length !== 9) {
    throw new AnisoError('E_SIZE', `POSDATA cell blocks need 9 numbers each, got ${h.length} and ${hInv.length}`);
  }
  if (positions.length % 3 !== 0) {
    throw new AnisoError('E_SIZE', `POSDATA positions length ${positions.length} is not a multiple of 3`);
  }
  const n = positions.length / 3;
  checkInt32(n, 'POSDATA atom count');
  const body = HEADER_BYTES + POSDATA_FIXED_BYTES + positions.length * F64_BYTES;
  const trailer = options.trailer === undefined ? null : HEADERS[options.trailer];
  const buf = Buffer.allocUnsafe(body + (trailer ? HEADER_BYTES : 0));
  HEADERS.POSDATA.copy(buf, 0);
  let off = HEADER_BYTES;
  for (let k = 0; k < 9; k++, off += F64_BYTES) buf.writeDoubleLE(h[k]!, off);
  for (let k = 0; k < 9; k++, off += F64_BYTES) buf.writeDoubleLE(hInv[k]!, off);
  buf.writeInt32LE(n, off);
  writeF64s(buf, off + 4, positions, options.positionScale ?? 1);
  if (trailer) trailer.copy(buf, body);
  return buf;
}

/** Payload of {@link encodeForceReady}. */
export interface ForceReadyFields {
  /** Potential energy (times `energyScale` on the way out). */
  readonly energy: number;
  /** Forces, 3N, atom-major (times `forceScale`). */
  readonly forces: ArrayLike<number>;
  /** Virial, 9 numbers, row-major (times `virialScale`). */
  readonly virial: ArrayLike<number>;
  /** Extras: string (sent as UTF-8) or bytes; absent or empty → L = 0. */
  readonly extras?: string | Uint8Array;
}

/** Unit factors applied by {@link encodeForceReady}; each defaults to 1. */
export interface ForceReadyScales {
  /** Factor on the energy (eV → Ha: 1/27.2…). */
  readonly energy?: number;
  /** Factor on every force component (eV/Å → Ha/bohr). */
  readonly force?: number;
  /** Factor on every virial entry (eV → Ha). */
  readonly virial?: number;
}

/** `FORCEREADY`: header, f64 E, int32 N, 3N f64 forces, 9 f64 virial, int32 L, L bytes extras. */
export function encodeForceReady(fields: ForceReadyFields, scales: ForceReadyScales = {}): Buffer {
  const extras = checkForceReady(fields);
  const buf = Buffer.allocUnsafe(forceReadyBytes(fields.forces.length, extras.length));
  writeForceReady(buf, null, fields, scales, extras);
  return buf;
}

const FORCES_AT = HEADER_BYTES + FORCEREADY_HEAD_BYTES;

/** Total size of a FORCEREADY for `3n` force components and `extras` bytes. */
function forceReadyBytes(components: number, extras: number): number {
  return FORCES_AT + components * F64_BYTES + FORCEREADY_TAIL_BYTES + extras;
}

/** Validate the fields of a FORCEREADY (`E_SIZE`, `E_ARG`); returns the extras bytes. */
function checkForceReady(fields: ForceReadyFields): Uint8Array {
  const { forces, virial } = fields;
  if (forces.length % 3 !== 0) {
    throw new AnisoError('E_SIZE', `FORCEREADY forces length ${forces.length} is not a multiple of 3`);
  }
  if (virial.length !== 9) throw new AnisoError('E_SIZE', `FORCEREADY virial needs 9 numbers, got ${virial.length}`);
  checkInt32(forces.length / 3, 'FORCEREADY atom count');
  return fields.extras === undefined ? NO_BYTES : toBytes(fields.extras);
}

/**
 * Write a validated FORCEREADY into `buf` (exactly its size). `view`, when given, is a
 * Float64Array over `buf` from the forces on (3N + 9 entries, native little-endian): forces and
 * virial are then written through it without creating any object.
 */
function writeForceReady(buf: Buffer, view: Float64Array | null, fields: ForceReadyFields, scales: ForceReadyScales, extras: Uint8Array): void {
  const { forces, virial } = fields;
  const m = forces.length;
  const virialAt = FORCES_AT + m * F64_BYTES;
  HEADERS.FORCEREADY.copy(buf, 0);
  buf.writeDoubleLE(fields.energy * (scales.energy ?? 1), HEADER_BYTES);
  buf.writeInt32LE(m / 3, HEADER_BYTES + F64_BYTES);
  const fs = scales.force ?? 1;
  const vs = scales.virial ?? 1;
  if (view !== null) {
    for (let i = 0; i < m; i++) view[i] = forces[i]! * fs;
    for (let k = 0; k < 9; k++) view[m + k] = virial[k]! * vs;
  } else {
    writeF64s(buf, FORCES_AT, forces, fs);
    writeF64s(buf, virialAt, virial, vs);
  }
  buf.writeInt32LE(extras.length, virialAt + MAT3_BYTES);
  if (extras.length > 0) buf.set(extras, virialAt + FORCEREADY_TAIL_BYTES);
}

/**
 * A FORCEREADY encoder that keeps its reply buffer: {@link ForceReadyEncoder.encode} writes into
 * the buffer of the previous call whenever the message has the same size (same N, same extras
 * length), and converts forces and virial to wire units straight into it, so a driver's steady
 * state allocates nothing. The returned Buffer is therefore overwritten by the next `encode`
 * that reuses it: write it before encoding again, and pass `reuse = false` while an earlier write
 * of it may still be pending (e.g. `socket.writableLength > 0`): that encodes into a new buffer,
 * which is kept from then on.
 */
export class ForceReadyEncoder {
  #buf: Buffer | null = null;
  #view: Float64Array | null = null;

  /** Encode (as {@link encodeForceReady}, same bytes, same errors), reusing the kept buffer when it fits and `reuse` is true. */
  encode(fields: ForceReadyFields, scales: ForceReadyScales = {}, reuse = true): Buffer {
    const extras = checkForceReady(fields);
    const size = forceReadyBytes(fields.forces.length, extras.length);
    if (!reuse || this.#buf === null || this.#buf.length !== size) {
      // Its own ArrayBuffer (never the shared pool), so that the typed view below is aligned.
      const buf = Buffer.from(new ArrayBuffer(size));
      this.#buf = buf;
      this.#view = NATIVE_LE ? new Float64Array(buf.buffer, FORCES_AT, fields.forces.length + 9) : null;
    }
    writeForceReady(this.#buf, this.#view, fields, scales, extras);
    return this.#buf;
  }
}
