// SPDX-License-Identifier: BSD-3-Clause
/**
 * The pieces of the pair features: the angular monomials (counts, symmetry under i ↔ j and the
 * head–tail flips, derivatives), the Berne–Pechukas contact distance (against the Gay–Berne shape
 * matrix form, canonical values, derivatives) and the radial Gaussians (derivatives, finiteness in
 * overlap), the radial cubic B-splines (support, partition of unity, C2 continuity, derivatives,
 * behaviour outside the grid, the per-interval power form of the MD kernel) and the generated
 * angular contraction of the MD kernel.
 */
import { describe, expect, it } from 'vitest';
import { AngularBasis, angularTerms } from '../../src/features/pair/angular-basis.js';
import { contactDistance } from '../../src/features/pair/contact-distance.js';
import { GaussianGrid } from '../../src/features/pair/gaussian-grid.js';
import { SplineGrid, splineIntervalCoefficients, splineWeights } from '../../src/features/pair/spline-grid.js';
import { seededRandom } from '../support/random.js';

/** Random unit vectors r̂, u_i, u_j and their invariants x, y, c. */
function randomInvariants(rand: () => number): { x: number; y: number; c: number; v: number[][] } {
  const unit = () => {
    const z = 2 * rand() - 1, p = 2 * Math.PI * rand(), s = Math.sqrt(1 - z * z);
    return [s * Math.cos(p), s * Math.sin(p), z];
  };
  const r = unit(), ui = unit(), uj = unit();
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  return { x: dot(ui, r), y: dot(uj, r), c: dot(ui, uj), v: [r, ui, uj] };
}

function evaluate(basis: AngularBasis, x: number, y: number, c: number) {
  const n = basis.count;
  const out = { v: new Float64Array(n), dx: new Float64Array(n), dy: new Float64Array(n), dc: new Float64Array(n) };
  basis.evaluate(x, y, c, out.v, out.dx, out.dy, out.dc);
  return out;
}

