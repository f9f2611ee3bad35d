// SPDX-License-Identifier: BSD-3-Clause
/** The extxyz format: exact round trips of every field it holds (orientations in both orders, shapes as semi-axes or diameters, labels). */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/random.js';
import { expectArray, ROUND_TRIP_SPEC as spec, writeAll } from '../../support/frame-assertions.js';
import { parseFrames, randomFrame } from '../../support/trajectory-fixtures.js';

describe('extxyz: round trips write → read', () => {
  for (const triclinic of [false, true]) {
    const kind = triclinic ? 'triclinic' : 'orthogonal';

    it(`extxyz, ${kind}: everything exact at full precision (also AniSOAP-style diameters, xyzw)`, () => {
      const rand = seededRandom(triclinic ? 11 : 12);
      const frames = [0, 1, 2].map((k) => randomFrame(rand, { ...spec, triclinic, step: 100 * k, energy: -3.25 + k }));
      for (const opts of [{}, { extxyz: { orientationKey: 'c_q', shapes: 'diameters' as const } }, { extxyz: { quaternionOrder: 'xyzw' as const } }]) {
        const back = parseFrames(writeAll('extxyz', frames, opts), 'rt.extxyz');
        expect(back).toHaveLength(3);
        for (const [k, f] of frames.entries()) {
          const b = back[k]!;
          expect(b.species).toEqual(f.species);
          expectArray(b.positions, f.positions);
          expectArray(b.cell.h, f.cell.h);
          expect(b.cell.pbc).toEqual(f.cell.pbc);
          expectArray(b.orientations, f.orientations, 4e-16);
          expectArray(b.semiaxes, f.semiaxes, 'shapes' in (opts.extxyz ?? {}) ? 2e-16 : 0);
          expectArray(b.forces, f.forces);
          expectArray(b.torques, f.torques);
          expect(b.step).toBe(f.step);
          expect(b.energy).toBe(f.energy);
        }
      }
    });
  }

  it('labels and engine columns: energies, virial, masses, velocities, info', () => {
    const rand = seededRandom(13);
    const frames = [0, 1].map((k) => {
      const f = randomFrame(rand, { ...spec, energy: -1.5 + k });
      const n = spec.n;
      return {
        ...f,
        energies: Float64Array.from({ length: n }, () => rand() - 0.5),
        virial: Float64Array.from({ length: 9 }, () => 3 * (rand() - 0.5)),
        masses: Float64Array.from({ length: n }, () => 1 + rand()),
        velocities: Float64Array.from({ length: 3 * n }, () => 0.01 * (rand() - 0.5)),
        info: { config_id: `c${k}`, rho: 0.25, ok: true },
      };
    });
    const back = parseFrames(writeAll('extxyz', frames), 'labels.extxyz');
    frames.forEach((f, k) => {
      const b = back[k]!;
      expectArray(b.energies, f.energies);
      expectArray(b.virial, f.virial);
      expectArray(b.masses, f.masses);
      expectArray(b.velocities, f.velocities);
      expect(b.energy).toBe(f.energy);
      expect(b.info).toEqual({ quat_order: 'wxyz_body_to_lab', ...f.info });
    });
  });
});
