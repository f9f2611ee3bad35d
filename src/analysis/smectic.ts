// SPDX-License-Identifier: BSD-3-Clause
/**
 * Smectic (positional, one-dimensional density wave) order along the director, freud-style:
 * construct, `compute()`, read the results. Definitions as in `docs/CONVENTIONS.md` §7 and
 * `data/reference/lc/README.md` (the reference values there use exactly these):
 *
 * ```
 * τ(d)  = | (1/N) Σ_i exp(2πi (r_i · n) / d) |          d on a uniform grid of nd points in [dmin, dmax]
 * τ     = max_d τ(d),   d_τ = the d where it occurs (first one on ties)
 * τ_pbc = max_G | (1/N) Σ_i exp(i G · r_i) |            G = 2π (h, k, l) · B,  B = (h_cell⁻¹)ᵀ (rows)
 *         over integers |h|, |k|, |l| ≤ maxIndex (not all 0) with 2π/|G| in [dmin, dmax] and
 *         the angle between G and ±n below maxAngle;  d_τpbc = 2π/|G| there
 *         (none allowed → τ_pbc = 0, d_τpbc = NaN)
 * ```
 *
 * The grid is `numpy.linspace(dmin, dmax, nd)` (`d_k = dmin + k (dmax − dmin)/(nd − 1)`, the last
 * point exactly `dmax`). Positions may be wrapped or not and need no origin shift: both are
 * moduli of sums of phases, unchanged by a common translation.
 *
 * Pitfalls (docs/CONVENTIONS.md §7): every harmonic d/k of a layer spacing d also gives τ = 1, so keep the
 * d range around one molecular length; with wrapped coordinates a d that does not divide the box
 * length along n gives spurious values — `τ_pbc` only uses spacings consistent with the periodic
 * cell. Both have a noise floor of order 1/√N times a max-over-candidates factor (≈ 0.1 for N = 512).
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';

/** Defaults of the optional {@link SmecticOptions} (also those of the `smectic` registry entry). */
export const SMECTIC_DEFAULTS = Object.freeze({ nd: 801, maxIndex: 12, maxAngleDeg: 25 });

/** Options of {@link Smectic}. */
export interface SmecticOptions {
  /** Smallest layer spacing of the scan (length, > 0). */
  dmin: number;
  /** Largest layer spacing of the scan (length, ≥ dmin). */
  dmax: number;
  /** Number of spacings on the grid (default 801; 1 needs dmin = dmax). */
  nd?: number;
  /** Largest |Miller index| of the reciprocal vectors tried for τ_pbc (default 12). */
  maxIndex?: number;
  /** Largest angle between G and ±n for τ_pbc, degrees (default 25). */
  maxAngleDeg?: number;
}

/**
 * Smectic order parameters τ (scan of the layer spacing along the director) and τ_pbc (over the
 * cell's reciprocal lattice); see the module comment.
 *
 * ```ts
 * const nem = new Nematic().compute(q);
 * const sm = new Smectic({ dmin: 2, dmax: 5 }).compute(positions, nem.director, cell);
 * sm.order; sm.spacing; sm.orderPbc; sm.spacingPbc; sm.profile;
 * ```
 */
export class Smectic {
  /** Smallest spacing of the grid. */
  readonly dmin: number;
  /** Largest spacing of the grid. */
  readonly dmax: number;
  /** Grid points. */
  readonly nd: number;
  /** Largest Miller index for τ_pbc. */
  readonly maxIndex: number;
  /** Largest angle between G and ±n for τ_pbc (degrees). */
  readonly maxAngleDeg: number;
  private readonly grid: Float64Array;
  private readonly wave: Float64Array; // 2π/d per grid point
  private readonly prof: Float64Array;
  private computed = false;
  private tau = 0;
  private dTau = 0;
  private tauPbc = 0;
  private dTauPbc = Number.NaN;
  private gCount = 0;
  private z: Float64Array = new Float64Array(0);
  // Reciprocal vectors of the last cell within the spacing window (half of ±G), cached by cell.
  private cellKey: Float64Array | null = null;
  private gVectors: Float64Array = new Float64Array(0);
  private gNorms: Float64Array = new Float64Array(0);
  private gTotal = 0;

