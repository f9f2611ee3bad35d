// SPDX-License-Identifier: BSD-3-Clause
/**
 * Cell-list (linked-bin) neighbour search over every periodic image, O(N) for a fixed density and
 * cutoff.
 *
 * Method. Positions are mapped to fractional coordinates `s = r · h⁻¹` and wrapped into [0, 1)
 * along periodic directions; an open cell (no periodic direction) is binned in its Cartesian
 * bounding box instead, and a non-periodic direction of a mixed cell in the range its particles
 * span. A displacement shorter than `rc` changes `s_d` by at most `rc · |column d of h⁻¹|` =
 * `rc / w_d` (`w_d` the perpendicular width, {@link Cell.widths}). With `nb_d` bins along d, that
 * is `wb_d = nb_d · rc / w_d` bins, so a particle of bin c meets only bins `c − m_d … c + m_d`,
 * `m_d = ⌈wb_d⌉`. Stencil bins outside [0, nb_d) along a periodic direction are periodic images of
 * in-range bins, translated by the matching lattice vector; when the stencil is wider than the cell
 * the same bin is visited several times with different translations, which is how every image of a
 * pair (and a particle's own images) within the cutoff is found.
 *
 * Work is done per pair of bins (A, B, translation), each unordered (bin pair, image) once: B after
 * A in bin order, or B = A with a lexicographically positive translation (all particle pairs,
 * self images included) or with none (p < q). Bins are counting-sorted and each bin is sorted along
 * direction 0, so the part of B within a particle's window along 0 is found by a sweep; along 1 and
 * 2, a particle skips the outermost stencil rows its own window does not reach.
 *
 * Small orthorhombic periodic cells whose cutoff is below half of every width and which would get
 * at most two bins along each direction (every pair is examined anyway) are searched by a plain
 * all-pairs minimum-image loop instead ({@link searchMinimumImage}): the same pairs, fast from
 * the first call in a short-lived process.
 *
 * Limitation: bins are uniform and capped at about 2N, so along a non-periodic direction a few far
 * outliers stretch the bins and a dense cluster elsewhere falls into few bins (quadratic cost in
 * the cluster size). Periodic directions and compact systems are always linear.
 */
import type { Cell } from './cell.js';
import { AnisoError } from './errors.js';

/**
 * A half neighbour list: every pair (i, j, image) with centre distance `< cutoff` listed once.
 * Contract: for periodic directions *every* image within the cutoff is listed (cutoffs larger
 * than half the cell width are fine); pairs of a particle with its own images appear with
 * `first[k] === second[k]`; `vectors[3k..3k+2] = r_j + S − r_i`, S being a lattice translation, in
 * the caller's length unit. Two distinct particles at the same place are listed with distance 0
 * (never silently dropped), so that a potential can report the overlap instead of ignoring it.
 *
 * Canonical form and order: pair k has `first[k] < second[k]`, or `first[k] === second[k]` with
 * `S = n_a a + n_b b + n_c c` and `(n_a, n_b, n_c)` lexicographically positive. Pairs are in
 * no particular order (they follow the internal bins); the order is deterministic for identical
 * inputs. Only the first `count` entries (`3·count` for `vectors`) are meaningful; the arrays may be
 * longer (spare capacity) and are replaced by larger ones when a build needs more room.
 */
export interface NeighborList {
  /** Number of pairs stored. */
  count: number;
  /** Pair k's first particle i (length ≥ count). */
  first: Int32Array;
  /** Pair k's second particle j (length ≥ count). */
  second: Int32Array;
  /** Displacement `r_j + S − r_i` of pair k, 3 per pair (length ≥ 3·count). */
  vectors: Float64Array;
  /** `|vectors[k]|` (length ≥ count). */
  distances: Float64Array;
}

/**
 * An empty {@link NeighborList} with room for `capacity` pairs, to be passed as `out` to
 * {@link buildNeighborList} and reused from step to step.
 */
export function createNeighborList(capacity = 0): NeighborList {
  const c = Math.max(0, Math.floor(capacity));
  return {
    count: 0,
    first: new Int32Array(c),
    second: new Int32Array(c),
    vectors: new Float64Array(3 * c),
    distances: new Float64Array(c),
  };
}

