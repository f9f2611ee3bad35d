// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small {@link FeatureCalculator} test double with exact gradients: for centre i (type t) and
 * every neighbour j within `cutoff` (all periodic images), with `r̂` the unit vector from i to j,
 * `u` the body z axes and `g_k(r) = exp(−(r − c_k)²/2w²) (1 − r²/rc²)²`,
 * ```
 * p_i[k]      = Σ_j g_k(r_ij)
 * p_i[K + k]  = Σ_j g_k(r_ij) (u_i · r̂_ij)²
 * p_i[2K + k] = Σ_j g_k(r_ij) (u_i · u_j)²
 * ```
 * F = 3K features, smooth at the cutoff, invariant under rotations, translations and permutations.
 */
import { buildNeighborList, createNeighborList } from '../../src/core/neighbor-list.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import type { FeatureCalculator, FeatureMetadata, FeatureSumGradients } from '../../src/features/feature-calculator.js';

export interface ToyOptions {
  /** Gaussian centres c_k. */
  centres: number[];
  /** Gaussian width w. */
  width: number;
  /** Cutoff rc. */
  cutoff: number;
  /** Species ids, one per type. */
  species: number[];
}

export class ToyFeatures implements FeatureCalculator {
  readonly metadata: FeatureMetadata;
  private readonly o: ToyOptions;
  private readonly nl = createNeighborList();

  constructor(o: ToyOptions) {
    this.o = o;
    const K = o.centres.length;
    const F = 3 * K;
    const values = new Int32Array(2 * F);
    for (let f = 0; f < F; f++) values.set([Math.floor(f / K), f % K], 2 * f);
    this.metadata = { name: 'toy', species: o.species, featureCount: F, labels: { names: ['kind', 'k'], values }, cutoff: o.cutoff, smooth: true };
  }

  values(system: ParticleSystem, out?: Float64Array): Float64Array {
    const v = this.sumGradients(system).values;
    if (out) {
      out.set(v);
      return out;
    }
    return v;
  }

