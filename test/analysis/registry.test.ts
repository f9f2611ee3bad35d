// SPDX-License-Identifier: BSD-3-Clause
/**
 * The analyses registry and the composition of analyses: the standard set gives the columns of
 * `order.csv`; options are validated and defaulted by each entry's schema; a toy analysis
 * registered from a module is composed by the pipeline (inline and on worker threads) with its
 * columns, values, accumulated result and report, without changing the other analyses' numbers;
 * the particle autocorrelation through the registry equals the class used directly.
 */
import { describe, expect, it } from 'vitest';
import { OrientationalAutocorrelation } from '../../src/analysis/time-series.js';
import { SMECTIC_DEFAULTS } from '../../src/analysis/smectic.js';
import type { AnalysisSpec } from '../../src/analysis/frame-analysis.js';
import { analysisEntries, analysisEntry, createAnalysis, loadAnalysisModules, registerAnalysis } from '../../src/analysis/registry.js';
import type { AutocorrelationCurve } from '../../src/analysis/analyses/autocorrelation.js';
import { AnalysisSet, FrameAnalyzer, ORDER_COLUMNS, SUMMARY_COLUMNS, TrajectoryReducer, standardAnalyses, type TrajectoryAnalysis } from '../../src/analysis/trajectory-analysis.js';
import { AnalysisPipeline } from '../../src/analysis/parallel/analysis-pool.js';
import { readLammpsDumpLite } from '../support/lammps-dump-lite.js';
import { referencePath } from '../support/reference-data.js';

const LC = referencePath('lc/');
const frames = readLammpsDumpLite(`${LC}traj_nematic.lammpstrj`).slice(0, 12);
const TOY = new URL('./fixtures/toy-analysis.mjs', import.meta.url).href;
const settings = { axis: 'z' as const, pair: { rmax: 5.5, nbins: 40 }, smectic: { dmin: 2, dmax: 5, nd: 61 } };

async function runPipeline(analyses: AnalysisSpec[], workers: number, modules: string[] = []): Promise<TrajectoryAnalysis> {
  await loadAnalysisModules(modules); // the reducer lives on this thread: it needs the entries too
  const reducer = new TrajectoryReducer(analyses);
  const p = await AnalysisPipeline.create({ analyses, modules, mapping: null }, { workers, onResult: (r) => reducer.add(r) });
  try {
    for (const [k, f] of frames.entries()) await p.push({ index: k, step: f.step, positions: f.positions, cell: f.cell, orientations: f.orientations });
    await p.finish();
  } finally {
    await p.close();
  }
  return reducer.result();
}

describe('analyses registry', () => {
  it('lists the built-in kinds; the standard set has the columns of order.csv and the summary columns', () => {
    expect(analysisEntries().map((e) => e.kind).slice(0, 5)).toEqual(['nematic', 'smectic', 'director', 'pair', 'autocorrelation']);
    const set = AnalysisSet.from(standardAnalyses(settings));
    expect(set.columnNames).toEqual([...ORDER_COLUMNS]);
    expect(set.columns.filter((c) => c.summary).map((c) => c.name)).toEqual([...SUMMARY_COLUMNS]);
    expect(set.analyses.map((a) => a.name)).toEqual(['nematic', 'smectic', 'director', 'pair', 'autocorrelation']);
    // Without pair settings there is no pair analysis; the columns stay.
    expect(AnalysisSet.from({ axis: 'z' }).analyses.map((a) => a.kind)).toEqual(['nematic', 'smectic', 'director', 'autocorrelation']);
  });

  it('options come from the schemas: defaults filled in, bad values and unknown keys refused with E_ARG naming them', () => {
    expect(analysisEntry('smectic').schema.parse({ dmin: 2, dmax: 5 })).toMatchObject({ axis: 'z', nd: SMECTIC_DEFAULTS.nd, maxIndex: SMECTIC_DEFAULTS.maxIndex, maxAngleDeg: SMECTIC_DEFAULTS.maxAngleDeg });
    expect(analysisEntry('pair').schema.parse({ rmax: 3 })).toEqual({ rmax: 3, nbins: 100, axis: 'z' });
    expect(analysisEntry('autocorrelation').schema.parse({})).toEqual({ maxLag: 100, mode: 'director', axis: 'z' });
    expect(() => createAnalysis({ kind: 'pair', options: { rmax: -1 } })).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/analysis 'pair': rmax: /) }));
    expect(() => createAnalysis({ kind: 'nematic', options: { axis: 'w' } })).toThrow(/analysis 'nematic': axis: /);
    expect(() => createAnalysis({ kind: 'nematic', options: { axes: 'z' } })).toThrow(/analysis 'nematic': .*axes/);
    expect(() => createAnalysis({ kind: 'smectic', options: { dmin: 2 } })).toThrow(/both given or both null/);
    expect(() => createAnalysis({ kind: 'hexatic' })).toThrow(/unknown analysis kind 'hexatic'; registered: nematic, smectic, director, pair, autocorrelation/);
  });

  it('refuses a name or a column given twice, and a second entry of a registered kind', () => {
    expect(() => AnalysisSet.from([{ kind: 'nematic' }, { kind: 'nematic' }])).toThrow(/two analyses are named 'nematic'/);
    expect(() => AnalysisSet.from([{ kind: 'nematic' }, { kind: 'nematic', name: 'again' }])).toThrow(/column 'S2' of 'again' is already given/);
    expect(() => registerAnalysis({ ...analysisEntry('nematic') })).toThrow(/'nematic' is already registered/);
    expect(() => AnalysisSet.from([])).toThrow(/no analyses/);
  });

  it('without a smectic range the smectic columns are NaN and the others unchanged', () => {
    const withSm = new FrameAnalyzer(settings).analyze(frames[0]!);
    const without = new FrameAnalyzer({ ...settings, smectic: null }).analyze(frames[0]!);
    const names = AnalysisSet.from(settings).columnNames;
    names.forEach((c, k) => {
      if (c.startsWith('smectic')) expect(Number.isNaN(without.values[k]!), c).toBe(true);
      else expect(Object.is(without.values[k], withSm.values[k]), c).toBe(true);
    });
  });

  it('particle-mode autocorrelation through the registry equals OrientationalAutocorrelation fed directly', () => {
    const red = new TrajectoryReducer([{ kind: 'autocorrelation', options: { mode: 'particle', maxLag: 4 } }]);
    const an = new FrameAnalyzer(red.set);
    const direct = new OrientationalAutocorrelation({ maxLag: 4, mode: 'particle' });
    frames.forEach((f, k) => {
      red.add(an.analyze(f, k));
      direct.add(f.orientations);
    });
    const res = red.result();
    expect(res.columns).toEqual({});
    const acf = res.accumulated.autocorrelation as AutocorrelationCurve;
    expect(Array.from(acf.c)).toEqual(Array.from(direct.values));
    expect(acf.c[0]).toBeCloseTo(1, 14);
    expect(acf.c[4]!).toBeLessThan(1);
    expect(res.reports[0]!.report.tables![0]!.name).toBe('autocorr');
  });
});

