// SPDX-License-Identifier: BSD-3-Clause
/**
 * The parallel analysis pipeline: identical (bitwise) results for 0, 1 and 3 workers, in-order
 * delivery with a bounded number of frames in flight, errors from workers with their codes, and
 * site trajectories mapped to ellipsoids on the workers.
 */
import { describe, expect, it } from 'vitest';
import { TrajectoryReducer, type FrameResult, type OrderColumn, type TrajectoryAnalysis } from '../../src/analysis/index.js';
import { Cell } from '../../src/core/cell.js';
import { AnalysisPipeline } from '../../src/analysis/parallel/analysis-pool.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import type { PairCurves } from '../../src/analysis/analyses/pair-correlation.js';
import type { AutocorrelationCurve } from '../../src/analysis/analyses/autocorrelation.js';
import { readLammpsDumpLite } from '../support/lammps-dump-lite.js';
import { referencePath } from '../support/reference-data.js';

const LC = referencePath('lc/');
const all = readLammpsDumpLite(`${LC}traj_nematic.lammpstrj`);
const frames = all.slice(0, 24);
const settings = { axis: 'z' as const, pair: { rmax: 5.5, nbins: 110 }, smectic: { dmin: 2, dmax: 5, nd: 101 } };

const pairOf = (r: TrajectoryAnalysis) => r.accumulated.pair as PairCurves;
const acfOf = (r: TrajectoryAnalysis) => r.accumulated.autocorrelation as AutocorrelationCurve;

async function run(workers: number, input = frames, mapping: Parameters<typeof AnalysisPipeline.create>[0]['mapping'] = null) {
  const reducer = new TrajectoryReducer(settings.pair);
  const order: number[] = [];
  const p = await AnalysisPipeline.create({ settings, mapping }, {
    workers,
    queue: workers === 0 ? undefined : 3,
    onResult: (r: FrameResult) => {
      order.push(r.seq);
      reducer.add(r);
    },
  });
  try {
    for (const [k, f] of input.entries()) await p.push({ index: k, step: f.step, positions: f.positions, cell: f.cell, orientations: f.orientations, source: `test:${k}` });
    await p.finish();
    expect(p.peakInFlight).toBeLessThanOrEqual(workers === 0 ? 1 : 3);
  } finally {
    await p.close();
  }
  expect(order).toEqual(input.map((_, k) => k));
  return reducer.result();
}

function expectIdentical(a: TrajectoryAnalysis, b: TrajectoryAnalysis): void {
  expect(a.frames).toBe(b.frames);
  for (const [key, col] of Object.entries(a.columns)) {
    col.forEach((v, k) => expect(Object.is(v, b.columns[key as OrderColumn][k]), `${key}[${k}]`).toBe(true));
  }
  expect(Array.from(a.index)).toEqual(Array.from(b.index));
  expect(Array.from(acfOf(a).c)).toEqual(Array.from(acfOf(b).c));
  for (const key of ['g', 'g1', 'g2', 'counts'] as const) {
    const x = pairOf(a)[key], y = pairOf(b)[key];
    for (let i = 0; i < x.length; i++) expect(Object.is(x[i], y[i]), `${key}[${i}]`).toBe(true);
  }
  expect(a.summary).toEqual(b.summary);
}

describe('AnalysisPipeline', () => {
  it('0, 1 and 3 workers give bitwise identical results, delivered in order with ≤ queue frames in flight', async () => {
    const inline = await run(0);
    expectIdentical(inline, await run(1));
    expectIdentical(inline, await run(3));
  });

  it("maps dumbbell sites to ellipsoids on the workers: the same order parameters as the ellipsoids'", async () => {
    const mapping = { kind: 'dumbbell' as const, semiaxes: [0.5, 0.5, 1.5] as [number, number, number], bondLength: 1.0 };
    const m = new DumbbellMapping({ semiaxes: mapping.semiaxes, length: mapping.bondLength });
    const few = frames.slice(0, 4);
    const sites = few.map((f) => {
      const s = m.toSites({ n: f.n, positions: f.positions, cell: f.cell, orientations: f.orientations });
      return { ...f, positions: Float64Array.from(s.positions), orientations: new Float64Array(0) };
    });
    const ref = await run(0, few);
    const mapped = await run(2, sites.map((s) => ({ ...s, orientations: null as unknown as Float64Array })), mapping);
    for (const key of ['S2', 'S2_mid', 'P4', 'biaxiality', 'smectic', 'smectic_pbc'] as const) {
      ref.columns[key].forEach((v, k) => expect(Math.abs(v - mapped.columns[key][k]!), key).toBeLessThan(1e-10));
    }
    for (let b = 0; b < 110; b++) expect(Math.abs(pairOf(ref).g[b]! - pairOf(mapped).g[b]!)).toBeLessThan(1e-10);
  });

  it('a failing frame rejects push/finish with its code and source; bad settings fail at create', async () => {
    for (const workers of [0, 2]) {
      const p = await AnalysisPipeline.create({ settings, mapping: null }, { workers, onResult: () => undefined });
      try {
        const small = Cell.orthorhombic(6, 6, 6); // rmax 5.5 > half width
        const attempt = async () => {
          for (let k = 0; k < 4; k++) await p.push({ index: k, step: null, positions: frames[0]!.positions, cell: small, orientations: frames[0]!.orientations, source: `bad.dump:${k}` });
          await p.finish();
        };
        await expect(attempt()).rejects.toMatchObject({ code: 'E_CELL', message: expect.stringMatching(/bad\.dump:0: pair correlation: rmax 5.5 exceeds/) });
      } finally {
        await p.close();
      }
    }
    const none = await AnalysisPipeline.create({ settings, mapping: null }, { workers: 1, onResult: () => undefined });
    try {
      await expect((async () => {
        await none.push({ index: 0, step: null, positions: frames[0]!.positions, cell: frames[0]!.cell, orientations: null });
        await none.finish();
      })()).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/frame 0: the frame has no orientations.*--mapping/) });
    } finally {
      await none.close();
    }
    await expect(AnalysisPipeline.create({ settings: { ...settings, pair: { rmax: -1, nbins: 3 } }, mapping: null }, { workers: 2, onResult: () => undefined })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(AnalysisPipeline.create({ settings, mapping: null }, { workers: -1, onResult: () => undefined })).rejects.toMatchObject({ code: 'E_ARG' });
  });
});
