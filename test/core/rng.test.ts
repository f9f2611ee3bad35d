// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference xoshiro128** stream from state [1, 2, 3, 4]', () => {
    // Output of the published C reference algorithm started from s = {1, 2, 3, 4}.
    const rng = Rng.fromState({ words: [1, 2, 3, 4] });
    const got = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives equal streams for equal seeds and different ones otherwise (both seed halves count)', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(12345)).toEqual(draw(12345));
    expect(draw(12345)).not.toEqual(draw(12346));
    expect(draw(7)).not.toEqual(draw(7 + 2 ** 32));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('resumes exactly from getState(), including the cached normal deviate', () => {
    const a = new Rng(99);
    a.normal(); // leaves the second deviate of the pair cached
    const b = Rng.fromState(a.getState());
    for (let k = 0; k < 5; k++) expect(b.normal()).toBe(a.normal());
    expect(b.uniform()).toBe(a.uniform());
  });

  it('draws uniforms in [0, 1) with mean 1/2 and normals with mean 0, variance 1', () => {
    const rng = new Rng(2024);
    const m = 200_000;
    let su = 0, lo = 1, hi = 0;
    for (let k = 0; k < m; k++) {
      const u = rng.uniform();
      su += u;
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(su / m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / m));
    let s1 = 0, s2 = 0, s4 = 0;
    for (let k = 0; k < m; k++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      s4 += z * z * z * z;
    }
    expect(Math.abs(s1 / m)).toBeLessThan(5 / Math.sqrt(m));
    expect(Math.abs(s2 / m - 1)).toBeLessThan(5 * Math.sqrt(2 / m));
    expect(Math.abs(s4 / m - 3)).toBeLessThan(5 * Math.sqrt(96 / m)); // Var(z⁴) = 105 − 9
  });

  it('rejects seeds that are not non-negative safe integers, and invalid states', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => new Rng(bad)).toThrow(/seed must be a non-negative safe integer/);
    }
    expect(() => Rng.fromState({ words: [0, 0, 0, 0] })).toThrow(/four zero words/);
    expect(() => Rng.fromState({ words: [1, 2, 3] })).toThrow(/four 32-bit unsigned words/);
  });
});
