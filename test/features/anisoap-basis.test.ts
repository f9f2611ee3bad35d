// SPDX-License-Identifier: BSD-3-Clause
/**
 * Building blocks of AniSOAP: real solid harmonics against a direct evaluation, their
 * orthonormality, radial orthonormality by quadrature, the Löwdin check, Wigner-D matrices and
 * rotation generators, hyper-parameter validation, and the generated kernels' size.
 */
import { describe, expect, it } from 'vitest';
import { quatFromAxisAngle, quatMultiply, quatToMatrix } from '../../src/core/quaternion.js';
import { resolveAniSoapHypers, type AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { AniSoapPlan } from '../../src/features/anisoap/plan.js';
import { RadialBasis } from '../../src/features/common/radial-basis.js';
import {
  compileSolidHarmonicsEvaluator,
  evaluateSolidHarmonics,
  gaussLegendre,
  solidHarmonics,
  sphereQuadrature,
} from '../../src/features/common/solid-harmonics.js';
import { angularMomentumGenerators, blockOffsets, RealWignerD } from '../../src/features/common/wigner.js';
import { generateAniSoapSources } from '../../src/features/anisoap/codegen.js';
import { expectCode } from '../support/assertions.js';
import { randomQuaternion, seededRandom } from '../support/random.js';

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Associated Legendre P_l^m(t) without the Condon–Shortley phase (standard recursion, sign removed). */
function legendre(l: number, m: number, t: number): number {
  let pmm = 1;
  const s = Math.sqrt(Math.max(0, 1 - t * t));
  for (let k = 1; k <= m; k++) pmm *= (2 * k - 1) * s;
  if (l === m) return pmm;
  let pm1 = t * (2 * m + 1) * pmm;
  if (l === m + 1) return pm1;
  let pl = 0;
  for (let k = m + 2; k <= l; k++) {
    pl = ((2 * k - 1) * t * pm1 - (k + m - 1) * pmm) / (k - m);
    pmm = pm1;
    pm1 = pl;
  }
  return pl;
}

/** Real Y_lm at a unit vector, directly from ANISOAP.md §4.1. */
function directY(l: number, m: number, x: number, y: number, z: number): number {
  const am = Math.abs(m);
  const phi = Math.atan2(y, x);
  const base = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * (factorial(l - am) / factorial(l + am))) * legendre(l, am, z);
  if (m === 0) return base;
  return Math.SQRT2 * base * (m > 0 ? Math.cos(am * phi) : Math.sin(am * phi));
}

function rotation(q: Float64Array): Float64Array {
  const r = new Float64Array(9);
  quatToMatrix(r, 0, q, 0);
  return r;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k]! * b[k * n + j]!;
    c[i * n + j] = s;
  }
  return c;
}

const LMAX = 7;