/**
 * Bins per cutoff: bins are at least `cutoff / BINS_PER_CUTOFF` wide (perpendicular) wherever the
 * cell or the particles' extent allows. One (bins ≥ cutoff, a 3 × 3 × 3 stencil) was fastest in
 * bench/neighbor-list.ts at the Gay–Berne working point; two doubles the bin pairs and is ~1.5×
 * slower there, although it examines fewer candidates.
 */
const BINS_PER_CUTOFF = 1;
/** Relative widening of the search window, so that rounding never drops a pair just inside rc. */
const WINDOW_PAD = 1e-9;
/** Refuse searches that would visit more images of the cell than this (a cutoff ≫ the cell). */
const MAX_IMAGES = 1e6;

// Module-level scratch, grown on demand and reused by every build (the core is single-threaded).
// The set-up steps of a build fill it in order; the pair search reads it.

/** Rows of the binning frame: `h` when any direction is periodic, else the identity (row-major). */
const frameH = new Float64Array(9);
/** Inverse of {@link frameH}. */
const frameG = new Float64Array(9);
/** Per direction: 1 if periodic in the binning frame. */
const periodic = new Uint8Array(3);
/** Per direction: the search window half-width in frame units, `rc · |column d of h⁻¹|`. */
const windowFrame = new Float64Array(3);
/** Per direction: the smallest and largest wrapped coordinate of the particles. */
const lowest = new Float64Array(3);
const highest = new Float64Array(3);
/** Per direction: bins `nb_d`, and the bin-unit scale and origin of the bins (frame units). */
const binCount = new Int32Array(3);
/** Per direction: the extent the bins cover (1 along periodic directions, frame units). */
const binSpan = new Float64Array(3);
const binScale = new Float64Array(3);
const binOrigin = new Float64Array(3);
/** Per direction: the search window half-width in bin units `wb_d` and the stencil half-width `m_d`. */
const windowBins = new Float64Array(3);
const stencilHalf = new Int32Array(3);
/** Per direction: range `lo_d … hi_d` of stencil bin indices and the offset of its wrap table. */
const stencilLo = new Int32Array(3);
const stencilHi = new Int32Array(3);
const wrapOffset = new Int32Array(3);

/** Wrapped fractional (or, for an open cell, Cartesian) coordinates in input order, 3N. */
let scratchFrac: Float64Array = new Float64Array(0);
/** Bin of each particle in input order, N. */
let scratchBin: Int32Array = new Int32Array(0);
/** Particle indices in bin order, N. */
let sortedIdx: Int32Array = new Int32Array(0);
/** Wrapped Cartesian positions in bin order, 3N. */
let sortedPos: Float64Array = new Float64Array(0);
/**
 * Per particle (input order, then bin order): which outermost stencil bins its own search window
 * reaches along directions 1 and 2. Bits 2d − 2 and 2d − 1: offset −m_d and +m_d.
 */
let scratchReach: Int32Array = new Int32Array(0);
let sortedReach: Int32Array = new Int32Array(0);
/** Coordinate along direction 0 in bin units, `(s₀ − origin₀)·scale₀`, in bin order; N. */
let sortedKey: Float64Array = new Float64Array(0);
/** `binStart[b]..binStart[b+1]` are the sorted slots of bin b; length nBins + 1. */
let binStart: Int32Array = new Int32Array(0);
/** Fill cursor per bin during the counting sort; length nBins. */
let binCursor: Int32Array = new Int32Array(0);
/**
 * Per direction d, for a stencil bin index `b` in `lo_d … hi_d`: `wrapBin[off_d + b − lo_d]` is
 * the in-range bin and `wrapShift[…]` the lattice shift n_d (zero along non-periodic directions).
 * The three directions are stored one after another.
 */
let wrapBin: Int32Array = new Int32Array(0);
let wrapShift: Int32Array = new Int32Array(0);
/** Squared cutoff of the current build. */
let cutoff2 = 0;

function growInt(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, 2 * a.length));
}

function growFloat(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(Math.max(n, 2 * a.length));
}

/** Replace the arrays of `out` by ones with room for at least `needed` pairs, keeping `keep` pairs. */
function growList(out: NeighborList, needed: number, keep: number): void {
  const cap = Math.max(needed, 2 * out.first.length, 64);
  const first = new Int32Array(cap);
  const second = new Int32Array(cap);
  const vectors = new Float64Array(3 * cap);
  const distances = new Float64Array(cap);
  if (keep > 0) {
    first.set(out.first.subarray(0, keep));
    second.set(out.second.subarray(0, keep));
    vectors.set(out.vectors.subarray(0, 3 * keep));
    distances.set(out.distances.subarray(0, keep));
  }
  out.first = first;
  out.second = second;
  out.vectors = vectors;
  out.distances = distances;
}

