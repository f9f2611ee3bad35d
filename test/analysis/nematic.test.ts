// SPDX-License-Identifier: BSD-3-Clause
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Nematic, summarizeSeries } from '../../src/analysis/index.js';
import { quatFromAxisAngle, quatFromZAxis, quatMultiply, quatToMatrix } from '../../src/core/quaternion.js';
import { expectCode } from '../support/assertions.js';
import { randomQuaternion, seededRandom } from '../support/random.js';
import { referencePath } from '../support/reference-data.js';

const LC = referencePath('lc/');

/** n quaternions (w ≥ 0) whose body z is lab z, with random spins about it. */
function alignedWithSpin(n: number, rand: () => number): Float64Array {
  const q = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) quatFromAxisAngle(q, 4 * i, 0, 0, 1, 2 * Math.PI * rand());
  return q;
}

function randomQuaternions(n: number, rand: () => number): Float64Array {
  const q = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) q.set(randomQuaternion(rand), 4 * i);
  return q;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('Nematic', () => {
  it('perfect alignment: S2 = 1, Q = diag(−1/2, −1/2, 1), director z, P4 = 1', () => {
    const nem = new Nematic().compute(alignedWithSpin(50, seededRandom(1)));
    expect(nem.order).toBeCloseTo(1, 14);
    expect(maxAbsDiff(nem.qTensor, [-0.5, 0, 0, 0, -0.5, 0, 0, 0, 1])).toBeLessThan(1e-14);
    expect(maxAbsDiff(nem.director, [0, 0, 1])).toBeLessThan(1e-14);
    expect(maxAbsDiff(nem.eigenvalues, [1, -0.5, -0.5])).toBeLessThan(1e-14);
    expect(nem.middleEstimator).toBeCloseTo(1, 14);
    expect(nem.biaxiality).toBeCloseTo(0, 14);
    expect(nem.beta2).toBeCloseTo(0, 12);
    expect(nem.p4).toBeCloseTo(1, 14);
    expect(nem.particleCount).toBe(50);
  });

  it('vectors: the director sign makes the largest component positive, input need not be unit', () => {
    const nem = new Nematic().compute([0, 0, -2, 0, 0, 3, 0, 0, -0.5], 'vectors');
    expect(nem.order).toBeCloseTo(1, 14);
    expect(Array.from(nem.director)).toEqual([0, 0, 1]);
    const tilted = new Nematic().compute([-1, 0.2, 0, 1, -0.2, 0], 'vectors');
    const d = tilted.director;
    expect(d[0]).toBeGreaterThan(0);
    expect(d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!).toBeCloseTo(1, 14);
    expect(d[1]! / d[0]!).toBeCloseTo(-0.2, 12);
  });

  it("half of an aligned sample rotated by 90° gives S2 = 0.25 (freud's check)", () => {
    const n = 100;
    const q = alignedWithSpin(n, seededRandom(2));
    const turn = new Float64Array(4);
    quatFromAxisAngle(turn, 0, 0, 1, 0, Math.PI / 2);
    const out = new Float64Array(4);
    for (let i = 0; i < n / 2; i++) {
      quatMultiply(out, 0, turn, 0, q, 4 * i);
      q.set(out, 4 * i);
    }
    const nem = new Nematic().compute(q);
    expect(nem.order).toBeCloseTo(0.25, 13);
    expect(maxAbsDiff(nem.eigenvalues, [0.25, 0.25, -0.5])).toBeLessThan(1e-13);
    expect(nem.middleEstimator).toBeCloseTo(-0.5, 13);
  });

  it('random orientations: S2 carries the finite-N bias (N = 512: ⟨S2⟩ ≈ 0.035), S2_mid ≈ 0', () => {
    const rand = seededRandom(3);
    const nem = new Nematic();
    let s2 = 0, mid = 0;
    const samples = 200;
    for (let s = 0; s < samples; s++) {
      nem.compute(randomQuaternions(512, rand));
      s2 += nem.order;
      mid += nem.middleEstimator;
      const sum = nem.eigenvalues.reduce((a, x) => a + x, 0);
      expect(Math.abs(sum)).toBeLessThan(1e-14);
    }
    s2 /= samples;
    mid /= samples;
    expect(s2).toBeGreaterThan(0.03);
    expect(s2).toBeLessThan(0.04);
    expect(Math.abs(mid)).toBeLessThan(0.004);
  });

  it('planar random orientations: S2 = 0.25 but S2_mid = −0.5', () => {
    const rand = seededRandom(4);
    const n = 20000;
    const v = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const phi = 2 * Math.PI * rand();
      v[3 * i] = Math.cos(phi);
      v[3 * i + 1] = Math.sin(phi);
    }
    const nem = new Nematic().compute(v, 'vectors');
    expect(Math.abs(nem.order - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(nem.middleEstimator + 0.5)).toBeLessThan(0.04);
    expect(nem.eigenvalues[2]).toBeCloseTo(-0.5, 12);
  });

  it('is invariant under a global rotation; the director and Q rotate with it', () => {
    const rand = seededRandom(5);
    const n = 300;
    // A nematic-ish sample: axes within ~30° of (1, 1, 0)/√2.
    const q = new Float64Array(4 * n);
    const u = new Float64Array(3);
    for (let i = 0; i < n; i++) {
      u[0] = 1 + 0.5 * (rand() - 0.5); u[1] = 1 + 0.5 * (rand() - 0.5); u[2] = 0.5 * (rand() - 0.5);
      const len = Math.hypot(u[0], u[1], u[2]);
      for (let k = 0; k < 3; k++) u[k] = u[k]! / len;
      quatFromZAxis(q, 4 * i, u, 0);
    }
    const a = new Nematic().compute(q);
    const g = randomQuaternion(rand);
    const rq = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) quatMultiply(rq, 4 * i, g, 0, q, 4 * i);
    const b = new Nematic().compute(rq);
    expect(Math.abs(a.order - b.order)).toBeLessThan(1e-13);
    expect(maxAbsDiff(a.eigenvalues, b.eigenvalues)).toBeLessThan(1e-13);
    expect(Math.abs(a.p4 - b.p4)).toBeLessThan(1e-13);
    const r = new Float64Array(9);
    quatToMatrix(r, 0, g, 0);
    const da = a.director, db = b.director;
    const rd = [0, 1, 2].map((row) => r[3 * row]! * da[0]! + r[3 * row + 1]! * da[1]! + r[3 * row + 2]! * da[2]!);
    const dot = rd[0]! * db[0]! + rd[1]! * db[1]! + rd[2]! * db[2]!;
    expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
    // Q_b = R Q_a Rᵀ
    const qa = a.qTensor, qb = b.qTensor;
    let err = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += r[3 * i + k]! * qa[3 * k + l]! * r[3 * j + l]!;
        err = Math.max(err, Math.abs(s - qb[3 * i + j]!));
      }
    }
    expect(err).toBeLessThan(1e-13);
  });

  it('axis selects the molecular axis of a quaternion', () => {
    const rand = seededRandom(6);
    const spun = alignedWithSpin(400, rand); // body z along lab z, body x and y random in the plane
    const z = new Nematic({ axis: 'z' }).compute(spun);
    expect(z.order).toBeCloseTo(1, 13);
    for (const axis of ['x', 'y'] as const) {
      const nem = new Nematic({ axis }).compute(spun);
      expect(nem.axis).toBe(axis);
      expect(Math.abs(nem.order - 0.25)).toBeLessThan(0.06);
      expect(Math.abs(nem.middleEstimator + 0.5)).toBeLessThan(0.12);
    }
    // Rotation by 90° about y takes body x to lab −z: with axis 'x' the sample is aligned along z.
    const q = new Float64Array(4 * 10);
    for (let i = 0; i < 10; i++) quatFromAxisAngle(q, 4 * i, 0, 1, 0, Math.PI / 2);
    const x = new Nematic({ axis: 'x' }).compute(q);
    expect(x.order).toBeCloseTo(1, 13);
    expect(maxAbsDiff(x.director, [0, 0, 1])).toBeLessThan(1e-13);
    expect(new Nematic({ axis: 'y' }).compute(q).director[1]).toBeCloseTo(1, 13);
    const ev = x.eigenvectors; // rows
    expect(maxAbsDiff(ev.subarray(0, 3), x.director)).toBeLessThan(1e-13);
  });

  it('rejects bad input with clear errors, and results before compute()', () => {
    const nem = new Nematic();
    expectCode(() => nem.order, 'E_ARG', /property not computed: call compute\(\) first/);
    expectCode(() => nem.director, 'E_ARG', /nematic\.director: property not computed/);
    expectCode(() => nem.compute([1, 0, 0, 0, 0, 0], 'vectors'), 'E_ARG', /vector 1 is \(0, 0, 0\).*non-zero/);
    expectCode(() => nem.compute([1, 0, 0, 0, 0, 0, 0, 0]), 'E_ARG', /quaternion 1 is \(0, 0, 0, 0\)/);
    expectCode(() => nem.compute([1, NaN, 0], 'vectors'), 'E_ARG', /vector 0/);
    expectCode(() => nem.compute([1, 0, 0]), 'E_SIZE', /positive multiple of 4/);
    expectCode(() => nem.compute([], 'vectors'), 'E_SIZE', /length 0/);
    expectCode(() => new Nematic({ axis: 'w' as 'x' }), 'E_ARG', /axis 'w'/);
    expectCode(() => nem.compute([1, 0, 0], 'matrix' as 'vectors'), 'E_ARG', /input 'matrix'/);
    expectCode(() => nem.order, 'E_ARG', /not computed/); // failed computes leave it uncomputed
  });
});

