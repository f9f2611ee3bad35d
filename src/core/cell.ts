// SPDX-License-Identifier: BSD-3-Clause
/**
 * Simulation cell. Lattice vectors are the **rows** of `h` (ASE convention):
 * `a = h[0..2]`, `b = h[3..5]`, `c = h[6..8]`, lengths in Å (or the caller's length unit; the cell
 * itself is unit-agnostic). Cartesian positions relate to fractional ones as `r = s · h`
 * (row vector times matrix), `s = r · h⁻¹`.
 *
 * A cell with `pbc = [false, false, false]` is an open (non-periodic) box: `h` may then be zero and
 * only serves as a frame of reference. The i-PI wire sends `h` with lattice vectors as *columns*;
 * that transpose happens in `protocol/`, never here.
 */
import { AnisoError } from './errors.js';
import { invert3, det3 } from './mat3.js';

/** Periodicity along a, b, c. */
export type Pbc = readonly [boolean, boolean, boolean];

/** An immutable simulation cell. Create with {@link Cell.fromRows} or {@link Cell.open}. */
export interface Cell {
  /** Row-major 3×3, rows = lattice vectors a, b, c (length unit). */
  readonly h: Float64Array;
  /** `h⁻¹` (1/length), all zeros for an open cell with a singular `h`. */
  readonly hInv: Float64Array;
  /** Periodicity along each lattice vector. */
  readonly pbc: Pbc;
}

const ALL_PERIODIC: Pbc = [true, true, true];
const NONE_PERIODIC: Pbc = [false, false, false];

// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace Cell {
  /**
   * A cell from its lattice vectors as rows (9 numbers, a then b then c).
   * Throws `E_CELL` if a periodic cell is singular or has non-finite entries.
   */
  export function fromRows(rows: ArrayLike<number>, pbc: Pbc = ALL_PERIODIC): Cell {
    if (rows.length !== 9) throw new AnisoError('E_CELL', `cell needs 9 numbers (rows a, b, c), got ${rows.length}`);
    const h = Float64Array.from(rows);
    for (let k = 0; k < 9; k++) {
      if (!Number.isFinite(h[k]!)) throw new AnisoError('E_CELL', `cell entry ${k} is ${h[k]}, not a finite length`);
    }
    const hInv = new Float64Array(9);
    const ok = invert3(hInv, h);
    if (!ok) {
      if (pbc[0] || pbc[1] || pbc[2]) {
        throw new AnisoError(
          'E_CELL',
          `periodic cell is singular (volume ${det3(h).toExponential(3)}): rows ${Array.from(h).join(' ')}`,
        );
      }
      hInv.fill(0);
    }
    return { h, hInv, pbc: [pbc[0], pbc[1], pbc[2]] };
  }

  /** An orthorhombic periodic cell with edge lengths `lx, ly, lz`. */
  export function orthorhombic(lx: number, ly: number, lz: number): Cell {
    return fromRows([lx, 0, 0, 0, ly, 0, 0, 0, lz]);
  }

  /** A non-periodic cell (all-zero `h`): no images, no wrapping. */
  export function open(): Cell {
    return { h: new Float64Array(9), hInv: new Float64Array(9), pbc: NONE_PERIODIC };
  }

  /** True if any direction is periodic. */
  export function isPeriodic(cell: Cell): boolean {
    return cell.pbc[0] || cell.pbc[1] || cell.pbc[2];
  }

  /** Volume `|det h|` (length³); 0 for an open cell. */
  export function volume(cell: Cell): number {
    return Math.abs(det3(cell.h));
  }

  /**
   * Perpendicular widths (distance between opposite faces) along a, b, c, written to `out[0..2]`.
   * The width along a is `V / |b × c|`; a half width bounds the minimum-image cutoff.
   */
  export function widths(cell: Cell, out: Float64Array = new Float64Array(3)): Float64Array {
    const h = cell.h;
    const v = volume(cell);
    for (let d = 0; d < 3; d++) {
      const p = 3 * ((d + 1) % 3);
      const q = 3 * ((d + 2) % 3);
      const cx = h[p + 1]! * h[q + 2]! - h[p + 2]! * h[q + 1]!;
      const cy = h[p + 2]! * h[q]! - h[p]! * h[q + 2]!;
      const cz = h[p]! * h[q + 1]! - h[p + 1]! * h[q]!;
      const area = Math.hypot(cx, cy, cz);
      out[d] = area > 0 ? v / area : 0;
    }
    return out;
  }

  /** Fractional coordinates `s = r · h⁻¹` of `r[ir..ir+2]`, written to `out[io..io+2]`. */
  export function toFractional(cell: Cell, r: ArrayLike<number>, ir: number, out: Float64Array, io: number): void {
    const m = cell.hInv;
    const x = r[ir]!, y = r[ir + 1]!, z = r[ir + 2]!;
    out[io] = x * m[0]! + y * m[3]! + z * m[6]!;
    out[io + 1] = x * m[1]! + y * m[4]! + z * m[7]!;
    out[io + 2] = x * m[2]! + y * m[5]! + z * m[8]!;
  }

  /** Cartesian coordinates `r = s · h` of `s[is..is+2]`, written to `out[io..io+2]`. */
  export function toCartesian(cell: Cell, s: ArrayLike<number>, is: number, out: Float64Array, io: number): void {
    const h = cell.h;
    const a = s[is]!, b = s[is + 1]!, c = s[is + 2]!;
    out[io] = a * h[0]! + b * h[3]! + c * h[6]!;
    out[io + 1] = a * h[1]! + b * h[4]! + c * h[7]!;
    out[io + 2] = a * h[2]! + b * h[5]! + c * h[8]!;
  }

  /**
   * Wrap positions (flat, 3N, xyz interleaved) into the cell along its periodic directions, in
   * place, so that each periodic fractional coordinate lies in [0, 1). An open cell leaves the
   * positions untouched.
   */
  export function wrap(cell: Cell, positions: Float64Array): Float64Array {
    // Without a periodic direction h may be zero, and s · h would erase the positions.
    if (!isPeriodic(cell)) return positions;
    const s = new Float64Array(3);
    for (let i = 0; i < positions.length; i += 3) {
      toFractional(cell, positions, i, s, 0);
      for (let d = 0; d < 3; d++) {
        if (cell.pbc[d]) {
          let f = s[d]! - Math.floor(s[d]!);
          if (f >= 1) f = 0; // -1e-17 - floor(...) rounds to 1
          s[d] = f;
        }
      }
      toCartesian(cell, s, 0, positions, i);
    }
    return positions;
  }

  /**
   * Minimum-image convention applied in place to the displacement `d[id..id+2]`: each periodic
   * fractional component is reduced to [-1/2, 1/2). Exact (the true shortest image) for
   * orthorhombic cells and for any cell when `|d| ≤` half the smallest width; callers that need
   * every image within a cutoff use the neighbour list instead. An open cell leaves `d` untouched.
   */
  export function minimumImage(cell: Cell, d: Float64Array, id: number): void {
    if (!isPeriodic(cell)) return;
    const m = cell.hInv, h = cell.h;
    const x = d[id]!, y = d[id + 1]!, z = d[id + 2]!;
    let sa = x * m[0]! + y * m[3]! + z * m[6]!;
    let sb = x * m[1]! + y * m[4]! + z * m[7]!;
    let sc = x * m[2]! + y * m[5]! + z * m[8]!;
    if (cell.pbc[0]) sa -= Math.round(sa);
    if (cell.pbc[1]) sb -= Math.round(sb);
    if (cell.pbc[2]) sc -= Math.round(sc);
    d[id] = sa * h[0]! + sb * h[3]! + sc * h[6]!;
    d[id + 1] = sa * h[1]! + sb * h[4]! + sc * h[7]!;
    d[id + 2] = sa * h[2]! + sb * h[5]! + sc * h[8]!;
  }

  /**
   * Apply the homogeneous deformation `x → (1 + ε) x` to the cell (used by finite-difference virial
   * tests and barostats). `eps` is row-major 3×3. Each lattice vector (a row) transforms as a
   * column vector: `a' = (1 + ε) a`.
   */
  export function deformed(cell: Cell, eps: ArrayLike<number>): Cell {
    const h = cell.h;
    const out = new Float64Array(9);
    for (let v = 0; v < 3; v++) {
      for (let r = 0; r < 3; r++) {
        let acc = h[3 * v + r]!;
        for (let c = 0; c < 3; c++) acc += eps[3 * r + c]! * h[3 * v + c]!;
        out[3 * v + r] = acc;
      }
    }
    return isPeriodic(cell) ? fromRows(out, cell.pbc) : { h: out, hInv: new Float64Array(9), pbc: cell.pbc };
  }

  /**
   * Lattice parameters `[a, b, c, α, β, γ]` (length, degrees), as written in i-PI's
   * `# CELL(abcABC)` header and ASE's `cell.cellpar()`.
   */
  export function parameters(cell: Cell): [number, number, number, number, number, number] {
    const h = cell.h;
    const len = (o: number) => Math.hypot(h[o]!, h[o + 1]!, h[o + 2]!);
    const ang = (o: number, p: number, lo: number, lp: number) => {
      if (lo === 0 || lp === 0) return 90;
      const c = (h[o]! * h[p]! + h[o + 1]! * h[p + 1]! + h[o + 2]! * h[p + 2]!) / (lo * lp);
      return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
    };
    const a = len(0), b = len(3), c = len(6);
    return [a, b, c, ang(3, 6, b, c), ang(0, 6, a, c), ang(0, 3, a, b)];
  }

  /**
   * The cell with lattice parameters `[a, b, c, α, β, γ]` (length, degrees) in the standard
   * orientation (a along x, b in the xy plane), as i-PI and ASE build it.
   */
  export function fromParameters(p: ArrayLike<number>, pbc: Pbc = ALL_PERIODIC): Cell {
    const [a, b, c, al, be, ga] = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!];
    const rad = Math.PI / 180;
    // Round exact right angles so that orthorhombic cells come out exactly diagonal.
    const cosd = (x: number) => (x === 90 ? 0 : Math.cos(x * rad));
    const sind = (x: number) => (x === 90 ? 1 : Math.sin(x * rad));
    const ca = cosd(al), cb = cosd(be), cg = cosd(ga), sg = sind(ga);
    const cx = c * cb;
    const cy = (c * (ca - cb * cg)) / sg;
    const cz = Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy));
    return fromRows([a, 0, 0, b * cg, b * sg, 0, cx, cy, cz], pbc);
  }
}