/** Capacity (pairs) of `out`: the smallest of its arrays. */
function capacityOf(out: NeighborList): number {
  return Math.min(out.first.length, out.second.length, out.distances.length, Math.floor(out.vectors.length / 3));
}

/**
 * Build the half neighbour list of `positions` in `cell` for centre distances `< cutoff`.
 *
 * @param cell - The cell. Periodic directions have images; non-periodic ones have none and
 *   positions may lie anywhere along them. For an open cell (`pbc` all false) `h` is ignored and
 *   may be zero.
 * @param positions - Cartesian positions, flat `[x0, y0, z0, x1, …]` (3N, length unit of `h`).
 *   Need not be wrapped; never modified.
 * @param cutoff - Cutoff radius (same length unit), finite and > 0. May exceed the cell widths.
 * @param out - A list to reuse (from {@link createNeighborList} or a previous build). Its arrays are
 *   replaced by geometrically larger ones when capacity is short; otherwise nothing is allocated.
 * @returns `out` (or a new list), holding every (i, j, S) with `0 < |r_j + S − r_i| < cutoff`
 *   once, in the canonical form described on {@link NeighborList}.
 * @throws AnisoError `E_ARG` for a bad cutoff or a search over too many images, `E_SIZE` if
 *   `positions.length` is not a multiple of 3, `E_NONFINITE` for a non-finite position, `E_CELL`
 *   for a periodic cell without a usable inverse.
 */
export function buildNeighborList(
  cell: Cell,
  positions: Float64Array,
  cutoff: number,
  out?: NeighborList,
): NeighborList {
  checkArguments(positions, cutoff);
  const n = positions.length / 3;
  const list = out ?? createNeighborList(0);
  list.count = 0;
  if (n === 0) return list;
  setFrame(cell, cutoff);
  wrapPositions(positions, n);
  checkImageCount(cutoff);
  chooseBins(n);
  if (minimumImageApplies()) {
    if (out === undefined) reserveFirstGuess(list, n, cutoff);
    cutoff2 = cutoff * cutoff;
    const count = searchMinimumImage(list, n);
    canonicalise(list, count);
    list.count = count;
    return list;
  }
  fillWrapTables();
  const nBins = binCount[0]! * binCount[1]! * binCount[2]!;
  binParticles(n, nBins);
  sortBinsAlongAxis0(nBins);
  gatherSorted(n);
  if (out === undefined) reserveFirstGuess(list, n, cutoff);
  cutoff2 = cutoff * cutoff;
  const count = searchPairs(list);
  canonicalise(list, count);
  list.count = count;
  return list;
}

/**
 * Whether the all-pairs minimum-image search applies: every direction periodic, an orthorhombic
 * cell (diagonal `h`), the cutoff below half of every cell width (so each pair has at most one
 * image within it, and no particle meets its own image), and so few bins (≤ 2 along each
 * direction) that the cell list would examine every pair anyway (with 3 bins it is already faster).
 */
function minimumImageApplies(): boolean {
  const h = frameH;
  if (periodic[0] !== 1 || periodic[1] !== 1 || periodic[2] !== 1) return false;
  if (h[1] !== 0 || h[2] !== 0 || h[3] !== 0 || h[5] !== 0 || h[6] !== 0 || h[7] !== 0) return false;
  for (let d = 0; d < 3; d++) {
    if (!(windowFrame[d]! * (1 + WINDOW_PAD) < 0.5 - 1e-12) || binCount[d]! > 2) return false;
  }
  return true;
}

/**
 * All pairs i < j of an orthorhombic periodic cell by the minimum image (see
 * {@link minimumImageApplies}), from the wrapped fractional coordinates: `v = r'_j − r'_i` shifted
 * by ±L along each axis into (−L/2, L/2]. A simple loop that is fast from the first call (no
 * bins, one branch per axis), for small cells with large cutoffs. Returns the pair count.
 */