  /** @throws AnisoError `E_ARG` naming the bad option */
  constructor(options: SmecticOptions) {
    const { dmin, dmax } = options;
    const nd = options.nd ?? SMECTIC_DEFAULTS.nd;
    const maxIndex = options.maxIndex ?? SMECTIC_DEFAULTS.maxIndex;
    const maxAngleDeg = options.maxAngleDeg ?? SMECTIC_DEFAULTS.maxAngleDeg;
    if (!(dmin > 0) || !Number.isFinite(dmin) || !(dmax >= dmin) || !Number.isFinite(dmax)) {
      throw new AnisoError('E_ARG', `smectic: spacings dmin ${dmin}, dmax ${dmax}; need 0 < dmin ≤ dmax, finite`);
    }
    if (!Number.isInteger(nd) || nd < 1 || (nd === 1 && dmin !== dmax)) {
      throw new AnisoError('E_ARG', `smectic: nd = ${nd}; it must be an integer ≥ 2 (or 1 with dmin = dmax)`);
    }
    if (!Number.isInteger(maxIndex) || maxIndex < 1 || maxIndex > 100) {
      throw new AnisoError('E_ARG', `smectic: maxIndex = ${maxIndex}; it must be an integer in 1..100`);
    }
    if (!(maxAngleDeg > 0 && maxAngleDeg <= 90)) {
      throw new AnisoError('E_ARG', `smectic: maxAngleDeg = ${maxAngleDeg}; it must be in (0, 90]`);
    }
    this.dmin = dmin;
    this.dmax = dmax;
    this.nd = nd;
    this.maxIndex = maxIndex;
    this.maxAngleDeg = maxAngleDeg;
    this.grid = new Float64Array(nd);
    const step = nd > 1 ? (dmax - dmin) / (nd - 1) : 0;
    for (let k = 0; k < nd; k++) this.grid[k] = k * step + dmin;
    this.grid[nd - 1] = dmax;
    this.wave = this.grid.map((d) => (2 * Math.PI) / d);
    this.prof = new Float64Array(nd);
  }

  /**
   * Compute τ and τ_pbc of `positions` (3N, any image) for the director `director` (3, need not
   * be unit) in `cell` (τ_pbc needs a cell periodic in all three directions; otherwise it is 0
   * with spacing NaN). Returns `this`.
   * @throws AnisoError `E_SIZE` for an empty or ragged position array, `E_ARG` for a zero director
   */
  compute(positions: ArrayLike<number>, director: ArrayLike<number>, cell?: Cell): this {
    this.computed = false;
    const len = positions.length;
    if (len === 0 || len % 3 !== 0) {
      throw new AnisoError('E_SIZE', `smectic: positions have length ${len}; expected a positive multiple of 3`);
    }
    const n = len / 3;
    let nx = director[0]!, ny = director[1]!, nz = director[2]!;
    const nn = Math.hypot(nx, ny, nz);
    if (!(nn > 0 && nn < Infinity)) throw new AnisoError('E_ARG', `smectic: director (${nx}, ${ny}, ${nz}) must be finite and non-zero`);
    nx /= nn; ny /= nn; nz /= nn;

    if (this.z.length < n) this.z = new Float64Array(n);
    const z = this.z;
    for (let i = 0; i < n; i++) z[i] = positions[3 * i]! * nx + positions[3 * i + 1]! * ny + positions[3 * i + 2]! * nz;
    let best = -1, bestK = 0;
    for (let k = 0; k < this.nd; k++) {
      const q = this.wave[k]!;
      let c = 0, s = 0;
      for (let i = 0; i < n; i++) {
        const ph = q * z[i]!;
        c += Math.cos(ph);
        s += Math.sin(ph);
      }
      const t = Math.hypot(c, s) / n;
      this.prof[k] = t;
      if (t > best) {
        best = t;
        bestK = k;
      }
    }
    this.tau = best;
    this.dTau = this.grid[bestK]!;

    this.tauPbc = 0;
    this.dTauPbc = Number.NaN;
    this.gCount = 0;
    if (cell !== undefined && cell.pbc[0] && cell.pbc[1] && cell.pbc[2]) {
      this.reciprocal(cell);
      const cosMax = Math.cos((this.maxAngleDeg * Math.PI) / 180);
      const gv = this.gVectors, gn = this.gNorms;
      let bestPbc = -1;
      for (let g = 0; g < this.gTotal; g++) {
        const gx = gv[3 * g]!, gy = gv[3 * g + 1]!, gz = gv[3 * g + 2]!;
        const norm = gn[g]!;
        if (!(Math.abs(gx * nx + gy * ny + gz * nz) / norm > cosMax)) continue;
        this.gCount += 2; // G and −G
        let c = 0, s = 0;
        for (let i = 0; i < n; i++) {
          const ph = gx * positions[3 * i]! + gy * positions[3 * i + 1]! + gz * positions[3 * i + 2]!;
          c += Math.cos(ph);
          s += Math.sin(ph);
        }
        const t = Math.hypot(c, s) / n;
        if (t > bestPbc) {
          bestPbc = t;
          this.tauPbc = t;
          this.dTauPbc = (2 * Math.PI) / norm;
        }
      }
    }
    this.computed = true;
    return this;
  }

