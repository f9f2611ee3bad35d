// SPDX-License-Identifier: BSD-3-Clause
/** The blown-up-positions guard (`src/potentials/position-guard.ts`). */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ForceProvider, ParticleSystem } from '../../src/core/system.js';
import { ABSURD_CELL_WIDTHS, PositionGuard, checkSanePositions } from '../../src/potentials/position-guard.js';
import { ZeroProvider } from '../../src/potentials/zero.js';
import { expectCode } from '../support/assertions.js';

const cell = Cell.orthorhombic(30, 30, 30);
const sys = (positions: number[]): ParticleSystem => ({ n: positions.length / 3, positions: Float64Array.from(positions), cell });

describe('position guard', () => {
  it('names the site, its position in Å and the limit of a blown-up simulation', () => {
    expectCode(
      () => checkSanePositions(sys([1, 1, 1, 1, 1, 5, 1e30, 2, 2])),
      'E_ARG',
      /site 2 is at \(1\.000e\+30, 2\.000, 2\.000\) Å, over 1e\+6 cell widths away: the engine's simulation has blown up/,
    );
  });

  it('calls NaN and infinity not finite (E_NONFINITE)', () => {
    expectCode(() => checkSanePositions(sys([0, 0, 0, 0, NaN, 0])), 'E_NONFINITE', /site 1 is at \(0\.000, NaN, 0\.000\) Å, not finite/);
    expectCode(() => checkSanePositions(sys([Infinity, 0, 0])), 'E_NONFINITE', /site 0 .*not finite/);
  });

  it('scales the limit with the largest cell width (1 Å for an open cell)', () => {
    const far = 0.99 * ABSURD_CELL_WIDTHS * 30;
    expect(() => checkSanePositions(sys([far, 0, 0]))).not.toThrow();
    expectCode(() => checkSanePositions(sys([1.01 * ABSURD_CELL_WIDTHS * 30, 0, 0])), 'E_ARG', /blown up/);
    expectCode(() => checkSanePositions({ n: 1, positions: Float64Array.of(2e6, 0, 0), cell: Cell.open() }), 'E_ARG', /blown up/);
    expectCode(() => checkSanePositions(sys([5, 0, 0]), 2 / 30), 'E_ARG', /over 7e-2 cell widths/);
  });

  it('passes sane systems to the inner provider unchanged and keeps its name', () => {
    let seen: ParticleSystem | null = null;
    const inner: ForceProvider = { name: 'inner', compute: (s) => ((seen = s), new ZeroProvider().compute(s)) };
    const guard = new PositionGuard(inner);
    const s = sys([1, 2, 3, 4, 5, 6]);
    const r = guard.compute(s);
    expect(guard.name).toBe('inner');
    expect(seen).toBe(s);
    expect(r.forces.length).toBe(6);
    seen = null;
    expect(() => guard.compute(sys([1e30, 0, 0]))).toThrow(/blown up/);
    expect(seen).toBeNull();
  });
});