function searchMinimumImage(list: NeighborList, n: number): number {
  const frac = scratchFrac, rc2 = cutoff2;
  const L0 = frameH[0]!, L1 = frameH[4]!, L2 = frameH[8]!;
  const half0 = 0.5 * L0, half1 = 0.5 * L1, half2 = 0.5 * L2;
  const pos = (sortedPos = growFloat(sortedPos, 3 * n));
  for (let k = 0; k < 3 * n; k += 3) {
    pos[k] = frac[k]! * L0; pos[k + 1] = frac[k + 1]! * L1; pos[k + 2] = frac[k + 2]! * L2;
  }
  let cap = capacityOf(list);
  let first = list.first, second = list.second, vec = list.vectors, dist = list.distances;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (count + (n - 1 - i) > cap) {
      list.count = count;
      growList(list, count + (n - 1 - i), count);
      cap = capacityOf(list);
      first = list.first; second = list.second; vec = list.vectors; dist = list.distances;
    }
    const xi = pos[3 * i]!, yi = pos[3 * i + 1]!, zi = pos[3 * i + 2]!;
    for (let j = i + 1, q = 3 * j; j < n; j++, q += 3) {
      let dx = pos[q]! - xi, dy = pos[q + 1]! - yi, dz = pos[q + 2]! - zi;
      if (dx > half0) dx -= L0; else if (dx <= -half0) dx += L0;
      if (dy > half1) dy -= L1; else if (dy <= -half1) dy += L1;
      if (dz > half2) dz -= L2; else if (dz <= -half2) dz += L2;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < rc2) {
        const v = 3 * count;
        first[count] = i; second[count] = j;
        vec[v] = dx; vec[v + 1] = dy; vec[v + 2] = dz;
        dist[count] = d2;
        count++;
      }
    }
  }
  return count;
}

/** Throw on a bad cutoff or a position array that is not xyz triples. */
function checkArguments(positions: Float64Array, cutoff: number): void {
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) {
    throw new AnisoError('E_ARG', `neighbour-list cutoff is ${cutoff}; it must be a finite length > 0`);
  }
  if (positions.length % 3 !== 0) {
    throw new AnisoError('E_SIZE', `positions have length ${positions.length}, not a multiple of 3 (xyz per particle)`);
  }
}

/**
 * The binning frame: the cell when any direction is periodic, else Cartesian axes (bounding-box
 * binning); and the search window half-widths in frame units.
 */
function setFrame(cell: Cell, cutoff: number): void {
  const periodicFrame = cell.pbc[0] || cell.pbc[1] || cell.pbc[2];
  for (let k = 0; k < 9; k++) {
    const identity = k % 4 === 0 ? 1 : 0;
    frameH[k] = periodicFrame ? cell.h[k]! : identity;
    frameG[k] = periodicFrame ? cell.hInv[k]! : identity;
  }
  const g = frameG;
  for (let d = 0; d < 3; d++) {
    periodic[d] = periodicFrame && cell.pbc[d] ? 1 : 0;
    // rc · |column d of h⁻¹| = rc / (perpendicular width).
    windowFrame[d] = cutoff * Math.hypot(g[d]!, g[3 + d]!, g[6 + d]!);
  }
  const w0 = windowFrame[0]!, w1 = windowFrame[1]!, w2 = windowFrame[2]!;
  if (!(w0 > 0 && w1 > 0 && w2 > 0) || !Number.isFinite(w0 + w1 + w2)) {
    throw new AnisoError('E_CELL', `cell has no usable inverse for a neighbour search (hInv ${Array.from(cell.hInv).join(' ')})`);
  }
}