  /** τ: the largest τ(d) over the grid (0 … 1). */
  get order(): number {
    this.need('order');
    return this.tau;
  }

  /** d_τ: the spacing of the largest τ(d) (the first grid point on ties). */
  get spacing(): number {
    this.need('spacing');
    return this.dTau;
  }

  /** τ_pbc: the largest |ρ(G)| over the allowed reciprocal vectors (0 if none). */
  get orderPbc(): number {
    this.need('orderPbc');
    return this.tauPbc;
  }

  /** 2π/|G| of τ_pbc (NaN if no reciprocal vector was allowed). */
  get spacingPbc(): number {
    this.need('spacingPbc');
    return this.dTauPbc;
  }

  /** Number of reciprocal vectors G (±G counted separately) that passed the τ_pbc filters. */
  get reciprocalCount(): number {
    this.need('reciprocalCount');
    return this.gCount;
  }

  /** τ(d) on the grid (nd values, in the order of {@link Smectic.spacings}). */
  get profile(): Float64Array {
    this.need('profile');
    return Float64Array.from(this.prof);
  }

  /** The spacing grid (nd values). */
  get spacings(): Float64Array {
    return Float64Array.from(this.grid);
  }

  private need(what: string): void {
    if (!this.computed) throw new AnisoError('E_ARG', `smectic.${what}: property not computed: call compute() first`);
  }

  /**
   * The reciprocal vectors G = 2π (h, k, l)·B with 2π/|G| in [dmin, dmax], one of each ±G pair
   * (the first non-zero index positive), in the order h, k, l ascending; cached per cell.
   */
  private reciprocal(cell: Cell): void {
    const key = this.cellKey;
    if (key !== null) {
      let same = true;
      for (let k = 0; k < 9; k++) if (key[k] !== cell.h[k]) same = false;
      if (same) return;
    }
    this.cellKey = Float64Array.from(cell.h);
    const m = cell.hInv; // B[i][j] = hInv[j][i]: row i of B = column i of h⁻¹
    const b = [m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!];
    const M = this.maxIndex;
    const vec: number[] = [], norms: number[] = [];
    const twoPi = 2 * Math.PI;
    for (let h = -M; h <= M; h++) {
      for (let k = -M; k <= M; k++) {
        for (let l = -M; l <= M; l++) {
          if (!(h > 0 || (h === 0 && (k > 0 || (k === 0 && l > 0))))) continue;
          const gx = twoPi * (h * b[0]! + k * b[3]! + l * b[6]!);
          const gy = twoPi * (h * b[1]! + k * b[4]! + l * b[7]!);
          const gz = twoPi * (h * b[2]! + k * b[5]! + l * b[8]!);
          const norm = Math.hypot(gx, gy, gz);
          const d = twoPi / norm;
          if (!(d >= this.dmin && d <= this.dmax)) continue;
          vec.push(gx, gy, gz);
          norms.push(norm);
        }
      }
    }
    this.gVectors = Float64Array.from(vec);
    this.gNorms = Float64Array.from(norms);
    this.gTotal = norms.length;
  }
}
