// SPDX-License-Identifier: BSD-3-Clause
/** The i-PI xyz format: round trips of positions and cell, in Å and atomic units. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/random.js';
import { expectArray, ROUND_TRIP_SPEC as spec, writeAll } from '../../support/frame-assertions.js';
import { parseFrames, randomFrame } from '../../support/trajectory-fixtures.js';

describe('ipi: round trips write → read', () => {
  for (const triclinic of [false, true]) {
    const kind = triclinic ? 'triclinic' : 'orthogonal';

    it(`i-PI xyz, ${kind}: positions and cell (Å and atomic units)`, () => {
      const rand = seededRandom(triclinic ? 31 : 32);
      const frames = [0, 1].map((k) => randomFrame(rand, { n: 5, triclinic, step: k, species: ['O', 'H'] }));
      for (const units of ['angstrom', 'atomic_unit'] as const) {
        const text = writeAll('ipi', frames, { ipi: { units } });
        expect(text.split('\n')[1]).toMatch(new RegExp(`^# CELL\\(abcABC\\): .*Step: 0  Bead: 0 positions\\{${units}\\}  cell\\{${units}\\}$`));
        const back = parseFrames(text, 'rt.xyz');
        for (const [k, f] of frames.entries()) {
          const b = back[k]!;
          expect(b.species).toEqual(f.species);
          expectArray(b.positions, f.positions, units === 'angstrom' && !triclinic ? 0 : 1e-14);
          expectArray(b.cell.h, f.cell.h, units === 'angstrom' && !triclinic ? 0 : 1e-14);
          expect(b.step).toBe(k);
          expect(b.orientations).toBeUndefined();
        }
      }
    });
  }
});
