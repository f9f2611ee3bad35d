// SPDX-License-Identifier: BSD-3-Clause
/**
 * Nematic (orientational) order of uniaxial particles, freud-style: construct, `compute()`, then
 * read the results. Definitions as in `docs/CONVENTIONS.md` §7 (the reference values in
 * `data/reference/lc` use exactly these):
 *
 * ```
 * Q  = (1/N) Σ_i (3/2 u_i u_iᵀ − 1/2 I)            (traceless, symmetric)
 * λ_max ≥ λ_mid ≥ λ_min                            eigenvalues of Q
 * S2 = λ_max,   n = its unit eigenvector (the director; sign: largest-|component| positive)
 * S2_mid = −2 λ_mid                                (Eppenga–Frenkel; ≈ 0 when isotropic)
 * biax = λ_mid − λ_min,   β2 = 1 − 6 (tr Q³)² / (tr Q²)³
 * P4 = ⟨(35 c⁴ − 30 c² + 3) / 8⟩,   c = u_i · n
 * ```
 *
 * `u_i` is the particle's molecular axis: a body axis (x, y or z; z for Gay–Berne and the
 * dumbbell mapping) of a unit quaternion (w, x, y, z) rotating body → lab, or a given vector.
 * Inputs need not be normalised; zero or non-finite ones are rejected.
 *
 * Finite-N bias: S2 is positive even for random orientations (≈ 0.035 for N = 512); use
 * `middleEstimator` to tell an isotropic sample from a weakly ordered one in small systems.
 *
 * Also here: {@link summarizeSeries}, the time-series summary of docs/CONVENTIONS.md §7 (mean, population
 * std, min, max, standard error from 5 contiguous blocks).
 */
import { AnisoError } from '../core/errors.js';
import { symmetricEigen } from '../core/sym-eigen.js';
import { bodyAxisIndex, molecularAxes, type BodyAxis, type OrientationInput } from './axes.js';

export type { BodyAxis, OrientationInput } from './axes.js';

/** Options of {@link Nematic}. */
export interface NematicOptions {
  /** The body axis that is the molecular axis when quaternions are given (default `'z'`). */
  axis?: BodyAxis;
}

/**
 * The nematic order parameter and its companions (see the module comment).
 *
 * ```ts
 * const nem = new Nematic({ axis: 'z' }).compute(ellipsoids.orientations!);
 * nem.order; nem.director; nem.middleEstimator;
 * ```
 *
 * Results are read-only getters; arrays are returned as fresh copies. Reading one before the first
 * `compute()` throws `E_ARG` "property not computed: call compute() first". A later `compute()`
 * replaces all results; one that throws leaves none (reading them throws again).
 */
export class Nematic {
  /** The body axis taken as molecular axis for quaternion input. */
  readonly axis: BodyAxis;
  private readonly axisIndex: number;
  private computed = false;
  private count = 0;
  private readonly q = new Float64Array(9);
  private readonly values = new Float64Array(3);
  private readonly vectors = new Float64Array(9);
  private readonly dir = new Float64Array(3);
  private p4Value = 0;
  private readonly scratch = new Float64Array(9);
  private u: Float64Array = new Float64Array(0);

  /** @throws AnisoError `E_ARG` for an axis other than 'x', 'y', 'z' */
  constructor(options: NematicOptions = {}) {
    const axis = options.axis ?? 'z';
    this.axisIndex = bodyAxisIndex(axis, 'nematic');
    this.axis = axis;
  }

  /**
   * Compute the order of `orientations`: 4n unit quaternions (w, x, y, z), body → lab
   * (`input = 'quaternions'`, the default; the molecular axis is column `axis` of R(q)), or 3n
   * vectors (`input = 'vectors'`). Returns `this`.
   * @throws AnisoError `E_SIZE` for a length that is not a positive multiple of 4 (or 3),
   *   `E_ARG` naming the particle for a zero or non-finite quaternion or vector
   */
  compute(orientations: ArrayLike<number>, input: OrientationInput = 'quaternions'): this {
    this.computed = false; // a compute that throws leaves no stale results behind
    const axes = molecularAxes(orientations, input, this.axisIndex, this.u, 'nematic');
    this.u = axes.u;
    return this.computeFromAxes(axes.u, axes.n);
  }

  /**
   * Compute from `n` unit molecular axes already in `u` (3n or longer; not checked, not copied —
   * the fast path of the trajectory analysis). Returns `this`.
   */
  computeFromAxes(u: Float64Array, n: number): this {
    this.computed = false;
    if (!(n > 0) || u.length < 3 * n) {
      throw new AnisoError('E_SIZE', `nematic: ${n} particles need ${3 * n} axis components, got ${u.length}`);
    }
    // Q = (1/N) Σ (3/2 u uᵀ) − 1/2 I
    const q = this.q;
    q.fill(0);
    for (let i = 0; i < n; i++) {
      const x = u[3 * i]!, y = u[3 * i + 1]!, z = u[3 * i + 2]!;
      q[0] += x * x; q[1] += x * y; q[2] += x * z;
      q[4] += y * y; q[5] += y * z; q[8] += z * z;
    }
    const c = 1.5 / n;
    for (const k of [0, 1, 2, 4, 5, 8]) q[k] = q[k]! * c;
    q[3] = q[1]!; q[6] = q[2]!; q[7] = q[5]!;
    q[0] -= 0.5; q[4] -= 0.5; q[8] -= 0.5;

    this.scratch.set(q);
    symmetricEigen(this.scratch, 3, this.values, this.vectors);
    const d = this.dir, v = this.vectors;
    d[0] = v[0]!; d[1] = v[3]!; d[2] = v[6]!;
    let big = 0;
    for (let k = 1; k < 3; k++) if (Math.abs(d[k]!) > Math.abs(d[big]!)) big = k;
    const sign = d[big]! < 0 ? -1 : 1;
    const norm = sign / Math.hypot(d[0]!, d[1]!, d[2]!);
    d[0] = d[0]! * norm; d[1] = d[1]! * norm; d[2] = d[2]! * norm;

    let p4 = 0;
    for (let i = 0; i < n; i++) {
      const cos = u[3 * i]! * d[0]! + u[3 * i + 1]! * d[1]! + u[3 * i + 2]! * d[2]!;
      const c2 = cos * cos;
      p4 += (35 * c2 * c2 - 30 * c2 + 3) / 8;
    }
    this.p4Value = p4 / n;
    this.count = n;
    this.computed = true;
    return this;
  }