/** Fractional coordinates, wrapped along periodic directions, and their range per direction. */
function wrapPositions(positions: Float64Array, n: number): void {
  const frac = (scratchFrac = growFloat(scratchFrac, 3 * n));
  const g = frameG;
  const g00 = g[0]!, g01 = g[1]!, g02 = g[2]!, g10 = g[3]!, g11 = g[4]!, g12 = g[5]!, g20 = g[6]!, g21 = g[7]!, g22 = g[8]!;
  const p0 = periodic[0] === 1, p1 = periodic[1] === 1, p2 = periodic[2] === 1;
  let min0 = Infinity, min1 = Infinity, min2 = Infinity;
  let max0 = -Infinity, max1 = -Infinity, max2 = -Infinity;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const x = positions[o]!, y = positions[o + 1]!, z = positions[o + 2]!;
    if (!Number.isFinite(x + y + z)) {
      throw new AnisoError('E_NONFINITE', `position of particle ${i} is (${x}, ${y}, ${z}); positions must be finite`);
    }
    let s0 = x * g00 + y * g10 + z * g20;
    let s1 = x * g01 + y * g11 + z * g21;
    let s2 = x * g02 + y * g12 + z * g22;
    if (p0) { s0 -= Math.floor(s0); if (s0 >= 1) s0 = 0; }
    if (p1) { s1 -= Math.floor(s1); if (s1 >= 1) s1 = 0; }
    if (p2) { s2 -= Math.floor(s2); if (s2 >= 1) s2 = 0; }
    frac[o] = s0; frac[o + 1] = s1; frac[o + 2] = s2;
    if (s0 < min0) min0 = s0;
    if (s0 > max0) max0 = s0;
    if (s1 < min1) min1 = s1;
    if (s1 > max1) max1 = s1;
    if (s2 < min2) min2 = s2;
    if (s2 > max2) max2 = s2;
  }
  lowest[0] = min0; lowest[1] = min1; lowest[2] = min2;
  highest[0] = max0; highest[1] = max1; highest[2] = max2;
}

/** Refuse a search over more than {@link MAX_IMAGES} cell images per particle. */
function checkImageCount(cutoff: number): void {
  let images = 1;
  for (let d = 0; d < 3; d++) images *= periodic[d] ? 2 * windowFrame[d]! + 1 : 1;
  if (images > MAX_IMAGES) {
    const w = windowFrame;
    throw new AnisoError(
      'E_ARG',
      `cutoff ${cutoff} needs about ${images.toExponential(2)} cell images per particle (perpendicular widths ` +
        `${(cutoff / w[0]!).toPrecision(4)}, ${(cutoff / w[1]!).toPrecision(4)}, ${(cutoff / w[2]!).toPrecision(4)}); ` +
        `at most ${MAX_IMAGES} are allowed`,
    );
  }
}

/**
 * Bins: periodic directions cover [0, 1); the others [min, max]. Bins are ≥ w / BINS_PER_CUTOFF
 * wide, and there are at most about 2N + 8 of them in all (dilute or very spread-out systems).
 * Also the windows in bin units (padded against rounding; absolute pad for far-off origins), the
 * stencil half-widths (a particle of bin c only reaches bins c − m … c + m) and the range of
 * stencil bin indices (images along periodic directions, clamped to the bins otherwise).
 */
function chooseBins(n: number): void {
  const maxBins = 2 * n + 8;
  const span = binSpan, nb = binCount;
  for (let d = 0; d < 3; d++) {
    const p = periodic[d] === 1;
    binOrigin[d] = p ? 0 : lowest[d]!;
    span[d] = p ? 1 : highest[d]! - lowest[d]!;
    nb[d] = Math.max(1, Math.min(maxBins, Math.floor((span[d]! * BINS_PER_CUTOFF) / windowFrame[d]!)));
  }
  while (nb[0]! * nb[1]! * nb[2]! > maxBins) {
    const f = Math.cbrt(maxBins / (nb[0]! * nb[1]! * nb[2]!));
    for (let d = 0; d < 3; d++) nb[d] = Math.max(1, Math.floor(nb[d]! * f));
  }
  const eps = 4 * Number.EPSILON;
  let offset = 0;
  for (let d = 0; d < 3; d++) {
    const p = periodic[d] === 1, nbd = nb[d]!, sd = span[d]!;
    const scale = sd > 0 ? nbd / sd : 0;
    const wb = (windowFrame[d]! * (1 + WINDOW_PAD) + eps * (Math.abs(lowest[d]!) + Math.abs(highest[d]!))) * scale;
    const m = Math.ceil(wb);
    binScale[d] = scale;
    windowBins[d] = wb;
    stencilHalf[d] = m;
    stencilLo[d] = p ? -m : 0;
    stencilHi[d] = p ? nbd - 1 + m : nbd - 1;
    wrapOffset[d] = offset;
    offset += stencilHi[d]! - stencilLo[d]! + 1;
  }
}

