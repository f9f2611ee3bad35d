// SPDX-License-Identifier: BSD-3-Clause
/**
 * Two-centre (pair) features of uniaxial particles (`docs/PAIR_FEATURES.md`): for every pair
 * (i, j, image S) with centre distance `r < cutoff`,
 *
 * ```
 * φ_ij[n, m] = S_sw(r) g_n(ξ) P_m(x, y, c),   x = u_i·r̂, y = u_j·r̂, c = u_i·u_j,
 * ξ = r − σ_c(x, y, c) + σ0   (radialCoordinate 'contact')   or   ξ = r   ('distance'),
 * ```
 *
 * with `a = r_j + S − r_i`, `r = |a|`, `r̂ = a/r`, `u` the lab direction of each particle's
 * distinct body axis (a column of R(q)), `g_n` the radial functions (`radialBasis`: the Gaussians of
 * `gaussian-grid.ts` or the cubic B-splines of `spline-grid.ts`), `P_m` the
 * symmetrised monomials of `angular-basis.ts`, σ_c the Berne–Pechukas contact distance of the
 * declared shape (`contact-distance.ts`) and `S_sw` the C2 switch of `core/cutoff-switch.ts` on
 * the bare r. `φ_ij = φ_ji`, and each particle gets half of each of its pairs:
 * `values_i = ½ Σ_(j,S) φ_ij`, so `Σ_i values_i = Σ_{unordered pairs} φ_ij` and a linear model on
 * the features is a pair potential.
 *
 * Layout: `values[i·F + ch·M + n·nA + m]` with `M = nRadial · nA` (nA angular functions) and one
 * channel `ch` per unordered pair of type indices `ta ≤ tb` in the order (0,0), (0,1), …, (0,T−1),
 * (1,1), …; a particle's features are zero in the channels that do not contain its own type.
 * Labels `(a1, a2, n, p, q, s)`: the species ids of the channel, the radial index and the exponents
 * of the leading monomial.
 *
 * Gradients (exact, `docs/PAIR_FEATURES.md` §5). For a scalar `e(r, x, y, c, ξ)` of one pair,
 * `de = α_r dr + α_x dx + α_y dy + α_c dc` after the chain rule through ξ and σ_c; with
 * `∂r/∂a = r̂`, `∂x/∂a = (u_i − x r̂)/r`, `∂y/∂a = (u_j − y r̂)/r` and, for the lab-frame rotation
 * `u_i → u_i + θ × u_i`, `∂x/∂θ_i = u_i × r̂`, `∂c/∂θ_i = u_i × u_j` (and the same with j):
 *
 * ```
 * g   = ∂e/∂a  = (α_r − (α_x x + α_y y)/r) r̂ + (α_x/r) u_i + (α_y/r) u_j
 * h_i = ∂e/∂θ_i = α_x u_i × r̂ + α_c u_i × u_j,   h_j = ∂e/∂θ_j = α_y u_j × r̂ − α_c u_i × u_j
 * F_i += g,  F_j −= g,  τ_i −= h_i,  τ_j −= h_j,  W[3a+b] −= g_a a_b   (W = −∂E/∂ε)
 * ```
 *
 * as in `anisoap/engine.ts`. The pair loops run over the half neighbour list (each unordered
 * pair and image once), allocate nothing, and are single-threaded; the MD path
 * ({@link PairCalculator.linearForces}) is the kernel of `linear-kernel.ts`, on a neighbour list
 * with a skin reused between steps while valid (`skin-list.ts`); the feature paths build theirs
 * at the cutoff for every frame.
 *
 * `system.semiaxes` is not read: the shape is a hyper-parameter, so a model file owns it.
 */
import { AnisoError } from '../../core/errors.js';
import { CutoffSwitch } from '../../core/cutoff-switch.js';
import { buildNeighborList, createNeighborList, type NeighborList } from '../../core/neighbor-list.js';
import { quatToMatrix } from '../../core/quaternion.js';
import type { ForceResult, ParticleSystem } from '../../core/system.js';
import type { FeatureCalculator, FeatureMetadata, FeatureSumGradients } from '../feature-calculator.js';
import { AngularBasis, angularTerms } from './angular-basis.js';
import { contactDistance } from './contact-distance.js';
import { GaussianGrid } from './gaussian-grid.js';
import { PairLinearKernel } from './linear-kernel.js';
import { PAIR_SKIN_FRACTION, SkinNeighborList } from './skin-list.js';
import { SplineGrid } from './spline-grid.js';
import { resolvePairHypers, uniaxialShape, type PairHypers, type ResolvedPairHypers, type UniaxialShape } from './hypers.js';