  /** Number of particles of the last compute. */
  get particleCount(): number {
    this.need('particleCount');
    return this.count;
  }

  /** S2 = λ_max, the nematic order parameter (dimensionless, −1/2 … 1). */
  get order(): number {
    this.need('order');
    return this.values[0]!;
  }

  /** The director n (3, unit), eigenvector of λ_max, its largest-magnitude component positive. */
  get director(): Float64Array {
    this.need('director');
    return Float64Array.from(this.dir);
  }

  /** Eigenvalues of Q in descending order (3); they sum to 0. */
  get eigenvalues(): Float64Array {
    this.need('eigenvalues');
    return Float64Array.from(this.values);
  }

  /** Unit eigenvectors of Q as rows, in the order of {@link Nematic.eigenvalues} (row-major 3×3). */
  get eigenvectors(): Float64Array {
    this.need('eigenvectors');
    const v = this.vectors, out = new Float64Array(9);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * c + r] = v[3 * r + c]!;
    return out;
  }

  /** The Q tensor (row-major 3×3, symmetric, traceless). */
  get qTensor(): Float64Array {
    this.need('qTensor');
    return Float64Array.from(this.q);
  }

  /** S2_mid = −2 λ_mid, the Eppenga–Frenkel estimator (≈ 0 isotropic, ≈ S2 uniaxial nematic). */
  get middleEstimator(): number {
    this.need('middleEstimator');
    return -2 * this.values[1]!;
  }

  /** λ_mid − λ_min (0 for a uniaxial phase). */
  get biaxiality(): number {
    this.need('biaxiality');
    return this.values[1]! - this.values[2]!;
  }

  /** β2 = 1 − 6 (tr Q³)² / (tr Q²)³ (0 uniaxial, 1 maximally biaxial; NaN when Q = 0). */
  get beta2(): number {
    this.need('beta2');
    let t2 = 0, t3 = 0;
    for (const l of this.values) {
      t2 += l * l;
      t3 += l * l * l;
    }
    return 1 - (6 * t3 * t3) / (t2 * t2 * t2);
  }

  /** P4 = ⟨(35 c⁴ − 30 c² + 3)/8⟩ with c = u · n. */
  get p4(): number {
    this.need('p4');
    return this.p4Value;
  }

  private need(what: string): void {
    if (!this.computed) throw new AnisoError('E_ARG', `nematic.${what}: property not computed: call compute() first`);
  }
}

/** What {@link summarizeSeries} returns. */
export interface SeriesSummary {
  /** Number of values. */
  n: number;
  /** Arithmetic mean. */
  mean: number;
  /** Population standard deviation (ddof 0). */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /**
   * Standard error of the mean from contiguous blocks: sample std (ddof 1) of the block means
   * divided by √blocks (NaN with fewer values than 2 blocks need).
   */
  semBlocks: number;
  /** Number of blocks used. */
  blocks: number;
}

/**
 * Summary of a time series as in docs/CONVENTIONS.md §7 and `data/reference/lc/nematic_summary.json`: mean,
 * population std, min, max, and the block standard error, the values split into `blocks` (default
 * 5) contiguous blocks the way `numpy.array_split` does (the first `n mod blocks` blocks one longer).
 * @throws AnisoError `E_ARG` for an empty series or fewer than 2 blocks
 */
export function summarizeSeries(values: ArrayLike<number>, blocks = 5): SeriesSummary {
  const n = values.length;
  if (n === 0) throw new AnisoError('E_ARG', 'summarizeSeries: the series is empty');
  if (!Number.isInteger(blocks) || blocks < 2) {
    throw new AnisoError('E_ARG', `summarizeSeries: blocks = ${blocks}; it must be an integer ≥ 2`);
  }
  let sum = 0, min = Infinity, max = -Infinity;
  for (let k = 0; k < n; k++) {
    const x = values[k]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (values[k]! - mean) ** 2;
  let semBlocks = Number.NaN;
  if (n >= blocks) {
    const base = Math.floor(n / blocks), extra = n % blocks;
    const means: number[] = [];
    let start = 0;
    for (let b = 0; b < blocks; b++) {
      const len = base + (b < extra ? 1 : 0);
      let s = 0;
      for (let k = start; k < start + len; k++) s += values[k]!;
      means.push(s / len);
      start += len;
    }
    const m = means.reduce((a, x) => a + x, 0) / blocks;
    const varBlocks = means.reduce((a, x) => a + (x - m) ** 2, 0) / (blocks - 1);
    semBlocks = Math.sqrt(varBlocks / blocks);
  }
  return { n, mean, std: Math.sqrt(ss / n), min, max, semBlocks, blocks };
}
