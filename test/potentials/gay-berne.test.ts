// SPDX-License-Identifier: BSD-3-Clause
/**
 * Gay–Berne: finite-difference forces, torques and virial (hard and switched truncation, cubic and
 * narrow triclinic cells, biaxial shapes, several types and exponents), symmetries, the classic
 * GB(κ, κ', μ, ν) limit and the reference minima of GAYBERNE.md §4, option validation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { invert3 } from '../../src/core/mat3.js';
import type { NeighborList } from '../../src/core/neighbor-list.js';
import { quatFromAxisAngle, quatMultiply, quatToMatrix } from '../../src/core/quaternion.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { GayBerne, type GayBerneOptions } from '../../src/potentials/gay-berne.js';
import { maxRelativeError, numericalForces, numericalTorques, numericalVirial } from '../support/finite-difference.js';
import { randomQuaternion, seededRandom } from '../support/random.js';

interface Pair { i: number; j: number; d: [number, number, number] }

/**
 * Every (i, j, image) with centre distance < rc, once (i < j, or i = j with a lexicographically
 * positive lattice shift): an independent all-images brute-force loop.
 */
function allImagePairs(cell: Cell, pos: Float64Array, rc: number): Pair[] {
  const n = pos.length / 3;
  const periodic = Cell.isPeriodic(cell);
  const w = Cell.widths(cell);
  const range = [0, 1, 2].map((d) => (periodic && cell.pbc[d] ? Math.ceil(rc / w[d]! + 0.5) + 1 : 0));
  const h = cell.h;
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      for (let a = -range[0]!; a <= range[0]!; a++) {
        for (let b = -range[1]!; b <= range[1]!; b++) {
          for (let c = -range[2]!; c <= range[2]!; c++) {
            if (i === j && !(a > 0 || (a === 0 && (b > 0 || (b === 0 && c > 0))))) continue;
            const d: [number, number, number] = [0, 0, 0];
            for (let x = 0; x < 3; x++) d[x] = pos[3 * j + x]! - pos[3 * i + x]! + a * h[x]! + b * h[3 + x]! + c * h[6 + x]!;
            if (Math.hypot(...d) < rc) out.push({ i, j, d });
          }
        }
      }
    }
  }
  return out;
}

function toList(pairs: Pair[]): NeighborList {
  const m = pairs.length;
  const l: NeighborList = {
    count: m, first: new Int32Array(m), second: new Int32Array(m), vectors: new Float64Array(3 * m), distances: new Float64Array(m),
  };
  pairs.forEach((p, k) => {
    l.first[k] = p.i; l.second[k] = p.j; l.vectors.set(p.d, 3 * k); l.distances[k] = Math.hypot(...p.d);
  });
  return l;
}

/** Independent contact distance σ12 = (½ r̂ᵀ G⁻¹ r̂)^(−1/2) of particles i, j for displacement d. */
function contact(s: ParticleSystem, i: number, j: number, d: readonly number[]): number {
  const G = new Float64Array(9), R = new Float64Array(9);
  for (const p of [i, j]) {
    quatToMatrix(R, 0, s.orientations!, 4 * p);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let acc = 0;
        for (let m = 0; m < 3; m++) acc += R[3 * a + m]! * R[3 * b + m]! * s.semiaxes![3 * p + m]! ** 2;
        G[3 * a + b] += acc;
      }
    }
  }
  const Gi = invert3(new Float64Array(9), G)!;
  const r = Math.hypot(...d);
  let g = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) g += (d[a]! / r) * Gi[3 * a + b]! * (d[b]! / r);
  return 1 / Math.sqrt(0.5 * g);
}

/**
 * Random sequential insertion of `n` ellipsoids (random orientation, semi-axes from `shapes` by
 * type) with every image pair at r > σ12 + margin and |r − x| > 0.05 for every x in `avoid`.
 */