/** The wrap tables of the three directions (see {@link wrapBin}). */
function fillWrapTables(): void {
  const length = wrapOffset[2]! + stencilHi[2]! - stencilLo[2]! + 1;
  wrapBin = growInt(wrapBin, length);
  wrapShift = growInt(wrapShift, length);
  for (let d = 0; d < 3; d++) {
    const off = wrapOffset[d]!, lo = stencilLo[d]!, hi = stencilHi[d]!, nb = binCount[d]!;
    for (let b = lo; b <= hi; b++) {
      const t = Math.floor(b / nb);
      wrapBin[off + b - lo] = b - t * nb; wrapShift[off + b - lo] = t;
    }
  }
}

/**
 * Counting sort into bins: the bin and reach bits of each particle, the bin starts, and the
 * particle indices and direction-0 keys in bin order (unsorted within a bin).
 */
function binParticles(n: number, nBins: number): void {
  const frac = scratchFrac;
  const binOf = (scratchBin = growInt(scratchBin, n));
  const reachOf = (scratchReach = growInt(scratchReach, n));
  const start = (binStart = growInt(binStart, nBins + 1));
  const cursor = (binCursor = growInt(binCursor, nBins));
  const nb0 = binCount[0]!, nb1 = binCount[1]!, nb2 = binCount[2]!;
  const origin0 = binOrigin[0]!, origin1 = binOrigin[1]!, origin2 = binOrigin[2]!;
  const scale0 = binScale[0]!, scale1 = binScale[1]!, scale2 = binScale[2]!;
  const wb1 = windowBins[1]!, wb2 = windowBins[2]!, m1 = stencilHalf[1]!, m2 = stencilHalf[2]!;
  start.fill(0, 0, nBins + 1);
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const x0 = (frac[o]! - origin0) * scale0;
    const x1 = (frac[o + 1]! - origin1) * scale1;
    const x2 = (frac[o + 2]! - origin2) * scale2;
    let c0 = Math.floor(x0), c1 = Math.floor(x1), c2 = Math.floor(x2);
    if (c0 >= nb0) c0 = nb0 - 1; else if (c0 < 0) c0 = 0;
    if (c1 >= nb1) c1 = nb1 - 1; else if (c1 < 0) c1 = 0;
    if (c2 >= nb2) c2 = nb2 - 1; else if (c2 < 0) c2 = 0;
    const b = (c2 * nb1 + c1) * nb0 + c0;
    binOf[i] = b;
    reachOf[i] =
      (Math.floor(x1 - wb1) <= c1 - m1 ? 1 : 0) | (Math.floor(x1 + wb1) >= c1 + m1 ? 2 : 0) |
      (Math.floor(x2 - wb2) <= c2 - m2 ? 4 : 0) | (Math.floor(x2 + wb2) >= c2 + m2 ? 8 : 0);
    start[b + 1]!++;
  }
  for (let b = 0; b < nBins; b++) {
    start[b + 1]! += start[b]!;
    cursor[b] = start[b]!;
  }
  const idx = (sortedIdx = growInt(sortedIdx, n));
  const key = (sortedKey = growFloat(sortedKey, n));
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const k = cursor[binOf[i]!]!++;
    idx[k] = i;
    key[k] = (frac[o]! - origin0) * scale0;
  }
}

/** Insertion sort of each bin along direction 0: O(Σ size²), never more than the pair search. */
function sortBinsAlongAxis0(nBins: number): void {
  const start = binStart, key = sortedKey, idx = sortedIdx;
  for (let b = 0; b < nBins; b++) {
    const bEnd = start[b + 1]!;
    for (let k = start[b]! + 1; k < bEnd; k++) {
      const kk = key[k]!, ik = idx[k]!;
      let j = k - 1;
      while (j >= start[b]! && key[j]! > kk) {
        key[j + 1] = key[j]!;
        idx[j + 1] = idx[j]!;
        j--;
      }
      key[j + 1] = kk;
      idx[j + 1] = ik;
    }
  }
}

/** Reach bits and wrapped Cartesian positions `r' = s · h` (r plus a lattice vector) in bin order. */
function gatherSorted(n: number): void {
  const frac = scratchFrac, idx = sortedIdx, reachOf = scratchReach;
  const pos = (sortedPos = growFloat(sortedPos, 3 * n));
  const reach = (sortedReach = growInt(sortedReach, n));
  const h = frameH;
  const h00 = h[0]!, h01 = h[1]!, h02 = h[2]!, h10 = h[3]!, h11 = h[4]!, h12 = h[5]!, h20 = h[6]!, h21 = h[7]!, h22 = h[8]!;
  for (let k = 0, q = 0; k < n; k++, q += 3) {
    const i = idx[k]!, o = 3 * i;
    const s0 = frac[o]!, s1 = frac[o + 1]!, s2 = frac[o + 2]!;
    reach[k] = reachOf[i]!;
    pos[q] = s0 * h00 + s1 * h10 + s2 * h20;
    pos[q + 1] = s0 * h01 + s1 * h11 + s2 * h21;
    pos[q + 2] = s0 * h02 + s1 * h12 + s2 * h22;
  }
}

