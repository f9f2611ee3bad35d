// SPDX-License-Identifier: BSD-3-Clause
/**
 * Real solid harmonics `S_lm(x) = r^l Y_lm(x̂)` as exact homogeneous polynomials of degree l, in the
 * featomic / librascal convention: orthonormal real spherical harmonics **without** the
 * Condon–Shortley phase, `m = −l…l`, with `m > 0` the cosine (`Re (x + iy)^m`) and `m < 0` the
 * sine (`Im (x + iy)^|m|`) combinations. For l = 1, `(S_1,−1, S_10, S_11) = √(3/4π) (y, z, x)`.
 *
 * Construction (all integer arithmetic up to the normalisation): with `P_l^m` the associated
 * Legendre function without the (−1)^m factor,
 *
 * ```
 * r^l P_l^m(z/r) (cos mφ, sin mφ) ρ^m = (Re, Im)(x + iy)^m · Σ_k c_k z^(l−2k−m) r^(2k),
 * c_k = 2^(−l) (−1)^k C(l,k) C(2l−2k, l) (l−2k)! / (l−2k−m)!
 * N_l0 = √((2l+1)/4π),   N_lm = √2 √((2l+1)/4π · (l−m)!/(l+m)!)   (m ≠ 0)
 * ```
 *
 * Flat index of (l, m) over all l ≤ lmax: `lm = l² + l + m`.
 */

/** The monomials `x^a y^b z^c` (a + b + c = l) of one `S_lm`, with their coefficients. */
export interface MonomialTerms {
  /** Powers of x, one per term. */
  readonly a: Int32Array;
  /** Powers of y. */
  readonly b: Int32Array;
  /** Powers of z. */
  readonly c: Int32Array;
  /** Coefficients. */
  readonly coef: Float64Array;
}

/** Monomial expansions of every `S_lm`, l ≤ lmax. */
export interface SolidHarmonics {
  /** Largest l. */
  readonly lmax: number;
  /** `terms[l][m + l]`. */
  readonly terms: ReadonlyArray<ReadonlyArray<MonomialTerms>>;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Dense polynomial of degree ≤ l in x, y, z: `p[(a·(l+1) + b)·(l+1) + c]`. */
function polyIndex(l: number, a: number, b: number, c: number): number {
  return (a * (l + 1) + b) * (l + 1) + c;
}

const cache = new Map<number, SolidHarmonics>();

/**
 * The monomial expansions of the real solid harmonics up to `lmax` (cached per lmax).
 * Exact up to the rounding of the normalisation constants.
 */
export function solidHarmonics(lmax: number): SolidHarmonics {
  const hit = cache.get(lmax);
  if (hit) return hit;
  const terms: MonomialTerms[][] = [];
  for (let l = 0; l <= lmax; l++) {
    const row: MonomialTerms[] = [];
    const size = (l + 1) ** 3;
    for (let m = -l; m <= l; m++) {
      const am = Math.abs(m);
      const norm =
        m === 0
          ? Math.sqrt((2 * l + 1) / (4 * Math.PI))
          : Math.SQRT2 * Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * (factorial(l - am) / factorial(l + am)));
      // Σ_k c_k z^(l−2k−m) r^(2k), expanded: r^(2k) = Σ k!/(i! j! h!) x^2i y^2j z^2h.
      const radial = new Float64Array(size);
      for (let k = 0; 2 * k <= l - am; k++) {
        const ck =
          (2 ** -l * (k % 2 === 0 ? 1 : -1) * binomial(l, k) * binomial(2 * l - 2 * k, l) * factorial(l - 2 * k)) /
          factorial(l - 2 * k - am);
        const pz = l - 2 * k - am;
        for (let i = 0; i <= k; i++) {
          for (let j = 0; i + j <= k; j++) {
            const h = k - i - j;
            const multinomial = factorial(k) / (factorial(i) * factorial(j) * factorial(h));
            radial[polyIndex(l, 2 * i, 2 * j, pz + 2 * h)]! += ck * multinomial;
          }
        }
      }
      // (Re or Im)(x + iy)^|m| = Σ_p C(|m|, p) x^(|m|−p) (iy)^p, real (p even) or imaginary (p odd) part.
      const angular: Array<[number, number, number]> = [];
      for (let p = m >= 0 ? 0 : 1; p <= am; p += 2) {
        const sign = Math.floor(p / 2) % 2 === 0 ? 1 : -1;
        angular.push([am - p, p, sign * binomial(am, p)]);
      }
      const product = new Float64Array(size);
      for (let a = 0; a <= l; a++) {
        for (let b = 0; a + b <= l; b++) {
          for (let c = 0; a + b + c <= l; c++) {
            const v = radial[polyIndex(l, a, b, c)]!;
            if (v === 0) continue;
            for (const [pa, pb, w] of angular) {
              if (a + pa > l || b + pb > l) continue;
              product[polyIndex(l, a + pa, b + pb, c)]! += v * w;
            }
          }
        }
      }
      const ta: number[] = [], tb: number[] = [], tc: number[] = [], tv: number[] = [];
      for (let a = l; a >= 0; a--) {
        for (let b = l - a; b >= 0; b--) {
          const c = l - a - b;
          const v = product[polyIndex(l, a, b, c)]!;
          if (v !== 0) {
            ta.push(a); tb.push(b); tc.push(c); tv.push(norm * v);
          }
        }
      }
      row.push({ a: Int32Array.from(ta), b: Int32Array.from(tb), c: Int32Array.from(tc), coef: Float64Array.from(tv) });
    }
    terms.push(row);
  }
  const out: SolidHarmonics = { lmax, terms };
  cache.set(lmax, out);
  return out;
}