describe('angular terms', () => {
  it('counts: every (p ≥ q, s) with p + q + 2s ≤ D; head–tail keeps p ≡ q ≡ s (mod 2)', () => {
    // polar D = 2: (0,0,0) (1,0,0) (2,0,0) (1,1,0) (0,0,1)
    expect(angularTerms(2, false).map((t) => [t.p, t.q, t.s])).toEqual([[0, 0, 0], [1, 0, 0], [0, 0, 1], [2, 0, 0], [1, 1, 0]]);
    expect(angularTerms(4, true).map((t) => [t.p, t.q, t.s])).toEqual([[0, 0, 0], [2, 0, 0], [0, 0, 2], [1, 1, 1], [4, 0, 0], [2, 2, 0]]);
    for (const D of [0, 3, 6, 8]) {
      let polar = 0, even = 0;
      for (let s = 0; 2 * s <= D; s++) {
        for (let p = 0; p + 2 * s <= D; p++) {
          for (let q = 0; q <= p && p + q + 2 * s <= D; q++) {
            polar++;
            if ((p - s) % 2 === 0 && (q - s) % 2 === 0) even++;
          }
        }
      }
      expect(angularTerms(D, false).length).toBe(polar);
      expect(angularTerms(D, true).length).toBe(even);
    }
  });

  it('maxProjection caps p + q and keeps the high powers of c; the default is maxDegree', () => {
    expect(angularTerms(8, true, 8)).toEqual(angularTerms(8, true));
    const capped = angularTerms(12, true, 4);
    // head–tail, p + q ≤ 4, p + q + 2s ≤ 12: s = 0…6 with (p, q) even-even or (odd-odd when s odd)
    expect(capped.length).toBe(18);
    expect(capped.every((t) => t.p + t.q <= 4 && t.p + t.q + 2 * t.s <= 12)).toBe(true);
    expect(capped.some((t) => t.s === 6 && t.p === 0)).toBe(true);
    const all = angularTerms(12, true).filter((t) => t.p + t.q <= 4);
    expect(capped).toEqual(all);
  });

  it('each function is symmetric under i ↔ j, (x, y, c) → (−y, −x, c); head–tail ones are even under each flip', () => {
    const rand = seededRandom(3);
    for (const headTail of [false, true]) {
      const basis = new AngularBasis(angularTerms(6, headTail));
      for (let k = 0; k < 20; k++) {
        const { x, y, c } = randomInvariants(rand);
        const a = evaluate(basis, x, y, c).v, b = evaluate(basis, -y, -x, c).v;
        for (let m = 0; m < basis.count; m++) expect(b[m]).toBeCloseTo(a[m]!, 14);
        if (headTail) {
          const fi = evaluate(basis, -x, y, -c).v, fj = evaluate(basis, x, -y, -c).v;
          for (let m = 0; m < basis.count; m++) {
            expect(fi[m]).toBeCloseTo(a[m]!, 14);
            expect(fj[m]).toBeCloseTo(a[m]!, 14);
          }
        }
      }
    }
  });

  it('polar functions that are odd under a flip exist when headTail is false (the filter is real)', () => {
    const basis = new AngularBasis(angularTerms(2, false));
    const a = evaluate(basis, 0.3, 0.1, 0.5).v, f = evaluate(basis, -0.3, 0.1, -0.5).v;
    expect(Array.from(a).some((v, m) => Math.abs(v - f[m]!) > 0.1)).toBe(true);
  });

  it('the generated evaluator equals the table-driven reference', () => {
    const rand = seededRandom(12);
    for (const [D, ht] of [[0, true], [3, false], [6, true], [9, false]] as const) {
      const basis = new AngularBasis(angularTerms(D, ht));
      const n = basis.count, ref = [0, 1, 2, 3].map(() => new Float64Array(n));
      for (let k = 0; k < 10; k++) {
        const { x, y, c } = randomInvariants(rand);
        const e = evaluate(basis, x, y, c);
        basis.evaluateReference(x, y, c, ref[0]!, ref[1]!, ref[2]!, ref[3]!);
        for (const [a, b] of [[e.v, ref[0]!], [e.dx, ref[1]!], [e.dy, ref[2]!], [e.dc, ref[3]!]] as const) {
          for (let m = 0; m < n; m++) expect(Math.abs(a[m]! - b[m]!)).toBeLessThan(1e-14);
        }
      }
    }
  });

  it('partial derivatives match central differences', () => {
    const basis = new AngularBasis(angularTerms(7, false));
    const rand = seededRandom(8), h = 1e-6;
    for (let k = 0; k < 10; k++) {
      const { x, y, c } = randomInvariants(rand);
      const e = evaluate(basis, x, y, c);
      const ex = [evaluate(basis, x + h, y, c).v, evaluate(basis, x - h, y, c).v];
      const ey = [evaluate(basis, x, y + h, c).v, evaluate(basis, x, y - h, c).v];
      const ec = [evaluate(basis, x, y, c + h).v, evaluate(basis, x, y, c - h).v];
      for (let m = 0; m < basis.count; m++) {
        expect(Math.abs(e.dx[m]! - (ex[0]![m]! - ex[1]![m]!) / (2 * h))).toBeLessThan(1e-8);
        expect(Math.abs(e.dy[m]! - (ey[0]![m]! - ey[1]![m]!) / (2 * h))).toBeLessThan(1e-8);
        expect(Math.abs(e.dc[m]! - (ec[0]![m]! - ec[1]![m]!) / (2 * h))).toBeLessThan(1e-8);
      }
    }
  });
});

