// SPDX-License-Identifier: BSD-3-Clause
/**
 * The angular functions of the pair features: symmetrised monomials in the three rotation
 * invariants of a pair of uniaxial particles (`docs/PAIR_FEATURES.md` §2),
 *
 * ```
 * x = a_i = u_i·r̂,   y = a_j = u_j·r̂,   c = u_i·u_j,
 * P_{pqs}(x, y, c) = x^p y^q c^s + (−1)^(p+q) x^q y^p c^s     (p > q)
 * P_{pps}(x, y, c) = x^p y^p c^s                               (p = q)
 * ```
 *
 * for every `p ≥ q ≥ 0`, `s ≥ 0` with `p + q + 2s ≤ maxDegree` and `p + q ≤ maxProjectionDegree`
 * (default `maxDegree`). The swap i ↔ j maps
 * `(x, y, c) → (−y, −x, c)` and each `P` onto itself, so every function is symmetric under the
 * exchange of the two particles. With head–tail symmetry (`u_i → −u_i`: `x → −x`, `c → −c`; the
 * same for j) only monomials with `p ≡ q ≡ s (mod 2)` are kept; they are even under each flip.
 *
 * Order: by degree `p + q + 2s`, then by `s` descending, then by `p` descending (so the constant
 * comes first). {@link AngularBasis.evaluate} is a straight-line function generated once per term
 * list (`new Function`, as `common/solid-harmonics.ts`: powers as locals, literal exponents);
 * {@link AngularBasis.evaluateReference} is the table-driven loop it is tested against.
 * {@link AngularBasis.contract} is the MD kernel: generated the same way, it contracts the functions
 * and their derivatives with per-pair coefficients in one straight-line pass, without writing the
 * functions out. None of them allocates.
 */

/** One angular function: the exponents (p ≥ q) of its leading monomial and the sign of the swapped one. */
export interface AngularTerm {
  /** Power of x = u_i·r̂. */
  readonly p: number;
  /** Power of y = u_j·r̂ (q ≤ p). */
  readonly q: number;
  /** Power of c = u_i·u_j. */
  readonly s: number;
  /** `(−1)^(p+q)` when p > q (the swapped monomial's sign), 0 when p = q (no second monomial). */
  readonly swapSign: number;
}

/**
 * The angular terms for `maxDegree` (module doc); `headTail` keeps the even ones only.
 * @param maxDegree - largest `p + q + 2s`, integer ≥ 0
 * @param maxProjection - largest `p + q` (default `maxDegree`)
 */
export function angularTerms(maxDegree: number, headTail: boolean, maxProjection = maxDegree): AngularTerm[] {
  const out: AngularTerm[] = [];
  for (let deg = 0; deg <= maxDegree; deg++) {
    for (let s = Math.floor(deg / 2); s >= 0; s--) {
      const pq = deg - 2 * s;
      if (pq > maxProjection) continue;
      for (let p = pq; 2 * p >= pq; p--) {
        const q = pq - p;
        if (headTail && ((p - s) % 2 !== 0 || (q - s) % 2 !== 0)) continue;
        out.push({ p, q, s, swapSign: p === q ? 0 : (p + q) % 2 === 0 ? 1 : -1 });
      }
    }
  }
  return out;
}

/** `(x, y, c, val, dx, dy, dc)`: see {@link AngularBasis.evaluate}. */
export type AngularEvaluator = (x: number, y: number, c: number, val: Float64Array, dx: Float64Array, dy: Float64Array, dc: Float64Array) => void;