/**
 * Evaluate every `S_lm(x, y, z) = r^l Y_lm` for l ≤ `sh.lmax` into `out[l² + l + m]`
 * (`(lmax+1)²` values). For a unit vector these are the real spherical harmonics `Y_lm`.
 * `pow` is scratch of length ≥ 3(lmax+1).
 */
export function evaluateSolidHarmonics(
  sh: SolidHarmonics,
  x: number,
  y: number,
  z: number,
  out: Float64Array,
  pow: Float64Array = new Float64Array(3 * (sh.lmax + 1)),
): Float64Array {
  const L = sh.lmax + 1;
  pow[0] = 1; pow[L] = 1; pow[2 * L] = 1;
  for (let k = 1; k < L; k++) {
    pow[k] = pow[k - 1]! * x;
    pow[L + k] = pow[L + k - 1]! * y;
    pow[2 * L + k] = pow[2 * L + k - 1]! * z;
  }
  let o = 0;
  for (let l = 0; l < L; l++) {
    const row = sh.terms[l]!;
    for (let mi = 0; mi <= 2 * l; mi++, o++) {
      const t = row[mi]!;
      let s = 0;
      for (let k = 0; k < t.coef.length; k++) s += t.coef[k]! * pow[t.a[k]!]! * pow[L + t.b[k]!]! * pow[2 * L + t.c[k]!]!;
      out[o] = s;
    }
  }
  return out;
}

/** `(x, y, z, out, o)`: every `S_lm(x, y, z)` into `out[o + l² + l + m]`. */
export type SolidHarmonicsEvaluator = (x: number, y: number, z: number, out: Float64Array, o: number) => void;

const evaluators = new Map<number, SolidHarmonicsEvaluator>();

/**
 * A straight-line evaluator of all `S_lm`, l ≤ lmax (generated once per lmax with `new Function`:
 * monomials as products of powers, literal coefficients); about 10× faster than
 * {@link evaluateSolidHarmonics}, with the same results up to rounding.
 */
export function compileSolidHarmonicsEvaluator(lmax: number): SolidHarmonicsEvaluator {
  const hit = evaluators.get(lmax);
  if (hit) return hit;
  const sh = solidHarmonics(lmax);
  const lines: string[] = ['"use strict";'];
  for (const [v, nm] of [['x', 'px'], ['y', 'py'], ['z', 'pz']] as const) {
    lines.push(`const ${nm}1 = ${v};`);
    for (let k = 2; k <= lmax; k++) lines.push(`const ${nm}${k} = ${nm}${k - 1}*${v};`);
  }
  const mono = new Set<string>();
  const monomial = (a: number, b: number, c: number): string => {
    const parts = [a > 0 ? `px${a}` : '', b > 0 ? `py${b}` : '', c > 0 ? `pz${c}` : ''].filter((t) => t !== '');
    if (parts.length === 0) return '1';
    if (parts.length === 1) return parts[0]!;
    const nm = `m${a}_${b}_${c}`;
    if (!mono.has(nm)) {
      mono.add(nm);
      lines.push(`const ${nm} = ${parts.join('*')};`);
    }
    return nm;
  };
  let o = 0;
  for (let l = 0; l <= lmax; l++) {
    for (let mi = 0; mi <= 2 * l; mi++, o++) {
      const t = sh.terms[l]![mi]!;
      const terms: string[] = [];
      for (let k = 0; k < t.coef.length; k++) terms.push(`${String(t.coef[k]!)}*${monomial(t.a[k]!, t.b[k]!, t.c[k]!)}`);
      lines.push(`out[o + ${o}] = ${terms.join(' + ')};`);
    }
  }
  const fn = new Function('x', 'y', 'z', 'out', 'o', lines.join('\n') + `\n//# sourceURL=anisoap-kernel/solid-harmonics-${lmax}.js`) as SolidHarmonicsEvaluator;
  evaluators.set(lmax, fn);
  return fn;
}

/**
 * A product quadrature on the unit sphere, exact for polynomials of degree ≤ `2·lmax + 1`:
 * Gauss–Legendre in `z` (lmax + 1 nodes) × `2·lmax + 2` equally spaced azimuths. Weights sum to 4π.
 * Returns points (3K, unit vectors) and weights (K).
 */
export function sphereQuadrature(lmax: number): { points: Float64Array; weights: Float64Array } {
  const nz = lmax + 1, nphi = 2 * lmax + 2;
  const { nodes, weights: wz } = gaussLegendre(nz);
  const K = nz * nphi;
  const points = new Float64Array(3 * K), weights = new Float64Array(K);
  let k = 0;
  for (let i = 0; i < nz; i++) {
    const z = nodes[i]!, s = Math.sqrt(Math.max(0, 1 - z * z));
    for (let j = 0; j < nphi; j++, k++) {
      const phi = ((j + 0.5) * 2 * Math.PI) / nphi;
      points[3 * k] = s * Math.cos(phi);
      points[3 * k + 1] = s * Math.sin(phi);
      points[3 * k + 2] = z;
      weights[k] = (wz[i]! * 2 * Math.PI) / nphi;
    }
  }
  return { points, weights };
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n; accurate to ~1e-16). */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n), weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1; p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}