function randomSystem(
  cell: Cell, n: number, seed: number, shapes: number[][], ntypes: number, rc: number, avoid: number[], margin = 0.15,
): ParticleSystem {
  const r = seededRandom(seed);
  const positions = new Float64Array(3 * n), orientations = new Float64Array(4 * n), semiaxes = new Float64Array(3 * n);
  const types = new Int32Array(n);
  const s = new Float64Array(3);
  let placed = 0, tries = 0;
  while (placed < n) {
    if (++tries > 200000) throw new Error('randomSystem: could not place particles');
    const k = placed;
    for (let d = 0; d < 3; d++) s[d] = -0.3 + 1.6 * r(); // some outside the cell
    Cell.toCartesian(cell, s, 0, positions, 3 * k);
    orientations.set(randomQuaternion(r), 4 * k);
    types[k] = k % ntypes;
    semiaxes.set(shapes[k % shapes.length]!, 3 * k);
    const trial: ParticleSystem = {
      n: k + 1, positions: positions.subarray(0, 3 * k + 3), cell, orientations: orientations.subarray(0, 4 * k + 4),
      semiaxes: semiaxes.subarray(0, 3 * k + 3), types: types.subarray(0, k + 1),
    };
    const ok = allImagePairs(cell, trial.positions, rc + 0.2).every((p) => {
      if (p.i !== k && p.j !== k) return true;
      const dist = Math.hypot(...p.d);
      if (avoid.some((x) => Math.abs(dist - x) < 0.05)) return false;
      return dist > contact(trial, p.i, p.j, p.d) + margin;
    });
    if (ok) placed++;
  }
  return { n, positions, cell, orientations, semiaxes, types };
}

/** Three types: biaxial, oblate-ish biaxial, and a sphere with equal wells (LJ with other spheres). */
function threeTypes(extra: Partial<GayBerneOptions>): GayBerne {
  return new GayBerne({
    gamma: 1, upsilon: 1, mu: 2, cutoff: 4,
    types: [{ wells: [1, 0.5, 0.2] }, { wells: [0.8, 1.2, 3] }, { wells: [0.7, 0.7, 0.7] }],
    pairs: [
      { types: [0, 0], epsilon: 1, sigma: 1 },
      { types: [1, 1], epsilon: 0.8, sigma: 0.6 },
      { types: [2, 2], epsilon: 1.3, sigma: 0.9, cutoff: 3.5 },
      { types: [0, 1], epsilon: 0.9, sigma: 0.8 },
    ],
    ...extra,
  } as GayBerneOptions);
}
const SHAPES = [[0.5, 0.8, 1.5], [0.6, 0.45, 0.25], [0.45, 0.45, 0.45]];

const CUBIC = Cell.orthorhombic(9.5, 9.5, 9.5);
/** Perpendicular widths 5.3–5.9, below 2 rc = 8: pairs interact through several images. */
const NARROW_TRICLINIC = Cell.fromRows([5.6, 0, 0, 1.3, 5.4, 0, -0.9, 1.1, 5.9]);

const energyOf = (gb: GayBerne) => (s: ParticleSystem) => gb.compute(s).energy;

describe('GayBerne finite differences', () => {
  const report: string[] = [];
  afterAll(() => console.info(`gayberne FD max rel. errors (F, tau, W):\n  ${report.join('\n  ')}`));
  const variants: { name: string; opts: Partial<GayBerneOptions> }[] = [
    { name: 'hard, γ=1 υ=1 μ=2', opts: {} },
    { name: 'switch w=1.2, γ=1 υ=1 μ=2', opts: { truncation: 'switch', switchWidth: 1.2 } },
    { name: 'hard, γ=0.8 υ=1.4 μ=1.5 (pow paths)', opts: { gamma: 0.8, upsilon: 1.4, mu: 1.5 } },
    { name: 'switch w=0.7, γ=1 υ=2 μ=1', opts: { upsilon: 2, mu: 1, truncation: 'switch', switchWidth: 0.7 } },
  ];
  const cells = [
    { name: 'cubic', cell: CUBIC, n: 14 },
    { name: 'narrow triclinic', cell: NARROW_TRICLINIC, n: 9 },
  ];
  for (const v of variants) {
    for (const c of cells) {
      it(`${v.name}, ${c.name}: forces, torques, virial ≤ 1e-7`, () => {
        const gb = threeTypes(v.opts);
        const hard = gb.truncation === 'hard';
        // Hard truncation: keep every pair 0.05 away from the pair cutoffs 4, 3.5 and √(4·3.5) (mixed).
        const sys = randomSystem(c.cell, c.n, 17 + c.n, SHAPES, 3, 4, hard ? [4, 3.5, Math.sqrt(14)] : []);
        const res = gb.compute(sys);
        expect(Number.isFinite(res.energy)).toBe(true);
        expect(Math.max(...res.forces.map(Math.abs))).toBeGreaterThan(1e-3);
        const e = energyOf(gb);
        const errF = maxRelativeError(res.forces, numericalForces(e, sys));
        const errT = maxRelativeError(res.torques!, numericalTorques(e, sys));
        const errW = maxRelativeError(res.virial, numericalVirial(e, sys));
        report.push(`${v.name}, ${c.name} (E ${res.energy.toFixed(3)}): ` +
          `${errF.toExponential(2)} ${errT.toExponential(2)} ${errW.toExponential(2)}`);
        expect(errF).toBeLessThan(1e-7);
        expect(errT).toBeLessThan(1e-7);
        expect(errW).toBeLessThan(1e-7);
      });
    }
  }

  it('a particle interacting with its own images (cell narrower than rc)', () => {
    const gb = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }).gayBerne;
    const cell = Cell.fromRows([3.6, 0, 0, 0.7, 3.3, 0, 0.4, -0.5, 3.8]);
    const q = new Float64Array(4);
    quatFromAxisAngle(q, 0, 0.3, -0.8, 0.5, 1.1);
    const sys: ParticleSystem = { n: 1, positions: Float64Array.of(0.3, -0.2, 1.1), cell, orientations: q };
    const res = gb.compute(sys);
    const e = energyOf(gb);
    expect(Math.max(...res.forces.map(Math.abs))).toBeLessThan(1e-12);
    expect(maxRelativeError(res.torques!, numericalTorques(e, sys))).toBeLessThan(1e-7);
    expect(maxRelativeError(res.virial, numericalVirial(e, sys))).toBeLessThan(1e-7);
  });
});