/** Frames of the shared LAMMPS dump: quaternions (4n) per frame. */
function readDumpQuaternions(path: string): Float64Array[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const frames: Float64Array[] = [];
  let l = 0;
  while (l < lines.length) {
    if (!lines[l]!.startsWith('ITEM: TIMESTEP')) {
      l++;
      continue;
    }
    const n = Number(lines[l + 3]);
    const cols = lines[l + 8]!.split(/\s+/).slice(2);
    const w = cols.indexOf('quatw');
    const q = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) {
      const tok = lines[l + 9 + i]!.trim().split(/\s+/);
      for (let k = 0; k < 4; k++) q[4 * i + k] = Number(tok[w + k]);
    }
    frames.push(q);
    l += 9 + n;
  }
  return frames;
}

describe('Nematic against the shared LAMMPS nematic trajectory (data/reference/lc)', () => {
  const frames = readDumpQuaternions(`${LC}traj_nematic.lammpstrj`);
  const csv = readFileSync(`${LC}nematic_timeseries.csv`, 'utf8').trim().split('\n');
  const head = csv[0]!.split(',');
  const rows = csv.slice(1).map((line) => line.split(',').map(Number));
  const col = (name: string) => head.indexOf(name);

  it('reproduces S2, S2_mid, biax, beta2, P4 and the director of all 161 frames to 1e-10', () => {
    expect(frames.length).toBe(161);
    const nem = new Nematic({ axis: 'z' });
    let worst = 0;
    frames.forEach((q, f) => {
      nem.compute(q);
      const row = rows[f]!;
      const d = nem.director;
      const got = [nem.order, nem.middleEstimator, nem.biaxiality, nem.beta2, nem.p4, d[0]!, d[1]!, d[2]!];
      const ref = ['S2', 'S2_mid', 'biax', 'beta2', 'P4', 'nx', 'ny', 'nz'].map((c) => row[col(c)]!);
      worst = Math.max(worst, maxAbsDiff(got, ref));
    });
    expect(worst).toBeLessThan(1e-10);
  });

  it('summarizeSeries reproduces the reference summary (mean, std, min, max, 5-block SEM)', () => {
    const summary = JSON.parse(readFileSync(`${LC}nematic_summary.json`, 'utf8')) as {
      summary: Record<string, { mean: number; std: number; min: number; max: number; sem_blocks: number; n: number }>;
    };
    const nem = new Nematic();
    const s2 = frames.map((q) => nem.compute(q).order);
    const got = summarizeSeries(s2);
    const ref = summary.summary.S2!;
    expect(got.n).toBe(ref.n);
    expect(got.blocks).toBe(5);
    for (const [a, b] of [[got.mean, ref.mean], [got.std, ref.std], [got.min, ref.min], [got.max, ref.max], [got.semBlocks, ref.sem_blocks]] as const) {
      expect(Math.abs(a - b)).toBeLessThan(1e-12);
    }
  });
});

describe('summarizeSeries', () => {
  it('splits blocks like numpy.array_split and checks its arguments', () => {
    // 7 values in 3 blocks: sizes 3, 2, 2 → means 2, 4.5, 6.5
    const s = summarizeSeries([1, 2, 3, 4, 5, 6, 7], 3);
    const means = [2, 4.5, 6.5];
    const m = 13 / 3;
    const sem = Math.sqrt(means.reduce((a, x) => a + (x - m) ** 2, 0) / 2 / 3);
    expect(s.semBlocks).toBeCloseTo(sem, 14);
    expect(s.mean).toBe(4);
    expect(s.std).toBeCloseTo(2, 14);
    expect(Number.isNaN(summarizeSeries([1, 2], 5).semBlocks)).toBe(true);
    expectCode(() => summarizeSeries([]), 'E_ARG', /empty/);
    expectCode(() => summarizeSeries([1], 1), 'E_ARG', /blocks = 1/);
  });
});
