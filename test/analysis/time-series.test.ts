// SPDX-License-Identifier: BSD-3-Clause
/** Time series: block means and summaries, and the orientational autocorrelation functions. */
import { describe, expect, it } from 'vitest';
import { blockMeans, OrientationalAutocorrelation, summarizeSeries, TimeSeries } from '../../src/analysis/index.js';
import { quatFromAxisAngle } from '../../src/core/quaternion.js';
import { expectCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';

describe('blockMeans and TimeSeries', () => {
  it('splits like numpy.array_split; the summary matches summarizeSeries and its block SEM', () => {
    expect(Array.from(blockMeans([1, 2, 3, 4, 5, 6, 7], 3))).toEqual([2, 4.5, 6.5]);
    expectCode(() => blockMeans([1, 2], 3), 'E_ARG', /3 blocks for 2 values/);
    const rand = seededRandom(1);
    const ts = new TimeSeries(['a', 'b']);
    const a: number[] = [];
    for (let k = 0; k < 23; k++) {
      const x = rand();
      a.push(x);
      ts.add({ a: x, b: k === 4 ? Number.NaN : 2 * x }, 10 * k);
    }
    expect(ts.length).toBe(23);
    expect(ts.steps[22]).toBe(220);
    expect(Array.from(ts.column('a'))).toEqual(a);
    const s = ts.summary();
    expect(s.a).toEqual(summarizeSeries(a));
    const means = blockMeans(a, 5);
    const m = means.reduce((x, y) => x + y, 0) / 5;
    const sem = Math.sqrt(means.reduce((x, y) => x + (y - m) ** 2, 0) / 4 / 5);
    expect(s.a!.semBlocks).toBeCloseTo(sem, 15);
    // Non-finite values are left out of the summary.
    expect(s.b!.n).toBe(22);
    expectCode(() => ts.add({ a: 1 }), 'E_ARG', /no value 'b'/);
    expectCode(() => ts.column('c'), 'E_ARG', /no column 'c'/);
    expectCode(() => new TimeSeries(['a', 'a']), 'E_ARG', /distinct/);
    expectCode(() => new TimeSeries(['a']).summary(), 'E_ARG', /no frames/);
  });
});

describe('OrientationalAutocorrelation', () => {
  it("director mode: a fixed director (either sign) gives C = 1; a director turning by ω per frame gives P2(cos ωτ)", () => {
    const fixed = new OrientationalAutocorrelation({ maxLag: 5 });
    for (let f = 0; f < 20; f++) fixed.add(f % 2 ? [0, 0, 1] : [0, 0, -2], 'vectors');
    for (const c of fixed.values) expect(c).toBeCloseTo(1, 15);
    expect(Array.from(fixed.originCounts)).toEqual([20, 19, 18, 17, 16, 15]);
    const w = 0.1;
    const turning = new OrientationalAutocorrelation({ maxLag: 8, mode: 'director' });
    for (let f = 0; f < 30; f++) turning.add([Math.sin(w * f), 0, Math.cos(w * f)]);
    turning.values.forEach((c, tau) => expect(c).toBeCloseTo(1.5 * Math.cos(w * tau) ** 2 - 0.5, 13));
    expect(Array.from(turning.lags)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('particle mode: each particle rotating at its own rate about x, molecular axis selectable', () => {
    const n = 5, frames = 12, maxLag = 6;
    const rates = [0, 0.05, 0.1, 0.2, 0.3];
    for (const axis of ['y', 'z'] as const) {
      const acf = new OrientationalAutocorrelation({ maxLag, mode: 'particle', axis });
      for (let f = 0; f < frames; f++) {
        const q = new Float64Array(4 * n);
        for (let i = 0; i < n; i++) quatFromAxisAngle(q, 4 * i, 1, 0, 0, rates[i]! * f);
        acf.add(q);
      }
      acf.values.forEach((c, tau) => {
        const expected = rates.reduce((s, r) => s + 1.5 * Math.cos(r * tau) ** 2 - 0.5, 0) / n;
        expect(c).toBeCloseTo(expected, 13);
      });
    }
    // About x, the body x axis never moves.
    const ax = new OrientationalAutocorrelation({ maxLag: 3, mode: 'particle', axis: 'x' });
    for (let f = 0; f < 5; f++) {
      const q = new Float64Array(4);
      quatFromAxisAngle(q, 0, 1, 0, 0, 0.4 * f);
      ax.add(q);
    }
    for (const c of ax.values) expect(c).toBeCloseTo(1, 14);
  });

  it('lags beyond the frames added are NaN; bad input is refused', () => {
    const acf = new OrientationalAutocorrelation({ maxLag: 4 });
    expectCode(() => acf.values, 'E_ARG', /add\(\) frames first/);
    acf.add([1, 0, 0]).add([0, 1, 0]);
    const v = acf.values;
    expect(v[1]).toBeCloseTo(-0.5, 15);
    expect(Number.isNaN(v[2]!)).toBe(true);
    expectCode(() => acf.add([1, 0]), 'E_SIZE', /3 components/);
    expectCode(() => acf.add([0, 0, 0]), 'E_ARG', /non-zero/);
    const p = new OrientationalAutocorrelation({ maxLag: 1, mode: 'particle' });
    p.add([1, 0, 0, 0, 1, 0, 0, 0]);
    expectCode(() => p.add([1, 0, 0, 0]), 'E_SIZE', /1 particles, earlier ones 2/);
    expectCode(() => new OrientationalAutocorrelation({ maxLag: -1 }), 'E_ARG', /maxLag/);
    expectCode(() => new OrientationalAutocorrelation({ maxLag: 1, mode: 'both' as 'director' }), 'E_ARG', /mode 'both'/);
  });
});