/** Straight-line source of the evaluator of `terms` (module doc). */
function compileAngular(terms: readonly AngularTerm[]): AngularEvaluator {
  const maxPow = terms.reduce((m, t) => Math.max(m, t.p, t.s), 0);
  const lines: string[] = ['"use strict";', 'const x0 = 1, y0 = 1, c0 = 1;'];
  for (let k = 1; k <= maxPow; k++) lines.push(`const x${k} = x${k - 1}*x, y${k} = y${k - 1}*y, c${k} = c${k - 1}*c;`);
  // k · v^(k−1) · rest, or nothing for k = 0
  const d = (k: number, v: string, rest: string) => (k === 0 ? '' : `${k}*${v}${k - 1}*${rest}`);
  terms.forEach((t, m) => {
    const { p, q, s, swapSign: sg } = t;
    const val = [`x${p}*y${q}*c${s}`], dx = [d(p, 'x', `y${q}*c${s}`)], dy = [d(q, 'y', `x${p}*c${s}`)], dc = [d(s, 'c', `x${p}*y${q}`)];
    if (sg !== 0) {
      const sign = sg > 0 ? '' : '-';
      val.push(`${sign}x${q}*y${p}*c${s}`);
      dx.push(q === 0 ? '' : `${sign}${d(q, 'x', `y${p}*c${s}`)}`);
      dy.push(`${sign}${d(p, 'y', `x${q}*c${s}`)}`);
      dc.push(s === 0 ? '' : `${sign}${d(s, 'c', `x${q}*y${p}`)}`);
    }
    const sum = (xs: string[]) => xs.filter((e) => e !== '').join(' + ').replace(/\+ -/g, '- ') || '0';
    lines.push(`val[${m}] = ${sum(val)}; dx[${m}] = ${sum(dx)}; dy[${m}] = ${sum(dy)}; dc[${m}] = ${sum(dc)};`);
  });
  const key = terms.map((t) => `${t.p}${t.q}${t.s}`).join('_');
  return new Function('x', 'y', 'c', 'val', 'dx', 'dy', 'dc', lines.join('\n') + `\n//# sourceURL=anisodrive-kernel/pair-angular-${key}.js`) as AngularEvaluator;
}

/** `(x, y, c, cv, cd, out)`: see {@link AngularBasis.contract}. */
export type AngularContraction = (x: number, y: number, c: number, cv: Float64Array, cd: Float64Array, out: Float64Array) => void;

/** `v^k` as a product factor ('' for k = 0), for the generated sources. */
const pow = (v: string, k: number): string => (k === 0 ? '' : `${v}${k}`);
/** The product of factors, '' empty ones dropped; '1' when all are empty. */
const product = (...fs: string[]): string => fs.filter((f) => f !== '').join('*') || '1';

/**
 * Statements of the contraction of `terms` (see {@link AngularBasis.contract}), for inlining into
 * generated kernels: they read the invariants `x, y, c` and the coefficient arrays `cv`, `cd`,
 * and declare `G, Gx, Gy, Gc, Gxi` (the results) and the locals `x1…, y1…, c1…, a, v`.
 */
export function angularContractionSource(terms: readonly AngularTerm[]): string[] {
  const maxPow = terms.reduce((m, t) => Math.max(m, t.p, t.s), 0);
  const lines: string[] = [];
  for (let k = 1; k <= maxPow; k++) {
    lines.push(k === 1 ? 'const x1 = x, y1 = y, c1 = c;' : `const x${k} = x${k - 1}*x, y${k} = y${k - 1}*y, c${k} = c${k - 1}*c;`);
  }
  lines.push('let G = 0, Gx = 0, Gy = 0, Gc = 0, Gxi = 0, a = 0, v = 0;');
  // ∂(x^p y^q c^s)/∂x etc. as terms ('' when zero)
  const dMono = (k: number, v: string, others: string[]) => (k === 0 ? '' : product(k === 1 ? '' : String(k), pow(v, k - 1), ...others));
  terms.forEach((t, m) => {
    const { p, q, s, swapSign: sg } = t;
    const val = [product(pow('x', p), pow('y', q), pow('c', s))];
    const dx = [dMono(p, 'x', [pow('y', q), pow('c', s)])];
    const dy = [dMono(q, 'y', [pow('x', p), pow('c', s)])];
    const dc = [dMono(s, 'c', [pow('x', p), pow('y', q)])];
    if (sg !== 0) {
      const sign = sg > 0 ? '+' : '-';
      val.push(sign + product(pow('x', q), pow('y', p), pow('c', s)));
      const ex = dMono(q, 'x', [pow('y', p), pow('c', s)]), ey = dMono(p, 'y', [pow('x', q), pow('c', s)]), ec = dMono(s, 'c', [pow('x', q), pow('y', p)]);
      dx.push(ex === '' ? '' : sign + ex);
      dy.push(ey === '' ? '' : sign + ey);
      dc.push(ec === '' ? '' : sign + ec);
    }
    const sum = (xs: string[]) => xs.filter((e) => e !== '').join(' ').replace(/^\+/, '');
    lines.push(`a = cv[${m}]; v = ${sum(val)}; G += a*v; Gxi += cd[${m}]*v;`);
    for (const [acc, parts] of [['Gx', dx], ['Gy', dy], ['Gc', dc]] as const) {
      const e = sum(parts);
      if (e !== '') lines.push(`${acc} += a*(${e});`);
    }
  });
  return lines;
}