/** The channel index of the unordered type pair (ta, tb) among T types (module doc). */
export function pairChannel(ta: number, tb: number, T: number): number {
  const lo = Math.min(ta, tb), hi = Math.max(ta, tb);
  return lo * T - (lo * (lo - 1)) / 2 + (hi - lo);
}

/** Pair features of uniaxial particles as a {@link FeatureCalculator} (module doc). Not re-entrant. */
export class PairCalculator implements FeatureCalculator {
  /** Metadata: name `'pair'`, species, F, labels, cutoff, smooth (always true). */
  readonly metadata: FeatureMetadata;
  /** The hyper-parameters with every default filled in. */
  readonly hypers: ResolvedPairHypers;
  /** The declared uniaxial shape (axis, l, d, χ). */
  readonly shape: UniaxialShape;
  /** The angular functions. */
  readonly angular: AngularBasis;
  /** The radial functions (`radialBasis`: Gaussians or cubic B-splines). */
  readonly radial: GaussianGrid | SplineGrid;
  /** Features per channel, `nRadial · nAngular`. */
  readonly channelSize: number;
  /** Number of channels, `T(T+1)/2`. */
  readonly channelCount: number;

  private readonly T: number;
  private readonly F: number;
  private readonly sw: CutoffSwitch;
  private readonly contact: boolean;
  private readonly sigma0: number;
  private readonly chi: number;
  private list: NeighborList = createNeighborList(0);
  /** The list of the feature paths (`values`, `sumGradients`): built at the cutoff for each frame. */
  private frameList: NeighborList = createNeighborList(0);
  /** The half list with a skin, reused between MD steps while valid (`skin-list.ts`). */
  private readonly neighbours: SkinNeighborList;
  private axes = new Float64Array(0);
  private readonly rot = new Float64Array(9);
  // Per-pair scratch: radial g, g', angular P, ∂P/∂x, ∂P/∂y, ∂P/∂c, contact σ_c and its partials.
  private readonly g: Float64Array;
  private readonly dg: Float64Array;
  private readonly P: Float64Array;
  private readonly Px: Float64Array;
  private readonly Py: Float64Array;
  private readonly Pc: Float64Array;
  private readonly sig = new Float64Array(4);
  /** Pair geometry of the last {@link PairCalculator.geometry} call (see there). */
  private readonly geo = new Float64Array(13);
  /** The linear-model pass (`linear-kernel.ts`); holds the combined pair weights. */
  private readonly kernel: PairLinearKernel;

  /**
   * @param hypers - see {@link PairHypers}; validated here
   * @throws AnisoError `E_CONFIG` naming every bad value and its unit
   */
  constructor(hypers: PairHypers) {
    const h = (this.hypers = resolvePairHypers(hypers));
    this.shape = uniaxialShape(h.shape) as UniaxialShape;
    this.sigma0 = this.shape.breadth;
    this.chi = this.shape.chi;
    this.contact = h.radialCoordinate === 'contact';
    const terms = angularTerms(h.maxDegree, h.headTail, h.maxProjectionDegree);
    this.angular = new AngularBasis(terms);
    this.radial =
      h.radialBasis === 'spline'
        ? new SplineGrid(h.nRadial, h.radialMin, h.cutoff, this.sigma0, h.radialScale)
        : new GaussianGrid(h.nRadial, h.radialMin, h.cutoff, this.sigma0, h.radialScale, h.radialOverlap);
    this.sw = new CutoffSwitch(h.cutoff, h.switchWidth);
    this.neighbours = new SkinNeighborList(h.cutoff, PAIR_SKIN_FRACTION * h.cutoff);
    const T = (this.T = h.species.length);
    const nA = this.angular.count, nR = h.nRadial;
    this.channelSize = nR * nA;
    this.channelCount = (T * (T + 1)) / 2;
    const F = (this.F = this.channelCount * this.channelSize);
    this.g = new Float64Array(nR);
    this.dg = new Float64Array(nR);
    this.P = new Float64Array(nA);
    this.Px = new Float64Array(nA);
    this.Py = new Float64Array(nA);
    this.Pc = new Float64Array(nA);
    this.kernel = new PairLinearKernel({
      types: T,
      angular: this.angular,
      radial: this.radial instanceof SplineGrid ? { kind: 'spline', grid: this.radial } : { kind: 'gaussian', grid: this.radial },
      contact: this.contact,
      chi: this.chi,
      sigma0: this.sigma0,
      sw: this.sw,
    });
    const labels = new Int32Array(F * 6);
    let f = 0;
    for (let ta = 0; ta < T; ta++) {
      for (let tb = ta; tb < T; tb++) {
        for (let n = 0; n < nR; n++) {
          for (const t of terms) {
            labels.set([h.species[ta]!, h.species[tb]!, n, t.p, t.q, t.s], 6 * f++);
          }
        }
      }
    }
    this.metadata = {
      name: 'pair',
      species: [...h.species],
      featureCount: F,
      labels: { names: ['a1', 'a2', 'n', 'p', 'q', 's'], values: labels },
      cutoff: h.cutoff,
      smooth: true,
    };
  }