describe('GayBerne neighbour lists and per-particle energies', () => {
  it('compute() equals the same computation on an independent all-images pair list', () => {
    const gb = threeTypes({});
    for (const cell of [CUBIC, NARROW_TRICLINIC]) {
      const sys = randomSystem(cell, 9, 5, SHAPES, 3, 4, []);
      const a = gb.compute(sys);
      const b = gb.computeWithNeighborList(sys, toList(allImagePairs(cell, sys.positions, 4)));
      expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(b.energy)));
      expect(maxRelativeError(a.forces, b.forces)).toBeLessThan(1e-12);
      expect(maxRelativeError(a.torques!, b.torques!)).toBeLessThan(1e-12);
      expect(maxRelativeError(a.virial, b.virial)).toBeLessThan(1e-12);
    }
  });

  it('per-particle energies sum to the energy and do not change the other results', () => {
    const gb = threeTypes({ truncation: 'switch', switchWidth: 1 });
    const sys = randomSystem(NARROW_TRICLINIC, 9, 8, SHAPES, 3, 4, []);
    const a = gb.computePerParticle(sys);
    const b = gb.compute(sys);
    expect(a.energies.length).toBe(9);
    expect(Math.abs(a.energies.reduce((x, y) => x + y, 0) - a.energy)).toBeLessThan(1e-12 * Math.abs(a.energy));
    expect(a.energy).toBe(b.energy);
    expect(Array.from(a.forces)).toEqual(Array.from(b.forces));
  });

  it('the energy of a dimer is split evenly', () => {
    const { gayBerne: gb } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
    const sys: ParticleSystem = {
      n: 2, positions: Float64Array.of(0, 0, 0, 1.3, 0.2, 0.1), cell: Cell.open(), orientations: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0),
    };
    const r = gb.computePerParticle(sys);
    expect(r.energies[0]).toBe(r.energy / 2);
    expect(r.energies[1]).toBe(r.energy / 2);
  });
});

/** Apply the rotation with quaternion `qr` to positions, cell rows and orientations. */
function rotateSystem(s: ParticleSystem, qr: Float64Array): { sys: ParticleSystem; M: Float64Array } {
  const M = new Float64Array(9);
  quatToMatrix(M, 0, qr, 0);
  const rot = (src: ArrayLike<number>, o: number, dst: Float64Array) => {
    for (let a = 0; a < 3; a++) dst[o + a] = M[3 * a]! * src[o]! + M[3 * a + 1]! * src[o + 1]! + M[3 * a + 2]! * src[o + 2]!;
  };
  const positions = new Float64Array(3 * s.n);
  for (let i = 0; i < s.n; i++) rot(s.positions, 3 * i, positions);
  const h = new Float64Array(9);
  for (let v = 0; v < 3; v++) rot(s.cell.h, 3 * v, h);
  const orientations = new Float64Array(4 * s.n);
  for (let i = 0; i < s.n; i++) quatMultiply(orientations, 4 * i, qr, 0, s.orientations!, 4 * i);
  return { sys: { ...s, positions, orientations, cell: Cell.fromRows(h, s.cell.pbc) }, M };
}

