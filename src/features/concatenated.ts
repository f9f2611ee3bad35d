// SPDX-License-Identifier: BSD-3-Clause
/**
 * Several feature calculators as one: per particle, the features of block 0, then block 1, …
 * (`F = Σ_b F_b`). A linear model on the concatenation is the sum of linear models on the blocks,
 * `E = Σ_b Σ_i w_b[type(i)] · p_b,i`, which is how body-ordered models are built (pair features
 * for the two-body part, single-centre power spectra for the many-body rest): its energy, forces,
 * torques and virial are the sums of the blocks' `linearForces` with their slices of the weights.
 *
 * Layouts: `values` n × F, row i = [block 0 | block 1 | …]; `sums` T × F; `dPos`, `dRot` T × n × 3 × F;
 * `dStrain` T × 9 × F, each with the blocks' features side by side in the last index (as every
 * `FeatureCalculator`, `feature-calculator.ts`). Labels: `block` (the block index) followed by
 * the union of the blocks' label names in order of appearance, −1 where a block has no such label.
 */
import { AnisoError } from '../core/errors.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { FeatureCalculator, FeatureLabels, FeatureMetadata, FeatureSumGradients } from './feature-calculator.js';

/** A calculator with an optional `close()`. */
type Member = FeatureCalculator & { close?(): void };

/** The labels of the concatenation (module doc). */
function concatenatedLabels(blocks: readonly FeatureMetadata[]): FeatureLabels {
  const names = ['block'];
  for (const b of blocks) for (const n of b.labels.names) if (!names.includes(n)) names.push(n);
  const F = blocks.reduce((s, b) => s + b.featureCount, 0), W = names.length;
  const values = new Int32Array(F * W).fill(-1);
  let f = 0;
  blocks.forEach((b, k) => {
    const w = b.labels.names.length, cols = b.labels.names.map((n) => names.indexOf(n));
    for (let i = 0; i < b.featureCount; i++, f++) {
      values[f * W] = k;
      for (let c = 0; c < w; c++) values[f * W + cols[c]!] = b.labels.values[i * w + c]!;
    }
  });
  return { names, values };
}

/** Blocks of feature calculators concatenated along the feature axis (module doc). */
export class ConcatenatedCalculator implements FeatureCalculator {
  readonly metadata: FeatureMetadata;
  /** The blocks, in feature order. */
  readonly blocks: readonly Member[];
  /** First feature of each block (length blocks + 1). */
  readonly offsets: readonly number[];
  /** Each block's slice of the weights (T × F_b), refilled per call. */
  private readonly weightSlices: Float64Array[];

  /**
   * @param blocks - at least one calculator, all with the same species.
   * @throws AnisoError `E_CONFIG` without blocks or when their species differ.
   */
  constructor(blocks: readonly Member[]) {
    if (blocks.length === 0) throw new AnisoError('E_CONFIG', 'a concatenation of feature calculators needs at least one block');
    const species = blocks[0]!.metadata.species;
    blocks.forEach((b, k) => {
      const s = b.metadata.species;
      if (s.length !== species.length || s.some((x, i) => x !== species[i])) {
        throw new AnisoError('E_CONFIG', `feature block ${k} (${b.metadata.name}) has species [${s.join(', ')}], block 0 (${blocks[0]!.metadata.name}) has [${species.join(', ')}]; every block needs the same species`);
      }
    });
    this.blocks = blocks;
    const offsets = [0];
    for (const b of blocks) offsets.push(offsets.at(-1)! + b.metadata.featureCount);
    this.offsets = offsets;
    const T = species.length;
    this.weightSlices = blocks.map((b) => new Float64Array(T * b.metadata.featureCount));
    const meta = blocks.map((b) => b.metadata);
    this.metadata = {
      name: meta.map((m) => m.name).join('+'),
      species,
      featureCount: offsets.at(-1)!,
      labels: concatenatedLabels(meta),
      cutoff: Math.max(...meta.map((m) => m.cutoff)),
      smooth: meta.every((m) => m.smooth),
    };
  }

  values(system: ParticleSystem, out?: Float64Array): Float64Array {
    const n = system.n, F = this.metadata.featureCount;
    const res = out ?? new Float64Array(n * F);
    if (res.length < n * F) throw new AnisoError('E_SIZE', `concatenated features: out has length ${res.length}, needs n·F = ${n}·${F}`);
    this.blocks.forEach((b, k) => {
      const v = b.values(system), Fb = b.metadata.featureCount, o = this.offsets[k]!;
      for (let i = 0; i < n; i++) res.set(v.subarray(i * Fb, (i + 1) * Fb), i * F + o);
    });
    return res;
  }

  sumGradients(system: ParticleSystem): FeatureSumGradients {
    const n = system.n, F = this.metadata.featureCount, T = this.metadata.species.length;
    const parts = this.blocks.map((b) => b.sumGradients(system));
    const anyRot = parts.some((p) => p.dRot !== null);
    const out: FeatureSumGradients = {
      values: new Float64Array(n * F),
      sums: new Float64Array(T * F),
      dPos: new Float64Array(T * n * 3 * F),
      dRot: anyRot ? new Float64Array(T * n * 3 * F) : null,
      dStrain: new Float64Array(T * 9 * F),
    };
    /** Rows of `Fb` from `src` into rows of `F` of `dst` at column `o`. */
    const scatter = (src: Float64Array, dst: Float64Array, rows: number, Fb: number, o: number) => {
      for (let r = 0; r < rows; r++) dst.set(src.subarray(r * Fb, (r + 1) * Fb), r * F + o);
    };
    parts.forEach((p, k) => {
      const Fb = this.blocks[k]!.metadata.featureCount, o = this.offsets[k]!;
      scatter(p.values, out.values, n, Fb, o);
      scatter(p.sums, out.sums, T, Fb, o);
      scatter(p.dPos, out.dPos, T * n * 3, Fb, o);
      if (p.dRot !== null) scatter(p.dRot, out.dRot!, T * n * 3, Fb, o);
      scatter(p.dStrain, out.dStrain, T * 9, Fb, o);
    });
    return out;
  }

  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult {
    const n = system.n, F = this.metadata.featureCount, T = this.metadata.species.length;
    if (weights.length !== T * F) throw new AnisoError('E_SIZE', `concatenated linear forces: weights have length ${weights.length}, expected T·F = ${T}·${F}`);
    const res: ForceResult = { energy: 0, forces: new Float64Array(3 * n), torques: null, virial: new Float64Array(9), extras: {} };
    this.blocks.forEach((b, k) => {
      const Fb = b.metadata.featureCount, o = this.offsets[k]!;
      const w = this.weightSlices[k]!;
      for (let t = 0; t < T; t++) w.set(weights.subarray(t * F + o, t * F + o + Fb), t * Fb);
      const r = b.linearForces(system, w);
      res.energy += r.energy;
      for (let q = 0; q < 3 * n; q++) res.forces[q]! += r.forces[q]!;
      if (r.torques !== null) {
        res.torques ??= new Float64Array(3 * n);
        for (let q = 0; q < 3 * n; q++) res.torques[q]! += r.torques[q]!;
      }
      for (let q = 0; q < 9; q++) res.virial[q]! += r.virial[q]!;
    });
    return res;
  }

  /** Close every block (idempotent as the blocks' own `close`). */
  close(): void {
    for (const b of this.blocks) b.close?.();
  }
}
