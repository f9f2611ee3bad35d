// SPDX-License-Identifier: BSD-3-Clause
/**
 * Coarse-graining the benzene liquid (`src/mapping/coarse-grain.ts`, issue 10): the 24 atomistic
 * frames reproduce the matching frames of the CG reference file (frame k of AA = frame 10k of CG,
 * by the `frame` info) to the file's printed precision; the best-fit quaternion equals the data
 * README's construction of the body frame from C1 and C2; forces and torques on ellipsoids → site
 * forces (`MoleculeMapping.backward`) → coarse-grained back give the same force, torque and
 * virial; molecules split across the periodic boundary map as whole ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { quatFromMatrix } from '../../src/core/quaternion.js';
import type { Frame } from '../../src/io/frame.js';
import { CoarseGrainer } from '../../src/mapping/coarse-grain.js';
import { BENZENE_AA, BENZENE_CG, benzeneDefinition, framesOf } from '../support/benzene.js';
import { seededRandom } from '../support/random.js';
import { quatDistance, randomEllipsoids, straddles } from '../support/toy-ellipsoid-potential.js';

let aa: Frame[] = [];
let cg = new Map<number, Frame>();

beforeAll(async () => {
  aa = await framesOf(BENZENE_AA);
  cg = new Map((await framesOf(BENZENE_CG, (f) => Number(f.info.frame) % 10 === 0)).map((f) => [Number(f.info.frame), f]));
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

/** The README's body frame of molecule i: e1 = unit(C1 − R), e3 = unit((C1 − R) × (C2 − R)), e2 = e3 × e1, as a quaternion. */
function readmeQuaternion(frame: Frame, centre: ArrayLike<number>, i: number): Float64Array {
  const p = frame.positions, j = 3 * 12 * i;
  const a = [0, 1, 2].map((d) => p[j + d]! - centre[3 * i + d]!);
  const b = [0, 1, 2].map((d) => p[j + 3 + d]! - centre[3 * i + d]!);
  const unit = (v: number[]) => v.map((x) => x / Math.hypot(v[0]!, v[1]!, v[2]!));
  const cross = (u: number[], v: number[]) => [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
  const e1 = unit(a), e3 = unit(cross(a, b)), e2 = cross(e3, e1);
  const m = Float64Array.of(e1[0]!, e2[0]!, e3[0]!, e1[1]!, e2[1]!, e3[1]!, e1[2]!, e2[2]!, e3[2]!);
  const q = new Float64Array(4);
  quatFromMatrix(q, 0, m, 0);
  return q;
}

describe('coarse-graining the benzene liquid', () => {
  it('reproduces the CG reference frames (COM 1e-8 Å, quaternion 1e-8, force 1e-7 eV/Å, torque 1e-7 eV)', () => {
    const grainer = new CoarseGrainer(benzeneDefinition());
    expect(aa).toHaveLength(24);
    const worst = { com: 0, quat: 0, force: 0, torque: 0, deviation: 0 };
    for (const [k, frame] of aa.entries()) {
      expect(frame.info.frame).toBe(10 * k);
      const ref = cg.get(10 * k)!;
      expect(ref, `CG frame ${10 * k}`).toBeDefined();
      for (const key of ['step', 'time_fs', 'temperature_K', 'pressure_bar'] as const) {
        expect(key === 'step' ? frame.step : frame.info[key]).toBe(key === 'step' ? ref.step : ref.info[key]);
      }
      expect(frame.energy).toBe(ref.energy);
      const out = grainer.map(frame, frame.index, frame.source);
      expect(out.n).toBe(ref.n);
      expect(Array.from(out.molecules)).toEqual(Array.from(ref.molecules!));
      expect(out.species.every((s) => s === ref.species[0])).toBe(true);
      expect(maxDiff(out.semiaxes, ref.semiaxes!)).toBe(0);
      worst.com = Math.max(worst.com, maxDiff(out.positions, ref.positions));
      worst.quat = Math.max(worst.quat, maxDiff(out.orientations, ref.orientations!));
      worst.force = Math.max(worst.force, maxDiff(out.forces!, ref.forces!));
      worst.torque = Math.max(worst.torque, maxDiff(out.torques!, ref.torques!));
      worst.deviation = Math.max(worst.deviation, out.maxDeviation);
    }
    console.log(`benzene AA → CG, 24 frames × 216 molecules, largest |Δ|: ${JSON.stringify(worst)}`);
    expect(worst.com).toBeLessThan(1e-8);
    expect(worst.quat).toBeLessThan(1e-8);
    expect(worst.force).toBeLessThan(1e-7);
    expect(worst.torque).toBeLessThan(1e-7);
    // Rigid molecules printed to 1e-8 Å: the fit residual is rounding only.
    expect(worst.deviation).toBeLessThan(1e-7);
  });

  it("the best-fit quaternion is the README's body frame (e1 from C1, e3 the ring normal from C1 × C2)", () => {
    const grainer = new CoarseGrainer(benzeneDefinition());
    let worst = 0;
    for (const frame of aa.slice(0, 4)) {
      const out = grainer.map(frame, frame.index);
      for (let i = 0; i < out.n; i++) worst = Math.max(worst, quatDistance(out.orientations, 4 * i, readmeQuaternion(frame, out.positions, i), 0));
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('ellipsoid forces, torques and virial → site forces (backward) → coarse-grained back: the same to 1e-12', () => {
    const grainer = new CoarseGrainer(benzeneDefinition());
    const rand = seededRandom(10);
    for (const frame of [aa[0]!, aa[23]!]) {
      const sites = { n: frame.n, positions: frame.positions, cell: frame.cell };
      const ells = grainer.mapping.forward(sites);
      const m = ells.n;
      const forces = Float64Array.from({ length: 3 * m }, () => rand() - 0.5);
      const torques = Float64Array.from({ length: 3 * m }, () => rand() - 0.5);
      const virial = Float64Array.from({ length: 9 }, () => 10 * (rand() - 0.5));
      const back = grainer.mapping.backward(sites, ells, { energy: 0, forces, torques, virial, extras: null });
      const out = grainer.map({ positions: frame.positions, cell: frame.cell, species: frame.species, forces: back.forces, virial: back.virial }, frame.index);
      expect(maxDiff(out.forces!, forces)).toBeLessThan(1e-12);
      expect(maxDiff(out.torques!, torques)).toBeLessThan(1e-12);
      expect(maxDiff(out.virial!, virial)).toBeLessThan(1e-12);
      // The site virial differs from the molecular one (the test is not trivial).
      expect(maxDiff(back.virial, virial)).toBeGreaterThan(1e-3);
    }
  });

  it('molecules split across the boundary (atoms wrapped into the cell) map as whole ones; --wrap puts centres back in the cell', () => {
    const frame = aa[5]!;
    const wrappedPositions = Cell.wrap(frame.cell, Float64Array.from(frame.positions));
    const width = frame.cell.h[0]!;
    let split = 0;
    for (let i = 0; i < frame.n / 12; i++) {
      let lo = Infinity, hi = -Infinity;
      for (let s = 0; s < 12; s++) for (let d = 0; d < 3; d++) {
        lo = Math.min(lo, wrappedPositions[36 * i + 3 * s + d]! - wrappedPositions[36 * i + d]!);
        hi = Math.max(hi, wrappedPositions[36 * i + 3 * s + d]! - wrappedPositions[36 * i + d]!);
      }
      if (hi - lo > width / 2) split++;
    }
    expect(split).toBeGreaterThan(5);
    const whole = new CoarseGrainer(benzeneDefinition()).map(frame, 0);
    const fromSplit = new CoarseGrainer(benzeneDefinition(), { wrapCentres: true }).map({ ...frame, positions: wrappedPositions }, 0);
    expect(maxDiff(fromSplit.positions, whole.positions)).toBeLessThan(1e-12);
    expect(maxDiff(fromSplit.orientations, whole.orientations)).toBeLessThan(1e-12);
    expect(maxDiff(fromSplit.forces!, whole.forces!)).toBeLessThan(1e-13);
    expect(maxDiff(fromSplit.torques!, whole.torques!)).toBeLessThan(1e-12);
    expect(fromSplit.maxDeviation).toBeLessThan(1e-7);
  });

  it('split molecules in a triclinic cell: centres unwrapped relative to the first atom, orientations exact', () => {
    const grainer = new CoarseGrainer(benzeneDefinition());
    const rand = seededRandom(4);
    const cell = Cell.fromParameters([16, 17, 18, 77, 97, 107]);
    const ells = randomEllipsoids(rand, cell, 8, [2, 2, 0.25]);
    const atoms = grainer.mapping.toSites(ells);
    const positions = Cell.wrap(cell, Float64Array.from(atoms.positions));
    expect(straddles(grainer.mapping, { n: atoms.n, positions, cell }, 6)).toBe(true);
    const out = grainer.map({ positions, cell, species: Array.from({ length: 8 }, () => benzeneDefinition().species).flat() }, 0);
    for (let i = 0; i < 8; i++) {
      expect(quatDistance(out.orientations, 4 * i, ells.orientations!, 4 * i)).toBeLessThan(1e-13);
      // The centre differs from the original by a lattice vector (or not at all).
      const d = Float64Array.of(out.positions[3 * i]! - ells.positions[3 * i]!, out.positions[3 * i + 1]! - ells.positions[3 * i + 1]!, out.positions[3 * i + 2]! - ells.positions[3 * i + 2]!);
      const f = new Float64Array(3);
      Cell.toFractional(cell, d, 0, f, 0);
      for (let a = 0; a < 3; a++) expect(Math.abs(f[a]! - Math.round(f[a]!))).toBeLessThan(1e-12);
    }
    expect(out.maxDeviation).toBeLessThan(1e-12);
  });
});
