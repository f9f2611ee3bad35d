// SPDX-License-Identifier: BSD-3-Clause
/**
 * Radial distribution function g(r) and the orientational pair correlations g1(r), g2(r) in one
 * pass over a neighbour list, accumulated over frames (freud's `reset=False`). Definitions as in
 * `docs/CONVENTIONS.md` §7 and `data/reference/lc/README.md`:
 *
 * ```
 * bins      [0, r_max) in nbins equal bins of width Δ = r_max/nbins; r = bin centre
 * V_shell   = 4π/3 (r_{k+1}³ − r_k³)                       (exact shell volume)
 * g(r)      = 2 Σ_f n_pairs,f(r) · V̄ / (Σ_f N_f (N_f − 1) · V_shell)
 *           = 2 n_pairs V / (N (N − 1) V_shell)            for one frame (or constant N and V)
 * g1(r)     = ⟨u_i · u_j⟩       over the pairs in the bin    (polar; ≈ 0 for apolar particles)
 * g2(r)     = ⟨P2(u_i · u_j)⟩   over the pairs in the bin    (→ S2² at large r in a nematic)
 * ```
 *
 * Pairs are counted once (i < j) at their minimum-image distance in any (triclinic) periodic cell;
 * `r_max` must not exceed half the smallest perpendicular cell width (so that every pair has at
 * most one image in range). V̄ is the mean cell volume of the accumulated frames. g1 and g2 are
 * NaN in empty bins, and when the frames carry no orientations.
 *
 * Normalisation compared with other codes: freud `RDF(normalization_mode='exact')` (its default),
 * ASE `get_rdf` and MDAnalysis `InterRDF` without `exclusion_block` normalise by N²/V, i.e. give
 * **this × (N − 1)/N**; freud `normalization_mode='finite_size'` and MDAnalysis with
 * `exclusion_block=(1, 1)` equal this. An ideal gas (uniform random positions) gives g = 1 on
 * average in every bin with this normalisation, at any N.
 *
 * Bin assignment follows `numpy.histogram` on uniform bins (index ⌊r/Δ⌋, corrected against the
 * `linspace` edges), so that distances on a bin edge land where numpy puts them.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { buildNeighborList, createNeighborList, type NeighborList } from '../core/neighbor-list.js';
import { bodyAxisIndex, molecularAxes, type BodyAxis, type OrientationInput } from './axes.js';

/** Options of {@link PairCorrelation}. */
export interface PairCorrelationOptions {
  /** Largest distance (length, > 0; ≤ half the smallest cell width of every frame). */
  rmax: number;
  /** Number of bins (integer ≥ 1). */
  nbins: number;
  /** Body axis taken as the molecular axis of quaternion orientations (default 'z'). */
  axis?: BodyAxis;
}

/** A frame as {@link PairCorrelation} reads it (a `ParticleSystem` or a trajectory frame fits). */
export interface PairFrame {
  /** Positions, 3N (any image). */
  readonly positions: Float64Array;
  /** The cell, periodic in all three directions. */
  readonly cell: Cell;
  /** Orientations (4N quaternions or 3N vectors, see `input`), or null/absent for g(r) alone. */
  readonly orientations?: ArrayLike<number> | null;
}

/**
 * One frame's contribution, the unit of accumulation: what a worker thread returns, and what
 * {@link PairCorrelation.accumulate} adds (in frame order, for results independent of how frames
 * were distributed).
 */
export interface PairPartial {
  /** Number of particles N. */
  n: number;
  /** Cell volume. */
  volume: number;
  /** Pair counts per bin (integers, as doubles). */
  counts: Float64Array;
  /** Σ u_i·u_j per bin, or null without orientations. */
  sumP1: Float64Array | null;
  /** Σ P2(u_i·u_j) per bin, or null without orientations. */
  sumP2: Float64Array | null;
}

/**
 * g(r), g1(r), g2(r) accumulated over frames (see the module comment).
 *
 * ```ts
 * const pc = new PairCorrelation({ rmax: 5.5, nbins: 110, axis: 'z' });
 * for (const frame of frames) pc.compute(frame, { reset: false });
 * pc.binCenters; pc.rdf; pc.g1; pc.g2;
 * ```
 */
