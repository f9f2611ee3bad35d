// SPDX-License-Identifier: BSD-3-Clause
/**
 * A toy {@link DensityExpansion} of point particles, independent of AniSOAP, for testing the
 * generic seams: open cell, every other particle a neighbour, Gaussian radial functions
 * `φ_n(r) = r^{2n} e^{−r²/2}` (n = 0 … N−1) and λ = 0, 1 with the λ = 1 components `(y, z, x)`
 * (the real-harmonic order μ = −1, 0, 1, unnormalised). Record per centre: for each neighbour
 * species a, the λ = 0 block (N values) then the λ = 1 block (N × 3, n-major). No torques.
 */
import type { ParticleSystem } from '../../src/core/system.js';
import {
  DENSITY_COMPONENT_NAMES, DENSITY_KEY_NAMES, DENSITY_PROPERTY_NAMES, DENSITY_SAMPLE_NAMES,
  type DensityBlock, type DensityCoefficients, type DensityExpansion, type DensityExpansionMetadata, type DensityGradients,
} from '../../src/features/density-expansion.js';

const PERM = [1, 2, 0]; // μ = −1, 0, 1 ↔ y, z, x

/** The toy expansion with `species.length` channels and N radial functions. */
export class ToyPointDensity implements DensityExpansion {
  readonly metadata: DensityExpansionMetadata;
  private last: { sys: ParticleSystem; c: Float64Array; types: Int32Array } | null = null;

  constructor(species: number[], private readonly N: number) {
    const blocks: DensityBlock[] = [];
    species.forEach((ct, t) => {
      for (const l of [0, 1]) {
        species.forEach((nt, a) => blocks.push({
          o3Lambda: l, o3Sigma: 1, centerType: ct, neighborType: nt, centerTypeIndex: t, neighborTypeIndex: a,
          componentCount: 2 * l + 1, propertyCount: N, offset: a * 4 * N + l * N, componentStride: 1, propertyStride: 2 * l + 1,
        }));
      }
    });
    this.metadata = {
      name: 'toy-point-density', species, cutoff: Infinity, smooth: true, keyNames: DENSITY_KEY_NAMES, sampleNames: DENSITY_SAMPLE_NAMES,
      componentNames: DENSITY_COMPONENT_NAMES, propertyNames: DENSITY_PROPERTY_NAMES, blocks, recordLength: species.length * 4 * N,
    };
  }

  /** Visit every directed pair (i, j ≠ i) with `a = r_j − r_i`. */
  private pairs(sys: ParticleSystem, visit: (i: number, j: number, a: number[]) => void): void {
    for (let i = 0; i < sys.n; i++) {
      for (let j = 0; j < sys.n; j++) if (j !== i) visit(i, j, [0, 1, 2].map((d) => sys.positions[3 * j + d]! - sys.positions[3 * i + d]!));
    }
  }

  compute(sys: ParticleSystem): DensityCoefficients {
    const R = this.metadata.recordLength, N = this.N, c = new Float64Array(sys.n * R);
    const types = sys.types ? Int32Array.from(sys.types) : new Int32Array(sys.n);
    this.pairs(sys, (i, j, a) => {
      const r2 = a[0]! ** 2 + a[1]! ** 2 + a[2]! ** 2, o = i * R + types[j]! * 4 * N;
      for (let n = 0; n < N; n++) {
        const phi = r2 ** n * Math.exp(-r2 / 2);
        c[o + n]! += phi;
        for (let m = 0; m < 3; m++) c[o + N + 3 * n + m]! += phi * a[PERM[m]!]!;
      }
    });
    this.last = { sys, c, types };
    return { n: sys.n, values: c, types, adjoint: new Float64Array(sys.n * R) };
  }

  backward(adjoint: Float64Array): DensityGradients {
    const { sys, types } = this.last!, R = this.metadata.recordLength, N = this.N;
    const forces = new Float64Array(3 * sys.n), virial = new Float64Array(9);
    this.pairs(sys, (i, j, a) => {
      const r2 = a[0]! ** 2 + a[1]! ** 2 + a[2]! ** 2, o = i * R + types[j]! * 4 * N, g = [0, 0, 0];
      for (let n = 0; n < N; n++) {
        const rho = Math.exp(-r2 / 2), phi = r2 ** n * rho;
        const dphi = (n > 0 ? 2 * n * r2 ** (n - 1) * rho : 0) - phi; // ∂φ/∂a = dphi · a
        for (let d = 0; d < 3; d++) g[d]! += adjoint[o + n]! * dphi * a[d]!;
        for (let m = 0; m < 3; m++) {
          const G = adjoint[o + N + 3 * n + m]!, k = PERM[m]!;
          for (let d = 0; d < 3; d++) g[d]! += G * (dphi * a[d]! * a[k]! + (d === k ? phi : 0));
        }
      }
      for (let d = 0; d < 3; d++) {
        forces[3 * i + d]! += g[d]!;
        forces[3 * j + d]! -= g[d]!;
        for (let b = 0; b < 3; b++) virial[3 * d + b]! -= g[d]! * a[b]!;
      }
    });
    return { forces, torques: null, virial };
  }
}