describe('Berne–Pechukas contact distance', () => {
  /** (½ r̂ᵀ G⁻¹ r̂)^(−1/2), G = P_i + P_j, P = (d/2)² 1 + ((l/2)² − (d/2)²) u uᵀ (the Gay–Berne shape form). */
  function shapeMatrixContact(v: number[][], l: number, d: number): number {
    const [r, ui, uj] = v as [number[], number[], number[]];
    const G = Array.from({ length: 9 }, (_, k) => {
      const a = Math.floor(k / 3), b = k % 3;
      return (a === b ? 2 * (d / 2) ** 2 : 0) + ((l / 2) ** 2 - (d / 2) ** 2) * (ui[a]! * ui[b]! + uj[a]! * uj[b]!);
    });
    // solve G w = r̂ by Cramer's rule
    const det = (m: number[]) => m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
    const D = det(G);
    let q = 0;
    for (let col = 0; col < 3; col++) {
      const M = [...G];
      for (let row = 0; row < 3; row++) M[3 * row + col] = r[row]!;
      q += r[col]! * (det(M) / D);
    }
    return 1 / Math.sqrt(0.5 * q);
  }

  it('equals the Gay–Berne shape-matrix contact for prolate and oblate shapes', () => {
    const rand = seededRandom(21), out = new Float64Array(4);
    for (const [l, d] of [[3, 1], [0.4, 2.4]] as const) {
      const chi = (l * l - d * d) / (l * l + d * d);
      for (let k = 0; k < 30; k++) {
        const { x, y, c, v } = randomInvariants(rand);
        contactDistance(out, x, y, c, chi, d);
        expect(out[0]).toBeCloseTo(shapeMatrixContact(v, l, d), 12);
        expect(out[0]!).toBeGreaterThanOrEqual(Math.min(l, d) - 1e-12);
        expect(out[0]!).toBeLessThanOrEqual(Math.max(l, d) + 1e-12);
      }
    }
  });

  it('canonical dimers of GB(3,5,2,1): side by side d, end to end l, T and cross', () => {
    const out = new Float64Array(4), chi = 0.8;
    contactDistance(out, 0, 0, 1, chi, 1);
    expect(out[0]).toBeCloseTo(1, 14);
    contactDistance(out, 1, 1, 1, chi, 1);
    expect(out[0]).toBeCloseTo(3, 13);
    contactDistance(out, 1, 0, 0, chi, 1);
    expect(out[0]).toBeCloseTo(Math.sqrt(5), 13);
    contactDistance(out, 0, 0, 0, chi, 1);
    expect(out[0]).toBeCloseTo(1, 14);
  });

  it('partial derivatives match central differences', () => {
    const rand = seededRandom(4), h = 1e-6, o = new Float64Array(4), p = new Float64Array(4), m = new Float64Array(4);
    for (let k = 0; k < 20; k++) {
      const { x, y, c } = randomInvariants(rand);
      contactDistance(o, x, y, c, 0.8, 1);
      const fd = (dx: number, dy: number, dc: number) => {
        contactDistance(p, x + dx, y + dy, c + dc, 0.8, 1);
        contactDistance(m, x - dx, y - dy, c - dc, 0.8, 1);
        return (p[0]! - m[0]!) / (2 * h);
      };
      expect(Math.abs(o[1]! - fd(h, 0, 0))).toBeLessThan(1e-7);
      expect(Math.abs(o[2]! - fd(0, h, 0))).toBeLessThan(1e-7);
      expect(Math.abs(o[3]! - fd(0, 0, h))).toBeLessThan(1e-7);
    }
  });
});

