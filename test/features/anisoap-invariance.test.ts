// SPDX-License-Identifier: BSD-3-Clause
/**
 * Symmetries of AniSOAP features and of the linear model's forces (ANISOAP.md §8): global rotation
 * of positions, cell and orientations together (`q → q_Q ⊗ q`), translation, permutation of
 * identical particles, `q → −q`; continuity at the cutoff in MD mode (and the package's jump).
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { quatMultiply, quatToMatrix } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { randomEllipsoidSystem, relDiff } from '../support/anisoap-fixtures.js';
import { randomQuaternion, rotateSystem, seededRandom } from '../support/random.js';

const TOL = 1e-12;
const hypers: AniSoapHypers = {
  maxAngular: 4, maxRadial: 3, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4.6, species: [0, 1],
  basisRcond: 1e-8, basisTol: 1e-3, mode: 'md', switchWidth: 1.2,
};
const TRICLINIC = Cell.fromRows([5.3, 0, 0, 1.1, 5.0, 0, -0.7, 0.6, 5.6]);

/** `sys` rotated by `q` about the origin: positions, lattice vectors and orientations (q ⊗ q_i). */
function rotated(sys: ParticleSystem, q: Float64Array): ParticleSystem {
  const r = rotateSystem(sys, q);
  const o = new Float64Array(4 * sys.n);
  for (let i = 0; i < sys.n; i++) quatMultiply(o, 4 * i, q, 0, sys.orientations!, 4 * i);
  return { ...r, orientations: o };
}

describe.each([
  ['triclinic periodic', TRICLINIC],
  ['open', Cell.open()],
] as const)('AniSOAP invariances (%s)', (_label, cell) => {
  const calc = new AniSoapCalculator(hypers);
  const sys = randomEllipsoidSystem(seededRandom(31), cell, 8, 2, 5);
  const base = calc.values(sys);
  const rand = seededRandom(32);
  const w = new Float64Array(2 * calc.metadata.featureCount).map(() => rand() - 0.5);

  it('global rotation of positions, cell and orientations; forces, torques and virial rotate along', () => {
    const q = randomQuaternion(seededRandom(33));
    const rs = rotated(sys, q);
    const err = relDiff(calc.values(rs), base);
    console.log(`[invariance] rotation (${_label}): ${err.toExponential(2)}`);
    expect(err).toBeLessThan(TOL);
    const a = calc.linearForces(sys, w), b = calc.linearForces(rs, w);
    const R = new Float64Array(9);
    quatToMatrix(R, 0, q, 0);
    const rot = (v: Float64Array) => {
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length / 3; i++) for (let r = 0; r < 3; r++) out[3 * i + r] = R[3 * r]! * v[3 * i]! + R[3 * r + 1]! * v[3 * i + 1]! + R[3 * r + 2]! * v[3 * i + 2]!;
      return out;
    };
    expect(Math.abs(a.energy - b.energy)).toBeLessThan(TOL * Math.abs(a.energy));
    expect(relDiff(b.forces, rot(a.forces))).toBeLessThan(1e-11);
    expect(relDiff(b.torques!, rot(a.torques!))).toBeLessThan(1e-11);
    const RW = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += R[3 * i + k]! * a.virial[3 * k + l]! * R[3 * j + l]!;
      RW[3 * i + j] = s;
    }
    expect(relDiff(b.virial, RW)).toBeLessThan(1e-11);
  });

  it('translation', () => {
    const p = Float64Array.from(sys.positions);
    for (let i = 0; i < sys.n; i++) { p[3 * i]! += 3.7; p[3 * i + 1]! -= 11.2; p[3 * i + 2]! += 0.31; }
    expect(relDiff(calc.values({ ...sys, positions: p }), base)).toBeLessThan(TOL);
  });

  it('permutation of identical particles permutes the features', () => {
    const perm = [6, 3, 0, 5, 2, 7, 4, 1]; // even ↔ even, odd ↔ odd: types i % 2 are kept
    const p = new Float64Array(3 * sys.n), o = new Float64Array(4 * sys.n), s = new Float64Array(3 * sys.n), t = new Int32Array(sys.n);
    perm.forEach((old, k) => {
      p.set(sys.positions.subarray(3 * old, 3 * old + 3), 3 * k);
      o.set(sys.orientations!.subarray(4 * old, 4 * old + 4), 4 * k);
      s.set(sys.semiaxes!.subarray(3 * old, 3 * old + 3), 3 * k);
      t[k] = sys.types![old]!;
    });
    const v = calc.values({ ...sys, positions: p, orientations: o, semiaxes: s, types: t });
    const F = calc.metadata.featureCount, expected = new Float64Array(v.length);
    perm.forEach((old, k) => expected.set(base.subarray(old * F, old * F + F), k * F));
    expect(relDiff(v, expected)).toBeLessThan(TOL);
  });

  it('q → −q (and a non-unit quaternion) changes nothing', () => {
    const o = sys.orientations!.map((x, k) => (k < 8 ? -2.5 * x : x));
    expect(relDiff(calc.values({ ...sys, orientations: o }), base)).toBeLessThan(TOL);
  });
});

describe('AniSOAP at the cutoff', () => {
  function pair(d: number): ParticleSystem {
    return {
      n: 2,
      positions: Float64Array.of(0, 0, 0, d * 0.6, d * 0.8, 0),
      cell: Cell.open(),
      types: Int32Array.of(0, 0),
      orientations: Float64Array.of(0.9, 0.1, -0.3, 0.2, 0.4, 0.5, 0.1, -0.7),
      semiaxes: Float64Array.of(1.5, 0.5, 0.5, 1.5, 0.5, 0.5),
    };
  }
  const rc = 5;

  it('MD mode: energy, features and forces are continuous as a neighbour crosses rc', () => {
    const calc = new AniSoapCalculator({ ...hypers, species: [0], cutoff: rc, switchWidth: 1.5 });
    const w = new Float64Array(calc.metadata.featureCount).map((_, k) => Math.sin(k + 1));
    const inside = calc.linearForces(pair(rc - 1e-9), w), outside = calc.linearForces(pair(rc + 1e-9), w);
    const fin = calc.values(pair(rc - 1e-9)), fout = calc.values(pair(rc + 1e-9));
    expect(Math.abs(inside.energy - outside.energy)).toBeLessThan(1e-12 * Math.abs(outside.energy));
    expect(relDiff(fin, fout)).toBeLessThan(1e-12);
    let fmax = 0;
    for (const x of inside.forces) fmax = Math.max(fmax, Math.abs(x));
    expect(fmax).toBeLessThan(1e-12);
    expect(calc.metadata.smooth).toBe(true);
  });

  it('package mode: the features jump at rc, as in the package', () => {
    const calc = new AniSoapCalculator({ ...hypers, species: [0], cutoff: rc, mode: 'package', switchWidth: undefined });
    const jump = relDiff(calc.values(pair(rc - 1e-9)), calc.values(pair(rc + 1e-9)));
    expect(jump).toBeGreaterThan(1e-4);
    expect(calc.metadata.smooth).toBe(false);
  });
});