export class PairCorrelation {
  /** Largest distance. */
  readonly rmax: number;
  /** Number of bins. */
  readonly nbins: number;
  /** Body axis of quaternion orientations. */
  readonly axis: BodyAxis;
  private readonly axisIndex: number;
  private readonly edges: Float64Array;
  private readonly counts: Float64Array;
  private readonly sumP1: Float64Array;
  private readonly sumP2: Float64Array;
  private frames = 0;
  private framesOriented = 0;
  private volumeSum = 0;
  private pairNorm = 0; // Σ_f N_f (N_f − 1)
  private list: NeighborList = createNeighborList(0);
  private u: Float64Array = new Float64Array(0);

  /** @throws AnisoError `E_ARG` naming the bad option */
  constructor(options: PairCorrelationOptions) {
    const { rmax, nbins } = options;
    if (!(rmax > 0) || !Number.isFinite(rmax)) throw new AnisoError('E_ARG', `pair correlation: rmax = ${rmax}; it must be a finite length > 0`);
    if (!Number.isInteger(nbins) || nbins < 1 || nbins > 1e7) {
      throw new AnisoError('E_ARG', `pair correlation: nbins = ${nbins}; it must be an integer ≥ 1`);
    }
    this.rmax = rmax;
    this.nbins = nbins;
    this.axis = options.axis ?? 'z';
    this.axisIndex = bodyAxisIndex(this.axis, 'pair correlation');
    // numpy.linspace(0, rmax, nbins + 1)
    this.edges = new Float64Array(nbins + 1);
    const step = rmax / nbins;
    for (let k = 0; k <= nbins; k++) this.edges[k] = k * step;
    this.edges[nbins] = rmax;
    this.counts = new Float64Array(nbins);
    this.sumP1 = new Float64Array(nbins);
    this.sumP2 = new Float64Array(nbins);
  }

  /**
   * Add `frame` (with `reset: true`, the default, after clearing earlier frames). Returns `this`.
   * @throws AnisoError see {@link PairCorrelation.partial}
   */
  compute(frame: PairFrame, options: { reset?: boolean; input?: OrientationInput } = {}): this {
    const p = this.partial(frame, options.input);
    if (options.reset ?? true) this.reset();
    return this.accumulate(p);
  }

  /**
   * One frame's counts and orientational sums, without adding them.
   * @throws AnisoError `E_CELL` for a cell that is not periodic in all directions or narrower
   *   than 2 r_max, `E_SIZE`/`E_ARG` for bad positions or orientations
   */
  partial(frame: PairFrame, input: OrientationInput = 'quaternions'): PairPartial {
    const cell = frame.cell;
    if (!(cell.pbc[0] && cell.pbc[1] && cell.pbc[2])) {
      throw new AnisoError('E_CELL', 'pair correlation: the cell must be periodic in all three directions (g(r) is normalised by its volume)');
    }
    const w = Cell.widths(cell);
    const half = 0.5 * Math.min(w[0]!, w[1]!, w[2]!);
    if (this.rmax > half) {
      throw new AnisoError(
        'E_CELL',
        `pair correlation: rmax ${this.rmax} exceeds half the smallest cell width (${half.toPrecision(6)}); ` +
          `the minimum-image g(r) needs rmax ≤ ${half.toPrecision(6)}`,
      );
    }
    const pos = frame.positions;
    if (pos.length === 0 || pos.length % 3 !== 0) {
      throw new AnisoError('E_SIZE', `pair correlation: positions have length ${pos.length}; expected a positive multiple of 3`);
    }
    const n = pos.length / 3;
    let u: Float64Array | null = null;
    if (frame.orientations) {
      const axes = molecularAxes(frame.orientations, input, this.axisIndex, this.u, 'pair correlation');
      if (axes.n !== n) {
        throw new AnisoError('E_SIZE', `pair correlation: ${n} positions but ${axes.n} orientations`);
      }
      this.u = axes.u;
      u = axes.u;
    }
    const list = (this.list = buildNeighborList(cell, pos, this.rmax, this.list));
    const nb = this.nbins, edges = this.edges, norm = nb / this.rmax;
    const counts = new Float64Array(nb);
    const s1 = u ? new Float64Array(nb) : null;
    const s2 = u ? new Float64Array(nb) : null;
    const first = list.first, second = list.second, dist = list.distances;
    for (let k = 0; k < list.count; k++) {
      const r = dist[k]!;
      if (!(r < this.rmax)) continue;
      let b = Math.trunc(r * norm);
      if (b >= nb) b = nb - 1;
      if (r < edges[b]!) b--;
      else if (b < nb - 1 && r >= edges[b + 1]!) b++;
      counts[b]!++;
      if (u) {
        const i = 3 * first[k]!, j = 3 * second[k]!;
        const c = u[i]! * u[j]! + u[i + 1]! * u[j + 1]! + u[i + 2]! * u[j + 2]!;
        s1![b]! += c;
        s2![b]! += 1.5 * c * c - 0.5;
      }
    }
    return { n, volume: Cell.volume(cell), counts, sumP1: s1, sumP2: s2 };
  }