function rotatedVectors(M: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i += 3) {
    for (let a = 0; a < 3; a++) out[i + a] = M[3 * a]! * v[i]! + M[3 * a + 1]! * v[i + 1]! + M[3 * a + 2]! * v[i + 2]!;
  }
  return out;
}

function expectSame(a: ForceResult, b: ForceResult, tol: number): void {
  expect(Math.abs(a.energy - b.energy)).toBeLessThan(tol * Math.max(1, Math.abs(b.energy)));
  expect(maxRelativeError(a.forces, b.forces)).toBeLessThan(tol);
  expect(maxRelativeError(a.torques!, b.torques!)).toBeLessThan(tol);
  expect(maxRelativeError(a.virial, b.virial)).toBeLessThan(tol);
}

describe('GayBerne symmetries', () => {
  const gb = threeTypes({ truncation: 'switch', switchWidth: 1 });
  const sys = randomSystem(NARROW_TRICLINIC, 9, 99, SHAPES, 3, 4, []);
  const ref = gb.compute(sys);

  it('a global rotation leaves E invariant and rotates F, τ and W', () => {
    const qr = new Float64Array(4);
    quatFromAxisAngle(qr, 0, 0.4, -1.1, 0.7, 2.3);
    const { sys: rs, M } = rotateSystem(sys, qr);
    const res = gb.compute(rs);
    expect(Math.abs(res.energy - ref.energy)).toBeLessThan(1e-12 * Math.abs(ref.energy));
    expect(maxRelativeError(res.forces, rotatedVectors(M, ref.forces))).toBeLessThan(1e-12);
    expect(maxRelativeError(res.torques!, rotatedVectors(M, ref.torques!))).toBeLessThan(1e-12);
    const W = new Float64Array(9);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let acc = 0;
        for (let c = 0; c < 3; c++) for (let d = 0; d < 3; d++) acc += M[3 * a + c]! * ref.virial[3 * c + d]! * M[3 * b + d]!;
        W[3 * a + b] = acc;
      }
    }
    expect(maxRelativeError(res.virial, W)).toBeLessThan(1e-12);
  });

  it('a translation changes nothing', () => {
    const positions = sys.positions.map((x, k) => x + [13.7, -21.1, 0.45][k % 3]!);
    expectSame(gb.compute({ ...sys, positions }), ref, 1e-11);
  });

  it('a permutation of particles permutes the results', () => {
    const perm = [4, 0, 7, 2, 8, 1, 6, 3, 5];
    const p3 = (src: ArrayLike<number>, m: number) => Float64Array.from({ length: m * 9 }, (_, k) => src[m * perm[Math.floor(k / m)]! + (k % m)]!);
    const ps: ParticleSystem = {
      ...sys, positions: p3(sys.positions, 3), orientations: p3(sys.orientations!, 4), semiaxes: p3(sys.semiaxes!, 3),
      types: Int32Array.from(perm, (k) => sys.types![k]!),
    };
    const res = gb.compute(ps);
    const expected: ForceResult = { ...ref, forces: p3(ref.forces, 3), torques: p3(ref.torques!, 3) };
    expectSame(res, expected, 1e-12);
  });

  it('q and −q give the same results; forces sum to zero', () => {
    const res = gb.compute({ ...sys, orientations: sys.orientations!.map((x) => -x) });
    expectSame(res, ref, 1e-14);
    for (let a = 0; a < 3; a++) {
      let s = 0, m = 0;
      for (let i = 0; i < sys.n; i++) { s += ref.forces[3 * i + a]!; m = Math.max(m, Math.abs(ref.forces[3 * i + a]!)); }
      expect(Math.abs(s)).toBeLessThan(1e-12 * m);
    }
  });

  it('open system: total torque Σ(τ_i + r_i × F_i) vanishes; uniaxial torques are ⟂ u', () => {
    const { gayBerne } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
    const open = randomSystem(Cell.orthorhombic(7, 7, 7), 8, 3, [[0.5, 0.5, 1.5]], 1, 4, []);
    const s: ParticleSystem = { ...open, cell: Cell.open() };
    const res = gayBerne.compute(s);
    const L = [0, 0, 0];
    let scale = 0;
    const R = new Float64Array(9);
    for (let i = 0; i < s.n; i++) {
      const [x, y, z] = [s.positions[3 * i]!, s.positions[3 * i + 1]!, s.positions[3 * i + 2]!];
      const [fx, fy, fz] = [res.forces[3 * i]!, res.forces[3 * i + 1]!, res.forces[3 * i + 2]!];
      const t = res.torques!.subarray(3 * i, 3 * i + 3);
      L[0] += t[0]! + y * fz - z * fy; L[1] += t[1]! + z * fx - x * fz; L[2] += t[2]! + x * fy - y * fx;
      scale = Math.max(scale, Math.abs(t[0]!), Math.abs(t[1]!), Math.abs(t[2]!), Math.hypot(x, y, z) * Math.hypot(fx, fy, fz));
      quatToMatrix(R, 0, s.orientations!, 4 * i);
      expect(Math.abs(t[0]! * R[2]! + t[1]! * R[5]! + t[2]! * R[8]!)).toBeLessThan(1e-12 * Math.max(1, Math.hypot(...t)));
    }
    expect(scale).toBeGreaterThan(1e-3);
    for (const c of L) expect(Math.abs(c)).toBeLessThan(1e-12 * scale);
  });
});

