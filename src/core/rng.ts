// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small deterministic pseudo-random generator for the embedded engine: xoshiro128** (Blackman &
 * Vigna, 2018) on four 32-bit words, seeded through a splitmix32-style mixer, with 53-bit uniform
 * doubles and Box–Muller normal deviates.
 *
 * Reproducibility: the integer stream depends only on the seed. Normal deviates go through
 * `Math.log`, `Math.sqrt`, `Math.cos` and `Math.sin`; V8 implements the transcendental ones with
 * its own port of fdlibm, so results are identical on every platform for a given Node/V8 version.
 * Not cryptographically secure.
 */
import { AnisoError } from './errors.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const TWO_PI = 2 * Math.PI;

/** Rotate the 32-bit word `x` left by `k` bits. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One splitmix32 output from `state[0]` (advanced in place): golden-ratio step, murmur3 finaliser. */
function splitmix32(state: Uint32Array): number {
  state[0] = (state[0]! + 0x9e3779b9) >>> 0;
  let z = state[0]!;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Serialisable {@link Rng} state: four xoshiro128** words and the cached Box–Muller deviate. */
export interface RngState {
  /** The four 32-bit state words (unsigned integers, not all zero). */
  readonly words: readonly number[];
  /** The cached second normal deviate, or null when none is cached. */
  readonly spare?: number | null;
}

/**
 * Seeded xoshiro128** generator with uniform and standard-normal deviates.
 *
 * ```ts
 * const rng = new Rng(42);
 * rng.uniform(); // [0, 1), 53 random bits
 * rng.normal();  // N(0, 1)
 * ```
 */
export class Rng {
  /** Generator state: four 32-bit words, never all zero. */
  private readonly s = new Uint32Array(4);
  /** Second Box–Muller deviate of the last pair, or NaN when none is cached. */
  private spare = Number.NaN;

  /**
   * @param seed a non-negative safe integer (0 … 2⁵³ − 1). Equal seeds give equal streams; the low
   *   and high 32-bit halves both enter the state.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new AnisoError('E_ARG', `RNG seed must be a non-negative safe integer, got ${seed}`);
    }
    const lo = new Uint32Array([seed >>> 0]);
    const hi = new Uint32Array([(Math.floor(seed / TWO_POW_32) ^ 0x6a09e667) >>> 0]);
    for (let k = 0; k < 4; k++) this.s[k] = (splitmix32(lo) ^ rotl(splitmix32(hi), 7)) >>> 0;
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /**
   * A generator resumed from {@link Rng.getState} output (checkpoints), or started from raw
   * xoshiro128** words (reference tests). Throws `E_ARG` for four zero words.
   */
  static fromState(state: RngState): Rng {
    const w = state.words;
    if (w.length !== 4 || w.some((x) => !Number.isInteger(x) || x < 0 || x >= TWO_POW_32)) {
      throw new AnisoError('E_ARG', `RNG state needs four 32-bit unsigned words, got [${Array.from(w).join(', ')}]`);
    }
    if (w.every((x) => x === 0)) throw new AnisoError('E_ARG', 'RNG state of four zero words is invalid for xoshiro128**');
    const rng = new Rng(0);
    rng.s.set(w);
    rng.spare = state.spare ?? Number.NaN;
    return rng;
  }

  /** The full state (a copy): resuming from it with {@link Rng.fromState} continues the same stream. */
  getState(): RngState {
    return { words: Array.from(this.s), spare: this.spare === this.spare ? this.spare : null };
  }

  /** Next 32-bit unsigned integer, uniform on [0, 2³²). */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[0] = s0 ^ n3;
    s[1] = s1 ^ n2;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  /** Uniform double on [0, 1) with 53 random bits (two 32-bit draws). */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /**
   * Standard normal deviate N(0, 1) by the Box–Muller transform. Deviates come in pairs; the second
   * of each pair is cached and returned by the next call.
   */
  normal(): number {
    const spare = this.spare;
    if (spare === spare) {
      this.spare = Number.NaN;
      return spare;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}
