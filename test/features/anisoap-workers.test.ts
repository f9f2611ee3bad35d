// SPDX-License-Identifier: BSD-3-Clause
/**
 * Worker-thread execution of AniSOAP: identical (bitwise) results to the single-thread reference
 * (dynamically scheduled chunks, prestarted workers adopted by a pool included), pool reuse and
 * shutdown, a process that never calls `close()` still exits, worker errors come
 * back as exceptions, and the compiled worker entry is found from TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { anisoapWorkerUrl } from '../../src/features/anisoap/jobs.js';
import { compiledWorkerUrl, prestartedSyncWorkers, prestartSyncWorkers, SyncWorkerPool } from '../../src/parallel/sync-worker-pool.js';
import { expectCode } from '../support/assertions.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { seededRandom } from '../support/random.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cases: Array<[string, AniSoapHypers]> = [
  ['package, 1 species', { maxAngular: 4, maxRadial: 3, radialBasis: 'gto', gaussianWidth: 1.5, cutoff: 5, species: [0] }],
  ['md, 2 species, no self', { maxAngular: 3, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 4.5, species: [0, 1], subtractCenterContribution: true, mode: 'md', switchWidth: 1 }],
];

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}

describe.each(cases)('AniSOAP on worker threads (%s)', (_label, hyp) => {
  const sys = randomEllipsoidSystem(seededRandom(41), Cell.orthorhombic(8.5, 9, 8), 60, hyp.species.length);
  const single = new AniSoapCalculator(hyp);
  const rand = seededRandom(42);
  const w = new Float64Array(hyp.species.length * single.metadata.featureCount).map(() => rand() - 0.5);

  it('values, ν = 1 coefficients and linear forces are bitwise equal to the single-thread path; the pool is reused and closed', () => {
    const par = new AniSoapCalculator(hyp, { threads: 3, parallelMinPairs: 0 });
    try {
      expect(same(par.values(sys), single.values(sys))).toBe(true);
      expect(par.hasWorkers).toBe(true);
      expect(same(par.expansion(sys), single.expansion(sys))).toBe(true);
      const a = par.linearForces(sys, w), b = single.linearForces(sys, w);
      expect(Object.is(a.energy, b.energy)).toBe(true);
      expect(same(a.forces, b.forces)).toBe(true);
      expect(same(a.torques!, b.torques!)).toBe(true);
      expect(same(a.virial, b.virial)).toBe(true);
      // a second, smaller system through the same pool
      const small = randomEllipsoidSystem(seededRandom(43), Cell.orthorhombic(7, 7, 7), 17, hyp.species.length);
      expect(same(par.values(small), single.values(small))).toBe(true);
      expect(par.poolStarts).toBe(1);
    } finally {
      par.close();
    }
    expect(par.hasWorkers).toBe(false);
    par.close(); // idempotent
    // usable again after close: a new pool starts
    expect(same(par.values(sys), single.values(sys))).toBe(true);
    expect(par.poolStarts).toBe(2);
    par.close();
  });

  it('small systems stay on the calling thread', () => {
    const par = new AniSoapCalculator(hyp, { threads: 2 });
    const tiny = randomEllipsoidSystem(seededRandom(44), Cell.open(), 3, hyp.species.length);
    par.values(tiny);
    expect(par.hasWorkers).toBe(false);
    par.close();
  });
});

describe('worker pool plumbing', () => {
  it('the compiled worker entry is resolved under dist/ when running from TypeScript sources', () => {
    const url = anisoapWorkerUrl();
    const path = fileURLToPath(url);
    expect(path.endsWith('/dist/src/features/anisoap/worker.js')).toBe(true);
    expect(existsSync(path)).toBe(true);
    const fromSource = new URL('../../src/parallel/sync-worker-pool.ts', import.meta.url).href;
    expect(fileURLToPath(compiledWorkerUrl('worker.js', new URL('../../src/features/anisoap/jobs.ts', import.meta.url).href))).toBe(path);
    expectCode(() => compiledWorkerUrl('no-such-worker.js', fromSource), 'E_IO', /no-such-worker\.js' not found at .*src\/parallel.* nor at .*dist\/src\/parallel/);
  });

  it('a worker error is rethrown on the caller and the pool keeps working', () => {
    const pool = new SyncWorkerPool(anisoapWorkerUrl(), 1);
    try {
      let ran = false;
      expect(() => pool.run([{ op: 'expand', hypers: null, key: 'broken', buffers: null, range: [0, 1] }], () => (ran = true))).toThrow(/worker 0 failed: .*TypeError/);
      expect(ran).toBe(true);
      // an empty range is a no-op job
      const hyp = cases[0]![1];
      const calc = new AniSoapCalculator(hyp);
      pool.run([{ op: 'prepare', hypers: calc.hypers, key: JSON.stringify(calc.hypers), buffers: null, range: [0, 0] }], () => undefined);
    } finally {
      pool.close();
    }
    expect(pool.isClosed).toBe(true);
    expectCode(() => pool.run([], () => undefined), 'E_ARG', /closed/);
  });

  it('a process that never closes its calculator still exits', () => {
    const script = `
      import { AniSoapCalculator } from './dist/src/features/anisoap/calculator.js';
      import { Cell } from './dist/src/core/cell.js';
      const n = 40, p = new Float64Array(3 * n), q = new Float64Array(4 * n), s = new Float64Array(3 * n).fill(0.7);
      for (let i = 0; i < n; i++) { p.set([i % 4 * 2, (i >> 2) % 4 * 2, (i >> 4) * 2], 3 * i); q[4 * i] = 1; }
      const c = new AniSoapCalculator({ maxAngular: 2, maxRadial: 1, radialBasis: 'gto', gaussianWidth: 1, cutoff: 4, species: [0] }, { threads: 2, parallelMinPairs: 0 });
      const v = c.values({ n, positions: p, cell: Cell.orthorhombic(8, 8, 8), orientations: q, semiaxes: s });
      console.log(c.hasWorkers ? 'workers' : 'no-workers', v.length);
    `;
    const t0 = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe(`workers ${40 * 12}`);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('prestarted AniSOAP workers', () => {
  it('a pool adopts workers started ahead, sends them its init, and computes bitwise the single-thread values', () => {
    const hyp: AniSoapHypers = { maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4.5, species: [0] };
    const sys = randomEllipsoidSystem(seededRandom(51), Cell.orthorhombic(8, 8, 8), 50, 1);
    const url = anisoapWorkerUrl();
    const before = prestartedSyncWorkers(url);
    prestartSyncWorkers(url, 2);
    expect(prestartedSyncWorkers(url)).toBe(before + 2);
    const par = new AniSoapCalculator(hyp, { threads: 3, parallelMinPairs: 0, startWorkers: true });
    try {
      expect(prestartedSyncWorkers(url)).toBe(Math.max(0, before + 2 - 2));
      const reference = new AniSoapCalculator(hyp).values(sys);
      expect(same(par.values(sys), reference)).toBe(true);
      expect(par.poolStarts).toBe(1);
    } finally {
      par.close();
    }
  });
});