/** First capacity of a new list: the ideal-gas pair count (fully periodic) or 16 per particle. */
function reserveFirstGuess(list: NeighborList, n: number, cutoff: number): void {
  const h = frameH;
  const volume = Math.abs(
    h[0]! * (h[4]! * h[8]! - h[5]! * h[7]!) - h[1]! * (h[3]! * h[8]! - h[5]! * h[6]!) + h[2]! * (h[3]! * h[7]! - h[4]! * h[6]!),
  );
  const allPeriodic = periodic[0] === 1 && periodic[1] === 1 && periodic[2] === 1;
  const guess = allPeriodic ? 1.2 * ((2 * Math.PI) / 3) * cutoff ** 3 * ((n * n) / volume) + n : 16 * n;
  growList(list, Math.ceil(Math.min(guess, 1 << 24)), 0);
}

/**
 * Pair search over every bin A (and, in {@link searchStencil}, the images of bins B around it).
 * Pairs are stored as found (slot order, the vector from p to q; squared distances) and put in
 * canonical order by {@link canonicalise}. Returns the pair count.
 */
function searchPairs(list: NeighborList): number {
  const nb0 = binCount[0]!, nb1 = binCount[1]!, nb2 = binCount[2]!;
  let count = 0;
  for (let c2 = 0; c2 < nb2; c2++) {
    for (let c1 = 0; c1 < nb1; c1++) {
      for (let c0 = 0; c0 < nb0; c0++) count = searchStencil(list, c0, c1, c2, count);
    }
  }
  return count;
}

/**
 * The pairs of bin A = (c0, c1, c2) with the stencil bins B around it, each unordered (bin pair,
 * image) once: B after A in bin order, or B = A with a lexicographically positive translation (all
 * particle pairs, self images included) or with none (p < q). Appends from `count`; returns the
 * new count. The particle sweep over each (A, image of B) stays inline: as a function of its own,
 * called once per bin pair, it cost up to 5 % at N = 288 in bench/neighbor-list.ts.
 */