describe('radial Gaussians', () => {
  const grid = new GaussianGrid(8, 0.5, 4, 1, 0.5, 1);

  it('centres evenly spaced in t = exp(−(ξ − σ0)/λ) from t(rc) to t(ξ_min); width the spacing', () => {
    expect(grid.centres[0]).toBeCloseTo(Math.exp(-6), 14);
    expect(grid.centres[7]).toBeCloseTo(Math.exp(1), 14);
    expect(grid.width).toBeCloseTo((Math.exp(1) - Math.exp(-6)) / 7, 14);
  });

  it('derivatives match central differences; values stay finite and in [0, 1] in deep overlap', () => {
    const g = new Float64Array(8), dg = new Float64Array(8), gp = new Float64Array(8), gm = new Float64Array(8), h = 1e-6;
    for (const xi of [-3, -0.5, 0, 0.7, 0.95, 1.3, 2.2, 3.9, 5]) {
      grid.evaluate(xi, g, dg);
      grid.evaluate(xi + h, gp, dg.slice());
      grid.evaluate(xi - h, gm, dg.slice());
      grid.evaluate(xi, g, dg);
      for (let n = 0; n < 8; n++) {
        expect(Number.isFinite(g[n]!) && g[n]! >= 0 && g[n]! <= 1).toBe(true);
        expect(Math.abs(dg[n]! - (gp[n]! - gm[n]!) / (2 * h))).toBeLessThan(1e-6 * Math.max(1, Math.abs(dg[n]!)));
      }
    }
  });
});

