// SPDX-License-Identifier: BSD-3-Clause
/**
 * Time series of per-frame values (order parameters) and their statistics: block averages with
 * standard errors ({@link summarizeSeries}, docs/CONVENTIONS.md §7: 5 contiguous blocks as
 * `numpy.array_split`), and orientational autocorrelation functions.
 *
 * ## Orientational autocorrelation
 *
 * {@link OrientationalAutocorrelation} computes, over every time origin t0 of the frames added,
 *
 * ```
 * mode 'director':  C(τ) = ⟨ P2(n(t0) · n(t0 + τ)) ⟩_t0                (one director per frame)
 * mode 'particle':  C(τ) = ⟨ P2(u_i(t0) · u_i(t0 + τ)) ⟩_{i, t0}        (every particle's axis)
 * ```
 *
 * with τ in frames (0 … maxLag) and P2(x) = (3x² − 1)/2, so C(0) = 1 and the sign of n or u_i
 * does not matter. The director function decays only as the whole director wanders (slowly in a
 * nematic: C stays ≈ 1); the particle function decays from 1 to ≈ S2² as molecules reorient about
 * the director. Memory: the last maxLag + 1 frames (3 numbers per frame or per particle).
 */
import { AnisoError } from '../core/errors.js';
import { bodyAxisIndex, molecularAxes, type BodyAxis, type OrientationInput } from './axes.js';
import { summarizeSeries, type SeriesSummary } from './nematic.js';

/** Block means of `values`: `blocks` contiguous blocks, the first `n mod blocks` one longer (as `numpy.array_split`). */
export function blockMeans(values: ArrayLike<number>, blocks: number): Float64Array {
  const n = values.length;
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > n) {
    throw new AnisoError('E_ARG', `blockMeans: ${blocks} blocks for ${n} values; need an integer in 1..${n}`);
  }
  const base = Math.floor(n / blocks), extra = n % blocks;
  const out = new Float64Array(blocks);
  let start = 0;
  for (let b = 0; b < blocks; b++) {
    const len = base + (b < extra ? 1 : 0);
    let s = 0;
    for (let k = start; k < start + len; k++) s += values[k]!;
    out[b] = s / len;
    start += len;
  }
  return out;
}

/**
 * Named per-frame values in frame order, summarised column by column.
 *
 * ```ts
 * const ts = new TimeSeries(['S2', 'P4']);
 * ts.add({ S2: 0.68, P4: 0.31 }, 250);
 * ts.summary().S2.semBlocks;
 * ```
 */
export class TimeSeries {
  /** Column names, in order. */
  readonly names: readonly string[];
  // Values frame-major (one row of `names.length` per frame) and steps (NaN: none), grown by doubling:
  // 8 bytes per value, nothing else per frame.
  private data: Float64Array;
  private stepData: Float64Array;
  private count = 0;

  constructor(names: readonly string[]) {
    if (names.length === 0 || new Set(names).size !== names.length) {
      throw new AnisoError('E_ARG', `time series: column names must be non-empty and distinct, got [${names.join(', ')}]`);
    }
    this.names = [...names];
    this.data = new Float64Array(64 * names.length);
    this.stepData = new Float64Array(64);
  }

  /** Append one frame (`values` must name every column; NaN allowed) with its MD step. */
  add(values: Readonly<Record<string, number>>, step: number | null = null): void {
    const m = this.names.length;
    this.grow();
    const o = this.count * m;
    for (let k = 0; k < m; k++) {
      const v = values[this.names[k]!];
      if (typeof v !== 'number') throw new AnisoError('E_ARG', `time series: frame ${this.count} has no value '${this.names[k]}'`);
      this.data[o + k] = v;
    }
    this.stepData[this.count] = step ?? Number.NaN;
    this.count++;
  }

  /**
   * Append one frame given as a row: `row[offset + k]` is the value of column k (all columns,
   * in the order of {@link TimeSeries.names}); with its MD step.
   */
  addRow(row: ArrayLike<number>, step: number | null = null, offset = 0): void {
    const m = this.names.length;
    if (row.length < offset + m) throw new AnisoError('E_SIZE', `time series: a row of ${row.length - offset} values for ${m} columns`);
    this.grow();
    const o = this.count * m;
    for (let k = 0; k < m; k++) this.data[o + k] = row[offset + k]!;
    this.stepData[this.count] = step ?? Number.NaN;
    this.count++;
  }

  /** Room for one more frame (doubling). */
  private grow(): void {
    if (this.count < this.stepData.length) return;
    const grown = new Float64Array(2 * this.data.length);
    grown.set(this.data);
    this.data = grown;
    const steps = new Float64Array(2 * this.stepData.length);
    steps.set(this.stepData);
    this.stepData = steps;
  }

  /** Number of frames. */
  get length(): number {
    return this.count;
  }

  /** MD steps as added (null where none was given). */
  get steps(): (number | null)[] {
    return Array.from(this.stepData.subarray(0, this.count), (x) => (Number.isNaN(x) ? null : x));
  }

  /** The values of column `name`. */
  column(name: string): Float64Array {
    const k = this.names.indexOf(name);
    if (k < 0) throw new AnisoError('E_ARG', `time series: no column '${name}'; columns: ${this.names.join(', ')}`);
    const m = this.names.length, out = new Float64Array(this.count);
    for (let f = 0; f < this.count; f++) out[f] = this.data[f * m + k]!;
    return out;
  }

