// SPDX-License-Identifier: BSD-3-Clause
/**
 * The analysis classes against the reference analysis of the shared LAMMPS nematic trajectory
 * (`data/reference/lc`, settings of its README: axis z, all 161 frames, smectic d on 801 points in
 * [2, 5], τ_pbc with |h|,|k|,|l| ≤ 12 and 25°, g(r) with rmax 5.5 and 110 bins, summary with 5
 * blocks). The requirement is ≤ 1e-6 per frame; the README expects ~1e-10 from the same
 * definitions, which is what is checked (d_τ exactly: both are grid points).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameAnalyzer, Nematic, PairCorrelation, Smectic, TrajectoryReducer, type OrderColumn } from '../../src/analysis/index.js';
import type { AutocorrelationCurve } from '../../src/analysis/analyses/autocorrelation.js';
import type { PairCurves } from '../../src/analysis/analyses/pair-correlation.js';
import { readCsv, readLammpsDumpLite } from '../support/lammps-dump-lite.js';
import { referencePath } from '../support/reference-data.js';

const LC = referencePath('lc/');
const frames = readLammpsDumpLite(`${LC}traj_nematic.lammpstrj`);
const series = readCsv(`${LC}nematic_timeseries.csv`);
const pairRef = readCsv(`${LC}nematic_pair.csv`);
const summaryRef = JSON.parse(readFileSync(`${LC}nematic_summary.json`, 'utf8')) as {
  summary: Record<string, { mean: number; std: number; min: number; max: number; sem_blocks: number; n: number }>;
};

const TOL = 1e-10;

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!, y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      expect(Number.isNaN(x) && Number.isNaN(y), `index ${k}: ${x} vs ${y}`).toBe(true);
      continue;
    }
    m = Math.max(m, Math.abs(x - y));
  }
  return m;
}

describe('analysis vs the shared reference (traj_nematic.lammpstrj)', () => {
  it('reads 161 frames, steps 0 … 40000', () => {
    expect(frames.length).toBe(161);
    expect(frames.map((f) => f.step)).toEqual(series.col('step'));
  });

  it('Smectic: τ, d_τ, τ_pbc, d_τpbc of every frame', () => {
    const nem = new Nematic({ axis: 'z' });
    const sm = new Smectic({ dmin: 2, dmax: 5, nd: 801 });
    const got = { tau: [] as number[], d_tau: [] as number[], tau_pbc: [] as number[], d_tau_pbc: [] as number[] };
    for (const f of frames) {
      sm.compute(f.positions, nem.compute(f.orientations).director, f.cell);
      got.tau.push(sm.order);
      got.d_tau.push(sm.spacing);
      got.tau_pbc.push(sm.orderPbc);
      got.d_tau_pbc.push(sm.spacingPbc);
      expect(sm.reciprocalCount).toBeGreaterThan(0);
    }
    const worst = { tau: worstDiff(got.tau, series.col('tau')), tau_pbc: worstDiff(got.tau_pbc, series.col('tau_pbc')) };
    console.log(`reference agreement, max |Δ| over 161 frames: tau ${worst.tau.toExponential(2)}, tau_pbc ${worst.tau_pbc.toExponential(2)}`);
    expect(worst.tau).toBeLessThan(TOL);
    expect(worst.tau_pbc).toBeLessThan(TOL);
    expect(worstDiff(got.d_tau, series.col('d_tau'))).toBeLessThan(1e-9);
    expect(worstDiff(got.d_tau_pbc, series.col('d_tau_pbc'))).toBeLessThan(1e-9);
  });

  it('PairCorrelation accumulated over all frames: r, g, g2 per bin; g1 is bounded', () => {
    const pc = new PairCorrelation({ rmax: 5.5, nbins: 110, axis: 'z' });
    for (const f of frames) pc.compute(f, { reset: false });
    expect(pc.frameCount).toBe(161);
    const dg = worstDiff(pc.rdf, pairRef.col('g'));
    const dg2 = worstDiff(pc.g2, pairRef.col('g2'));
    console.log(`reference agreement, pair functions (110 bins): g ${dg.toExponential(2)}, g2 ${dg2.toExponential(2)}`);
    expect(worstDiff(pc.binCenters, pairRef.col('r'))).toBeLessThan(1e-12);
    expect(dg).toBeLessThan(TOL);
    expect(dg2).toBeLessThan(TOL);
    const g1 = pc.g1;
    for (let b = 18; b < 110; b++) expect(Math.abs(g1[b]!)).toBeLessThanOrEqual(1);
    expect(Number.isNaN(g1[0]!)).toBe(true);
  });

  it('FrameAnalyzer + TrajectoryReducer: per-frame columns, pair curves and the summary (5 blocks)', () => {
    const settings = { axis: 'z' as const, pair: { rmax: 5.5, nbins: 110 }, smectic: { dmin: 2, dmax: 5, nd: 801 } };
    const an = new FrameAnalyzer(settings);
    const red = new TrajectoryReducer(settings.pair);
    frames.forEach((f, k) => red.add(an.analyze(f, k, k, f.step)));
    const res = red.result();
    const col = (name: string) => res.columns[name as OrderColumn];
    const map: [string, string][] = [
      ['S2', 'S2'], ['S2_mid', 'S2_mid'], ['biaxiality', 'biax'], ['beta2', 'beta2'], ['P4', 'P4'],
      ['smectic', 'tau'], ['smectic_d', 'd_tau'], ['smectic_pbc', 'tau_pbc'], ['smectic_pbc_d', 'd_tau_pbc'],
      ['director_x', 'nx'], ['director_y', 'ny'], ['director_z', 'nz'],
    ];
    const report: string[] = [];
    for (const [ours, ref] of map) {
      const d = worstDiff(col(ours), series.col(ref));
      report.push(`${ref} ${d.toExponential(1)}`);
      expect(d, ours).toBeLessThan(TOL);
    }
    console.log(`reference agreement per frame (max |Δ|): ${report.join(', ')}`);
    const pair = res.accumulated.pair as PairCurves;
    expect(worstDiff(pair.g, pairRef.col('g'))).toBeLessThan(TOL);
    expect(worstDiff(pair.g2, pairRef.col('g2'))).toBeLessThan(TOL);
    const sumMap: [string, string][] = [['S2', 'S2'], ['S2_mid', 'S2_mid'], ['P4', 'P4'], ['biaxiality', 'biax'], ['beta2', 'beta2'], ['smectic', 'tau'], ['smectic_pbc', 'tau_pbc']];
    for (const [ours, ref] of sumMap) {
      const a = res.summary[ours]!, b = summaryRef.summary[ref]!;
      expect(a.n).toBe(b.n);
      for (const [x, y] of [[a.mean, b.mean], [a.std, b.std], [a.min, b.min], [a.max, b.max], [a.semBlocks, b.sem_blocks]] as const) {
        expect(Math.abs(x - y), `${ours}`).toBeLessThan(1e-12);
      }
    }
    // The director stays near z: C(τ) = ⟨P2(n(0)·n(τ))⟩ stays close to 1.
    const acf = res.accumulated.autocorrelation as AutocorrelationCurve;
    expect(acf.c.length).toBe(101);
    expect(acf.origins[100]).toBe(61);
    expect(acf.c[0]).toBeCloseTo(1, 14);
    expect(Math.min(...acf.c)).toBeGreaterThan(0.85);
  });
});
