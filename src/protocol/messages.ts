// SPDX-License-Identifier: BSD-3-Clause
/**
 * Decoded i-PI messages, in **wire units and layouts** (bohr, hartree, hartree/bohr; cell with
 * lattice vectors as columns, row-major). Conversion to Å/eV and to {@link Cell} rows happens in
 * `wire-convert.ts`. Arrays in decoded messages are freshly allocated and owned by the receiver,
 * except a POSDATA from a decoder built with `reuse` (the driver's), which is refilled in place by
 * the next POSDATA (see `DecoderOptions.reuse`).
 */

/** `STATUS`: the server asks the driver for its state. */
export interface StatusMessage {
  readonly type: 'STATUS';
}

/** `INIT`: the server sends the request id and its initialisation string. */
export interface InitMessage {
  readonly type: 'INIT';
  /** i-PI's request (bead) id; ASE always sends 0. Informative only. */
  readonly rid: number;
  /** The initialisation string, decoded as UTF-8 (i-PI: `" k : v , "`; ASE: a single NUL). */
  readonly init: string;
}

/** `POSDATA` (non-batched): cell and positions of one structure. */
export interface PosDataMessage {
  readonly type: 'POSDATA';
  /** Number of atoms N in this request. */
  readonly n: number;
  /** Cell `h`, 9 numbers, bohr: **columns** are the lattice vectors, row-major. */
  readonly h: Float64Array;
  /** The server's `h⁻¹`, 9 numbers, 1/bohr. Unreliable (ASE sends its transpose): never used. */
  readonly hInv: Float64Array;
  /** Positions, 3N, bohr, atom-major (`x0 y0 z0 x1 …`), not wrapped. */
  readonly positions: Float64Array;
}

/** `GETFORCE`: the server asks for the results of the last POSDATA. */
export interface GetForceMessage {
  readonly type: 'GETFORCE';
}

/** `EXIT`: the server ends the run; the driver should close and exit with status 0. */
export interface ExitMessage {
  readonly type: 'EXIT';
}

/** `READY`: driver idle, can take POSDATA. */
export interface ReadyMessage {
  readonly type: 'READY';
}

/** `NEEDINIT`: driver wants an INIT before work. */
export interface NeedInitMessage {
  readonly type: 'NEEDINIT';
}

/** `HAVEDATA`: driver has results for the last POSDATA. */
export interface HaveDataMessage {
  readonly type: 'HAVEDATA';
}

/** `FORCEREADY`: energy, forces, virial and extras of the last POSDATA. */
export interface ForceReadyMessage {
  readonly type: 'FORCEREADY';
  /** Potential energy, hartree. */
  readonly energy: number;
  /** Number of atoms N; must equal the POSDATA N. */
  readonly n: number;
  /** Forces, 3N, hartree/bohr, atom-major. */
  readonly forces: Float64Array;
  /** Virial `W = −∂E/∂ε`, 9 numbers, hartree, row-major, not divided by the volume. */
  readonly virial: Float64Array;
  /** Extras string, decoded as UTF-8 (empty when L = 0). */
  readonly extras: string;
}

/** Everything a server sends. */
export type ServerMessage = StatusMessage | InitMessage | PosDataMessage | GetForceMessage | ExitMessage;
/** Everything a driver sends. */
export type ClientMessage = ReadyMessage | NeedInitMessage | HaveDataMessage | ForceReadyMessage;
/** Any decoded message. */
export type IpiMessage = ServerMessage | ClientMessage;