  /**
   * Add one frame's {@link PairPartial} (from {@link PairCorrelation.partial} of an instance with
   * the same rmax and nbins, possibly on another thread). Returns `this`.
   * @throws AnisoError `E_SIZE` for a partial with another number of bins
   */
  accumulate(p: PairPartial): this {
    if (p.counts.length !== this.nbins) {
      throw new AnisoError('E_SIZE', `pair correlation: a partial with ${p.counts.length} bins added to ${this.nbins} bins`);
    }
    for (let b = 0; b < this.nbins; b++) this.counts[b]! += p.counts[b]!;
    if (p.sumP1 && p.sumP2) {
      for (let b = 0; b < this.nbins; b++) {
        this.sumP1[b]! += p.sumP1[b]!;
        this.sumP2[b]! += p.sumP2[b]!;
      }
      this.framesOriented++;
    }
    this.frames++;
    this.volumeSum += p.volume;
    this.pairNorm += p.n * (p.n - 1);
    return this;
  }

  /** Forget every accumulated frame. Returns `this`. */
  reset(): this {
    this.counts.fill(0);
    this.sumP1.fill(0);
    this.sumP2.fill(0);
    this.frames = 0;
    this.framesOriented = 0;
    this.volumeSum = 0;
    this.pairNorm = 0;
    return this;
  }

  /** Number of frames accumulated. */
  get frameCount(): number {
    return this.frames;
  }

  /** Mean cell volume V̄ of the accumulated frames (NaN before the first). */
  get meanVolume(): number {
    return this.frames > 0 ? this.volumeSum / this.frames : Number.NaN;
  }

  /** Bin edges (nbins + 1), `linspace(0, rmax, nbins + 1)`. */
  get binEdges(): Float64Array {
    return Float64Array.from(this.edges);
  }

  /** Bin centres (nbins). */
  get binCenters(): Float64Array {
    const out = new Float64Array(this.nbins);
    for (let b = 0; b < this.nbins; b++) out[b] = 0.5 * (this.edges[b]! + this.edges[b + 1]!);
    return out;
  }

  /** Accumulated pair counts per bin (each unordered pair once per frame). */
  get pairCounts(): Float64Array {
    return Float64Array.from(this.counts);
  }

  /** g(r) per bin (see the module comment). */
  get rdf(): Float64Array {
    this.need('rdf');
    const out = new Float64Array(this.nbins);
    const v = this.meanVolume;
    for (let b = 0; b < this.nbins; b++) {
      const lo = this.edges[b]!, hi = this.edges[b + 1]!;
      const shell = ((4 * Math.PI) / 3) * (hi * hi * hi - lo * lo * lo);
      out[b] = (2 * this.counts[b]! * v) / (this.pairNorm * shell);
    }
    return out;
  }

  /** g1(r) = ⟨u_i·u_j⟩ per bin (NaN in empty bins or without orientations). */
  get g1(): Float64Array {
    return this.orientational(this.sumP1, 'g1');
  }

  /** g2(r) = ⟨P2(u_i·u_j)⟩ per bin (NaN in empty bins or without orientations). */
  get g2(): Float64Array {
    return this.orientational(this.sumP2, 'g2');
  }

  private orientational(sum: Float64Array, what: string): Float64Array {
    this.need(what);
    const out = new Float64Array(this.nbins).fill(Number.NaN);
    if (this.framesOriented !== this.frames) return out; // some frames had no orientations
    for (let b = 0; b < this.nbins; b++) if (this.counts[b]! > 0) out[b] = sum[b]! / this.counts[b]!;
    return out;
  }

  private need(what: string): void {
    if (this.frames === 0) throw new AnisoError('E_ARG', `pairCorrelation.${what}: property not computed: call compute() first`);
  }
}