  /** Per-particle features, n × F (module doc), into `out` if given. */
  values(system: ParticleSystem, out?: Float64Array): Float64Array {
    const n = this.prepare(system), F = this.F;
    const res = out ?? new Float64Array(n * F);
    if (res.length < n * F) throw new AnisoError('E_SIZE', `pair values: out has length ${res.length}, needs n·F = ${n * F}`);
    res.fill(0, 0, n * F);
    const list = this.list, first = list.first, second = list.second, types = system.types;
    const T = this.T, M = this.channelSize, nA = this.angular.count, nR = this.radial.count;
    const g = this.g, P = this.P, geo = this.geo;
    for (let k = 0; k < list.count; k++) {
      const i = first[k]!, j = second[k]!;
      if (!this.geometry(k, i, j)) continue;
      const ti = types ? types[i]! : 0, tj = types ? types[j]! : 0;
      const oi = i * F + pairChannel(ti, tj, T) * M, oj = j * F + pairChannel(ti, tj, T) * M;
      const half = 0.5 * geo[11]!;
      for (let r = 0; r < nR; r++) {
        const gr = half * g[r]!;
        for (let m = 0; m < nA; m++) {
          const v = gr * P[m]!;
          res[oi + r * nA + m]! += v;
          res[oj + r * nA + m]! += v;
        }
      }
    }
    return res;
  }

