// SPDX-License-Identifier: BSD-3-Clause
/** Lennard-Jones: analytic values, finite-difference forces and virial, mixing, shift, switch. */
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { LennardJones, type LennardJonesOptions } from '../../src/potentials/lennard-jones.js';
import { maxRelativeError, numericalForces, numericalVirial } from '../support/finite-difference.js';
import { seededRandom } from '../support/random.js';

/** Every image distance of particles i, j (brute force, enough images for `rc`). */
function imageDistances(cell: Cell, pos: Float64Array, i: number, j: number, rc: number): number[] {
  const w = Cell.widths(cell);
  const m = [0, 1, 2].map((d) => Math.ceil(rc / w[d]! + 0.5) + 1);
  const h = cell.h;
  const out: number[] = [];
  for (let a = -m[0]!; a <= m[0]!; a++) {
    for (let b = -m[1]!; b <= m[1]!; b++) {
      for (let c = -m[2]!; c <= m[2]!; c++) {
        if (i === j && a === 0 && b === 0 && c === 0) continue;
        const d = [0, 1, 2].map((x) => pos[3 * j + x]! - pos[3 * i + x]! + a * h[x]! + b * h[3 + x]! + c * h[6 + x]!);
        out.push(Math.hypot(...d));
      }
    }
  }
  return out;
}

/** Random points with every image pair farther than `dmin` and 0.05 away from each `avoid` distance. */
function randomSystem(cell: Cell, n: number, seed: number, ntypes: number, rc: number, avoid: number[], dmin = 0.85): ParticleSystem {
  const r = seededRandom(seed);
  const positions = new Float64Array(3 * n);
  const types = new Int32Array(n);
  const s = new Float64Array(3);
  let placed = 0, tries = 0;
  while (placed < n) {
    if (++tries > 100000) throw new Error('randomSystem: could not place particles');
    for (let d = 0; d < 3; d++) s[d] = -0.2 + 1.4 * r();
    Cell.toCartesian(cell, s, 0, positions, 3 * placed);
    types[placed] = placed % ntypes;
    let ok = true;
    for (let j = 0; j <= placed && ok; j++) {
      for (const d of imageDistances(cell, positions, j, placed, rc + 0.2)) {
        if (d < dmin || avoid.some((x) => Math.abs(d - x) < 0.05)) { ok = false; break; }
      }
    }
    if (ok) placed++;
  }
  return { n, positions, cell, types };
}

const TRICLINIC = Cell.fromRows([5.2, 0, 0, 1.1, 4.9, 0, -0.7, 0.9, 5.4]);
const CUBIC = Cell.orthorhombic(8, 8, 8);

