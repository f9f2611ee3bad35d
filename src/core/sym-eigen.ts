// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small dense symmetric eigen solver (cyclic Jacobi), for the 4×4 quaternion fit of the molecule
 * mapping. Accurate to a few ulps of the largest eigenvalue; allocation-free.
 */

/**
 * Eigen-decompose the symmetric `n×n` matrix `a` (row-major, overwritten). Writes the eigenvalues,
 * sorted in **descending** order, to `values[0..n−1]` and the matching unit eigenvectors as the
 * **columns** of `vectors` (row-major `n×n`: component r of eigenvector c is `vectors[n·r + c]`).
 * Only the upper triangle's symmetry is assumed, not checked. Stops when the off-diagonal part is
 * below 1e-32 of the matrix's squared Frobenius norm, or after `maxSweeps` sweeps.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  values: Float64Array,
  vectors: Float64Array,
  maxSweeps = 50,
): void {
  vectors.fill(0, 0, n * n);
  for (let r = 0; r < n; r++) vectors[n * r + r] = 1;
  let total = 0;
  for (let k = 0; k < n * n; k++) total += a[k]! * a[k]!;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[n * p + q]! * a[n * p + q]!;
    if (off <= 1e-32 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[n * p + q]!;
        if (apq === 0) continue;
        // Rotation J (J_pp = J_qq = c, J_pq = s, J_qp = −s) with t = s/c the smaller root of
        // t² + 2θt − 1 = 0, θ = (a_qq − a_pp)/(2 a_pq): zeroes a_pq of Jᵀ A J.
        const theta = (a[n * q + q]! - a[n * p + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = a[n * r + p]!, arq = a[n * r + q]!;
          a[n * r + p] = c * arp - s * arq;
          a[n * r + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[n * p + r]!, aqr = a[n * q + r]!;
          a[n * p + r] = c * apr - s * aqr;
          a[n * q + r] = s * apr + c * aqr;
        }
        a[n * p + q] = 0;
        a[n * q + p] = 0;
        for (let r = 0; r < n; r++) {
          const vrp = vectors[n * r + p]!, vrq = vectors[n * r + q]!;
          vectors[n * r + p] = c * vrp - s * vrq;
          vectors[n * r + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  for (let r = 0; r < n; r++) values[r] = a[n * r + r]!;
  // Selection sort, descending, swapping eigenvector columns along.
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (values[j]! > values[best]!) best = j;
    if (best === i) continue;
    const tv = values[i]!;
    values[i] = values[best]!;
    values[best] = tv;
    for (let r = 0; r < n; r++) {
      const tmp = vectors[n * r + i]!;
      vectors[n * r + i] = vectors[n * r + best]!;
      vectors[n * r + best] = tmp;
    }
  }
}