/** A GB(3,5,2,1) dimer at distance r along r̂ with body-z axes u_i, u_j. */
function dimer(r: number, rhat: number[], ui: number[], uj: number[]): ParticleSystem {
  const q = new Float64Array(8);
  const toQuat = (u: number[], o: number) => {
    const ax = [-u[1]!, u[0]!, 0];
    const ang = Math.acos(Math.max(-1, Math.min(1, u[2]!)));
    if (Math.hypot(...ax) < 1e-15) quatFromAxisAngle(q, o, 1, 0, 0, u[2]! > 0 ? 0 : Math.PI);
    else quatFromAxisAngle(q, o, ax[0]!, ax[1]!, ax[2]!, ang);
  };
  toQuat(ui, 0);
  toQuat(uj, 4);
  return { n: 2, positions: Float64Array.of(0, 0, 0, r * rhat[0]!, r * rhat[1]!, r * rhat[2]!), cell: Cell.open(), orientations: q };
}

describe('GayBerne reference geometry (GAYBERNE.md §4, GB(3,5,2,1))', () => {
  const { gayBerne: gb, semiaxes } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
  const X = [1, 0, 0], Y = [0, 1, 0], Z = [0, 0, 1];
  const d = 2 ** (1 / 6) - 1;
  const table: [string, number[], number[], number[], number, number][] = [
    ['side-by-side', X, Z, Z, 1, -5 / 3],
    ['end-to-end', Z, Z, Z, 3, -1 / 3],
    ['T-shape', X, X, Z, Math.sqrt(5), -0.3819660112501051],
    ['cross', X, Z, Y, 1, -1],
  ];

  it('fromClassic maps to semi-axes (σ0/2, σ0/2, κσ0/2)', () => {
    expect(semiaxes).toEqual([0.5, 0.5, 1.5]);
    expect([gb.gamma, gb.upsilon, gb.mu, gb.cutoff]).toEqual([1, 1, 2, 4]);
  });

  for (const [name, rhat, ui, uj, sigma, umin] of table) {
    it(`${name}: U_min = ${umin.toFixed(6)} at r_min = ${(sigma + d).toFixed(6)}, zero force there`, () => {
      const res = gb.compute(dimer(sigma + d, rhat, ui, uj));
      expect(Math.abs(res.energy - umin)).toBeLessThan(1e-12);
      expect(Math.max(...res.forces.map(Math.abs))).toBeLessThan(1e-10);
      for (const dr of [-1e-3, 1e-3]) expect(gb.compute(dimer(sigma + d + dr, rhat, ui, uj)).energy).toBeGreaterThan(res.energy);
    });
  }

  it('T-shape minimum equals −(1 − χ′)², χ′ = (κ′^(1/μ) − 1)/(κ′^(1/μ) + 1)', () => {
    const chiP = (Math.sqrt(5) - 1) / (Math.sqrt(5) + 1);
    expect(Math.abs(table[2]![5] + (1 - chiP) ** 2)).toBeLessThan(1e-15);
  });
});