  /** Features, per-type sums and their dense gradients (shapes of `feature-calculator.ts`). */
  sumGradients(system: ParticleSystem): FeatureSumGradients {
    const n = this.prepare(system), F = this.F, T = this.T;
    const values = new Float64Array(n * F);
    const sums = new Float64Array(T * F);
    const dPos = new Float64Array(T * n * 3 * F);
    const dRot = new Float64Array(T * n * 3 * F);
    const dStrain = new Float64Array(T * 9 * F);
    const list = this.list, first = list.first, second = list.second, vec = list.vectors, types = system.types;
    const M = this.channelSize, nA = this.angular.count, nR = this.radial.count;
    const g = this.g, dg = this.dg, P = this.P, Px = this.Px, Py = this.Py, Pc = this.Pc, geo = this.geo, u = this.axes;
    const targets = [0, 0], factors = [0, 0];
    for (let k = 0; k < list.count; k++) {
      const i = first[k]!, j = second[k]!;
      if (!this.geometry(k, i, j)) continue;
      const ti = types ? types[i]! : 0, tj = types ? types[j]! : 0;
      const off = pairChannel(ti, tj, T) * M;
      let nt = 1;
      targets[0] = ti; factors[0] = 1;
      if (ti !== tj) {
        nt = 2;
        targets[1] = tj; factors[0] = 0.5; factors[1] = 0.5;
      }
      const r = geo[0]!, rx = geo[1]!, ry = geo[2]!, rz = geo[3]!, x = geo[4]!, y = geo[5]!;
      const sx = geo[8]!, sy = geo[9]!, sc = geo[10]!, S = geo[11]!, dS = geo[12]!;
      const ax = vec[3 * k]!, ay = vec[3 * k + 1]!, az = vec[3 * k + 2]!;
      const uix = u[3 * i]!, uiy = u[3 * i + 1]!, uiz = u[3 * i + 2]!;
      const ujx = u[3 * j]!, ujy = u[3 * j + 1]!, ujz = u[3 * j + 2]!;
      // u_i × r̂, u_j × r̂, u_i × u_j
      const irx = uiy * rz - uiz * ry, iry = uiz * rx - uix * rz, irz = uix * ry - uiy * rx;
      const jrx = ujy * rz - ujz * ry, jry = ujz * rx - ujx * rz, jrz = ujx * ry - ujy * rx;
      const ijx = uiy * ujz - uiz * ujy, ijy = uiz * ujx - uix * ujz, ijz = uix * ujy - uiy * ujx;
      const invR = 1 / r;
      for (let rn = 0; rn < nR; rn++) {
        const gn = g[rn]!, dgn = dg[rn]!;
        for (let m = 0; m < nA; m++) {
          const f = off + rn * nA + m;
          const pm = P[m]!;
          const phi = S * gn * pm;
          const aR = dS * gn * pm + S * dgn * pm;
          const aX = S * (gn * Px[m]! - dgn * pm * sx);
          const aY = S * (gn * Py[m]! - dgn * pm * sy);
          const aC = S * (gn * Pc[m]! - dgn * pm * sc);
          const radialPart = aR - (aX * x + aY * y) * invR;
          const gx = radialPart * rx + aX * invR * uix + aY * invR * ujx;
          const gy = radialPart * ry + aX * invR * uiy + aY * invR * ujy;
          const gz = radialPart * rz + aX * invR * uiz + aY * invR * ujz;
          const hix = aX * irx + aC * ijx, hiy = aX * iry + aC * ijy, hiz = aX * irz + aC * ijz;
          const hjx = aY * jrx - aC * ijx, hjy = aY * jry - aC * ijy, hjz = aY * jrz - aC * ijz;
          values[i * F + f]! += 0.5 * phi;
          values[j * F + f]! += 0.5 * phi;
          for (let q = 0; q < nt; q++) {
            const t = targets[q]!, w = factors[q]!;
            sums[t * F + f]! += w * phi;
            const pi = (t * n + i) * 3 * F + f, pj = (t * n + j) * 3 * F + f;
            dPos[pj]! += w * gx; dPos[pj + F]! += w * gy; dPos[pj + 2 * F]! += w * gz;
            dPos[pi]! -= w * gx; dPos[pi + F]! -= w * gy; dPos[pi + 2 * F]! -= w * gz;
            dRot[pi]! += w * hix; dRot[pi + F]! += w * hiy; dRot[pi + 2 * F]! += w * hiz;
            dRot[pj]! += w * hjx; dRot[pj + F]! += w * hjy; dRot[pj + 2 * F]! += w * hjz;
            const ps = t * 9 * F + f;
            dStrain[ps]! += w * gx * ax; dStrain[ps + F]! += w * gx * ay; dStrain[ps + 2 * F]! += w * gx * az;
            dStrain[ps + 3 * F]! += w * gy * ax; dStrain[ps + 4 * F]! += w * gy * ay; dStrain[ps + 5 * F]! += w * gy * az;
            dStrain[ps + 6 * F]! += w * gz * ax; dStrain[ps + 7 * F]! += w * gz * ay; dStrain[ps + 8 * F]! += w * gz * az;
          }
        }
      }
    }
    return { values, sums, dPos, dRot, dStrain };
  }

  /**
   * `E = Σ_i w[type(i)] · values_i` and its forces (3n), lab torques (3n) and virial (9) for
   * `weights` (T × F), without dense gradients: one pass over the half list (module doc).
   * @throws AnisoError `E_SIZE` if `weights` is not T·F long
   */
  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult {
    const T = this.T, F = this.F, M = this.channelSize;
    if (weights.length !== T * F) {
      throw new AnisoError('E_SIZE', `pair linearForces: weights have length ${weights.length}, expected T·F = ${T}·${F} = ${T * F}`);
    }
    const n = this.prepare(system, true);
    const pw = this.kernel.weights;
    for (let ti = 0; ti < T; ti++) {
      for (let tj = 0; tj < T; tj++) {
        const ch = pairChannel(ti, tj, T) * M, o = (ti * T + tj) * M;
        for (let f = 0; f < M; f++) pw[o + f] = 0.5 * (weights[ti * F + ch + f]! + weights[tj * F + ch + f]!);
      }
    }
    this.kernel.setWeights();
    const forces = new Float64Array(3 * n), torques = new Float64Array(3 * n), virial = new Float64Array(9);
    const energy = this.kernel.run(this.list, this.axes, system.types, forces, torques, virial);
    return { energy, forces, torques, virial, extras: {} };
  }

  /** No resources to release (idempotent). */
  close(): void {}