/** The compiled contraction of `terms` (see {@link AngularBasis.contract}). */
function compileContraction(terms: readonly AngularTerm[]): AngularContraction {
  const lines = ['"use strict";', ...angularContractionSource(terms), 'out[0] = G; out[1] = Gx; out[2] = Gy; out[3] = Gc; out[4] = Gxi;'];
  const key = terms.map((t) => `${t.p}${t.q}${t.s}`).join('_');
  return new Function('x', 'y', 'c', 'cv', 'cd', 'out', lines.join('\n') + `\n//# sourceURL=anisodrive-kernel/pair-angular-contract-${key}.js`) as AngularContraction;
}

/** Evaluates the angular functions of a term list and their partial derivatives. */
export class AngularBasis {
  /** The terms, in output order. */
  readonly terms: readonly AngularTerm[];
  /** Number of angular functions. */
  readonly count: number;
  private readonly P: Int32Array;
  private readonly Q: Int32Array;
  private readonly S: Int32Array;
  private readonly sign: Float64Array;
  private readonly xp: Float64Array;
  private readonly yp: Float64Array;
  private readonly cp: Float64Array;
  /**
   * Values `val[m] = P_m(x, y, c)` and the partial derivatives `dx[m] = ∂P_m/∂x`, `dy`, `dc`
   * (each `count` long) at the invariants `x, y, c` (dimensionless, in [−1, 1]); generated code.
   */
  readonly evaluate: AngularEvaluator;
  /**
   * The contraction of the MD kernel: with coefficients `cv[m]`, `cd[m]` (m < count), writes
   * `out[0] = Σ cv_m P_m`, `out[1..3] = Σ cv_m ∂P_m/∂x, ∂/∂y, ∂/∂c` and `out[4] = Σ cd_m P_m` at
   * the invariants `x, y, c` (dimensionless); generated code, no allocation.
   */
  readonly contract: AngularContraction;

  constructor(terms: readonly AngularTerm[]) {
    this.terms = terms;
    this.count = terms.length;
    this.P = Int32Array.from(terms, (t) => t.p);
    this.Q = Int32Array.from(terms, (t) => t.q);
    this.S = Int32Array.from(terms, (t) => t.s);
    this.sign = Float64Array.from(terms, (t) => t.swapSign);
    const maxPow = terms.reduce((m, t) => Math.max(m, t.p, t.s), 0);
    // Index k + 1 holds the k-th power; index 0 holds 0 so that `k · v^(k−1)` reads 0 for k = 0.
    this.xp = new Float64Array(maxPow + 2);
    this.yp = new Float64Array(maxPow + 2);
    this.cp = new Float64Array(maxPow + 2);
    this.evaluate = compileAngular(terms);
    this.contract = compileContraction(terms);
  }

  /** As {@link AngularBasis.evaluate}, by a loop over power tables (the reference of the generated code). */
  evaluateReference(x: number, y: number, c: number, val: Float64Array, dx: Float64Array, dy: Float64Array, dc: Float64Array): void {
    const xp = this.xp, yp = this.yp, cp = this.cp;
    const L = xp.length;
    xp[0] = 0; yp[0] = 0; cp[0] = 0;
    xp[1] = 1; yp[1] = 1; cp[1] = 1;
    for (let k = 2; k < L; k++) {
      xp[k] = xp[k - 1]! * x;
      yp[k] = yp[k - 1]! * y;
      cp[k] = cp[k - 1]! * c;
    }
    const P = this.P, Q = this.Q, S = this.S, sign = this.sign;
    for (let m = 0; m < this.count; m++) {
      const p = P[m]!, q = Q[m]!, s = S[m]!, sg = sign[m]!;
      const cs = cp[s + 1]!, dcs = s * cp[s]!;
      // leading monomial x^p y^q c^s
      const a = xp[p + 1]! * yp[q + 1]!;
      let v = a * cs;
      let gx = p * xp[p]! * yp[q + 1]! * cs;
      let gy = q * xp[p + 1]! * yp[q]! * cs;
      let gc = a * dcs;
      if (sg !== 0) {
        // swapped monomial ± x^q y^p c^s
        const b = xp[q + 1]! * yp[p + 1]!;
        v += sg * b * cs;
        gx += sg * q * xp[q]! * yp[p + 1]! * cs;
        gy += sg * p * xp[q + 1]! * yp[p]! * cs;
        gc += sg * b * dcs;
      }
      val[m] = v; dx[m] = gx; dy[m] = gy; dc[m] = gc;
    }
  }
}
