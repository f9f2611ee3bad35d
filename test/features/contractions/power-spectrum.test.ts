// SPDX-License-Identifier: BSD-3-Clause
/**
 * The power spectrum as a {@link Contraction} of the AniSOAP density expansion: forward equals the
 * calculator's features (bitwise) and labels; the adjoint equals central differences of
 * `dEdp · p(c)` (p is quadratic in c, so the differences are exact up to rounding) and, for a
 * linear model's per-type rows, the formula of ANISOAP.md §10 written out directly (bitwise); the
 * tangent equals a directional difference; centre types with different feature counts are refused.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../../src/core/cell.js';
import { AniSoapCalculator } from '../../../src/features/anisoap/calculator.js';
import { PowerSpectrum } from '../../../src/features/contractions/power-spectrum.js';
import type { DensityExpansionMetadata } from '../../../src/features/density-expansion.js';
import { expectCode } from '../../support/assertions.js';
import { randomEllipsoidSystem, relDiff } from '../../support/anisoap-fixtures.js';
import { seededRandom } from '../../support/random.js';

const calc = new AniSoapCalculator({
  maxAngular: 3, maxRadial: [2, 1, 2, 0], radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.2, species: [1, 6],
  basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.5,
});
const sys = randomEllipsoidSystem(seededRandom(12), Cell.fromRows([5.2, 0, 0, 0.9, 4.9, 0, -0.6, 0.8, 5.4]), 6, 2);
const ps = calc.contraction, plan = calc.plan;
const R = ps.recordLength, F = ps.featureCount, n = sys.n;

function coefficients(): { c: Float64Array; types: Int32Array } {
  const cc = calc.densityExpansion.compute(sys);
  return { c: Float64Array.from(cc.values.subarray(0, n * R)), types: Int32Array.from(cc.types.subarray(0, n)) };
}

/** Σ_i Σ_f dEdp[i·F + f] p_i,f(c). */
function pairing(c: Float64Array, types: Int32Array, dEdp: Float64Array): number {
  const p = new Float64Array(n * F);
  ps.forward(c, types, p, 0, n);
  let e = 0;
  for (let k = 0; k < n * F; k++) e += dEdp[k]! * p[k]!;
  return e;
}

describe('power-spectrum contraction', () => {
  it('forward equals the calculator features bitwise; labels and sizes are the plan’s', () => {
    const { c, types } = coefficients();
    const p = new Float64Array(n * F);
    ps.forward(c, types, p, 0, n);
    expect(Array.from(p)).toEqual(Array.from(calc.values(sys)));
    expect(F).toBe(plan.featureCount);
    expect(R).toBe(plan.nSpecies * plan.nc);
    expect(ps.labels.names).toEqual(plan.labels.names);
    expect(Array.from(ps.labels.values)).toEqual(Array.from(plan.labels.values));
  });

  it('adjoint (one ∂E/∂p row per centre) equals central differences of dEdp · p(c)', () => {
    const { c, types } = coefficients();
    const rand = seededRandom(2);
    const dEdp = new Float64Array(n * F).map(() => rand() - 0.5);
    const dc = new Float64Array(n * R).fill(3);
    ps.adjoint(c, types, dEdp, null, dc, 0, n);
    const fd = new Float64Array(n * R), h = 1e-4;
    for (let k = 0; k < n * R; k++) {
      const x = c[k]!;
      c[k] = x + h;
      const ep = pairing(c, types, dEdp);
      c[k] = x - h;
      const em = pairing(c, types, dEdp);
      c[k] = x;
      fd[k] = (ep - em) / (2 * h);
    }
    const err = relDiff(dc, fd);
    console.log(`[fd] power-spectrum adjoint: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-9);
  });

  it('adjoint with per-type weight rows is the §10 formula G = κ_l Σ_q′ (W_l + W_lᵀ)[q,q′] c(q′,l,m), bitwise', () => {
    const { c, types } = coefficients();
    const rand = seededRandom(3), T = plan.nSpecies, nc = plan.nc;
    const w = new Float64Array(T * F).map(() => rand() - 0.5);
    const dc = new Float64Array(n * R);
    ps.adjoint(c, types, w, types, dc, 0, n);
    const ref = new Float64Array(n * R);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l <= plan.lmax; l++) {
        const nl = plan.nPerL[l]!, W = 2 * l + 1, Q = T * nl, k = plan.cgFactor[l]!, fo = types[i]! * F + plan.fOff[l]!;
        const at = (q: number) => i * R + Math.floor(q / nl) * nc + plan.cOff[l]! + (q % nl) * W;
        for (let q = 0; q < Q; q++) {
          for (let qp = 0; qp < Q; qp++) {
            const sym = k * (w[fo + q * Q + qp]! + w[fo + qp * Q + q]!);
            if (sym === 0) continue;
            for (let m = 0; m < W; m++) ref[at(q) + m]! += sym * c[at(qp) + m]!;
          }
        }
      }
    }
    expect(Array.from(dc)).toEqual(Array.from(ref));
  });

  it('tangent equals a directional difference of p', () => {
    const { c, types } = coefficients();
    const rand = seededRandom(4);
    const i = 3, dir = new Float64Array(R).map(() => rand() - 0.5);
    const dp = new Float64Array(F);
    ps.tangent(c, i * R, types[i]!, dir, 0, dp, 0);
    const at = (eps: number) => {
      const x = Float64Array.from(c);
      for (let k = 0; k < R; k++) x[i * R + k]! += eps * dir[k]!;
      const p = new Float64Array(F);
      ps.centre(x, i * R, types[i]!, p, 0);
      return p;
    };
    const h = 1e-4, pp = at(h), pm = at(-h);
    const fd = pp.map((v, f) => (v - pm[f]!) / (2 * h));
    expect(relDiff(dp, fd)).toBeLessThan(1e-9);
  });

  it('refuses centre types with different feature counts', () => {
    const meta = calc.densityExpansion.metadata;
    const lopsided: DensityExpansionMetadata = { ...meta, blocks: meta.blocks.filter((b) => !(b.centerTypeIndex === 1 && b.o3Lambda === 2)) };
    expectCode(() => new PowerSpectrum(lopsided), 'E_ARG', /centre type 1 gives \d+ features, type 0 gives \d+/);
  });
});