describe('a toy analysis registered from a module is composed by the pipeline', () => {
  const specs = [...standardAnalyses(settings), { kind: 'toy-height', options: { scale: 2 } }];

  it('its columns follow the standard ones, with the right values; accumulated result, report and summary entry are there; 0 and 2 workers agree bitwise', async () => {
    const standard = await runPipeline(standardAnalyses(settings), 0);
    const inline = await runPipeline(specs, 0, [TOY]);
    const threaded = await runPipeline(specs, 2, [TOY]);
    expect(Object.keys(inline.columns)).toEqual([...ORDER_COLUMNS, 'z_mean', 'n_particles']);
    expect(Object.keys(inline.summary)).toEqual([...SUMMARY_COLUMNS, 'z_mean']);
    frames.forEach((f, k) => {
      let s = 0;
      for (let i = 2; i < f.positions.length; i += 3) s += f.positions[i]!;
      expect(inline.columns.z_mean![k]).toBe((2 * s) / f.n);
      expect(inline.columns.n_particles![k]).toBe(f.n);
    });
    expect(inline.summary.z_mean!.n).toBe(frames.length);
    expect(inline.accumulated['toy-height']).toEqual({ frames: frames.length, particles: frames.length * 512 });
    const toy = inline.reports.find((r) => r.kind === 'toy-height')!.report;
    expect(toy.tables![0]!).toEqual({ name: 'toy', header: ['frames', 'particles'], columns: [[frames.length], [frames.length * 512]] });
    expect(analysisEntries().find((e) => e.kind === 'toy-height')!.summaryKey).toBe('toy');
    // Adding the toy changes nothing else, and threads change nothing at all.
    for (const c of ORDER_COLUMNS) {
      inline.columns[c]!.forEach((v, k) => expect(Object.is(v, standard.columns[c]![k]), `${c}[${k}]`).toBe(true));
    }
    for (const c of Object.keys(inline.columns)) {
      inline.columns[c]!.forEach((v, k) => expect(Object.is(v, threaded.columns[c]![k]), `${c}[${k}] threaded`).toBe(true));
    }
    expect(threaded.accumulated).toEqual(inline.accumulated);
  });

  it('an unknown kind fails at create, and a module without an entry is refused', async () => {
    await expect(AnalysisPipeline.create({ analyses: [{ kind: 'no-such-analysis' }], mapping: null }, { workers: 1, onResult: () => undefined })).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/unknown analysis kind 'no-such-analysis'/) });
    await expect(loadAnalysisModules([new URL('./fixtures/not-an-analysis.mjs', import.meta.url).href])).rejects.toMatchObject({ code: 'E_ARG', message: expect.stringMatching(/exports no 'entry'/) });
  });
});