/** The classic Gay–Berne formula (GAYBERNE.md §4) for identical uniaxial particles. */
function classicEnergy(k: number, kp: number, mu: number, nu: number, r: number[], ui: number[], uj: number[]): number {
  const rr = Math.hypot(...r);
  const rh = r.map((x) => x / rr);
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const a = dot(rh, ui), b = dot(rh, uj), c = dot(ui, uj);
  const chi = (k * k - 1) / (k * k + 1);
  const kpm = kp ** (1 / mu);
  const chiP = (kpm - 1) / (kpm + 1);
  const sigma = (1 - (chi / 2) * ((a + b) ** 2 / (1 + chi * c) + (a - b) ** 2 / (1 - chi * c))) ** -0.5;
  const eps1 = (1 - chi * chi * c * c) ** -0.5;
  const eps2 = 1 - (chiP / 2) * ((a + b) ** 2 / (1 + chiP * c) + (a - b) ** 2 / (1 - chiP * c));
  const R = 1 / (rr - sigma + 1);
  return 4 * eps1 ** nu * eps2 ** mu * (R ** 12 - R ** 6);
}

describe('GayBerne equals classic GB(κ, κ′, μ, ν) for uniaxial particles', () => {
  const cases = [
    { kappa: 3, kappaPrime: 5, mu: 2, nu: 1 },
    { kappa: 4.4, kappaPrime: 20, mu: 1, nu: 1 },
    { kappa: 0.345, kappaPrime: 0.2, mu: 1, nu: 2 },
    { kappa: 3, kappaPrime: 5, mu: 1.7, nu: 0.6 },
  ];
  for (const c of cases) {
    it(`κ=${c.kappa} κ′=${c.kappaPrime} μ=${c.mu} ν=${c.nu}: 200 random dimers to 1e-12`, () => {
      const { gayBerne: gb } = GayBerne.fromClassic({ ...c, sigma0: 1, epsilon0: 1, cutoff: 10 });
      const r = seededRandom(7);
      const q = new Float64Array(8);
      const R = new Float64Array(9);
      for (let t = 0; t < 200; t++) {
        q.set(randomQuaternion(r), 0);
        q.set(randomQuaternion(r), 4);
        const dir = [r() - 0.5, r() - 0.5, r() - 0.5];
        const len = Math.hypot(...dir);
        const u: number[][] = [];
        for (const o of [0, 4]) { quatToMatrix(R, 0, q, o); u.push([R[2]!, R[5]!, R[8]!]); }
        const sys0: ParticleSystem = { n: 2, positions: Float64Array.of(0, 0, 0, ...dir), cell: Cell.open(), orientations: q };
        const sem = [0.5, 0.5, c.kappa / 2];
        const sigma = contact({ ...sys0, semiaxes: Float64Array.of(...sem, ...sem) }, 0, 1, dir);
        const dist = sigma + 0.1 + 1.5 * r();
        const pos = dir.map((x) => (x / len) * dist);
        const e = gb.compute({ ...sys0, positions: Float64Array.of(0, 0, 0, ...pos) }).energy;
        const ref = classicEnergy(c.kappa, c.kappaPrime, c.mu, c.nu, pos, u[0]!, u[1]!);
        expect(Math.abs(e - ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref)));
      }
    });
  }
});

describe('GayBerne switched truncation', () => {
  const hard = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }).gayBerne;
  const sw = GayBerne.fromClassic({
    kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 1,
  }).gayBerne;
  const X = [1, 0, 0], Z = [0, 0, 1];

  it('equals the hard potential below rc − width and vanishes at and beyond rc', () => {
    for (const r of [1.5, 2.5, 2.999, 3]) expect(sw.compute(dimer(r, X, Z, Z)).energy).toBe(hard.compute(dimer(r, X, Z, Z)).energy);
    expect(sw.compute(dimer(4, Z, Z, Z)).energy).toBe(0);
    expect(sw.compute(dimer(4.2, Z, Z, Z)).energy).toBe(0);
    expect(hard.compute(dimer(4 - 1e-9, Z, Z, Z)).energy).toBeLessThan(-0.02); // the LAMMPS jump
  });

  it('energy and slope go to zero continuously at rc (end-to-end, the largest jump)', () => {
    const e = (r: number) => sw.compute(dimer(r, Z, Z, Z)).energy;
    const f = (r: number) => sw.compute(dimer(r, Z, Z, Z)).forces[2]!;
    for (const delta of [1e-2, 1e-3, 1e-4]) {
      // S ~ 10 (δ/w)³ near rc, S' ~ 30 (δ/w)² / w
      expect(Math.abs(e(4 - delta))).toBeLessThan(0.03 * 10 * delta ** 3 * 1.01);
      expect(Math.abs(f(4 - delta))).toBeLessThan(0.1 * 30 * delta ** 2);
    }
    // value and slope continuous across rc − width as well (side-by-side, away from contact)
    const es = (r: number) => sw.compute(dimer(r, X, Z, Z)).energy;
    const fs = (r: number) => sw.compute(dimer(r, X, Z, Z)).forces[0]!;
    const h = 1e-7;
    expect(Math.abs(es(3 + h) - es(3 - h))).toBeLessThan(1e-8);
    expect(Math.abs(fs(3 + h) - fs(3 - h))).toBeLessThan(1e-8);
  });
});

