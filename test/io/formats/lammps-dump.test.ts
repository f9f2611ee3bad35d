// SPDX-License-Identifier: BSD-3-Clause
/** The LAMMPS dump format: round trips for x, xu and xs coordinates, orthogonal and triclinic boxes. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/random.js';
import { expectArray, ROUND_TRIP_SPEC as spec, writeAll } from '../../support/frame-assertions.js';
import { parseFrames, randomFrame } from '../../support/trajectory-fixtures.js';

describe('lammps: round trips write → read', () => {
  for (const triclinic of [false, true]) {
    const kind = triclinic ? 'triclinic' : 'orthogonal';

    it(`LAMMPS dump, ${kind}: positions, box, orientations, shapes (as diameters), forces, torques, species`, () => {
      const rand = seededRandom(triclinic ? 21 : 22);
      const frames = [0, 1].map((k) => randomFrame(rand, { ...spec, triclinic, step: 250 * k }));
      for (const coordinates of ['x', 'xu', 'xs'] as const) {
        const text = writeAll('lammps', frames, { lammps: { coordinates, quaternionColumns: coordinates === 'xu' ? 'c_q' : 'quat' } });
        expect(text).toContain(triclinic ? 'ITEM: BOX BOUNDS xy xz yz pp pp pp' : 'ITEM: BOX BOUNDS pp pp pp');
        const back = parseFrames(text, 'rt.lammpstrj');
        for (const [k, f] of frames.entries()) {
          const b = back[k]!;
          const tol = coordinates === 'xs' || triclinic ? 1e-14 : 0;
          expectArray(b.positions, f.positions, tol);
          expectArray(b.cell.h, f.cell.h, triclinic ? 1e-15 : 0);
          expectArray(b.orientations, f.orientations, 4e-16);
          expectArray(b.semiaxes, f.semiaxes);
          expectArray(b.forces, f.forces);
          expectArray(b.torques, f.torques);
          expect(b.species).toEqual(f.species);
          expect(b.step).toBe(f.step);
        }
        // types: 1, 2, 3 by first appearance, consistent across frames
        expect(new Set(back.flatMap((b) => b.species.map((s, i) => `${s}:${b.types[i]}`))).size).toBe(new Set(frames.flatMap((f) => f.species)).size);
      }
    });
  }
});