describe('LennardJones', () => {
  const report: string[] = [];
  afterAll(() => console.info(`lj FD max rel. errors (F, W):\n  ${report.join('\n  ')}`));

  it('matches 4ε((σ/r)¹² − (σ/r)⁶) for a dimer, with minimum −ε at 2^(1/6)σ', () => {
    const lj = new LennardJones({ epsilon: 0.7, sigma: 1.3, cutoff: 5 });
    const rmin = 2 ** (1 / 6) * 1.3;
    const res = lj.compute({ n: 2, positions: Float64Array.of(0, 0, 0, rmin, 0, 0), cell: Cell.open() });
    expect(Math.abs(res.energy + 0.7)).toBeLessThan(1e-14);
    expect(Math.abs(res.forces[0]!)).toBeLessThan(1e-13);
    expect(res.torques).toBeNull();
    const r = 1.7;
    const res2 = lj.compute({ n: 2, positions: Float64Array.of(0, 0, 0, 0, r, 0), cell: Cell.open() });
    const sr6 = (1.3 / r) ** 6;
    expect(res2.energy).toBeCloseTo(4 * 0.7 * (sr6 * sr6 - sr6), 14);
    expect(res2.forces[4]).toBeCloseTo((24 * 0.7 * (2 * sr6 * sr6 - sr6)) / r, 13);
    expect(res2.virial[4]).toBeCloseTo(res2.forces[4]! * r, 13);
  });

  const variants: { name: string; opts: Partial<LennardJonesOptions> }[] = [
    { name: 'hard', opts: {} },
    { name: 'shifted', opts: { shift: true } },
    { name: 'switch w=1', opts: { truncation: 'switch', switchWidth: 1 } },
    { name: 'shifted + switch w=0.5', opts: { shift: true, truncation: 'switch', switchWidth: 0.5 } },
  ];
  for (const v of variants) {
    for (const c of [{ name: 'cubic', cell: CUBIC, n: 30 }, { name: 'narrow triclinic', cell: TRICLINIC, n: 14 }]) {
      it(`${v.name}, ${c.name}, 3 types (Lorentz–Berthelot + one explicit pair): forces and virial ≤ 1e-7`, () => {
        const lj = new LennardJones({
          cutoff: 3.5,
          types: [{ epsilon: 1, sigma: 1 }, { epsilon: 0.5, sigma: 0.8 }, { epsilon: 1.5, sigma: 1.1 }],
          pairs: [{ types: [2, 1], epsilon: 0.3, sigma: 0.95, cutoff: 3 }],
          ...v.opts,
        } as LennardJonesOptions);
        const sys = randomSystem(c.cell, c.n, 3 + c.n, 3, 3.5, lj.truncation === 'hard' ? [3.5, 3] : []);
        const res = lj.compute(sys);
        const e = (s: ParticleSystem) => lj.compute(s).energy;
        const errF = maxRelativeError(res.forces, numericalForces(e, sys));
        const errW = maxRelativeError(res.virial, numericalVirial(e, sys));
        report.push(`${v.name}, ${c.name}: ${errF.toExponential(2)} ${errW.toExponential(2)}`);
        expect(errF).toBeLessThan(1e-7);
        expect(errW).toBeLessThan(1e-7);
        const pp = lj.computePerParticle(sys);
        expect(Math.abs(pp.energies.reduce((a, b) => a + b, 0) - res.energy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(res.energy)));
      });
    }
  }

  it('energy by brute force over images, mixing rules and shift', () => {
    const sys = randomSystem(TRICLINIC, 8, 5, 2, 3.5, []);
    const lj = new LennardJones({ cutoff: 3.5, shift: true, types: [{ epsilon: 1, sigma: 1 }, { epsilon: 0.5, sigma: 0.8 }] });
    let ref = 0;
    for (let i = 0; i < sys.n; i++) {
      for (let j = i; j < sys.n; j++) {
        const ti = sys.types![i]!, tj = sys.types![j]!;
        const eps = Math.sqrt([1, 0.5][ti]! * [1, 0.5][tj]!), sig = ([1, 0.8][ti]! + [1, 0.8][tj]!) / 2;
        const u = (r: number) => 4 * eps * ((sig / r) ** 12 - (sig / r) ** 6);
        for (const d of imageDistances(TRICLINIC, sys.positions, i, j, 3.5)) {
          if (d < 3.5) ref += (i === j ? 0.5 : 1) * (u(d) - u(3.5));
        }
      }
    }
    expect(Math.abs(lj.compute(sys).energy - ref)).toBeLessThan(1e-12 * Math.abs(ref));
  });

  it('switch: continuous energy and force at rc; shift: continuous energy', () => {
    const at = (lj: LennardJones, r: number) => lj.compute({ n: 2, positions: Float64Array.of(0, 0, 0, 0, 0, r), cell: Cell.open() });
    const sw = new LennardJones({ epsilon: 1, sigma: 1, cutoff: 2.5, truncation: 'switch', switchWidth: 0.5 });
    const sh = new LennardJones({ epsilon: 1, sigma: 1, cutoff: 2.5, shift: true });
    for (const d of [1e-2, 1e-3, 1e-4]) {
      expect(Math.abs(at(sw, 2.5 - d).energy)).toBeLessThan(0.02 * 10 * (d / 0.5) ** 3);
      expect(Math.abs(at(sw, 2.5 - d).forces[2]!)).toBeLessThan(0.02 * 30 * (d / 0.5) ** 2 / 0.5 + 0.04 * 10 * (d / 0.5) ** 3);
      expect(Math.abs(at(sh, 2.5 - d).energy)).toBeLessThan(0.04 * d * 1.01);
    }
    expect(at(sw, 2.5).energy).toBe(0);
    expect(at(sw, 1.9).energy).toBe(new LennardJones({ epsilon: 1, sigma: 1, cutoff: 2.5 }).compute({ n: 2, positions: Float64Array.of(0, 0, 0, 0, 0, 1.9), cell: Cell.open() }).energy);
  });

  it('rejects bad options and systems', () => {
    const bad = (o: unknown, re: RegExp) => {
      let err: unknown;
      try { new LennardJones(o as LennardJonesOptions); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(AnisoError);
      expect((err as Error).message).toMatch(re);
    };
    bad({ epsilon: 1, sigma: -1, cutoff: 3 }, /sigma = -1/);
    bad({ epsilon: 1, sigma: 1, cutoff: Infinity }, /cutoff = Infinity/);
    bad({ epsilon: 1, sigma: 1, cutoff: 3, truncation: 'smooth' }, /truncation 'smooth'/);
    bad({ epsilon: 1, sigma: 1, cutoff: 3, truncation: 'switch', switchWidth: 0 }, /switchWidth = 0/);
    bad({ epsilon: 1, sigma: 1, cutoff: 3, types: [{ epsilon: 1, sigma: 1 }] }, /not both/);
    bad({ cutoff: 3, types: [{ epsilon: 1, sigma: 1 }], pairs: [{ types: [0, 1], epsilon: 1, sigma: 1 }] }, /type 1, allowed 0..0/);
    const lj = new LennardJones({ epsilon: 1, sigma: 1, cutoff: 3 });
    expect(() => lj.compute({ n: 2, positions: new Float64Array(6), cell: Cell.open(), types: Int32Array.of(0, 3) })).toThrow(/particle 1 has type 3/);
    expect(() => lj.compute({ n: 2, positions: new Float64Array(4), cell: Cell.open() })).toThrow(/positions has length 4/);
  });
});
