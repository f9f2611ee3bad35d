// SPDX-License-Identifier: BSD-3-Clause
/**
 * The ν = 2 power spectrum as a {@link Contraction} of any density expansion's blocks
 * (ANISOAP.md §6, §10; the same numbers as the AniSOAP package's `cg_combine` to L = 0):
 *
 * ```
 * p[λ; q1, q2] = κ_λ Σ_μ c(q1, λ, μ) c(q2, λ, μ),      κ_λ = (−1)^λ / √(2λ+1)
 * ∂E/∂c(q, λ, μ) = κ_λ Σ_q' (P_λ + P_λᵀ)[q, q'] c(q', λ, μ),   P_λ[q1, q2] = ∂E/∂p[λ; q1, q2]
 * ```
 *
 * with `q = (neighbour type, n)` over the blocks of the centre's type with `o3_lambda = λ`, neighbour
 * types in type-index order, n inner. Feature order: λ outermost (ascending), then q1, then q2,
 * both orders of every pair (no √2, no normalisation): `F = Σ_λ Q_λ²`. Labels
 * `[l, a1, n1, a2, n2]` (a = neighbour species id). For AniSOAP's native layout this is exactly
 * the layout of ANISOAP.md §15.
 */
import { AnisoError } from '../../core/errors.js';
import type { Contraction } from '../contraction.js';
import type { DensityExpansionMetadata } from '../density-expansion.js';
import type { FeatureLabels } from '../feature-labels.js';

/** Per centre type: for each λ, the record offsets of its Q channels. */
interface TypeTable {
  /** λ of each angular block, ascending. */
  lambdas: Int32Array;
  /** Feature offset of each λ block. */
  fOff: Int32Array;
  /** `κ_λ` of each λ block. */
  kappa: Float64Array;
  /** Q of each λ block. */
  q: Int32Array;
  /** Start of each λ block in `offsets`. */
  qStart: Int32Array;
  /** Record offset of channel q (its μ = −λ entry; components at stride 1). */
  offsets: Int32Array;
}

/** Power-spectrum contraction (module doc). */
export class PowerSpectrum implements Contraction {
  /** `'power-spectrum'`. */
  readonly name = 'power-spectrum';
  /** F = Σ_λ Q_λ². */
  readonly featureCount: number;
  /** `[l, a1, n1, a2, n2]` per feature. */
  readonly labels: FeatureLabels;
  /** Values per centre of the expansion's layout. */
  readonly recordLength: number;
  private readonly tables: TypeTable[];

  /**
   * @param expansion - the blocks to contract (every centre type needs the same F; components at
   *   stride 1, as in all expansions here).
   * @throws AnisoError `E_ARG` if the centre types give different feature counts or a block's
   *   components are not contiguous.
   */
  constructor(expansion: DensityExpansionMetadata) {
    this.recordLength = expansion.recordLength;
    const S = expansion.species.length;
    this.tables = [];
    let labels: Int32Array | null = null;
    let F = -1;
    for (let t = 0; t < S; t++) {
      const blocks = expansion.blocks.filter((b) => b.centerTypeIndex === t);
      for (const b of blocks) {
        if (b.componentStride !== 1) throw new AnisoError('E_ARG', `power spectrum: block λ=${b.o3Lambda} has component stride ${b.componentStride}; 1 is required`);
      }
      const lambdas = [...new Set(blocks.map((b) => b.o3Lambda))].sort((x, y) => x - y);
      const fOff: number[] = [], kappa: number[] = [], q: number[] = [], qStart: number[] = [], offsets: number[] = [];
      const rows: number[] = [];
      let f = 0;
      for (const l of lambdas) {
        const chans = blocks.filter((b) => b.o3Lambda === l).sort((x, y) => x.neighborTypeIndex - y.neighborTypeIndex);
        const W = 2 * l + 1;
        const ch: Array<[number, number, number]> = []; // [offset, species, n]
        for (const b of chans) for (let n = 0; n < b.propertyCount; n++) ch.push([b.offset + n * b.propertyStride, b.neighborType, n]);
        fOff.push(f);
        kappa.push((l % 2 === 0 ? 1 : -1) / Math.sqrt(W));
        q.push(ch.length);
        qStart.push(offsets.length);
        for (const [o] of ch) offsets.push(o);
        for (const c1 of ch) for (const c2 of ch) rows.push(l, c1[1], c1[2], c2[1], c2[2]);
        f += ch.length * ch.length;
      }
      if (F >= 0 && f !== F) throw new AnisoError('E_ARG', `power spectrum: centre type ${t} gives ${f} features, type 0 gives ${F}; all centre types need the same count`);
      F = f;
      labels ??= Int32Array.from(rows);
      this.tables.push({
        lambdas: Int32Array.from(lambdas), fOff: Int32Array.from(fOff), kappa: Float64Array.from(kappa),
        q: Int32Array.from(q), qStart: Int32Array.from(qStart), offsets: Int32Array.from(offsets),
      });
    }
    this.featureCount = Math.max(0, F);
    this.labels = { names: ['l', 'a1', 'n1', 'a2', 'n2'], values: labels ?? new Int32Array(0) };
  }