function searchStencil(list: NeighborList, c0: number, c1: number, c2: number, count: number): number {
  const start = binStart, wBin = wrapBin, wShift = wrapShift, h = frameH;
  const h00 = h[0]!, h01 = h[1]!, h02 = h[2]!, h10 = h[3]!, h11 = h[4]!, h12 = h[5]!, h20 = h[6]!, h21 = h[7]!, h22 = h[8]!;
  const nb0 = binCount[0]!, nb1 = binCount[1]!;
  const binA = (c2 * nb1 + c1) * nb0 + c0;
  const aStart = start[binA]!, aEnd = start[binA + 1]!;
  if (aStart === aEnd) return count;
  const m0 = stencilHalf[0]!, m1 = stencilHalf[1]!, m2 = stencilHalf[2]!;
  const lo0 = stencilLo[0]!, lo1 = stencilLo[1]!, lo2 = stencilLo[2]!;
  const hi0 = stencilHi[0]!, hi1 = stencilHi[1]!, hi2 = stencilHi[2]!;
  const off1 = wrapOffset[1]!, off2 = wrapOffset[2]!;
  const key = sortedKey, reach = sortedReach, pos = sortedPos, idx = sortedIdx;
  const wb0 = windowBins[0]!, rc2 = cutoff2;
  let cap = capacityOf(list);
  let first = list.first, second = list.second, vec = list.vectors, dist = list.distances;
  const u2 = c2 + m2 > hi2 ? hi2 : c2 + m2, u1 = c1 + m1 > hi1 ? hi1 : c1 + m1, u0 = c0 + m0 > hi0 ? hi0 : c0 + m0;
  for (let b2 = c2 - m2 < lo2 ? lo2 : c2 - m2; b2 <= u2; b2++) {
    const k2 = off2 + b2 - lo2;
    const cz = wBin[k2]!, tz = wShift[k2]!;
    const tzx = tz * h20, tzy = tz * h21, tzz = tz * h22;
    const r2 = (b2 === c2 - m2 ? 4 : 0) | (b2 === c2 + m2 ? 8 : 0);
    for (let b1 = c1 - m1 < lo1 ? lo1 : c1 - m1; b1 <= u1; b1++) {
      const k1 = off1 + b1 - lo1;
      const cy = wBin[k1]!, ty = wShift[k1]!;
      const row = (cz * nb1 + cy) * nb0;
      if (row + nb0 <= binA) continue; // every bin of this row precedes bin A
      const tyx = tzx + ty * h10, tyy = tzy + ty * h11, tyz = tzz + ty * h12;
      const need = r2 | (b1 === c1 - m1 ? 1 : 0) | (b1 === c1 + m1 ? 2 : 0);
      for (let b0 = c0 - m0 < lo0 ? lo0 : c0 - m0; b0 <= u0; b0++) {
        const k0 = b0 - lo0;
        const binB = row + wBin[k0]!;
        if (binB < binA) continue;
        const tx = wShift[k0]!;
        // Within one bin: a lexicographically positive shift pairs every (p, q), including a
        // particle with its own image; the opposite shift is the same pairs again; no shift
        // pairs p < q.
        let triangle = false;
        if (binB === binA) {
          if (tx < 0 || (tx === 0 && (ty < 0 || (ty === 0 && tz < 0)))) continue;
          triangle = tx === 0 && ty === 0 && tz === 0;
        }
        const bStart = start[binB]!, bEnd = start[binB + 1]!;
        if (bStart === bEnd) continue;
        // Translation S of bin B's image; v = r'_q + S − r'_p.
        const sx = tyx + tx * h00, sy = tyy + tx * h01, sz = tyz + tx * h02;
        // Along direction 0 the image of bin B is offset by tx·nb0 bins; both bins are sorted
        // along direction 0, so the part of B within each p's window is found by a sweep.
        const shiftKey = tx * nb0;
        let lo = bStart, hi = bStart;
        for (let p = aStart; p < aEnd; p++) {
          // Outermost stencil rows are skipped by particles whose window ends short of them.
          if ((reach[p]! & need) !== need) continue;
          const kp = key[p]! - shiftKey;
          const kLo = kp - wb0, kHi = kp + wb0;
          while (lo < bEnd && key[lo]! < kLo) lo++;
          if (hi < lo) hi = lo;
          while (hi < bEnd && key[hi]! <= kHi) hi++;
          const qFirst = lo <= p && triangle ? p + 1 : lo; // (comparison first: type feedback on every path)
          if (count + (hi - qFirst) > cap) {
            list.count = count;
            growList(list, count + (hi - qFirst), count);
            cap = capacityOf(list);
            first = list.first; second = list.second; vec = list.vectors; dist = list.distances;
          }
          const pq = 3 * p;
          const ox = sx - pos[pq]!, oy = sy - pos[pq + 1]!, oz = sz - pos[pq + 2]!;
          const ip = idx[p]!;
          for (let q = qFirst; q < hi; q++) {
            const qq = 3 * q;
            const dx = pos[qq]! + ox, dy = pos[qq + 1]! + oy, dz = pos[qq + 2]! + oz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < rc2) {
              const v = 3 * count;
              first[count] = ip; second[count] = idx[q]!;
              vec[v] = dx; vec[v + 1] = dy; vec[v + 2] = dz;
              dist[count] = d2;
              count++;
            }
          }
        }
      }
    }
  }
  return count;
}

/** Canonical order first ≤ second (flipping the vector), branch-free; squared distances → distances. */
function canonicalise(list: NeighborList, count: number): void {
  const first = list.first, second = list.second, vec = list.vectors, dist = list.distances;
  for (let k = 0, v = 0; k < count; k++, v += 3) {
    const i = first[k]!, j = second[k]!;
    const d = j - i, neg = d >> 31; // neg = −1 if j < i, else 0
    first[k] = i + (d & neg);
    second[k] = j - (d & neg);
    const sign = neg | 1;
    vec[v] = sign * vec[v]!;
    vec[v + 1] = sign * vec[v + 1]!;
    vec[v + 2] = sign * vec[v + 2]!;
    dist[k] = Math.sqrt(dist[k]!);
  }
}