describe('radial cubic B-splines', () => {
  const N = 8, grid = new SplineGrid(N, 0.5, 4, 1, 0.5);
  const g = new Float64Array(N), dg = new Float64Array(N);
  /** ξ at which s = (t − t_0)/h takes the value `s`. */
  const xiAt = (s: number) => 1 - 0.5 * Math.log(grid.first + s * grid.step);

  it('grid: t_0 = t(rc), t_(N−1) = t(ξ_min), as the Gaussians; one function is the inner centre with h the whole range', () => {
    expect(grid.first).toBeCloseTo(Math.exp(-6), 14);
    expect(grid.first + (N - 1) * grid.step).toBeCloseTo(Math.exp(1), 13);
    const one = new SplineGrid(1, 0.5, 4, 1, 0.5);
    expect(one.first).toBeCloseTo(Math.exp(1), 14);
    expect(one.step).toBeCloseTo(Math.exp(1) - Math.exp(-6), 14);
  });

  it('at most 4 non-zero functions, bounded by 2/3, summing to 1 where the grid covers t fully', () => {
    const rand = seededRandom(31);
    for (let k = 0; k < 200; k++) {
      const s = -0.05 + (N + 1.1) * rand();
      grid.evaluate(xiAt(s), g, dg);
      expect(Array.from(g).filter((v) => v !== 0).length).toBeLessThanOrEqual(4);
      expect(Array.from(g).every((v) => v >= 0 && v <= 2 / 3 + 1e-15)).toBe(true);
      if (s >= 1 && s <= N - 2) expect(Math.abs(g.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-14);
    }
  });

  it('derivatives match central differences, inside the grid and beyond its inner end (t ≥ 0 keeps s ≥ −t_0/h at the outer end)', () => {
    const gp = new Float64Array(N), gm = new Float64Array(N), scratch = new Float64Array(N), h = 1e-6;
    for (const s of [0.001, 0.3, 1.5, 2.25, 3.9, 6.4, 7.2, 8.1, 8.7]) {
      const xi = xiAt(s);
      grid.evaluate(xi + h, gp, scratch);
      grid.evaluate(xi - h, gm, scratch);
      grid.evaluate(xi, g, dg);
      expect(g.some((v) => v > 1e-3)).toBe(true);
      for (let n = 0; n < N; n++) expect(Math.abs(dg[n]! - (gp[n]! - gm[n]!) / (2 * h))).toBeLessThan(1e-7 * Math.max(1, Math.abs(dg[n]!)));
    }
  });

  it('C2 across the knots: values, first and second derivatives agree on both sides', () => {
    const w = new Float64Array(8), wl = new Float64Array(8), wr = new Float64Array(8), eps = 1e-7;
    // at the knot s = k: function k − 1 + j of the interval [k − 1, k) (u → 1) is function
    // k − 1 + (j − 1) of the interval [k, k + 1) (u → 0); the function leaving/entering is 0 there
    splineWeights(1 - eps, wl);
    splineWeights(eps, wr);
    for (let j = 1; j < 4; j++) {
      expect(Math.abs(wl[j]! - wr[j - 1]!)).toBeLessThan(1e-6);
      expect(Math.abs(wl[4 + j]! - wr[4 + j - 1]!)).toBeLessThan(1e-6);
    }
    expect(Math.abs(wr[3]!)).toBeLessThan(1e-6);
    expect(Math.abs(wl[0]!)).toBeLessThan(1e-6);
    // second derivatives in u from differences of the first
    const second = (u: number, j: number) => {
      splineWeights(u + 1e-6, w);
      const a = w[4 + j]!;
      splineWeights(u - 1e-6, w);
      return (a - w[4 + j]!) / 2e-6;
    };
    for (let j = 1; j < 4; j++) expect(Math.abs(second(1 - 1e-4, j) - second(1e-4, j - 1))).toBeLessThan(1e-3);
    expect(Math.abs(second(1e-4, 3))).toBeLessThan(1e-3);
    expect(Math.abs(second(1 - 1e-4, 0))).toBeLessThan(1e-3);
  });

  it('deep overlap (t beyond t(ξ_min) + 2h) and any ξ give finite values; all zero past the inner support', () => {
    for (const xi of [-1e6, -50, -3, xiAt(N + 1.01)]) {
      grid.evaluate(xi, g, dg);
      expect(Array.from(g).every((v) => v === 0)).toBe(true);
      expect(Array.from(dg).every((v) => v === 0)).toBe(true);
    }
    for (const xi of [xiAt(N + 0.9), 3.9, 4, 50, 1e6]) {
      grid.evaluate(xi, g, dg);
      expect([...g, ...dg].every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v > 0)).toBe(true);
    }
  });

  it('the per-interval power form equals the weighted B-splines', () => {
    const rand = seededRandom(9), w = new Float64Array(8), C = new Float64Array(4);
    for (let k = 0; k < 20; k++) {
      const ws = [0, 1, 2, 3].map(() => rand() - 0.5), u = rand();
      splineIntervalCoefficients(ws[0]!, ws[1]!, ws[2]!, ws[3]!, C, 0);
      splineWeights(u, w);
      const direct = ws.reduce((a, v, j) => a + v * w[j]!, 0), dDirect = ws.reduce((a, v, j) => a + v * w[4 + j]!, 0);
      expect(Math.abs(C[0]! + u * (C[1]! + u * (C[2]! + u * C[3]!)) - direct)).toBeLessThan(1e-15);
      expect(Math.abs(C[1]! + u * (2 * C[2]! + 3 * u * C[3]!) - dDirect)).toBeLessThan(1e-15);
    }
  });
});

describe('angular contraction of the MD kernel', () => {
  it('equals the contraction of the evaluated functions and derivatives', () => {
    const rand = seededRandom(13);
    for (const [D, ht] of [[0, true], [4, true], [5, false], [8, true], [12, true]] as const) {
      const basis = new AngularBasis(angularTerms(D, ht));
      const n = basis.count, out = new Float64Array(5);
      const cv = Float64Array.from({ length: n }, () => rand() - 0.5), cd = Float64Array.from({ length: n }, () => rand() - 0.5);
      for (let k = 0; k < 10; k++) {
        const { x, y, c } = randomInvariants(rand);
        const e = evaluate(basis, x, y, c);
        basis.contract(x, y, c, cv, cd, out);
        const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, m) => s + v * b[m]!, 0);
        const expected = [dot(cv, e.v), dot(cv, e.dx), dot(cv, e.dy), dot(cv, e.dc), dot(cd, e.v)];
        for (let q = 0; q < 5; q++) expect(Math.abs(out[q]! - expected[q]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected[q]!)));
      }
    }
  });
});