  /** Features of centres `c0 … c1−1` (see {@link Contraction.forward}). */
  forward(c: Float64Array, types: Int32Array, p: Float64Array, c0: number, c1: number): void {
    const R = this.recordLength, F = this.featureCount;
    for (let i = c0; i < c1; i++) this.centre(c, i * R, types[i]!, p, i * F);
  }

  /** The power spectrum of one centre of type `type`: coefficients at `cb`, features at `pb`. */
  centre(c: Float64Array, cb: number, type: number, p: Float64Array, pb: number): void {
    const tb = this.tables[type]!, off = tb.offsets;
    for (let b = 0; b < tb.lambdas.length; b++) {
      const W = 2 * tb.lambdas[b]! + 1, Q = tb.q[b]!, k = tb.kappa[b]!, fo = pb + tb.fOff[b]!, qs = tb.qStart[b]!;
      for (let q1 = 0; q1 < Q; q1++) {
        const o1 = cb + off[qs + q1]!;
        for (let q2 = q1; q2 < Q; q2++) {
          const o2 = cb + off[qs + q2]!;
          let s = 0;
          for (let m = 0; m < W; m++) s += c[o1 + m]! * c[o2 + m]!;
          s *= k;
          p[fo + q1 * Q + q2] = s;
          p[fo + q2 * Q + q1] = s;
        }
      }
    }
  }

  /** Coefficient adjoints of centres `c0 … c1−1` (see {@link Contraction.adjoint}). */
  adjoint(c: Float64Array, types: Int32Array, dEdp: Float64Array, rows: Int32Array | null, dc: Float64Array, c0: number, c1: number): void {
    const R = this.recordLength, F = this.featureCount;
    for (let i = c0; i < c1; i++) {
      const tb = this.tables[types[i]!]!, off = tb.offsets, cb = i * R, ob = i * R;
      const wb = (rows === null ? i : rows[i]!) * F;
      dc.fill(0, ob, ob + R);
      for (let b = 0; b < tb.lambdas.length; b++) {
        const W = 2 * tb.lambdas[b]! + 1, Q = tb.q[b]!, k = tb.kappa[b]!, fo = wb + tb.fOff[b]!, qs = tb.qStart[b]!;
        for (let q = 0; q < Q; q++) {
          const oq = ob + off[qs + q]!;
          for (let qp = 0; qp < Q; qp++) {
            const sym = k * (dEdp[fo + q * Q + qp]! + dEdp[fo + qp * Q + q]!);
            if (sym === 0) continue;
            const op = cb + off[qs + qp]!;
            for (let m = 0; m < W; m++) dc[oq + m]! += sym * c[op + m]!;
          }
        }
      }
    }
  }

  /** `dp = κ_λ Σ_μ (dc(q1) c(q2) + c(q1) dc(q2))` (see {@link Contraction.tangent}). */
  tangent(c: Float64Array, cb: number, type: number, dc: Float64Array, db: number, dp: Float64Array, pb: number): void {
    const tb = this.tables[type]!, off = tb.offsets;
    for (let b = 0; b < tb.lambdas.length; b++) {
      const W = 2 * tb.lambdas[b]! + 1, Q = tb.q[b]!, k = tb.kappa[b]!, fo = pb + tb.fOff[b]!, qs = tb.qStart[b]!;
      for (let q1 = 0; q1 < Q; q1++) {
        const o1 = off[qs + q1]!;
        for (let q2 = q1; q2 < Q; q2++) {
          const o2 = off[qs + q2]!;
          let s = 0;
          for (let m = 0; m < W; m++) s += dc[db + o1 + m]! * c[cb + o2 + m]! + c[cb + o1 + m]! * dc[db + o2 + m]!;
          s *= k;
          dp[fo + q1 * Q + q2] = s;
          dp[fo + q2 * Q + q1] = s;
        }
      }
    }
  }
}
