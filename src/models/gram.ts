// SPDX-License-Identifier: BSD-3-Clause
/**
 * Streaming accumulation of the normal equations `G = XᵀX`, `b = Xᵀy`, `yᵀy` of a linear
 * least-squares problem whose design X has far more rows (10⁴–10⁶: energies, force and torque
 * components) than columns (D ≲ 10³). Rows are buffered in a chunk of `chunkRows` rows and folded
 * into G by a rank-k update when the chunk is full, so memory is `D² + D·chunkRows` doubles
 * whatever the number of rows.
 *
 * Layout: `gram[a·D + b]`, row-major, D × D. During accumulation only the upper triangle
 * (`b ≥ a`) is updated; {@link GramAccumulator.finish} mirrors it. The chunk is stored
 * column-major (`chunk[a·R + r]`, R = `chunkRows`) so that each entry of G is one contiguous dot
 * product over the chunk's rows.
 */
import { AnisoError } from '../core/errors.js';

/** Normal equations of one block of rows: `gram` (D × D, symmetric), `rhs` (D), `yy`, `rows`. */
export interface NormalEquations {
  /** Number of columns D. */
  readonly dim: number;
  /** `XᵀX`, D × D row-major, symmetric. */
  readonly gram: Float64Array;
  /** `Xᵀy`, D. */
  readonly rhs: Float64Array;
  /** `yᵀy`. */
  yy: number;
  /** Number of rows folded in. */
  rows: number;
}

/** Zero normal equations of dimension `dim`. */
export function emptyNormalEquations(dim: number): NormalEquations {
  return { dim, gram: new Float64Array(dim * dim), rhs: new Float64Array(dim), yy: 0, rows: 0 };
}

/** `out += scale · a` for normal equations of equal dimension; returns `out`. */
export function addNormalEquations(out: NormalEquations, a: NormalEquations, scale = 1): NormalEquations {
  if (out.dim !== a.dim) throw new AnisoError('E_SIZE', `normal equations of dimension ${a.dim} added to ${out.dim}`);
  const g = out.gram, ga = a.gram;
  for (let k = 0; k < g.length; k++) g[k] = g[k]! + scale * ga[k]!;
  const r = out.rhs, ra = a.rhs;
  for (let k = 0; k < r.length; k++) r[k] = r[k]! + scale * ra[k]!;
  out.yy += scale * a.yy;
  out.rows += a.rows;
  return out;
}

/** A deep copy. */
export function cloneNormalEquations(a: NormalEquations): NormalEquations {
  return { dim: a.dim, gram: Float64Array.from(a.gram), rhs: Float64Array.from(a.rhs), yy: a.yy, rows: a.rows };
}

/**
 * Accumulates {@link NormalEquations} row by row (see the module comment). Call
 * {@link GramAccumulator.finish} before reading `gram`.
 */
export class GramAccumulator implements NormalEquations {
  readonly dim: number;
  readonly gram: Float64Array;
  readonly rhs: Float64Array;
  yy = 0;
  rows = 0;
  private readonly chunkRows: number;
  private readonly chunk: Float64Array;
  private readonly targets: Float64Array;
  private filled = 0;
  /** Columns touched by a non-zero in the current chunk (skipped otherwise: baseline columns of gradient rows). */
  private readonly live: Uint8Array;

  /**
   * @param dim number of columns D (≥ 1)
   * @param chunkRows rows buffered before a rank-k update (default 128)
   */
  constructor(dim: number, chunkRows = 128) {
    if (!Number.isInteger(dim) || dim < 1) throw new AnisoError('E_ARG', `Gram dimension must be an integer ≥ 1, got ${dim}`);
    if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new AnisoError('E_ARG', `chunkRows must be an integer ≥ 1, got ${chunkRows}`);
    this.dim = dim;
    this.chunkRows = chunkRows;
    this.gram = new Float64Array(dim * dim);
    this.rhs = new Float64Array(dim);
    this.chunk = new Float64Array(dim * chunkRows);
    this.targets = new Float64Array(chunkRows);
    this.live = new Uint8Array(dim);
  }

  /** Add the row `x[offset … offset + D)` with target `y`. */
  addRow(x: ArrayLike<number>, y: number, offset = 0): void {
    const D = this.dim, R = this.chunkRows, r = this.filled;
    const c = this.chunk, live = this.live;
    for (let a = 0; a < D; a++) {
      const v = x[offset + a]!;
      c[a * R + r] = v;
      if (v !== 0) live[a] = 1;
    }
    this.targets[r] = y;
    this.yy += y * y;
    this.rows++;
    if (++this.filled === R) this.flush();
  }

  /** Fold the buffered rows into `gram` and `rhs` (upper triangle only). */
  flush(): void {
    const m = this.filled;
    if (m === 0) return;
    const D = this.dim, R = this.chunkRows, c = this.chunk, g = this.gram, t = this.targets, live = this.live;
    const liveCols: number[] = [];
    for (let a = 0; a < D; a++) if (live[a]) liveCols.push(a);
    const L = liveCols.length;
    for (let ia = 0; ia < L; ia++) {
      const a = liveCols[ia]!;
      const oa = a * R;
      let sy = 0;
      for (let r = 0; r < m; r++) sy += c[oa + r]! * t[r]!;
      this.rhs[a] = this.rhs[a]! + sy;
    }
    // Upper triangle in 2 × 2 blocks of (a, b) pairs: each loaded value feeds two products.
    for (let ia = 0; ia < L; ia += 2) {
      const a0 = liveCols[ia]!;
      const a1 = ia + 1 < L ? liveCols[ia + 1]! : -1;
      const o0 = a0 * R, o1 = a1 * R;
      for (let ib = ia; ib < L; ib += 2) {
        const b0 = liveCols[ib]!;
        const b1 = ib + 1 < L ? liveCols[ib + 1]! : -1;
        const p0 = b0 * R, p1 = b1 * R;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        if (a1 >= 0 && b1 >= 0) {
          for (let r = 0; r < m; r++) {
            const x0 = c[o0 + r]!, x1 = c[o1 + r]!, y0 = c[p0 + r]!, y1 = c[p1 + r]!;
            s00 += x0 * y0;
            s01 += x0 * y1;
            s10 += x1 * y0;
            s11 += x1 * y1;
          }
        } else {
          for (let r = 0; r < m; r++) {
            const x0 = c[o0 + r]!, y0 = c[p0 + r]!;
            s00 += x0 * y0;
            if (b1 >= 0) s01 += x0 * c[p1 + r]!;
            if (a1 >= 0) s10 += c[o1 + r]! * y0;
          }
        }
        g[a0 * D + b0] = g[a0 * D + b0]! + s00;
        if (b1 >= 0) g[a0 * D + b1] = g[a0 * D + b1]! + s01;
        // In the diagonal block (ib = ia), (a1, b0) = (a1, a0) lies below the diagonal: skip it.
        if (a1 >= 0 && ib !== ia) g[a1 * D + b0] = g[a1 * D + b0]! + s10;
        if (a1 >= 0 && b1 >= 0) g[a1 * D + b1] = g[a1 * D + b1]! + s11;
      }
    }
    live.fill(0);
    this.filled = 0;
  }

  /** Flush and mirror the upper triangle into the lower one; returns `this`. Accumulation may go on afterwards. */
  finish(): this {
    this.flush();
    const D = this.dim, g = this.gram;
    for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) g[b * D + a] = g[a * D + b]!;
    return this;
  }
}