  /**
   * {@link summarizeSeries} of every column (mean, population std, min, max, block SEM with
   * `blocks` blocks, default 5). Columns with a non-finite value (e.g. a smectic order not
   * computed) are summarised over their finite values only; `n` says how many.
   * @throws AnisoError `E_ARG` with no frames
   */
  summary(blocks = 5): Record<string, SeriesSummary> {
    if (this.count === 0) throw new AnisoError('E_ARG', 'time series: no frames to summarise');
    const out: Record<string, SeriesSummary> = {};
    for (const name of this.names) {
      const finite = this.column(name).filter((x) => Number.isFinite(x));
      out[name] = finite.length > 0
        ? summarizeSeries(finite, blocks)
        : { n: 0, mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN, semBlocks: Number.NaN, blocks };
    }
    return out;
  }
}

/** Options of {@link OrientationalAutocorrelation}. */
export interface AutocorrelationOptions {
  /** Largest lag in frames (integer ≥ 0). */
  maxLag: number;
  /** `'director'` (one vector per frame) or `'particle'` (every particle's axis); default 'director'. */
  mode?: 'director' | 'particle';
  /** Body axis of quaternion input (default 'z'). */
  axis?: BodyAxis;
}

/**
 * C(τ) = ⟨P2(a(t0)·a(t0+τ))⟩ over all time origins, of the director or of every particle's axis
 * (see the module comment). Frames are added one at a time, in time order, with
 * {@link OrientationalAutocorrelation.add}.
 */
export class OrientationalAutocorrelation {
  /** Largest lag (frames). */
  readonly maxLag: number;
  /** What is correlated. */
  readonly mode: 'director' | 'particle';
  private readonly axisIndex: number;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private ring: Float64Array[] = [];
  private added = 0;
  private n = -1;

  constructor(options: AutocorrelationOptions) {
    const { maxLag } = options;
    if (!Number.isInteger(maxLag) || maxLag < 0) throw new AnisoError('E_ARG', `autocorrelation: maxLag = ${maxLag}; it must be an integer ≥ 0`);
    const mode = options.mode ?? 'director';
    if (mode !== 'director' && mode !== 'particle') throw new AnisoError('E_ARG', `autocorrelation: mode '${String(mode)}' is not 'director' or 'particle'`);
    this.maxLag = maxLag;
    this.mode = mode;
    this.axisIndex = bodyAxisIndex(options.axis ?? 'z', 'autocorrelation');
    this.sums = new Float64Array(maxLag + 1);
    this.counts = new Float64Array(maxLag + 1);
  }

  /**
   * Add the next frame: in 'director' mode a director (3 numbers, need not be unit); in 'particle'
   * mode every particle's orientation (4N quaternions, or 3N vectors with `input: 'vectors'`), the
   * same N every frame. Returns `this`.
   * @throws AnisoError `E_SIZE` for a wrong length or a change of N, `E_ARG` for a zero vector
   */
  add(values: ArrayLike<number>, input: OrientationInput = 'quaternions'): this {
    let u: Float64Array;
    if (this.mode === 'director') {
      if (values.length !== 3) throw new AnisoError('E_SIZE', `autocorrelation: a director has 3 components, got ${values.length}`);
      u = molecularAxes(values, 'vectors', 2, undefined, 'autocorrelation').u;
    } else {
      const axes = molecularAxes(values, input, this.axisIndex, undefined, 'autocorrelation');
      if (this.n >= 0 && axes.n !== this.n) throw new AnisoError('E_SIZE', `autocorrelation: frame ${this.added} has ${axes.n} particles, earlier ones ${this.n}`);
      this.n = axes.n;
      u = axes.u.length === 3 * axes.n ? axes.u : axes.u.slice(0, 3 * axes.n);
    }
    // Newest first: ring[0] is this frame, ring[τ] the frame τ earlier.
    this.ring.unshift(u);
    if (this.ring.length > this.maxLag + 1) this.ring.pop();
    const m = u.length / 3;
    for (let lag = 0; lag < this.ring.length; lag++) {
      const v = this.ring[lag]!;
      let s = 0;
      for (let i = 0; i < m; i++) {
        const c = u[3 * i]! * v[3 * i]! + u[3 * i + 1]! * v[3 * i + 1]! + u[3 * i + 2]! * v[3 * i + 2]!;
        s += 1.5 * c * c - 0.5;
      }
      this.sums[lag]! += s / m;
      this.counts[lag]!++;
    }
    this.added++;
    return this;
  }

  /** Number of frames added. */
  get frameCount(): number {
    return this.added;
  }

  /** Lags 0 … maxLag (frames). */
  get lags(): Int32Array {
    return Int32Array.from({ length: this.maxLag + 1 }, (_, k) => k);
  }

  /** C(τ) for τ = 0 … maxLag (NaN for lags longer than the frames added allow). */
  get values(): Float64Array {
    if (this.added === 0) throw new AnisoError('E_ARG', 'autocorrelation.values: property not computed: add() frames first');
    return this.sums.map((s, k) => (this.counts[k]! > 0 ? s / this.counts[k]! : Number.NaN));
  }

  /** Number of time origins averaged at each lag. */
  get originCounts(): Float64Array {
    return Float64Array.from(this.counts);
  }
}

export type { SeriesSummary };