  sumGradients(system: ParticleSystem): FeatureSumGradients {
    const { centres, width, cutoff } = this.o;
    const K = centres.length, F = 3 * K, n = system.n, T = this.o.species.length;
    const values = new Float64Array(n * F);
    const sums = new Float64Array(T * F);
    const dPos = new Float64Array(T * n * 3 * F);
    const hasRot = Boolean(system.orientations);
    const dRot = hasRot ? new Float64Array(T * n * 3 * F) : null;
    const dStrain = new Float64Array(T * 9 * F);
    const u = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      if (system.orientations) {
        const q = system.orientations;
        const w = q[4 * i]!, x = q[4 * i + 1]!, y = q[4 * i + 2]!, z = q[4 * i + 3]!;
        u[3 * i] = 2 * (x * z + w * y);
        u[3 * i + 1] = 2 * (y * z - w * x);
        u[3 * i + 2] = 1 - 2 * (x * x + y * y);
      } else u[3 * i + 2] = 1;
    }
    const list = buildNeighborList(system.cell, system.positions, cutoff, this.nl);
    const d = new Float64Array(3);
    const contribute = (c: number, o: number, sign: number, k: number) => {
      for (let a = 0; a < 3; a++) d[a] = sign * list.vectors[3 * k + a]!;
      const r = list.distances[k]!;
      if (!(r > 0) || r >= cutoff) return;
      const t = system.types ? system.types[c]! : 0;
      const rh = [d[0]! / r, d[1]! / r, d[2]! / r];
      const uc = [u[3 * c]!, u[3 * c + 1]!, u[3 * c + 2]!];
      const uo = [u[3 * o]!, u[3 * o + 1]!, u[3 * o + 2]!];
      const cc = uc[0]! * rh[0]! + uc[1]! * rh[1]! + uc[2]! * rh[2]!;
      const dd = uc[0]! * uo[0]! + uc[1]! * uo[1]! + uc[2]! * uo[2]!;
      const s = 1 - (r * r) / (cutoff * cutoff);
      const sc = s * s;
      const scp = (2 * s * (-2 * r)) / (cutoff * cutoff);
      const ucXr = [uc[1]! * rh[2]! - uc[2]! * rh[1]!, uc[2]! * rh[0]! - uc[0]! * rh[2]!, uc[0]! * rh[1]! - uc[1]! * rh[0]!];
      const ucXuo = [uc[1]! * uo[2]! - uc[2]! * uo[1]!, uc[2]! * uo[0]! - uc[0]! * uo[2]!, uc[0]! * uo[1]! - uc[1]! * uo[0]!];
      for (let kk = 0; kk < K; kk++) {
        const e = Math.exp(-((r - centres[kk]!) ** 2) / (2 * width * width));
        const G = e * sc;
        const Gp = e * (-(r - centres[kk]!) / (width * width)) * sc + e * scp;
        const fv = [G, G * cc * cc, G * dd * dd];
        const grad = [
          rh.map((x) => Gp * x),
          rh.map((x, a) => Gp * cc * cc * x + (G * 2 * cc * (uc[a]! - cc * x)) / r),
          rh.map((x) => Gp * dd * dd * x),
        ];
        const rotC = [[0, 0, 0], ucXr.map((x) => 2 * G * cc * x), ucXuo.map((x) => 2 * G * dd * x)];
        const rotO = [[0, 0, 0], [0, 0, 0], ucXuo.map((x) => -2 * G * dd * x)];
        for (let kind = 0; kind < 3; kind++) {
          const f = kind * K + kk;
          values[c * F + f] = values[c * F + f]! + fv[kind]!;
          sums[t * F + f] = sums[t * F + f]! + fv[kind]!;
          for (let a = 0; a < 3; a++) {
            const ga = grad[kind]![a]!;
            dPos[((t * n + o) * 3 + a) * F + f] = dPos[((t * n + o) * 3 + a) * F + f]! + ga;
            dPos[((t * n + c) * 3 + a) * F + f] = dPos[((t * n + c) * 3 + a) * F + f]! - ga;
            if (dRot) {
              dRot[((t * n + c) * 3 + a) * F + f] = dRot[((t * n + c) * 3 + a) * F + f]! + rotC[kind]![a]!;
              dRot[((t * n + o) * 3 + a) * F + f] = dRot[((t * n + o) * 3 + a) * F + f]! + rotO[kind]![a]!;
            }
            for (let b = 0; b < 3; b++) dStrain[(t * 9 + 3 * a + b) * F + f] = dStrain[(t * 9 + 3 * a + b) * F + f]! + ga * d[b]!;
          }
        }
      }
    };
    for (let k = 0; k < list.count; k++) {
      const i = list.first[k]!, j = list.second[k]!;
      contribute(i, j, 1, k);
      contribute(j, i, -1, k);
    }
    return { values, sums, dPos, dRot, dStrain };
  }

  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult {
    const g = this.sumGradients(system);
    const F = this.metadata.featureCount, n = system.n, T = this.o.species.length;
    let energy = 0;
    for (let k = 0; k < T * F; k++) energy += weights[k]! * g.sums[k]!;
    const forces = new Float64Array(3 * n);
    const torques = g.dRot ? new Float64Array(3 * n) : null;
    const virial = new Float64Array(9);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < n; j++) {
        for (let a = 0; a < 3; a++) {
          let sf = 0, st = 0;
          const off = ((t * n + j) * 3 + a) * F;
          for (let f = 0; f < F; f++) {
            sf += weights[t * F + f]! * g.dPos[off + f]!;
            if (g.dRot) st += weights[t * F + f]! * g.dRot[off + f]!;
          }
          forces[3 * j + a] = forces[3 * j + a]! - sf;
          if (torques) torques[3 * j + a] = torques[3 * j + a]! - st;
        }
      }
      for (let ab = 0; ab < 9; ab++) {
        let s = 0;
        for (let f = 0; f < F; f++) s += weights[t * F + f]! * g.dStrain[(t * 9 + ab) * F + f]!;
        virial[ab] = virial[ab]! - s;
      }
    }
    return { energy, forces, torques, virial, extras: {} };
  }
}