describe('GayBerne validation', () => {
  const base = { gamma: 1, upsilon: 1, mu: 2, cutoff: 4, epsilon: 1, sigma: 1, wells: [1, 1, 0.2] };
  const bad = (o: unknown, re: RegExp) => {
    let err: unknown;
    try { new GayBerne(o as GayBerneOptions); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AnisoError);
    expect((err as AnisoError).code).toBe('E_ARG');
    expect((err as Error).message).toMatch(re);
  };
  it('rejects bad options with messages naming the value', () => {
    bad({ ...base, wells: [1, -1, 0.2] }, /wells\[1\] = -1/);
    bad({ ...base, wells: [1, 1] }, /wells must be 3 numbers/);
    bad({ ...base, cutoff: 0 }, /cutoff = 0/);
    bad({ ...base, sigma: Number.NaN }, /sigma = NaN/);
    bad({ ...base, mu: 0 }, /mu = 0/);
    bad({ ...base, gamma: -1 }, /gamma = -1/);
    bad({ ...base, truncation: 'shifted' }, /truncation 'shifted' is not one of 'hard', 'switch'/);
    bad({ ...base, truncation: 'switch' }, /needs switchWidth/);
    bad({ ...base, truncation: 'switch', switchWidth: 5 }, /switchWidth = 5/);
    bad({ ...base, types: [{ wells: [1, 1, 1] }], pairs: [] }, /not both/);
    bad({ gamma: 1, upsilon: 1, mu: 2, cutoff: 4, types: [{ wells: [1, 1, 1] }, { wells: [1, 1, 1] }], pairs: [{ types: [0, 0], epsilon: 1, sigma: 1 }] }, /like pair \(1, 1\)/);
    bad({ gamma: 1, upsilon: 1, mu: 2, cutoff: 4, types: [{ wells: [1, 1, 1] }], pairs: [{ types: [0, 2], epsilon: 1, sigma: 1 }] }, /type 2, allowed 0..0/);
    bad({ ...base, semiaxes: [0.5, 0, 1] }, /semiaxes\[1\] = 0/);
    expect(() => GayBerne.fromClassic({ kappa: -3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 })).toThrow(/kappa = -3/);
  });

  it('rejects bad systems', () => {
    const gb = new GayBerne(base);
    const ok: ParticleSystem = {
      n: 2, positions: Float64Array.of(0, 0, 0, 2, 0, 0), cell: Cell.open(), orientations: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0),
      semiaxes: Float64Array.of(0.5, 0.5, 1.5, 0.5, 0.5, 1.5),
    };
    expect(Number.isFinite(gb.compute(ok).energy)).toBe(true);
    expect(() => gb.compute({ ...ok, orientations: undefined } as ParticleSystem)).toThrow(/orientations/);
    expect(() => gb.compute({ ...ok, semiaxes: undefined } as ParticleSystem)).toThrow(/no default semiaxes/);
    expect(() => gb.compute({ ...ok, semiaxes: Float64Array.of(0.5, 0.5, 1.5, 0.5, -0.5, 1.5) })).toThrow(/particle 1 has semi-axes \(0.5, -0.5, 1.5\)/);
    expect(() => gb.compute({ ...ok, types: Int32Array.of(0, 1) })).toThrow(/particle 1 has type 1, allowed 0..0/);
    expect(() => gb.compute({ ...ok, orientations: new Float64Array(8) })).toThrow(/not a rotation/);
    expect(() => gb.compute({ ...ok, positions: new Float64Array(5) })).toThrow(/positions has length 5/);
  });
});