  /**
   * Geometry of half-list pair `k` (i, j) into `geo`: `[r, r̂x, r̂y, r̂z, x, y, c, ξ, ∂σ_c/∂x,
   * ∂σ_c/∂y, ∂σ_c/∂c, S_sw, S_sw']` (the σ_c partials are 0 for the bare distance), and the radial
   * (`g`, `dg`) and angular (`P`, `Px`, `Py`, `Pc`) functions at it; false (and nothing computed)
   * for a pair of the skin at or beyond the cutoff.
   */
  private geometry(k: number, i: number, j: number): boolean {
    const vec = this.list.vectors, u = this.axes, geo = this.geo;
    const ax = vec[3 * k]!, ay = vec[3 * k + 1]!, az = vec[3 * k + 2]!;
    const r = Math.sqrt(ax * ax + ay * ay + az * az);
    if (!(r > 0)) {
      throw new AnisoError('E_ARG', `pair: particles ${i} and ${j} are at the same place (centre distance ${r}); pair features need a direction between the centres`);
    }
    if (r >= this.hypers.cutoff) return false;
    const inv = 1 / r, rx = ax * inv, ry = ay * inv, rz = az * inv;
    const uix = u[3 * i]!, uiy = u[3 * i + 1]!, uiz = u[3 * i + 2]!;
    const ujx = u[3 * j]!, ujy = u[3 * j + 1]!, ujz = u[3 * j + 2]!;
    const x = uix * rx + uiy * ry + uiz * rz;
    const y = ujx * rx + ujy * ry + ujz * rz;
    const c = uix * ujx + uiy * ujy + uiz * ujz;
    let xi = r, sx = 0, sy = 0, sc = 0;
    if (this.contact) {
      const sig = this.sig;
      contactDistance(sig, x, y, c, this.chi, this.sigma0);
      xi = r - sig[0]! + this.sigma0;
      sx = sig[1]!; sy = sig[2]!; sc = sig[3]!;
    }
    geo[0] = r; geo[1] = rx; geo[2] = ry; geo[3] = rz; geo[4] = x; geo[5] = y; geo[6] = c; geo[7] = xi;
    geo[8] = sx; geo[9] = sy; geo[10] = sc;
    geo[11] = this.sw.value(r); geo[12] = this.sw.derivative(r);
    this.radial.evaluate(xi, this.g, this.dg);
    this.angular.evaluate(x, y, c, this.P, this.Px, this.Py, this.Pc);
    return true;
  }

  /**
   * Validate `system`, compute the particle axes and the half neighbour list; returns n. `md`: the
   * list with a skin, reused between MD steps (`linearForces`); otherwise one built at the cutoff
   * for this frame (the training paths see unrelated frames, for which a skin only adds pairs).
   */
  private prepare(system: ParticleSystem, md = false): number {
    const n = system.n;
    if (!Number.isInteger(n) || n < 0) throw new AnisoError('E_SIZE', `pair: system.n = ${n} is not a particle count`);
    if (system.positions.length !== 3 * n) throw new AnisoError('E_SIZE', `pair: positions have length ${system.positions.length}, expected 3n = ${3 * n}`);
    const q = system.orientations;
    if (!q) throw new AnisoError('E_ARG', 'pair: the system needs orientations (4n quaternions w, x, y, z): pair features describe uniaxial particles, not points');
    if (q.length !== 4 * n) throw new AnisoError('E_SIZE', `pair: orientations have length ${q.length}, expected 4n = ${4 * n}`);
    const t = system.types;
    if (t) {
      if (t.length !== n) throw new AnisoError('E_SIZE', `pair: types have length ${t.length}, expected n = ${n}`);
      for (let i = 0; i < n; i++) {
        if (!(t[i]! >= 0 && t[i]! < this.T)) {
          throw new AnisoError('E_ARG', `pair: type ${t[i]} of particle ${i} is not a type index of the ${this.T} species [${this.hypers.species.join(', ')}]`);
        }
      }
    }
    if (this.axes.length < 3 * n) this.axes = new Float64Array(Math.max(3 * n, 2 * this.axes.length));
    const u = this.axes, R = this.rot, ax = this.shape.axis;
    for (let i = 0; i < n; i++) {
      const qn = Math.hypot(q[4 * i]!, q[4 * i + 1]!, q[4 * i + 2]!, q[4 * i + 3]!);
      if (!(qn > 0) || !Number.isFinite(qn)) throw new AnisoError('E_ARG', `pair: quaternion of particle ${i} has norm ${qn}; it must be finite and non-zero`);
      quatToMatrix(R, 0, q, 4 * i);
      u[3 * i] = R[ax]!; u[3 * i + 1] = R[3 + ax]!; u[3 * i + 2] = R[6 + ax]!;
    }
    if (md) this.list = this.neighbours.update(system.cell, system.positions, n);
    else this.list = this.frameList = buildNeighborList(system.cell, system.positions, this.hypers.cutoff, this.frameList);
    return n;
  }
}