describe('real solid harmonics', () => {
  const sh = solidHarmonics(LMAX);
  it('match a direct evaluation (associated Legendre, no Condon–Shortley phase) to 1e-13', () => {
    const rand = seededRandom(1);
    const out = new Float64Array((LMAX + 1) ** 2);
    let worst = 0;
    for (let t = 0; t < 200; t++) {
      const v = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
      const r = Math.hypot(...v);
      const [x, y, z] = v.map((c) => c / r) as [number, number, number];
      evaluateSolidHarmonics(sh, x, y, z, out);
      for (let l = 0; l <= LMAX; l++) for (let m = -l; m <= l; m++) worst = Math.max(worst, Math.abs(out[l * l + l + m]! - directY(l, m, x, y, z)));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('the generated straight-line evaluator agrees with the table evaluator to 1e-15', () => {
    const ev = compileSolidHarmonicsEvaluator(LMAX);
    const rand = seededRandom(9);
    const a = new Float64Array((LMAX + 1) ** 2), b = new Float64Array((LMAX + 1) ** 2 + 3);
    let worst = 0;
    for (let t = 0; t < 50; t++) {
      const x = rand() - 0.5, y = rand() - 0.5, z = rand() - 0.5;
      evaluateSolidHarmonics(sh, x, y, z, a);
      ev(x, y, z, b, 3);
      for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k + 3]!));
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('l = 1 is √(3/4π)(y, z, x); r^l scaling holds for a non-unit vector', () => {
    const out = new Float64Array((LMAX + 1) ** 2);
    evaluateSolidHarmonics(sh, 0.3, -0.5, 0.7, out);
    const c = Math.sqrt(3 / (4 * Math.PI));
    expect(out[1]).toBeCloseTo(c * -0.5, 15);
    expect(out[2]).toBeCloseTo(c * 0.7, 15);
    expect(out[3]).toBeCloseTo(c * 0.3, 15);
    const r = Math.hypot(0.3, -0.5, 0.7);
    const unit = new Float64Array(out.length);
    evaluateSolidHarmonics(sh, 0.3 / r, -0.5 / r, 0.7 / r, unit);
    for (let l = 0; l <= LMAX; l++) expect(out[l * l + l - 1 + (l === 0 ? 1 : 0)]).toBeCloseTo(unit[l * l + l - 1 + (l === 0 ? 1 : 0)]! * r ** l, 12);
  });

  it('are orthonormal on the sphere (exact product quadrature) to 1e-13', () => {
    const { points, weights } = sphereQuadrature(LMAX);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(4 * Math.PI, 13);
    const nlm = (LMAX + 1) ** 2;
    const gram = new Float64Array(nlm * nlm);
    const y = new Float64Array(nlm);
    for (let q = 0; q < weights.length; q++) {
      evaluateSolidHarmonics(sh, points[3 * q]!, points[3 * q + 1]!, points[3 * q + 2]!, y);
      for (let a = 0; a < nlm; a++) for (let b = 0; b < nlm; b++) gram[a * nlm + b]! += weights[q]! * y[a]! * y[b]!;
    }
    let worst = 0;
    for (let a = 0; a < nlm; a++) for (let b = 0; b < nlm; b++) worst = Math.max(worst, Math.abs(gram[a * nlm + b]! - (a === b ? 1 : 0)));
    expect(worst).toBeLessThan(1e-13);
  });
});

describe('radial basis', () => {
  /** max |∫ R_nl R_n'l r² dr − δ| by Gauss–Legendre on [0, rmax] split into panels. */
  function orthonormalityError(basis: RadialBasis, rmax: number): number {
    const { nodes, weights } = gaussLegendre(40);
    const panels = 40;
    let worst = 0;
    for (let l = 0; l < basis.nPerL.length; l++) {
      const nl = basis.nPerL[l]!;
      const gram = new Float64Array(nl * nl);
      const v = new Float64Array(nl);
      for (let p = 0; p < panels; p++) {
        const a = (p * rmax) / panels, b = ((p + 1) * rmax) / panels;
        for (let q = 0; q < nodes.length; q++) {
          const r = 0.5 * (a + b) + 0.5 * (b - a) * nodes[q]!;
          const wq = 0.5 * (b - a) * weights[q]! * r * r;
          basis.evaluate(l, r, v);
          for (let i = 0; i < nl; i++) for (let j = 0; j < nl; j++) gram[i * nl + j]! += wq * v[i]! * v[j]!;
        }
      }
      for (let i = 0; i < nl; i++) for (let j = 0; j < nl; j++) worst = Math.max(worst, Math.abs(gram[i * nl + j]! - (i === j ? 1 : 0)));
    }
    return worst;
  }

  it('GTO functions are orthonormal on [0, ∞) (σ 1.5, lmax 5, nmax 4) to 1e-10', () => {
    const basis = new RadialBasis({ kind: 'gto', nPerL: [5, 5, 5, 5, 5, 5], sigma: 1.5, cutoff: 7, rcond: 0, tol: 1e-8 });
    expect(orthonormalityError(basis, 40)).toBeLessThan(1e-10);
  });

  it('monomial functions are orthonormal on [0, rc] (lmax 4, nmax 2, rc 4) to 1e-10', () => {
    const basis = new RadialBasis({ kind: 'monomial', nPerL: [3, 3, 3, 3, 3], cutoff: 4, rcond: 1e-8, tol: 1e-3 });
    expect(orthonormalityError(basis, 4)).toBeLessThan(1e-10);
  });

  it('the Löwdin reconstruction check fails as in the package for nmax 6, lmax 9 with the defaults', () => {
    const hyp: AniSoapHypers = { maxAngular: 9, maxRadial: 6, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 7, species: [0] };
    expectCode(() => new AniSoapPlan(resolveAniSoapHypers(hyp)), 'E_CONFIG', /fails the check .* basisTol = 1e-8/);
    // The examples' settings pass.
    expect(() => new AniSoapPlan(resolveAniSoapHypers({ ...hyp, basisRcond: 1e-8, basisTol: 1e-3 }))).not.toThrow();
  });
});

describe('Wigner D and generators', () => {
  const lmax = 6;
  const wd = new RealWignerD(lmax);
  const sh = solidHarmonics(lmax);
  const { offsets, size } = blockOffsets(lmax);
  const nlm = (lmax + 1) ** 2;

  function dOf(q: Float64Array): Float64Array {
    const d = new Float64Array(size);
    wd.compute(rotation(q), 0, d, 0);
    return d;
  }

  it('D(R) Y(x) = Y(R x) on random rotations and points to 1e-13', () => {
    const rand = seededRandom(2);
    const y = new Float64Array(nlm), yr = new Float64Array(nlm);
    let worst = 0;
    for (let t = 0; t < 20; t++) {
      const q = randomQuaternion(rand), R = rotation(q), D = dOf(q);
      for (let p = 0; p < 10; p++) {
        const x = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
        evaluateSolidHarmonics(sh, x[0]!, x[1]!, x[2]!, y);
        evaluateSolidHarmonics(sh, R[0]! * x[0]! + R[1]! * x[1]! + R[2]! * x[2]!, R[3]! * x[0]! + R[4]! * x[1]! + R[5]! * x[2]!, R[6]! * x[0]! + R[7]! * x[1]! + R[8]! * x[2]!, yr);
        for (let l = 0; l <= lmax; l++) {
          const W = 2 * l + 1;
          for (let m = 0; m < W; m++) {
            let s = 0;
            for (let mp = 0; mp < W; mp++) s += D[offsets[l]! + m * W + mp]! * y[l * l + mp]!;
            worst = Math.max(worst, Math.abs(s - yr[l * l + m]!));
          }
        }
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('D(R1 R2) = D(R1) D(R2) and D Dᵀ = 1 to 1e-13', () => {
    const rand = seededRandom(3);
    const q1 = randomQuaternion(rand), q2 = randomQuaternion(rand), q12 = new Float64Array(4);
    quatMultiply(q12, 0, q1, 0, q2, 0);
    const d1 = dOf(q1), d2 = dOf(q2), d12 = dOf(q12);
    let worst = 0, orth = 0;
    for (let l = 0; l <= lmax; l++) {
      const W = 2 * l + 1, o = offsets[l]!;
      const prod = matmul(d1.subarray(o, o + W * W), d2.subarray(o, o + W * W), W);
      for (let k = 0; k < W * W; k++) worst = Math.max(worst, Math.abs(prod[k]! - d12[o + k]!));
      const b = d1.subarray(o, o + W * W), bt = new Float64Array(W * W);
      for (let i = 0; i < W; i++) for (let j = 0; j < W; j++) bt[i * W + j] = b[j * W + i]!;
      const id = matmul(b, bt, W);
      for (let i = 0; i < W; i++) for (let j = 0; j < W; j++) orth = Math.max(orth, Math.abs(id[i * W + j]! - (i === j ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-13);
    expect(orth).toBeLessThan(1e-13);
  });

  it('generators: L_e = dD(exp(θ e))/dθ, antisymmetric, and D L_k Dᵀ = Σ_e R_ek L_e', () => {
    const gens = angularMomentumGenerators(lmax);
    const L = [gens.x, gens.y, gens.z];
    const q = new Float64Array(4), h = 1e-5;
    let fd = 0, anti = 0;
    for (let e = 0; e < 3; e++) {
      const axis = [0, 0, 0];
      axis[e] = 1;
      quatFromAxisAngle(q, 0, axis[0]!, axis[1]!, axis[2]!, h);
      const dp = dOf(Float64Array.from(q));
      quatFromAxisAngle(q, 0, axis[0]!, axis[1]!, axis[2]!, -h);
      const dm = dOf(Float64Array.from(q));
      for (let k = 0; k < size; k++) fd = Math.max(fd, Math.abs((dp[k]! - dm[k]!) / (2 * h) - L[e]![k]!));
      for (let l = 0; l <= lmax; l++) {
        const W = 2 * l + 1, o = offsets[l]!;
        for (let i = 0; i < W; i++) for (let j = 0; j < W; j++) anti = Math.max(anti, Math.abs(L[e]![o + i * W + j]! + L[e]![o + j * W + i]!));
      }
    }
    expect(fd).toBeLessThan(1e-8); // O(h² l³) truncation of the central difference
    expect(anti).toBeLessThan(1e-13);
    const rand = seededRandom(4);
    const qr = randomQuaternion(rand), R = rotation(qr), D = dOf(qr);
    let cov = 0;
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l <= lmax; l++) {
        const W = 2 * l + 1, o = offsets[l]!;
        const b = D.subarray(o, o + W * W), bt = new Float64Array(W * W);
        for (let i = 0; i < W; i++) for (let j = 0; j < W; j++) bt[i * W + j] = b[j * W + i]!;
        const lhs = matmul(matmul(b, L[k]!.subarray(o, o + W * W), W), bt, W);
        for (let i = 0; i < W * W; i++) {
          let rhs = 0;
          for (let e = 0; e < 3; e++) rhs += R[3 * e + k]! * L[e]![o + i]!;
          cov = Math.max(cov, Math.abs(lhs[i]! - rhs));
        }
      }
    }
    expect(cov).toBeLessThan(1e-13);
  });
});

describe('AniSOAP hypers', () => {
  const base: AniSoapHypers = { maxAngular: 5, maxRadial: 4, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 7, species: [0] };

  it('fill the package defaults', () => {
    const h = resolveAniSoapHypers(base);
    expect(h.nPerL).toEqual([5, 5, 5, 5, 5, 5]);
    expect(h.subtractCenterContribution).toBe(false);
    expect(h.basisRcond).toBe(0);
    expect(h.basisTol).toBe(1e-8);
    expect(h.mode).toBe('package');
    expect(h.switchWidth).toBeNull();
    expect(resolveAniSoapHypers({ ...base, mode: 'md' }).switchWidth).toBe(7 / 4); // the 'md' default: cutoff / 4
    expect(resolveAniSoapHypers({ ...base, maxRadial: null }).nPerL).toEqual([3, 3, 2, 2, 1, 1]);
    expect(resolveAniSoapHypers({ ...base, maxRadial: [1, 0, 2, 0, 0, 3] }).nPerL).toEqual([2, 1, 3, 1, 1, 4]);
  });

  it('reject bad values, naming them and the allowed set', () => {
    expectCode(() => resolveAniSoapHypers({ ...base, maxAngular: -1 }), 'E_CONFIG', /maxAngular = -1 must be an integer in 0…15/);
    expectCode(() => resolveAniSoapHypers({ ...base, radialBasis: 'dvr' as 'gto' }), 'E_CONFIG', /radialBasis = "dvr" is not one of 'gto', 'monomial'/);
    expectCode(() => resolveAniSoapHypers({ ...base, gaussianWidth: undefined }), 'E_CONFIG', /gaussianWidth .*required for radialBasis 'gto'/);
    expectCode(() => resolveAniSoapHypers({ ...base, radialBasis: 'monomial' }), 'E_CONFIG', /gaussianWidth = 1.5 is not allowed with radialBasis 'monomial'/);
    expectCode(() => resolveAniSoapHypers({ ...base, mode: 'smooth' as 'md' }), 'E_CONFIG', /mode = "smooth" is not one of 'package', 'md'/);
    expectCode(() => resolveAniSoapHypers({ ...base, mode: 'md', switchWidth: 8 }), 'E_CONFIG', /switchWidth = 8 must be in \(0, cutoff = 7\]/);
    expectCode(() => resolveAniSoapHypers({ ...base, switchWidth: 1 }), 'E_CONFIG', /only used in mode 'md'/);
    expectCode(() => resolveAniSoapHypers({ ...base, species: [6, 6] }), 'E_CONFIG', /species 6 is listed twice/);
    expectCode(() => resolveAniSoapHypers({ ...base, species: [] }), 'E_CONFIG', /species must be a non-empty list/);
    expectCode(() => resolveAniSoapHypers({ ...base, maxRadial: [1, 2] }), 'E_CONFIG', /maxRadial has 2 entries; a list needs exactly maxAngular \+ 1 = 6/);
    expectCode(() => resolveAniSoapHypers({ ...base, cutoff: 0 }), 'E_CONFIG', /cutoff = 0 must be a finite length > 0/);
    expectCode(() => resolveAniSoapHypers({ ...base, max_angular: 3 } as unknown as AniSoapHypers), 'E_CONFIG', /unknown hyper-parameter 'max_angular'; allowed: maxAngular/);
  });
});

describe('generated kernels', () => {
  it('stay below the per-function size V8 optimises, and cover every moment they read', () => {
    for (const hyp of [
      { maxAngular: 5, maxRadial: 4, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 7, species: [0] },
      { maxAngular: 9, maxRadial: 6, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 7, species: [0], basisRcond: 1e-8, basisTol: 1e-3 },
    ] as AniSoapHypers[]) {
      const src = generateAniSoapSources(new AniSoapPlan(resolveAniSoapHypers(hyp)));
      for (const body of [...src.momentChunks, ...src.expandChunks, ...src.gradMomentChunks, ...src.gradChunks]) {
        expect((body.match(/\*/g) ?? []).length).toBeLessThan(3000);
        expect(body.length).toBeLessThan(60_000);
      }
    }
  });
});

describe('AniSOAP hyper-parameters: one table, two validators', () => {
  it('the table validator and the zod schema derived from it accept, complete and refuse the same inputs', async () => {
    const { AniSoapHypersSchema } = await import('../../src/features/anisoap/hypers-schema.js');
    const { parseAniSoapHypers } = await import('../../src/features/anisoap/hypers.js');
    const base = { maxAngular: 3, gaussianWidth: 1.5, cutoff: 6, species: [0] };
    const inputs: unknown[] = [
      base,
      { ...base, maxRadial: 2, mode: 'md' },
      { ...base, maxRadial: [1, 2, 1, 0], radialBasis: 'gto', basisTol: 1e-6, basisRcond: 1e-9, subtractCenterContribution: true },
      { ...base, radialBasis: 'monomial', gaussianWidth: null },
      { ...base, mode: 'md', switchWidth: 2 },
      { ...base, maxAngular: 16 }, { ...base, maxAngular: 2.5 }, { ...base, cutoff: -1 }, { ...base, cutoff: 'x' },
      { ...base, radialBasis: 'dvr' }, { ...base, species: [] }, { ...base, species: [1.5] }, { ...base, species: [6, 6] },
      { ...base, maxRadial: [1, 2] }, { ...base, maxRadial: -1 }, { ...base, gaussianWidth: undefined }, { ...base, mode: 'package', switchWidth: 1 },
      { ...base, mode: 'md', switchWidth: 7 }, { ...base, basisTol: 0 }, { ...base, subtractCenterContribution: 'yes' }, { ...base, max_angular: 3 },
      'hypers', null,
    ];
    for (const input of inputs) {
      const z = AniSoapHypersSchema.safeParse(input);
      const t = parseAniSoapHypers(input);
      expect(t.value !== null, JSON.stringify(input)).toBe(z.success);
      if (z.success) expect(t.value).toEqual(z.data);
      else expect(t.issues.map((i) => i.message).sort(), JSON.stringify(input)).toEqual(z.error.issues.map((i) => i.message).sort());
    }
  });
});
