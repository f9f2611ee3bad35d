// SPDX-License-Identifier: BSD-3-Clause
/**
 * A slow, independent reference for AniSOAP features, written directly from ANISOAP.md §3–6 in
 * the **lab frame**: brute-force image enumeration, full-covariance Stein/Isserlis moment
 * recursion, explicit monomial expansion of `r^2n r^l Y_lm`, radial transform after the pair sum.
 * It shares only the solid-harmonic coefficients and the radial basis with the production code
 * (both checked separately against direct evaluation and quadrature). For tests only.
 */
import { Cell } from '../../src/core/cell.js';
import { quatToMatrix } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import type { ResolvedAniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { RadialBasis } from '../../src/features/common/radial-basis.js';
import { solidHarmonics } from '../../src/features/common/solid-harmonics.js';
import { CutoffSwitch } from '../../src/core/cutoff-switch.js';

/** Directed pairs (i, j, a = r_j + S − r_i) with |a| < rc by brute force over lattice images. */
export function bruteForcePairs(sys: ParticleSystem, rc: number, selfPair: boolean): Array<{ i: number; j: number; a: [number, number, number] }> {
  const out: Array<{ i: number; j: number; a: [number, number, number] }> = [];
  const h = sys.cell.h, widths = Cell.widths(sys.cell);
  const K = [0, 1, 2].map((d) => (sys.cell.pbc[d] ? Math.ceil(rc / widths[d]!) + 1 : 0));
  for (let i = 0; i < sys.n; i++) {
    for (let j = 0; j < sys.n; j++) {
      for (let na = -K[0]!; na <= K[0]!; na++) {
        for (let nb = -K[1]!; nb <= K[1]!; nb++) {
          for (let ncc = -K[2]!; ncc <= K[2]!; ncc++) {
            const zero = na === 0 && nb === 0 && ncc === 0;
            if (i === j && zero && !selfPair) continue;
            const a: [number, number, number] = [0, 0, 0];
            for (let d = 0; d < 3; d++) {
              a[d] = sys.positions[3 * j + d]! - sys.positions[3 * i + d]! + na * h[d]! + nb * h[3 + d]! + ncc * h[6 + d]!;
            }
            if (i === j && zero) out.push({ i, j, a });
            else if (Math.hypot(...a) < rc) out.push({ i, j, a });
          }
        }
      }
    }
  }
  return out;
}

/** Monomial key helpers over a dense (D+1)³ cube. */
function idx(D: number, a: number, b: number, c: number): number {
  return (a * (D + 1) + b) * (D + 1) + c;
}

/** `E[x^a y^b z^c]` for x ~ N(mean, cov) (full 3×3 covariance) up to total degree D (Stein recursion). */
export function gaussianMoments(mean: number[], cov: number[], D: number): Float64Array {
  const M = new Float64Array((D + 1) ** 3);
  M[idx(D, 0, 0, 0)] = 1;
  for (let deg = 1; deg <= D; deg++) {
    for (let a = 0; a <= deg; a++) {
      for (let b = 0; a + b <= deg; b++) {
        const c = deg - a - b;
        const g = [a, b, c];
        const i = c > 0 ? 2 : b > 0 ? 1 : 0;
        const beta = [...g];
        beta[i]!--;
        let v = mean[i]! * M[idx(D, beta[0]!, beta[1]!, beta[2]!)]!;
        for (let j = 0; j < 3; j++) {
          if (beta[j]! > 0) {
            const bm = [...beta];
            bm[j]!--;
            v += cov[3 * i + j]! * beta[j]! * M[idx(D, bm[0]!, bm[1]!, bm[2]!)]!;
          }
        }
        M[idx(D, a, b, c)] = v;
      }
    }
  }
  return M;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

function inv3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/** Reference ν = 1 coefficients (plan layout, n × S × nc) and native features (n × F). */
export function referenceAniSoap(sys: ParticleSystem, h: ResolvedAniSoapHypers): { coef: Float64Array; features: Float64Array } {
  const lmax = h.maxAngular, S = h.species.length, nPerL = h.nPerL;
  const sh = solidHarmonics(lmax);
  const radial = new RadialBasis({ kind: h.radialBasis, nPerL, sigma: h.gaussianWidth ?? undefined, cutoff: h.cutoff, rcond: h.basisRcond, tol: h.basisTol });
  const cOff = [0];
  for (let l = 0; l <= lmax; l++) cOff.push(cOff[l]! + nPerL[l]! * (2 * l + 1));
  const nc = cOff[lmax + 1]!;
  let D = 0;
  for (let l = 0; l <= lmax; l++) D = Math.max(D, l + 2 * (nPerL[l]! - 1));
  // P_{n,l,m} = r^2n S_lm as dense polynomials of degree ≤ D
  const poly: Float64Array[][][] = [];
  for (let l = 0; l <= lmax; l++) {
    poly.push([]);
    for (let n = 0; n < nPerL[l]!; n++) {
      poly[l]!.push([]);
      for (let mi = 0; mi <= 2 * l; mi++) {
        const p = new Float64Array((D + 1) ** 3);
        const t = sh.terms[l]![mi]!;
        for (let k = 0; k < t.coef.length; k++) {
          for (let i = 0; i <= n; i++) {
            for (let j = 0; i + j <= n; j++) {
              const hh = n - i - j;
              const mult = factorial(n) / (factorial(i) * factorial(j) * factorial(hh));
              p[idx(D, t.a[k]! + 2 * i, t.b[k]! + 2 * j, t.c[k]! + 2 * hh)]! += t.coef[k]! * mult;
            }
          }
        }
        poly[l]![n]!.push(p);
      }
    }
  }
  const is2 = h.radialBasis === 'gto' ? 1 / h.gaussianWidth! ** 2 : 0;
  const sw = h.mode === 'md' ? new CutoffSwitch(h.cutoff, h.switchWidth!) : null;
  const prim = new Float64Array(sys.n * S * nc);
  const R = new Float64Array(9);
  for (const { i, j, a } of bruteForcePairs(sys, h.cutoff, !h.subtractCenterContribution)) {
    quatToMatrix(R, 0, sys.orientations!, 4 * j);
    const s = [0, 1, 2].map((k) => sys.semiaxes![3 * j + k]!);
    const A: number[] = [];
    for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += R[3 * p + k]! * R[3 * q + k]! / s[k]! ** 2;
      A.push(v);
    }
    const Ap = A.map((v, k) => v + (k % 4 === 0 ? is2 : 0));
    const C = inv3(Ap);
    const Aa = [0, 1, 2].map((p) => A[3 * p]! * a[0] + A[3 * p + 1]! * a[1] + A[3 * p + 2]! * a[2]);
    const mean = [0, 1, 2].map((p) => C[3 * p]! * Aa[0]! + C[3 * p + 1]! * Aa[1]! + C[3 * p + 2]! * Aa[2]!);
    const K = is2 * (a[0] * mean[0]! + a[1] * mean[1]! + a[2] * mean[2]!);
    const detAp = Ap[0]! * (Ap[4]! * Ap[8]! - Ap[5]! * Ap[7]!) - Ap[1]! * (Ap[3]! * Ap[8]! - Ap[5]! * Ap[6]!) + Ap[2]! * (Ap[3]! * Ap[7]! - Ap[4]! * Ap[6]!);
    let pref = h.radialBasis === 'gto' ? Math.exp(-K / 2) / (s[0]! * s[1]! * s[2]! * Math.sqrt(detAp)) : 1;
    if (sw) pref *= sw.value(Math.hypot(...a));
    const M = gaussianMoments(mean, C, D);
    const ch = (i * S + (sys.types ? sys.types[j]! : 0)) * nc;
    for (let l = 0; l <= lmax; l++) {
      for (let n = 0; n < nPerL[l]!; n++) {
        for (let mi = 0; mi <= 2 * l; mi++) {
          const p = poly[l]![n]![mi]!;
          let v = 0;
          for (let k = 0; k < p.length; k++) if (p[k] !== 0) v += p[k]! * M[k]!;
          prim[ch + cOff[l]! + n * (2 * l + 1) + mi]! += pref * v;
        }
      }
    }
  }
  const coef = new Float64Array(prim.length);
  for (let blk = 0; blk < sys.n * S; blk++) {
    for (let l = 0; l <= lmax; l++) {
      const nl = nPerL[l]!, W = 2 * l + 1, to = radial.transformOffsets[l]!;
      for (let n = 0; n < nl; n++) for (let m = 0; m < W; m++) {
        let v = 0;
        for (let q = 0; q < nl; q++) v += radial.transform[to + n * nl + q]! * prim[blk * nc + cOff[l]! + q * W + m]!;
        coef[blk * nc + cOff[l]! + n * W + m] = v;
      }
    }
  }
  let F = 0;
  for (let l = 0; l <= lmax; l++) F += (S * nPerL[l]!) ** 2;
  const features = new Float64Array(sys.n * F);
  for (let i = 0; i < sys.n; i++) {
    let f = i * F;
    for (let l = 0; l <= lmax; l++) {
      const nl = nPerL[l]!, W = 2 * l + 1, kap = (l % 2 === 0 ? 1 : -1) / Math.sqrt(W);
      for (let a1 = 0; a1 < S; a1++) for (let n1 = 0; n1 < nl; n1++) for (let a2 = 0; a2 < S; a2++) for (let n2 = 0; n2 < nl; n2++) {
        let v = 0;
        for (let m = 0; m < W; m++) v += coef[(i * S + a1) * nc + cOff[l]! + n1 * W + m]! * coef[(i * S + a2) * nc + cOff[l]! + n2 * W + m]!;
        features[f++] = kap * v;
      }
    }
  }
  return { coef, features };
}
