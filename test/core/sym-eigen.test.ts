// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/core/sym-eigen.js';
import { seededRandom } from '../support/random.js';

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('diagonalises random symmetric matrices: A v = λ v, orthonormal, descending', () => {
    const rand = seededRandom(99);
    for (const n of [2, 3, 4, 6]) {
      for (let trial = 0; trial < 20; trial++) {
        const a = new Float64Array(n * n);
        for (let r = 0; r < n; r++) for (let c = r; c < n; c++) a[n * r + c] = a[n * c + r] = 4 * rand() - 2;
        const work = Float64Array.from(a), vals = new Float64Array(n), vecs = new Float64Array(n * n);
        symmetricEigen(work, n, vals, vecs);
        for (let k = 0; k + 1 < n; k++) expect(vals[k]!).toBeGreaterThanOrEqual(vals[k + 1]!);
        for (let c = 0; c < n; c++) {
          for (let r = 0; r < n; r++) {
            let av = 0;
            for (let k = 0; k < n; k++) av += a[n * r + k]! * vecs[n * k + c]!;
            expect(Math.abs(av - vals[c]! * vecs[n * r + c]!)).toBeLessThan(1e-13);
          }
          for (let c2 = 0; c2 < n; c2++) {
            let dot = 0;
            for (let r = 0; r < n; r++) dot += vecs[n * r + c]! * vecs[n * r + c2]!;
            expect(Math.abs(dot - (c === c2 ? 1 : 0))).toBeLessThan(1e-14);
          }
        }
      }
    }
  });

  it('handles already diagonal and degenerate matrices', () => {
    const a = Float64Array.of(1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 0, -2);
    const vals = new Float64Array(4), vecs = new Float64Array(16);
    symmetricEigen(a, 4, vals, vecs);
    expect(Array.from(vals)).toEqual([3, 3, 1, -2]);
  });
});
